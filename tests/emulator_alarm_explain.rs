//! `alarms explain` against the ministack emulator: a metric alarm, data
//! put for its last periods, and the explanation read over the real wire
//! protocol (DescribeAlarms, GetMetricData). The emulator evaluates alarms
//! crudely (on PutMetricData, ignoring DatapointsToAlarm, see
//! EMULATOR.md), so what is checked is what explain itself computes from
//! the datapoints, and that a state the evaluator does not reach is shown
//! as a disagreement (forced with SetAlarmState), never hidden.

mod support;

use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use jiff::Timestamp;
use monitui::data::explain::explain_alarm;
use monitui::model::{AlarmState, MetricDatum, MetricRef};
use monitui::provider::prelude::*;

const NAMESPACE: &str = "Monitui/Explain";
const ALARM: &str = "explain-errors";

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn explain_reads_the_datapoints_and_shows_a_disagreement() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    cw.put_metric_alarm()
        .alarm_name(ALARM)
        .namespace(NAMESPACE)
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("put alarm");

    // The three minutes before the current one: two of three above 5.
    let minute = Timestamp::now().as_second() / 60 * 60;
    let now = Timestamp::from_second(minute + 30).unwrap();
    let values = [9.0, 2.0, 8.0];
    let provider = support::aws_provider(&endpoint).await;
    let data: Vec<MetricDatum> = values
        .iter()
        .enumerate()
        .map(|(i, v)| MetricDatum {
            metric: MetricRef::new(NAMESPACE, "Errors", vec![]),
            value: *v,
            unit: None,
            timestamp: Some(Timestamp::from_second(minute - 60 * (3 - i as i64)).unwrap()),
        })
        .collect();
    provider
        .put_metric_data(NAMESPACE, &data)
        .await
        .expect("put data");

    let session = support::aws_session(&endpoint).await;
    let find = || async {
        session
            .reads
            .alarms
            .list_alarms()
            .await
            .expect("list")
            .into_iter()
            .find(|a| a.name == ALARM)
            .expect("the alarm")
    };
    let alarm = find().await;
    let explained = explain_alarm(&session.reads, &alarm, now)
        .await
        .expect("explain");
    let current: Vec<Option<f64>> = explained
        .current
        .datapoints
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(current, values.map(Some), "the latest three periods as put");
    assert_eq!(explained.current.evaluated_state, AlarmState::Alarm);
    // Whatever the emulator decided, explain says whether it agrees, and
    // every disagreement is listed.
    assert_eq!(
        explained.agrees_with_service,
        explained.disagreements.is_empty()
    );
    if explained.service_state != explained.evaluated_state {
        assert!(!explained.agrees_with_service, "{explained:?}");
    }

    // A state the datapoints do not support, set by hand: explain judges
    // the same datapoints ALARM and says it disagrees with OK.
    provider
        .set_alarm_state(ALARM, AlarmState::Ok, "set by the test")
        .await
        .expect("set state");
    let forced = find().await;
    assert_eq!(forced.state, AlarmState::Ok);
    let explained = explain_alarm(&session.reads, &forced, now)
        .await
        .expect("explain");
    assert_eq!(explained.service_state, AlarmState::Ok);
    assert_eq!(explained.current.evaluated_state, AlarmState::Alarm);
    assert!(!explained.agrees_with_service);
    assert!(
        explained
            .disagreements
            .iter()
            .any(|d| d.contains("OK") && d.contains("ALARM")),
        "{:?}",
        explained.disagreements
    );
}
