//! The CloudWatch Logs filter-pattern language, parsed and matched
//! locally: for the demo account, for highlighting, and for
//! `monitui logs test-pattern`, so a metric-filter pattern can be tried on
//! real lines before it is deployed.
//!
//! The first non-blank character picks the kind of pattern:
//! - `{`: a JSON pattern (`{ $.level = "error" && $.ms > 500 }`), see `json`;
//! - `[`: a space-delimited pattern (`[ip, ..., status = 5*]`), see `delimited`;
//! - `%`: a regular expression (`%ERR[A-Z]+%`), see `regex_value`;
//! - anything else: terms (`ERROR -timeout ?WARN "exact phrase"`), see `terms`.
//!
//! An empty or blank pattern matches every event. Matching is case
//! sensitive, like the service's.

mod cursor;
mod delimited;
mod error;
mod expr;
mod glob;
mod json;
mod json_extract;
mod regex_value;
mod terms;
mod value;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

pub use error::PatternError;

use cursor::Cursor;
use delimited::DelimitedPattern;
use json::JsonPattern;
use terms::TermPattern;

/// A parsed filter pattern, ready to test many events.
#[derive(Debug, Clone)]
pub struct FilterPattern {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Terms(TermPattern),
    Json(JsonPattern),
    Delimited(DelimitedPattern),
    Regex(regex::Regex),
}

impl FilterPattern {
    /// Parses a pattern; the error says at which column and what was
    /// expected there.
    pub fn parse(pattern: &str) -> Result<Self, PatternError> {
        let kind = match pattern.trim_start().chars().next() {
            Some('{') => Kind::Json(JsonPattern::parse(pattern)?),
            Some('[') => Kind::Delimited(DelimitedPattern::parse(pattern)?),
            Some('%') => Kind::Regex(parse_standalone_regex(pattern)?),
            _ => Kind::Terms(TermPattern::parse(pattern)?),
        };
        Ok(Self {
            text: pattern.to_owned(),
            kind,
        })
    }

    /// Whether the service would select this event message.
    pub fn matches(&self, message: &str) -> bool {
        match &self.kind {
            Kind::Terms(p) => p.matches(message),
            Kind::Json(p) => p.matches(message),
            Kind::Delimited(p) => p.matches(message),
            Kind::Regex(re) => re.is_match(message),
        }
    }

    /// Byte ranges of `message` to highlight, sorted and not overlapping:
    /// every occurrence of the pattern's plain and `?` terms, or every
    /// match of a `%regex%` pattern. JSON and space-delimited patterns
    /// select whole events and give none. Meant for a message that
    /// [`matches`](Self::matches).
    pub fn match_spans(&self, message: &str) -> Vec<Range<usize>> {
        match &self.kind {
            Kind::Terms(p) => p.spans(message),
            Kind::Regex(re) => re
                .find_iter(message)
                .map(|m| m.range())
                .filter(|r| !r.is_empty())
                .collect(),
            Kind::Json(_) | Kind::Delimited(_) => Vec::new(),
        }
    }

    /// The pattern as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for FilterPattern {
    type Err = PatternError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for FilterPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `%regex%` as the whole pattern.
fn parse_standalone_regex(pattern: &str) -> Result<regex::Regex, PatternError> {
    let mut cur = Cursor::new(pattern);
    cur.skip_ws();
    let regex = regex_value::read(&mut cur, &mut regex_value::RegexBudget::default())?;
    cur.skip_ws();
    if !cur.at_end() {
        return Err(cur.error("the end of the pattern after the closing `%`"));
    }
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, message: &str) -> bool {
        FilterPattern::parse(pattern)
            .expect(pattern)
            .matches(message)
    }

    #[test]
    fn the_first_character_picks_the_kind() {
        assert!(m("{ $.a = 1 }", r#"{"a": 1}"#));
        assert!(
            !m("{ $.a = 1 }", "{ $.a = 1 }"),
            "a JSON pattern is not a phrase"
        );
        assert!(m("  [a, b]", "x y"));
        assert!(m("%^x.y$%", "x-y"));
        assert!(m("x.y", "ax.yb"));
        assert!(!m("x.y", "x-y"), "terms are literal");
    }

    #[test]
    fn blank_patterns_match_everything() {
        for p in ["", "  ", "\t", "\" \""] {
            assert!(m(p, ""), "{p:?}");
            assert!(m(p, "anything"), "{p:?}");
        }
    }

    #[test]
    fn standalone_regexes() {
        assert!(m("%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST"));
        assert!(m("%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST"));
        assert!(!m("%AUTHORIZED%", "authorized"));
        assert!(m("%colou?r%", "the color red"));
        assert!(m("%gray|grey%", "grey"));
        assert!(m(r"%10\.10\.0\.1%", "from 10.10.0.1:80"));
        assert!(!m(r"%10\.10\.0\.1%", "from 10a10b0c1"));
        assert!(m("%^ERROR%", "ERROR x"));
        assert!(!m("%^ERROR%", "x ERROR"));
        assert!(m("%[0-9]{3}%", "code 404"));
        assert!(m(r"%\d+ms%", "took 15ms"));
        assert!(m("%.%", "é"));
        let e = FilterPattern::parse("%a% b").unwrap_err();
        assert_eq!(
            (e.column, e.expected.as_str()),
            (5, "the end of the pattern after the closing `%`")
        );
        let e = FilterPattern::parse("%something!%").unwrap_err();
        assert_eq!(e.column, 11);
    }

    #[test]
    fn spans_for_highlighting() {
        let p = FilterPattern::parse("%[0-9]+%").unwrap();
        assert_eq!(p.match_spans("a 12 b 345"), vec![2..4, 7..10]);
        let p = FilterPattern::parse("%x*%").unwrap();
        assert_eq!(
            p.match_spans("axxb"),
            vec![1..3],
            "empty matches are no highlight"
        );
        let p = FilterPattern::parse("ERROR").unwrap();
        assert_eq!(p.match_spans("ERROR: x ERROR"), vec![0..5, 9..14]);
        let p = FilterPattern::parse("{ $.a = 1 }").unwrap();
        assert!(p.match_spans(r#"{"a": 1}"#).is_empty());
        let p = FilterPattern::parse("[a]").unwrap();
        assert!(p.match_spans("x").is_empty());
    }

    #[test]
    fn spans_fall_on_character_boundaries() {
        let p = FilterPattern::parse("?é ?ü %").unwrap();
        let msg = "ééü % ü";
        for span in p.match_spans(msg) {
            assert!(msg.is_char_boundary(span.start) && msg.is_char_boundary(span.end));
            assert!(!msg[span].is_empty());
        }
    }

    #[test]
    fn round_trips_its_text() {
        let p: FilterPattern = " ERROR -x ".parse().unwrap();
        assert_eq!(p.as_str(), " ERROR -x ");
        assert_eq!(p.to_string(), " ERROR -x ");
    }

    #[test]
    fn patterns_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<FilterPattern>();
    }
}
