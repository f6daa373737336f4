//! Every documented filter-pattern example in
//! `tests/fixtures/third-party/filter-patterns.md` (AWS documentation, collected by
//! others) checked against `monitui::filter`: the tables of pattern, event
//! and documented outcome are read from the markdown itself, so a row
//! cannot be skipped by accident.

mod support;

use std::collections::HashMap;

use monitui::filter::FilterPattern;

/// The fixture text.
fn fixture() -> String {
    let path = support::third_party("filter-patterns.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits a markdown table row into trimmed cells; `\|` is a literal bar.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                out.last_mut().unwrap().push('|');
            }
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The code spans (text between backticks) of a cell, in order.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The named example events: table rows `| E1 | `message` |` and the
/// fenced block after each "Example event X1".
fn events(md: &str) -> HashMap<String, String> {
    let mut events = HashMap::new();
    let lines: Vec<&str> = md.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let row = cells(line);
        if line.starts_with('|')
            && row.len() == 2
            && row[0].len() == 2
            && row[0].starts_with('E')
            && let Some(message) = code_spans(&row[1]).first()
        {
            events.insert(row[0].clone(), (*message).to_owned());
        }
        if let Some(rest) = line.split("Example event ").nth(1) {
            let id: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !id.ends_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let fence = lines[i..]
                .iter()
                .position(|l| l.starts_with("```"))
                .expect("a fenced event");
            let body = lines[i + fence + 1];
            events.insert(id, body.to_owned());
        }
    }
    events
}

/// Concrete events for the rows whose event column describes events
/// instead of naming them; written for this test.
fn described_events(description: &str, named: &HashMap<String, String>) -> Vec<String> {
    let own = |lines: &[&str]| lines.iter().map(|s| (*s).to_owned()).collect();
    match description {
        "any event" => {
            let mut all: Vec<String> = named.values().cloned().collect();
            all.extend(own(&["", "x", "no spaces"]));
            all
        }
        d if d.starts_with("events whose first word is `ERROR`") => {
            own(&["ERROR timeout", "ERROR 500"])
        }
        "first word `ERROR` or `WARNING`" => own(&["ERROR disk", "WARNING disk"]),
        "first word neither `ERROR` nor `WARNING`" => {
            own(&["INFO disk", "DEBUG started", "error lower"])
        }
        other => panic!("no events written for the fixture's description {other:?}"),
    }
}

/// The documented outcome, or `None` when the docs state none.
fn outcome(cell: &str) -> Option<bool> {
    if cell.starts_with("yes") {
        Some(true)
    } else if cell.starts_with("**no**") {
        Some(false)
    } else if cell.starts_with("presented as equivalent") || cell.starts_with("presented as valid")
    {
        // Both rows restate the first S1 example, which the docs say matches
        // (the second one: "S1 has 404").
        Some(true)
    } else if cell.starts_with("not stated") {
        None
    } else {
        panic!("unknown outcome cell {cell:?}")
    }
}

/// Rows of every table whose header starts with `| pattern |`.
fn pattern_rows(md: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in md.lines() {
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let row = cells(line);
        if row.first().map(String::as_str) == Some("pattern") {
            in_table = true;
        } else if in_table && !row[0].starts_with("---") {
            rows.push(row);
        }
    }
    rows
}

