use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ratio() -> Slo {
    Slo {
        name: "api".into(),
        description: String::new(),
        metrics: vec![],
        sli: Sli::Ratio {
            bad: "m5xx".into(),
            total: "mcount".into(),
        },
        objective: 99.0,
        window_secs: 86_400,
        period_secs: 300,
        alarms: false,
    }
}

fn series(id: &str, points: &[(&str, f64)]) -> Series {
    Series {
        id: id.into(),
        label: id.into(),
        points: points.iter().map(|(at, v)| (t(at), *v)).collect(),
        message: None,
    }
}

#[test]
fn ratio_budget_and_burn_rates_by_hand() {
    let slo = ratio();
    // Three periods in the last hour, one a day ago (outside 1h and 6h).
    let answer = [
        series(
            "s0bad",
            &[("2026-01-16T13:00:00Z", 4.0), ("2026-01-16T23:50:00Z", 6.0)],
        ),
        series(
            "s0total",
            &[
                ("2026-01-16T13:00:00Z", 100.0),
                ("2026-01-16T23:10:00Z", 200.0),
                ("2026-01-16T23:50:00Z", 100.0),
                ("2026-01-16T23:55:00Z", 0.0),
            ],
        ),
    ];
    let now = t("2026-01-17T00:00:00Z");
    let periods = slo.periods(0, &answer, now).unwrap();
    assert_eq!(periods.len(), 3, "a period with no events does not count");
    let status = slo.status(&periods, now);
    // Window (1 day): 10 bad of 400 -> 2.5 % bad, 97.5 % good.
    let current = status.current.unwrap();
    assert!((current - 97.5).abs() < 1e-9, "{current}");
    // Budget 1 %: spent 250 %, so -150 % left; as time: -1.5 * 1 % * 1 day.
    let left = status.budget_remaining.unwrap();
    assert!((left + 150.0).abs() < 1e-9, "{left}");
    let secs = status.budget_remaining_secs.unwrap();
    assert!((secs + 1.5 * 0.01 * 86_400.0).abs() < 1e-6, "{secs}");
    // 1h: 6 of 300 -> 2 % -> burn 2.0; 6h the same; 3d: 10/400 / 1 % = 2.5.
    let rates: Vec<f64> = status.burn_rates.iter().map(|b| b.rate.unwrap()).collect();
    assert!((rates[0] - 2.0).abs() < 1e-9, "{rates:?}");
    assert!((rates[1] - 2.0).abs() < 1e-9, "{rates:?}");
    assert!((rates[2] - 2.5).abs() < 1e-9, "{rates:?}");
    assert_eq!(status.burning().unwrap().window, "1h");
}

#[test]
fn threshold_counts_bad_periods() {
    let slo = Slo {
        sli: Sli::Threshold {
            good: "mlag < 300".into(),
        },
        objective: 90.0,
        ..ratio()
    };
    let answer = [series(
        "s3good",
        &[
            ("2026-01-16T23:00:00Z", 1.0),
            ("2026-01-16T23:05:00Z", 0.0),
            ("2026-01-16T23:10:00Z", 1.0),
            ("2026-01-16T23:15:00Z", 1.0),
        ],
    )];
    let now = t("2026-01-16T23:20:00Z");
    let periods = slo.periods(3, &answer, now).unwrap();
    assert_eq!(periods.len(), 4);
    let status = slo.status(&periods, now);
    assert_eq!(
        slo.periods(3, &answer, t("2026-01-16T23:19:00Z"))
            .unwrap()
            .len(),
        3,
        "a period still under way does not count"
    );
    // 1 bad period of 4: 75 % good; budget 10 %, 25 % spent 2.5 times.
    assert_eq!(status.current, Some(75.0));
    let rate = status.burn_rates[0].rate.unwrap();
    assert!((rate - 2.5).abs() < 1e-9, "{rate}");
    assert_eq!(status.periods[1].1, 100.0);
}

