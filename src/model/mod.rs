//! Plain domain types shared by every layer. No SDK types live here: the
//! providers convert to and from these.

pub mod ack;
pub mod alarm;
pub mod anomaly;
pub mod backtest;
pub mod clock;
pub mod cost;
pub mod custom_metric;
pub mod dashboard;
pub mod evaluate;
pub mod explain;
pub mod handoff;
pub mod identity;
pub mod incident;
pub mod insight_rule;
pub mod insights;
pub mod logs;
pub mod metric;
pub mod metric_browse;
pub mod mute;
pub mod names;
pub mod reason;
pub mod reason_data;
pub mod slo;
pub mod stack;
pub mod time_bound;
pub mod trail;
pub mod zone;

pub use alarm::{
    Alarm, AlarmKind, AlarmState, Comparison, HistoryItem, HistoryKind, MetricAlarmSpec,
    TreatMissingData,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use dashboard::DashboardSummary;
pub use identity::Identity;
pub use logs::{LiveTailUpdate, LogEvent, LogGroup, LogPage};
pub use metric::{Dimension, MetricDatum, MetricQuery, MetricRef, QuerySource, Series, TimeRange};
pub use trail::{TrailEvent, TrailPage, TrailQuery};
