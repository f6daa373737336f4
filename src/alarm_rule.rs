//! The composite-alarm rule language: `ALARM("a") AND (OK(b) OR NOT
//! INSUFFICIENT_DATA("arn:...:alarm:c"))`, `TRUE`, `FALSE`. Parsed into a
//! tree (NOT binds tighter than AND, AND tighter than OR; keywords in any
//! case; an alarm is named bare or in double quotes with `\"` and `\\`
//! escapes, by name or ARN) and evaluated over the children's states with
//! three-valued logic, so a child whose state is unknown shows as unknown
//! instead of a guess. `alarms show` and the detail view draw the tree.

use crate::model::AlarmState;

/// The service's limit on a rule's length, in characters.
pub const MAX_RULE_CHARS: usize = 10_240;
/// Deepest nesting accepted (parentheses and NOTs), so that a hostile
/// rule cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Why a rule does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alarm rule, at character {offset}: {message}")]
pub struct RuleError {
    /// Character offset of the problem (0-based).
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `TRUE` or `FALSE`.
    Const(bool),
    /// `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)`: true when alarm `x` is
    /// in that state.
    State {
        /// The state asked about.
        state: AlarmState,
        /// The alarm as written (name or ARN).
        alarm: String,
    },
    /// `NOT r`.
    Not(Box<Rule>),
    /// `a AND b AND ...`.
    And(Vec<Rule>),
    /// `a OR b OR ...`.
    Or(Vec<Rule>),
}

/// One line of a drawn rule tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeLine {
    /// Nesting depth (0 for the root).
    pub depth: usize,
    /// The node: `AND`, `NOT`, `ALARM("a")`, `TRUE`.
    pub text: String,
    /// Its value (`None` when a child's state is unknown).
    pub value: Option<bool>,
    /// For a state test: the child alarm's name and its state, if known.
    pub child: Option<(String, Option<AlarmState>)>,
}

impl Rule {
    /// Parses a rule.
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_RULE_CHARS {
            return Err(RuleError {
                offset: MAX_RULE_CHARS,
                message: format!("longer than {MAX_RULE_CHARS} characters"),
            });
        }
        let mut p = Parser {
            chars,
            pos: 0,
            depth: 0,
        };
        let rule = p.or()?;
        p.skip_space();
        if p.pos < p.chars.len() {
            return Err(p.error("expected AND, OR or the end of the rule"));
        }
        Ok(rule)
    }

    /// The names of the alarms the rule tests, in order, once each.
    pub fn children(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |r| {
            if let Rule::State { alarm, .. } = r {
                let name = alarm_name(alarm).to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        });
        out
    }

    fn walk(&self, f: &mut dyn FnMut(&Rule)) {
        f(self);
        match self {
            Rule::Not(r) => r.walk(f),
            Rule::And(rs) | Rule::Or(rs) => rs.iter().for_each(|r| r.walk(f)),
            Rule::Const(_) | Rule::State { .. } => {}
        }
    }

    /// The rule's value with each child's state from `state_of` (`None`:
    /// unknown), in three-valued logic.
    pub fn eval(&self, state_of: &dyn Fn(&str) -> Option<AlarmState>) -> Option<bool> {
        match self {
            Rule::Const(b) => Some(*b),
            Rule::State { state, alarm } => state_of(alarm_name(alarm)).map(|s| s == *state),
            Rule::Not(r) => r.eval(state_of).map(|b| !b),
            Rule::And(rs) => fold(rs, state_of, false),
            Rule::Or(rs) => fold(rs, state_of, true),
        }
    }

    /// The rule as a tree, one line per node, depth first.
    pub fn tree(&self, state_of: &dyn Fn(&str) -> Option<AlarmState>) -> Vec<TreeLine> {
        let mut out = Vec::new();
        self.tree_into(0, state_of, &mut out);
        out
    }

    fn tree_into(
        &self,
        depth: usize,
        state_of: &dyn Fn(&str) -> Option<AlarmState>,
        out: &mut Vec<TreeLine>,
    ) {
        let (text, child) = match self {
            Rule::Const(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), None),
            Rule::State { alarm, .. } => {
                let name = alarm_name(alarm).to_string();
                let child_state = state_of(&name);
                (self.to_string(), Some((name, child_state)))
            }
            Rule::Not(_) => ("NOT".to_string(), None),
            Rule::And(_) => ("AND".to_string(), None),
            Rule::Or(_) => ("OR".to_string(), None),
        };
        out.push(TreeLine {
            depth,
            text,
            value: self.eval(state_of),
            child,
        });
        match self {
            Rule::Not(r) => r.tree_into(depth + 1, state_of, out),
            Rule::And(rs) | Rule::Or(rs) => {
                for r in rs {
                    r.tree_into(depth + 1, state_of, out);
                }
            }
            Rule::Const(_) | Rule::State { .. } => {}
        }
    }
}