#[test]
fn a_service_message_is_the_error() {
    let mut bad = series("s0bad", &[]);
    bad.message = Some("Expressions not implemented".into());
    let answer = [bad, series("s0total", &[])];
    let now = t("2026-01-16T23:20:00Z");
    let err = ratio().periods(0, &answer, now).unwrap_err();
    assert!(err.contains("Expressions not implemented"), "{err}");
    assert!(
        ratio().periods(1, &answer, now).is_err(),
        "no answer for s1"
    );
}

#[test]
fn no_events_is_no_value_not_all_good() {
    let status = ratio().status(&[], t("2026-01-16T23:20:00Z"));
    assert_eq!(status.current, None);
    assert_eq!(status.budget_remaining, None);
    assert!(status.burning().is_none());
}

#[test]
fn queries_send_the_sli_as_expressions() {
    let slo = Slo {
        metrics: vec![SloMetric {
            id: "m5xx".into(),
            metric: MetricRef::new("AWS/ApiGateway", "5XXError", vec![]),
            stat: "Sum".into(),
        }],
        ..ratio()
    };
    let q = slo.queries(2);
    assert_eq!(q.len(), 3);
    assert!(!q[0].return_data);
    assert_eq!(q[1].id, "s2bad");
    assert_eq!(
        q[1].source,
        QuerySource::Expression {
            expression: "m5xx".into(),
            period_secs: Some(300)
        }
    );
    assert_eq!(q[2].id, "s2total");
}

fn parse(text: &str) -> Result<Vec<Slo>, (usize, SloFieldError)> {
    #[derive(Deserialize)]
    struct File {
        slos: Vec<RawSlo>,
    }
    let file: File = toml::from_str(text).unwrap();
    check_all(&file.slos, &|v: &Text, _| Ok(v.get_ref().clone()))
}

const ENTRY: &str = r#"
[[slos]]
name = "api"
objective = 99
window = "30d"
bad = "m5xx"
total = "mcount"
metrics.m5xx = { namespace = "AWS/ApiGateway", metric = "5XXError", statistic = "Sum" }
metrics.mcount = { namespace = "AWS/ApiGateway", metric = "Count", statistic = "Sum" }
"#;

#[test]
fn an_entry_parses() {
    let slos = parse(ENTRY).unwrap();
    assert_eq!(slos[0].window_secs, 30 * 86_400);
    assert_eq!(slos[0].period_secs, DEFAULT_PERIOD_SECS);
    assert_eq!(slos[0].metrics.len(), 2);
    assert_eq!(slos[0].sli_text(), "100 * (m5xx) / (mcount)");
}

#[test]
fn bad_entries_name_the_field() {
    let cases = [
        ("objective = 99", "objective = 100", "objective"),
        ("window = \"30d\"", "window = \"90d\"", "window"),
        ("window = \"30d\"", "window = \"soon\"", "window"),
        ("objective = 99", "objective = 99\nperiod = 90", "period"),
        ("objective = 99", "objective = 99\nperiod = 60", "period"),
        ("total = \"mcount\"", "good = \"m5xx < 1\"", "name"),
        ("metrics.m5xx", "metrics.s1", "metrics.s1"),
        ("metrics.m5xx", "metrics.M5xx", "metrics.M5xx"),
    ];
    for (from, to, field) in cases {
        let text = ENTRY.replace(from, to);
        let (i, e) = parse(&text).unwrap_err();
        assert_eq!((i, e.field.as_str()), (0, field), "{to}: {e}");
    }
    let twice = format!("{ENTRY}{}", ENTRY.replace("m5xx", "n5xx"));
    let (i, e) = parse(&twice).unwrap_err();
    assert_eq!((i, e.field.as_str()), (1, "name"), "{e}");
    let shared = format!("{ENTRY}{}", ENTRY.replace("\"api\"", "\"api2\""));
    let (i, e) = parse(&shared).unwrap_err();
    assert_eq!(i, 1);
    assert!(e.message.contains("used by an earlier target"), "{e}");
}
