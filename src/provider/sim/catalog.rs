//! The metric catalog of the demo account: every metric the seed's alarms
//! and dashboards name, keyed by namespace, name and dimensions, each mapped
//! to the generator that produces it.

use std::collections::HashMap;

use crate::model::{Dimension, MetricRef};

/// Account id of the demo account.
pub const ACCOUNT_ID: &str = "123456789012";
/// Region of the demo account.
pub const REGION: &str = "us-east-1";

/// Defines a fieldless enum of metrics with its CloudWatch names and `ALL`.
macro_rules! metric_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every metric of this family.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The CloudWatch metric name.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }
    };
}

metric_enum!(
    /// API Gateway metrics (`AWS/ApiGateway`, `ApiName=<prefix>-api`).
    ApiMetric {
        /// Requests.
        Count => "Count",
        /// Client errors.
        Error4xx => "4XXError",
        /// Server errors.
        Error5xx => "5XXError",
        /// End-to-end latency, ms.
        Latency => "Latency",
        /// Backend latency, ms.
        IntegrationLatency => "IntegrationLatency",
    }
);

metric_enum!(
    /// Lambda metrics (`AWS/Lambda`, `FunctionName=...`).
    LambdaMetric {
        /// Invocations.
        Invocations => "Invocations",
        /// Failed invocations.
        Errors => "Errors",
        /// Throttled invocations.
        Throttles => "Throttles",
        /// Duration, ms.
        Duration => "Duration",
    }
);

metric_enum!(
    /// DMS replication metrics (`AWS/DMS`).
    DmsMetric {
        /// Lag between the source and the replication instance, s.
        CdcLatencySource => "CDCLatencySource",
        /// Lag between the replication instance and the target, s.
        CdcLatencyTarget => "CDCLatencyTarget",
        /// Rows per second read from the source.
        CdcThroughputRowsSource => "CDCThroughputRowsSource",
        /// Rows per second written by full loads.
        FullLoadThroughputRowsTarget => "FullLoadThroughputRowsTarget",
    }
);

metric_enum!(
    /// Batch job metrics (`AWS/Batch`, `JobQueue=<prefix>-job-queue`).
    BatchMetric {
        /// Jobs running.
        Running => "RunningJobs",
        /// Jobs submitted.
        Submitted => "SubmittedJobs",
        /// Jobs failed.
        Failed => "FailedJobs",
        /// Jobs succeeded.
        Succeeded => "SucceededJobs",
    }
);

metric_enum!(
    /// Glue crawler metrics (`Glue`, `JobName=<prefix>-crawler`, `Type=count`).
    GlueMetric {
        /// Tasks completed.
        CompletedTasks => "glue.driver.aggregate.numCompletedTasks",
        /// Tasks failed.
        FailedTasks => "glue.driver.aggregate.numFailedTasks",
    }
);

metric_enum!(
    /// The AI systems' custom metrics (namespace `<prefix>`, no dimensions).
    MlMetric {
        /// Share of forecasts within tolerance, 0-1.
        ForecastAccuracy => "MarketIntelligence.ForecastAccuracy",
        /// Model training time, s (one point per hourly run).
        TrainingTime => "MarketIntelligence.TrainingTime",
        /// Prediction latency, ms.
        PredictionLatency => "MarketIntelligence.PredictionLatency",
        /// Segmentation quality score, 0-1.
        SegmentationQuality => "DemandInsights.SegmentationQuality",
        /// Customer-lifetime-value accuracy, 0-1.
        ClvAccuracy => "DemandInsights.CLVAccuracy",
        /// Churn prediction accuracy, 0-1.
        ChurnAccuracy => "DemandInsights.ChurnAccuracy",
        /// Share of fraud caught, 0-1.
        FraudDetectionRate => "ComplianceGuardian.FraudDetectionRate",
        /// High-risk transactions per minute.
        HighRiskTransactions => "ComplianceGuardian.HighRiskTransactions",
        /// PCI violations per minute.
        PciViolations => "ComplianceGuardian.PCIViolations",
        /// Copilot response time, ms.
        ResponseTime => "RetailCopilot.ResponseTime",
        /// Share of generated SQL that ran, 0-1.
        SqlGenerationSuccess => "RetailCopilot.SQLGenerationSuccess",
        /// Conversations per minute.
        ConversationCount => "RetailCopilot.ConversationCount",
        /// Trend prediction accuracy, 0-1.
        TrendAccuracy => "GlobalMarketPulse.TrendAccuracy",
        /// Market opportunity score, 0-100.
        OpportunityScore => "GlobalMarketPulse.OpportunityScore",
        /// Market analysis time, s.
        AnalysisTime => "GlobalMarketPulse.AnalysisTime",
    }
);