impl std::fmt::Display for Rule {
    /// The rule in its own language, every nested AND/OR in parentheses,
    /// names quoted: it parses back to the same rule.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let nested = |r: &Rule| match r {
            Rule::And(_) | Rule::Or(_) => format!("({r})"),
            _ => r.to_string(),
        };
        match self {
            Rule::Const(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Rule::State { state, alarm } => write!(
                f,
                "{state}(\"{}\")",
                alarm.replace('\\', "\\\\").replace('"', "\\\"")
            ),
            Rule::Not(r) => write!(f, "NOT {}", nested(r)),
            Rule::And(rs) | Rule::Or(rs) => {
                let op = if matches!(self, Rule::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts: Vec<String> = rs.iter().map(nested).collect();
                f.write_str(&parts.join(op))
            }
        }
    }
}

/// AND (`short = false`) or OR (`short = true`) in three-valued logic: the
/// short-circuit value wins, else unknown if any is unknown.
fn fold(rs: &[Rule], state_of: &dyn Fn(&str) -> Option<AlarmState>, short: bool) -> Option<bool> {
    let mut unknown = false;
    for r in rs {
        match r.eval(state_of) {
            Some(b) if b == short => return Some(short),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(!short)
}

/// The alarm name an argument means: the part after `:alarm:` of an ARN,
/// else the argument itself.
pub fn alarm_name(arg: &str) -> &str {
    match arg
        .strip_prefix("arn:")
        .and_then(|_| arg.split_once(":alarm:"))
    {
        Some((_, name)) => name,
        None => arg,
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn error(&self, message: &str) -> RuleError {
        RuleError {
            offset: self.pos,
            message: message.to_string(),
        }
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    /// The word at the cursor (letters, digits, `_`), not consumed.
    fn peek_word(&self) -> String {
        self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect()
    }

    /// Consumes keyword `kw` (any case) if it is the next word.
    fn keyword(&mut self, kw: &str) -> bool {
        self.skip_space();
        let word = self.peek_word();
        if word.eq_ignore_ascii_case(kw) {
            self.pos += word.chars().count();
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Rule, RuleError> {
        let mut terms = vec![self.and()?];
        while self.keyword("OR") {
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Rule::Or(terms)
        })
    }

    fn and(&mut self) -> Result<Rule, RuleError> {
        let mut terms = vec![self.not()?];
        while self.keyword("AND") {
            terms.push(self.not()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Rule::And(terms)
        })
    }

    fn not(&mut self) -> Result<Rule, RuleError> {
        if self.keyword("NOT") {
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Rule::Not(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Rule, RuleError> {
        self.skip_space();
        match self.chars.get(self.pos) {
            None => return Err(self.error("expected a state function, TRUE, FALSE, NOT or (")),
            Some('(') => {
                self.pos += 1;
                self.enter()?;
                let inner = self.or()?;
                self.depth -= 1;
                self.expect(')')?;
                return Ok(inner);
            }
            Some(_) => {}
        }
        let start = self.pos;
        let word = self.peek_word();
        let state = match word.to_ascii_uppercase().as_str() {
            "TRUE" | "FALSE" => {
                self.pos += word.chars().count();
                return Ok(Rule::Const(word.eq_ignore_ascii_case("TRUE")));
            }
            "ALARM" => AlarmState::Alarm,
            "OK" => AlarmState::Ok,
            "INSUFFICIENT_DATA" => AlarmState::InsufficientData,
            "" => return Err(self.error("expected a state function, TRUE, FALSE, NOT or (")),
            _ => {
                return Err(RuleError {
                    offset: start,
                    message: format!(
                        "unknown function '{word}' (ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE)"
                    ),
                });
            }
        };
        self.pos += word.chars().count();
        self.expect('(')?;
        let alarm = self.argument()?;
        self.expect(')')?;
        Ok(Rule::State { state, alarm })
    }

    fn expect(&mut self, c: char) -> Result<(), RuleError> {
        self.skip_space();
        if self.chars.get(self.pos) == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{c}'")))
        }
    }

    /// An alarm name or ARN, quoted or bare.
    fn argument(&mut self) -> Result<String, RuleError> {
        self.skip_space();
        let mut out = String::new();
        if self.chars.get(self.pos) == Some(&'"') {
            let open = self.pos;
            self.pos += 1;
            loop {
                match self.chars.get(self.pos) {
                    None => {
                        return Err(RuleError {
                            offset: open,
                            message: "unclosed '\"'".to_string(),
                        });
                    }
                    Some('"') => {
                        self.pos += 1;
                        break;
                    }
                    Some('\\') if matches!(self.chars.get(self.pos + 1), Some('"' | '\\')) => {
                        out.push(self.chars[self.pos + 1]);
                        self.pos += 2;
                    }
                    Some(c) => {
                        out.push(*c);
                        self.pos += 1;
                    }
                }
            }
        } else {
            while let Some(c) = self.chars.get(self.pos)
                && !c.is_whitespace()
                && !matches!(c, '(' | ')' | '"')
            {
                out.push(*c);
                self.pos += 1;
            }
        }
        if out.is_empty() {
            return Err(self.error("expected an alarm name or ARN"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AlarmState::{Alarm, InsufficientData, Ok};

    fn state(alarm: &str, s: AlarmState) -> Rule {
        Rule::State {
            state: s,
            alarm: alarm.to_string(),
        }
    }

    #[test]
    fn parses_the_documented_forms() {
        let rule = Rule::parse(
            r#"ALARM("cpu high") AND (OK(disk) OR NOT INSUFFICIENT_DATA("arn:aws:cloudwatch:us-east-1:1:alarm:net"))"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            Rule::And(vec![
                state("cpu high", Alarm),
                Rule::Or(vec![
                    state("disk", Ok),
                    Rule::Not(Box::new(state(
                        "arn:aws:cloudwatch:us-east-1:1:alarm:net",
                        InsufficientData
                    ))),
                ]),
            ])
        );
        assert_eq!(rule.children(), ["cpu high", "disk", "net"]);
        assert_eq!(Rule::parse("TRUE").unwrap(), Rule::Const(true));
        assert_eq!(
            Rule::parse("false or alarm(a)").unwrap(),
            Rule::Or(vec![Rule::Const(false), state("a", Alarm)])
        );
    }

    #[test]
    fn not_binds_tighter_than_and_and_and_than_or() {
        assert_eq!(
            Rule::parse("ALARM(a) OR NOT ALARM(b) AND ALARM(c)").unwrap(),
            Rule::Or(vec![
                state("a", Alarm),
                Rule::And(vec![
                    Rule::Not(Box::new(state("b", Alarm))),
                    state("c", Alarm)
                ]),
            ])
        );
    }

    #[test]
    fn printing_parses_back_to_the_same_rule() {
        for text in [
            r#"ALARM("a \"b\"") AND (OK(c) OR NOT INSUFFICIENT_DATA(d))"#,
            "(ALARM(a) AND ALARM(b)) AND ALARM(c)",
            "NOT NOT (TRUE OR FALSE)",
        ] {
            let rule = Rule::parse(text).unwrap();
            assert_eq!(Rule::parse(&rule.to_string()).unwrap(), rule, "{rule}");
        }
        assert_eq!(
            Rule::parse("alarm(a) and not ok(b)").unwrap().to_string(),
            r#"ALARM("a") AND NOT OK("b")"#
        );
    }

    #[test]
    fn quoted_names_take_escapes() {
        assert_eq!(
            Rule::parse(r#"ALARM("say \"hi\" \\ now")"#).unwrap(),
            state(r#"say "hi" \ now"#, Alarm)
        );
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            ("", 0, "expected a state function"),
            ("ALARM(a) AND", 12, "expected a state function"),
            ("ALARM(a", 7, "expected ')'"),
            ("ALARM()", 6, "expected an alarm name"),
            ("PAGED(a)", 0, "unknown function 'PAGED'"),
            ("ALARM(a) ALARM(b)", 9, "expected AND, OR"),
            (r#"ALARM("a)"#, 6, "unclosed"),
            ("(ALARM(a)", 9, "expected ')'"),
        ];
        for (text, offset, message) in cases {
            let err = Rule::parse(text).unwrap_err();
            assert_eq!(err.offset, offset, "{text}: {err}");
            assert!(err.message.contains(message), "{text}: {err}");
        }
        let deep = format!("{}ALARM(a){}", "(".repeat(100), ")".repeat(100));
        assert!(Rule::parse(&deep).unwrap_err().message.contains("deeply"));
        assert!(Rule::parse(&"NOT ".repeat(100)).is_err());
        let long = format!("ALARM({})", "a".repeat(MAX_RULE_CHARS));
        assert!(Rule::parse(&long).is_err());
    }

    #[test]
    fn evaluates_in_three_valued_logic() {
        let rule = Rule::parse("ALARM(a) AND (OK(b) OR NOT ALARM(c))").unwrap();
        let states = |a, b, c| {
            move |n: &str| match n {
                "a" => a,
                "b" => b,
                "c" => c,
                _ => None,
            }
        };
        assert_eq!(rule.eval(&states(Some(Alarm), Some(Ok), None)), Some(true));
        assert_eq!(rule.eval(&states(Some(Ok), None, None)), Some(false));
        assert_eq!(
            rule.eval(&states(Some(Alarm), Some(Alarm), Some(Alarm))),
            Some(false)
        );
        assert_eq!(rule.eval(&states(Some(Alarm), Some(Alarm), None)), None);
    }

    #[test]
    fn the_tree_shows_each_child_and_its_state() {
        let rule =
            Rule::parse(r#"ALARM("p-a") OR NOT OK("arn:aws:cloudwatch:r:1:alarm:p-b")"#).unwrap();
        let lookup = |n: &str| (n == "p-a").then_some(Ok).or((n == "p-b").then_some(Alarm));
        let tree = rule.tree(&lookup);
        let shown: Vec<(usize, &str, Option<bool>)> = tree
            .iter()
            .map(|l| (l.depth, l.text.as_str(), l.value))
            .collect();
        assert_eq!(
            shown,
            [
                (0, "OR", Some(true)),
                (1, "ALARM(\"p-a\")", Some(false)),
                (1, "NOT", Some(true)),
                (2, "OK(\"arn:aws:cloudwatch:r:1:alarm:p-b\")", Some(false)),
            ]
        );
        assert_eq!(tree[3].child, Some(("p-b".to_string(), Some(Alarm))));
    }
}
