//! `monitui dashboards show` against the emulator: a dashboard put with
//! the SDK is shown with the metric values put beside it; through the
//! call-counting proxy, a dashboard of 900 distinct metrics costs exactly
//! two GetMetricData calls and one whose widgets repeat the same metrics
//! costs one (identical queries travel once).

mod support;

use std::io::Write;

use assert_cmd::Command;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use support::proxy::CallProxy;

fn monitui(endpoint: &str) -> Command {
    support::emulator_monitui(endpoint, "dashboards")
}

/// A body of `widgets` metric widgets with `rows` rows each; `metric(w, r)`
/// names the function of row `r` of widget `w`.
fn body(widgets: usize, rows: usize, metric: impl Fn(usize, usize) -> String) -> String {
    let items: Vec<String> = (0..widgets)
        .map(|w| {
            let rows: Vec<String> = (0..rows)
                .map(|r| format!(r#"["AWS/Lambda", "Errors", "FunctionName", "{}"]"#, metric(w, r)))
                .collect();
            format!(
                r#"{{"type": "metric", "x": {}, "y": {}, "width": 6, "height": 3,
                    "properties": {{"title": "w{w}", "stat": "Sum", "period": 300, "metrics": [{}]}}}}"#,
                (w % 4) * 6,
                (w / 4) * 3,
                rows.join(",")
            )
        })
        .collect();
    format!(r#"{{"widgets": [{}]}}"#, items.join(","))
}

/// Runs `dashboards show --body` on `body` through a counting proxy and
/// returns the GetMetricData count.
fn metric_data_calls(endpoint: &str, body: &str) -> usize {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(body.as_bytes()).unwrap();
    let proxy = CallProxy::start(endpoint, "");
    monitui(&proxy.endpoint())
        .args(["dashboards", "show", "--plain", "--body"])
        .arg(file.path())
        .assert()
        .success();
    let counts = proxy.counts();
    assert_eq!(counts.get("GetDashboard"), None, "{counts:?}");
    counts.get("GetMetricData").copied().unwrap_or(0)
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn nine_hundred_distinct_metrics_take_two_calls_and_repeats_travel_once() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);

    let distinct = body(90, 10, |w, r| format!("fn-{w}-{r}"));
    assert_eq!(metric_data_calls(&endpoint, &distinct), 2);

    let repeated = body(60, 10, |_, r| format!("fn-{r}"));
    assert_eq!(
        metric_data_calls(&endpoint, &repeated),
        1,
        "600 rows of 10 distinct metrics: one call, not one per widget"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn a_dashboard_put_with_the_sdk_is_shown_with_its_data() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let minute = jiff::Timestamp::now().as_second() / 60 * 60;
    let data: Vec<MetricDatum> = [(30, 120.0), (20, 340.0), (10, 560.0)]
        .into_iter()
        .map(|(ago, v)| {
            MetricDatum::builder()
                .metric_name("Orders")
                .dimensions(Dimension::builder().name("Shop").value("eu").build())
                .value(v)
                .unit(StandardUnit::Count)
                .timestamp(aws_smithy_types::DateTime::from_secs(minute - ago * 60))
                .build()
        })
        .collect();
    cw.put_metric_data()
        .namespace("Monitui/Shop")
        .set_metric_data(Some(data))
        .send()
        .await
        .expect("PutMetricData");
    let dashboard = r##"{"start": "-PT3H", "widgets": [
        {"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6,
         "properties": {"title": "Orders (max)", "view": "singleValue", "stat": "Maximum", "period": 3600,
           "setPeriodToTimeRange": true,
           "metrics": [["Monitui/Shop", "Orders", "Shop", "eu", {"label": "eu orders"}]]}},
        {"type": "text", "x": 12, "y": 0, "width": 12, "height": 6,
         "properties": {"markdown": "# Shop\nput by the **SDK**"}}
    ]}"##;
    cw.put_dashboard()
        .dashboard_name("shop")
        .dashboard_body(dashboard)
        .send()
        .await
        .expect("PutDashboard");

    let out = monitui(&endpoint)
        .args(["dashboards", "show", "shop", "--plain", "--width", "120"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("┌ Orders (max) "), "{out}");
    assert!(out.contains("560"), "the largest value put:\n{out}");
    assert!(out.contains("eu orders"), "{out}");
    assert!(out.contains("put by the SDK"), "{out}");
}