/// One of the platform's Lambda functions and its traffic profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaProfile {
    /// Name after the prefix, e.g. `auth-service`.
    pub suffix: &'static str,
    /// Invocations per minute at the afternoon peak.
    pub peak_per_minute: f64,
    /// Typical duration, ms.
    pub duration_ms: f64,
}

/// The seven Lambda functions of the platform.
pub const LAMBDAS: [LambdaProfile; 7] = [
    LambdaProfile {
        suffix: "auth-service",
        peak_per_minute: 600.0,
        duration_ms: 45.0,
    },
    LambdaProfile {
        suffix: "analytics-service",
        peak_per_minute: 120.0,
        duration_ms: 850.0,
    },
    LambdaProfile {
        suffix: "market-intelligence-hub",
        peak_per_minute: 20.0,
        duration_ms: 4200.0,
    },
    LambdaProfile {
        suffix: "demand-insights-engine",
        peak_per_minute: 15.0,
        duration_ms: 3800.0,
    },
    LambdaProfile {
        suffix: "compliance-guardian",
        peak_per_minute: 200.0,
        duration_ms: 320.0,
    },
    LambdaProfile {
        suffix: "retail-copilot",
        peak_per_minute: 40.0,
        duration_ms: 2400.0,
    },
    LambdaProfile {
        suffix: "global-market-pulse",
        peak_per_minute: 10.0,
        duration_ms: 6500.0,
    },
];

/// Index into [`LAMBDAS`] of the analytics service (the one the scripted
/// error burst hits hardest).
pub const ANALYTICS_SERVICE: usize = 1;

/// Which generator produces a catalog metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// API Gateway.
    Api(ApiMetric),
    /// One Lambda function (index into [`LAMBDAS`]).
    Lambda(usize, LambdaMetric),
    /// The account-wide Lambda metric without dimensions (all functions).
    LambdaTotal(LambdaMetric),
    /// DMS.
    Dms(DmsMetric),
    /// Batch.
    Batch(BatchMetric),
    /// Glue.
    Glue(GlueMetric),
    /// Custom ML metrics.
    Ml(MlMetric),
}

/// Metric identity with dimensions in a canonical order, so that a query
/// naming the dimensions in any order finds the metric.
pub fn canonical(metric: &MetricRef) -> MetricRef {
    let mut out = metric.clone();
    out.dimensions.sort();
    out
}

/// Every metric of the demo account and its generator.
#[derive(Debug, Clone)]
pub struct Catalog {
    prefix: String,
    entries: HashMap<MetricRef, Source>,
}

impl Catalog {
    /// The catalog for resources named `<prefix>-...`.
    pub fn new(prefix: &str) -> Self {
        let mut catalog = Self {
            prefix: prefix.to_string(),
            entries: HashMap::new(),
        };
        catalog.add_all(prefix);
        catalog
    }

    fn add(&mut self, metric: MetricRef, source: Source) {
        self.entries.insert(canonical(&metric), source);
    }

    fn add_all(&mut self, prefix: &str) {
        for &m in ApiMetric::ALL {
            self.add(self.api(m), Source::Api(m));
        }
        for &m in LambdaMetric::ALL {
            for i in 0..LAMBDAS.len() {
                self.add(self.lambda(i, m), Source::Lambda(i, m));
            }
            self.add(
                MetricRef::new("AWS/Lambda", m.name(), vec![]),
                Source::LambdaTotal(m),
            );
        }
        for &m in DmsMetric::ALL {
            self.add(self.dms(m), Source::Dms(m));
        }
        for &m in BatchMetric::ALL {
            self.add(self.batch(m), Source::Batch(m));
        }
        for &m in GlueMetric::ALL {
            self.add(self.glue(m), Source::Glue(m));
        }
        for &m in MlMetric::ALL {
            self.add(MetricRef::new(prefix, m.name(), vec![]), Source::Ml(m));
        }
    }