#[test]
fn every_documented_example_agrees() {
    let md = fixture();
    let named = events(&md);
    for id in ["E1", "E2", "E3", "E4", "E5", "J1", "J2", "S1"] {
        assert!(named.contains_key(id), "fixture event {id} not found");
    }
    let (mut checked, mut parsed_only) = (0, 0);
    for row in pattern_rows(&md) {
        let pattern_text = *code_spans(&row[0])
            .first()
            .unwrap_or_else(|| panic!("no pattern in {row:?}"));
        let pattern = FilterPattern::parse(pattern_text)
            .unwrap_or_else(|e| panic!("documented pattern {pattern_text:?} refused: {e}"));
        let (event_cell, outcome_cell) = match row.len() {
            2 => (None, &row[1]),
            _ => (Some(&row[1]), &row[2]),
        };
        let Some(expected) = outcome(outcome_cell) else {
            parsed_only += 1;
            continue;
        };
        let event_cell = event_cell.expect("a row with an outcome names its events");
        let events: Vec<String> = if event_cell.split(", ").all(|id| named.contains_key(id)) {
            event_cell.split(", ").map(|id| named[id].clone()).collect()
        } else {
            described_events(event_cell, &named)
        };
        for event in &events {
            assert_eq!(
                pattern.matches(event),
                expected,
                "pattern {pattern_text:?} on {event:?}: the docs say {outcome_cell:?}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "only {checked} documented pattern/event pairs found"
    );
    assert!(
        parsed_only >= 8,
        "only {parsed_only} syntax-only examples found"
    );
}

/// The docs list the values the first S1 example extracts; a pattern that
/// requires exactly those values field by field must match S1.
#[test]
fn documented_extracted_values_are_the_fields_of_s1() {
    let md = fixture();
    let named = events(&md);
    let row = pattern_rows(&md)
        .into_iter()
        .find(|row| row.len() > 2 && row[2].contains("extracted values"))
        .expect("the row listing extracted values");
    let fields: Vec<String> = code_spans(&row[2])
        .into_iter()
        .filter_map(|span| span.strip_prefix('$'))
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("$name=value");
            format!("{name} = \"{value}\"")
        })
        .collect();
    assert_eq!(fields.len(), 7, "{fields:?}");
    let exact = FilterPattern::parse(&format!("[{}]", fields.join(", "))).unwrap();
    assert!(exact.matches(&named["S1"]), "{exact}");
    let shifted = FilterPattern::parse(&format!("[x, {}]", fields[..6].join(", "))).unwrap();
    assert!(!shifted.matches(&named["S1"]), "{shifted}");
}

/// The regex section lists the allowed symbols and operators and one
/// rejected example; each is checked against the parser.
#[test]
fn documented_regex_restrictions() {
    let md = fixture();
    let section = md
        .split("## 4.")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the regex section");
    let line_with = |needle: &str| {
        section
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("a line with {needle:?}"))
    };
    let symbols_line = line_with("Allowed characters");
    let symbols = code_spans(symbols_line)[0];
    for symbol in symbols.split_whitespace() {
        let pattern = format!("%a{symbol}b%");
        let p = FilterPattern::parse(&pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert!(p.matches(&format!("xa{symbol}by")), "{pattern}");
    }
    for rejected in code_spans(symbols_line)
        .iter()
        .filter(|s| s.starts_with('%'))
    {
        assert!(
            FilterPattern::parse(rejected).is_err(),
            "{rejected} is rejected by the docs"
        );
    }
    let operators_line = line_with("Supported operators");
    assert!(
        operators_line.contains("**not** supported"),
        "{operators_line}"
    );
    let spans = code_spans(operators_line);
    for op in spans[0].split_whitespace() {
        if let Err(e) = FilterPattern::parse(&format!("%a{op}%")) {
            assert_eq!(
                e.expected, "a valid regular expression",
                "operator {op} refused as a character"
            );
        }
    }
    for unsupported in &spans[1..] {
        let e = FilterPattern::parse(&format!("%a{unsupported}%")).unwrap_err();
        assert_eq!(e.column, 3, "{unsupported}");
    }
    assert!(line_with("Multi-byte characters are not supported").contains("not"));
    assert!(FilterPattern::parse("%é%").is_err());
    line_with("at most 2 regex");
    assert!(FilterPattern::parse("{ $.a = %1% && $.b = %2% && $.c = %3% }").is_err());
    assert!(FilterPattern::parse("[a = %1%, b = %2%, c = %3%]").is_err());
    assert!(FilterPattern::parse("{ $.a = %1% && $.b = %2% }").is_ok());
}
