//! An alarm's state reason cut to what informs: CloudWatch writes
//! `Threshold Crossed: 3 out of the last 3 datapoints [12.0 (07/12/26
//! 10:43:00), 9.0 (...)] were greater than the threshold (10.0) (minimum 2
//! datapoints for OK -> ALARM transition).`, and a narrow REASON column
//! showed only `Threshold Crossed: 1 ou…`. The short form puts the values
//! and the comparison first: `12.0, 9.0 > 10.0 (3 of 3 datapoints)`.

use std::sync::LazyLock;

use regex::Regex;

/// The parts of a threshold reason.
static THRESHOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^Threshold Crossed: (\d+) out of the last (\d+) datapoints? \[(.*?)\] (?:was|were) (not )?(greater than or equal to|greater than|less than or equal to|less than) the threshold \(([^)]*)\)",
    )
    .expect("a valid regex")
});

/// A datapoint's value without its time: `12.0 (07/12/26 10:43:00)`.
static VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([-+0-9.eE]+) \([^)]*\)").expect("a valid regex"));

/// A composite alarm's reason names the alarms of its rule that changed
/// by ARN: `arn:aws:cloudwatch:us-east-1:1:alarm:shop-db transitioned to
/// ALARM at Friday 16 January, 2026 14:40:00 UTC`.
static COMPOSITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"arn:aws[\w-]*:cloudwatch:[^:]*:[^:]*:alarm:([^\s;]+) transitioned to (\w+)")
        .expect("a valid regex")
});

/// `reason` with the informative part first: a threshold reason's values
/// and comparison; a composite alarm's rule alarms that changed, by name
/// (`shop-db, shop-api in ALARM`) rather than ARN; other reasons as they
/// are.
pub fn short_reason(reason: &str) -> String {
    if reason.starts_with("arn:") {
        let mut by_state: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in COMPOSITE.captures_iter(reason) {
            let (name, state) = (c.get(1).map_or("", |m| m.as_str()), &c[2]);
            match by_state.iter_mut().find(|(s, _)| *s == state) {
                Some((_, names)) => names.push(name),
                None => by_state.push((c.get(2).map_or("", |m| m.as_str()), vec![name])),
            }
        }
        if !by_state.is_empty() {
            return by_state
                .iter()
                .map(|(state, names)| format!("{} in {state}", names.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
        }
    }
    let Some(c) = THRESHOLD.captures(reason) else {
        return reason
            .strip_prefix("Threshold Crossed: ")
            .unwrap_or(reason)
            .to_string();
    };
    let values: Vec<&str> = VALUE
        .captures_iter(&c[3])
        .filter_map(|v| v.get(1).map(|m| m.as_str()))
        .collect();
    let op = match (&c[5], c.get(4).is_some()) {
        ("greater than or equal to", false) | ("less than", true) => ">=",
        ("greater than", false) | ("less than or equal to", true) => ">",
        ("less than or equal to", false) | ("greater than", true) => "<=",
        _ => "<",
    };
    format!(
        "{} {op} {} ({} of {} datapoints)",
        values.join(", "),
        &c[6],
        &c[1],
        &c[2]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_composite_reason_names_its_alarms_not_their_arns() {
        assert_eq!(
            short_reason(
                "arn:aws:cloudwatch:us-east-1:1:alarm:shop-db transitioned to ALARM at Friday 16 January, 2026 14:40:00 UTC; arn:aws:cloudwatch:us-east-1:1:alarm:shop-api transitioned to ALARM at 2026-01-16T14:41:00Z"
            ),
            "shop-db, shop-api in ALARM"
        );
        assert_eq!(short_reason("arn: something else"), "arn: something else");
    }

    #[test]
    fn threshold_reasons_lead_with_the_values_and_the_comparison() {
        assert_eq!(
            short_reason(
                "Threshold Crossed: 3 out of the last 3 datapoints [12.0 (07/12/26 10:43:00), 9.0 (07/12/26 10:42:00), 13.0 (07/12/26 10:41:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."
            ),
            "12.0, 9.0, 13.0 > 10.0 (3 of 3 datapoints)"
        );
        assert_eq!(
            short_reason(
                "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (07/12/26 10:35:00)] was not greater than the threshold (5.0) (minimum 1 datapoint for OK -> OK transition)."
            ),
            "5.0 <= 5.0 (1 of 1 datapoints)"
        );
        assert_eq!(
            short_reason(
                "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching]."
            ),
            "no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching]."
        );
        assert_eq!(
            short_reason("No alarm in the rule is in ALARM"),
            "No alarm in the rule is in ALARM"
        );
    }
}