    /// Every metric of the account (in no particular order), for SEARCH.
    pub fn metrics(&self) -> impl Iterator<Item = &MetricRef> {
        self.entries.keys()
    }

    /// The generator behind `metric`, if the account has it.
    pub fn find(&self, metric: &MetricRef) -> Option<Source> {
        self.entries.get(&canonical(metric)).copied()
    }

    /// An API Gateway metric of the platform's API.
    pub fn api(&self, m: ApiMetric) -> MetricRef {
        let api = format!("{}-api", self.prefix);
        MetricRef::new(
            "AWS/ApiGateway",
            m.name(),
            vec![Dimension::new("ApiName", api)],
        )
    }

    /// A Lambda metric of function `index` in [`LAMBDAS`].
    pub fn lambda(&self, index: usize, m: LambdaMetric) -> MetricRef {
        let function = format!("{}-{}", self.prefix, LAMBDAS[index].suffix);
        MetricRef::new(
            "AWS/Lambda",
            m.name(),
            vec![Dimension::new("FunctionName", function)],
        )
    }

    /// A DMS metric of the platform's CDC task.
    pub fn dms(&self, m: DmsMetric) -> MetricRef {
        MetricRef::new(
            "AWS/DMS",
            m.name(),
            vec![
                Dimension::new(
                    "ReplicationInstanceIdentifier",
                    format!("{}-dms", self.prefix),
                ),
                Dimension::new(
                    "ReplicationTaskIdentifier",
                    format!("{}-cdc-task", self.prefix),
                ),
            ],
        )
    }

    /// A Batch metric of the platform's job queue.
    pub fn batch(&self, m: BatchMetric) -> MetricRef {
        let queue = format!("{}-job-queue", self.prefix);
        MetricRef::new(
            "AWS/Batch",
            m.name(),
            vec![Dimension::new("JobQueue", queue)],
        )
    }

    /// A Glue metric of the platform's crawler.
    pub fn glue(&self, m: GlueMetric) -> MetricRef {
        MetricRef::new(
            "Glue",
            m.name(),
            vec![
                Dimension::new("JobName", format!("{}-crawler", self.prefix)),
                Dimension::new("Type", "count"),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "ecommerce-ai-platform";

    #[test]
    fn finds_metrics_with_dimensions_in_any_order() {
        let catalog = Catalog::new(PREFIX);
        let mut dms = catalog.dms(DmsMetric::CdcLatencySource);
        dms.dimensions.reverse();
        assert_eq!(
            catalog.find(&dms),
            Some(Source::Dms(DmsMetric::CdcLatencySource))
        );
    }

    #[test]
    fn names_the_seed_resources() {
        let catalog = Catalog::new(PREFIX);
        let f = MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new(
                "FunctionName",
                "ecommerce-ai-platform-retail-copilot",
            )],
        );
        assert_eq!(
            catalog.find(&f),
            Some(Source::Lambda(5, LambdaMetric::Errors))
        );
        let ml = MetricRef::new(PREFIX, "RetailCopilot.ConversationCount", vec![]);
        assert_eq!(
            catalog.find(&ml),
            Some(Source::Ml(MlMetric::ConversationCount))
        );
        let glue = MetricRef::new(
            "Glue",
            "glue.driver.aggregate.numFailedTasks",
            vec![
                Dimension::new("Type", "count"),
                Dimension::new("JobName", "ecommerce-ai-platform-crawler"),
            ],
        );
        assert_eq!(
            catalog.find(&glue),
            Some(Source::Glue(GlueMetric::FailedTasks))
        );
    }

    #[test]
    fn unknown_metrics_are_absent() {
        let catalog = Catalog::new(PREFIX);
        let wrong_api = MetricRef::new(
            "AWS/ApiGateway",
            "Count",
            vec![Dimension::new("ApiName", "other-api")],
        );
        assert_eq!(catalog.find(&wrong_api), None);
        let ml_with_dims = MetricRef::new(
            PREFIX,
            "RetailCopilot.ConversationCount",
            vec![Dimension::new("Env", "demo")],
        );
        assert_eq!(catalog.find(&ml_with_dims), None);
    }
}
