//! JSON patterns: `{ $.eventType = "UpdateTrail" && $.latency > 500 }`.
//!
//! Selectors start at the event's root object (`$.a.b`, `$.arr[0]`,
//! `$.m[0][1]`). A condition compares (`=`, `!=`, `<`, `<=`, `>`, `>=`) or
//! tests (`IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`). A condition on a
//! field that is absent, or that holds an array or an object, is false;
//! `IS NULL` is true only for an explicit `null`, `NOT EXISTS` only for an
//! absent field. An event that is not one valid JSON object matches no
//! JSON pattern.

use super::PatternError;
use super::cursor::Cursor;
use super::expr::{self, Expr};
use super::json_extract::{Found, PathTree, Step};
use super::regex_value::RegexBudget;
use super::value::{Comparison, Op};

/// What one condition checks of the value its selector found.
#[derive(Debug, Clone)]
enum Test {
    Compare(Comparison),
    IsNull,
    IsTrue,
    IsFalse,
    NotExists,
}

impl Test {
    fn holds(&self, found: &Found<'_>) -> bool {
        match (self, found) {
            (Test::IsNull, Found::Null)
            | (Test::IsTrue, Found::Bool(true))
            | (Test::IsFalse, Found::Bool(false))
            | (Test::NotExists, Found::Missing) => true,
            (Test::Compare(c), Found::Str(s)) => c.test_text(s),
            (Test::Compare(c), Found::Number(n)) => c.test_number(n.value(), || n.text()),
            (Test::Compare(c), Found::Bool(b)) => c.test_text(if *b { "true" } else { "false" }),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
struct Condition {
    slot: usize,
    test: Test,
}

/// A parsed JSON pattern.
#[derive(Debug, Clone)]
pub(crate) struct JsonPattern {
    paths: PathTree,
    expr: Expr<Condition>,
}

impl JsonPattern {
    /// Parses a pattern whose first non-blank character is `{`.
    pub(crate) fn parse(src: &str) -> Result<Self, PatternError> {
        let mut cur = Cursor::new(src);
        cur.skip_ws();
        let opened = cur.eat("{");
        debug_assert!(opened, "JSON patterns start with `{{`");
        let mut paths = PathTree::default();
        let mut regexes = RegexBudget::default();
        let expr = expr::parse(&mut cur, &mut |cur: &mut Cursor<'_>| {
            read_condition(cur, &mut paths, &mut regexes)
        })?;
        cur.skip_ws();
        if !cur.eat("}") {
            return Err(cur.error("`&&`, `||` or `}`"));
        }
        cur.skip_ws();
        if !cur.at_end() {
            return Err(cur.error("the end of the pattern after `}`"));
        }
        Ok(Self { paths, expr })
    }

    /// Whether `event` is a JSON object the conditions hold for.
    pub(crate) fn matches(&self, event: &str) -> bool {
        let Some(found) = self.paths.extract(event) else {
            return false;
        };
        self.expr
            .eval(&mut |c: &Condition| c.test.holds(&found[c.slot]))
    }
}

/// Reads `SELECTOR OPERATOR VALUE` or `SELECTOR IS …` / `SELECTOR NOT EXISTS`.
fn read_condition(
    cur: &mut Cursor<'_>,
    paths: &mut PathTree,
    regexes: &mut RegexBudget,
) -> Result<Condition, PatternError> {
    cur.skip_ws();
    let steps = read_selector(cur)?;
    let slot = paths.insert(&steps);
    cur.skip_ws();
    let test = if let Some(op) = Op::read(cur) {
        Test::Compare(Comparison::read_value(cur, op, regexes)?)
    } else if cur.eat_keyword("IS") {
        cur.skip_ws();
        if cur.eat_keyword("NULL") {
            Test::IsNull
        } else if cur.eat_keyword("TRUE") {
            Test::IsTrue
        } else if cur.eat_keyword("FALSE") {
            Test::IsFalse
        } else {
            return Err(cur.error("NULL, TRUE or FALSE after IS (CloudWatch has no IS NOT)"));
        }
    } else if cur.eat_keyword("NOT") {
        cur.skip_ws();
        if !cur.eat_keyword("EXISTS") {
            return Err(cur.error("EXISTS after NOT"));
        }
        Test::NotExists
    } else {
        return Err(cur.error(
            "an operator: =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS (CloudWatch has no EXISTS)",
        ));
    };
    Ok(Condition { slot, test })
}

/// Reads `$.a.b[0]` and returns its steps.
fn read_selector(cur: &mut Cursor<'_>) -> Result<Vec<Step>, PatternError> {
    if !cur.eat("$") {
        return Err(cur.error("a selector such as `$.eventType`"));
    }
    let mut steps = Vec::new();
    loop {
        if cur.eat(".") {
            let name = cur.take_while(is_key_char);
            if name.is_empty() {
                return Err(cur.error("a field name after `.`"));
            }
            steps.push(Step::Key(name.into()));
        } else if cur.eat("[") {
            let at = cur.pos();
            let digits = cur.take_while(|c| c.is_ascii_digit());
            if digits.is_empty() {
                return Err(cur.error("an array index (digits) after `[`"));
            }
            let index = digits
                .parse()
                .map_err(|_| cur.error_at(at, "a smaller array index"))?;
            if !cur.eat("]") {
                return Err(cur.error("`]` after the array index"));
            }
            steps.push(Step::Index(index));
        } else if steps.is_empty() {
            return Err(cur.error("`.field` or `[index]` after `$`"));
        } else {
            return Ok(steps);
        }
    }
}

/// Characters of a field name in a selector.
fn is_key_char(c: char) -> bool {
    !c.is_whitespace() && !".[](){}=!<>&|\"%,".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const J1: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null}"#;
    const J2: &str = r#"{"user": {"id": 1, "email": "John.Stiles@example.com"}, "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}], "actions": ["GET", "PUT", "DELETE"], "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]}"#;

    fn m(pattern: &str, event: &str) -> bool {
        JsonPattern::parse(pattern).expect(pattern).matches(event)
    }

    fn err(pattern: &str) -> PatternError {
        JsonPattern::parse(pattern).expect_err(pattern)
    }

    #[test]
    fn strings_wildcards_and_inequality() {
        assert!(m(r#"{ $.eventType = "UpdateTrail" }"#, J1));
        assert!(
            !m(r#"{ $.eventType = "updatetrail" }"#, J1),
            "case sensitive"
        );
        assert!(m(r#"{ $.eventType = "Update*" }"#, J1));
        assert!(m("{ $.eventType = *Trail }", J1));
        assert!(m("{$.eventType=UpdateTrail}", J1));
        assert!(m("{ $.sourceIPAddress != 123.123.* }", J1));
        assert!(!m("{ $.sourceIPAddress != 111.* }", J1));
        assert!(m(r#"{ $.eventType != "Delete*" }"#, J1));
    }

    #[test]
    fn arrays_and_nested_objects() {
        assert!(m(r#"{ $.arrayKey[0] = "value" }"#, J1));
        assert!(m(r#"{ $.arrayKey[1] = "another value" }"#, J1));
        assert!(!m(r#"{ $.arrayKey[2] = "value" }"#, J1));
        assert!(m("{ $.objectList[1].id = 2 }", J1));
        assert!(m("{ $.objectList[0].name = a }", J1));
        assert!(m("{ $.coordinates[2][1] = 8 }", J2));
        assert!(m("{ $.coordinates[1][0] >= 4 }", J2));
    }

    #[test]
    fn selectors_on_arrays_or_objects_never_match() {
        assert!(!m(r#"{ $.arrayKey = "value" }"#, J1));
        assert!(!m(r#"{ $.arrayKey != "value" }"#, J1));
        assert!(!m(r#"{ $.user != "x" }"#, J2));
        assert!(!m("{ $.user = * }", J2));
        assert!(m("{ $.user.id = * }", J2));
    }

    #[test]
    fn null_missing_and_booleans_are_told_apart() {
        assert!(m("{ $.SomeObject IS NULL }", J1));
        assert!(!m("{ $.SomeObject NOT EXISTS }", J1), "null is not absent");
        assert!(m("{ $.SomeOtherObject NOT EXISTS }", J1));
        assert!(
            !m("{ $.SomeOtherObject IS NULL }", J1),
            "absent is not null"
        );
        assert!(!m("{ $.eventType NOT EXISTS }", J1));
        assert!(!m("{ $.eventType IS NULL }", J1));
        assert!(!m(r#"{ $.SomeObject = "null" }"#, J1));
        assert!(!m("{ $.SomeObject != x }", J1));
        assert!(
            !m("{ $.SomeOtherObject != x }", J1),
            "a missing field is not unequal"
        );
        let flags = r#"{"ok": true, "bad": false, "s": "true"}"#;
        assert!(m("{ $.ok IS TRUE }", flags));
        assert!(m("{ $.bad IS FALSE }", flags));
        assert!(!m("{ $.bad IS TRUE }", flags));
        assert!(
            !m("{ $.s IS TRUE }", flags),
            "the string \"true\" is not a boolean"
        );
        assert!(m("{ $.ok = true }", flags));
        assert!(
            m("{ $.ok is true && $.bad is false }", flags),
            "keywords ignore case"
        );
        assert!(m("{ $.a.b.c NOT EXISTS }", flags));
        assert!(m("{ $.ok.b NOT EXISTS }", flags), "nothing below a boolean");
    }

    #[test]
    fn numeric_comparisons() {
        let e = r#"{"bandwidth": 80, "latency": 49.5, "small": 0.001, "big": 1000, "neg": -5, "code": "400", "huge": 18446744073709551615}"#;
        assert!(m("{ $.bandwidth > 75 }", e));
        assert!(!m("{ $.bandwidth < 75 }", e));
        assert!(m("{ $.latency < 50 }", e));
        assert!(m("{ $.bandwidth >= 80 && $.bandwidth <= 80 }", e));
        assert!(m("{ $.small = 1e-3 }", e));
        assert!(m("{ $.big = 1e+3 }", e));
        assert!(!m("{ $.big != 1e+3 }", e));
        assert!(m("{ $.big != 1e+4 }", e));
        assert!(m("{ $.neg < -4.5 }", e));
        assert!(m("{ $.neg = -5.0 }", e));
        assert!(
            m("{ $.code = 400 }", e),
            "a numeric string compares as a number"
        );
        assert!(m("{ $.code > 399 }", e));
        assert!(m("{ $.code = 4* }", e));
        assert!(m("{ $.bandwidth = 8* }", e));
        assert!(m("{ $.huge > 1e19 }", e));
        assert!(!m("{ $.missing < 1 }", e));
        assert!(!m("{ $.missing != 1 }", e));
    }

    #[test]
    fn documented_compound_conditions() {
        assert!(m(
            r#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#,
            J2
        ));
        assert!(m(
            r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }"#,
            J2
        ));
        assert!(!m(
            r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }"#,
            J2
        ));
        assert!(!m(
            r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#,
            J2
        ));
        assert!(m(
            r#"{ $.actions[2] = "DELETE" && $.actions[0] = GET }"#,
            J2
        ));
    }

    #[test]
    fn the_same_selector_twice_and_regex_values() {
        assert!(m(
            r#"{ $.eventType = "Update*" && $.eventType != "*Bucket" }"#,
            J1
        ));
        assert!(m("{ $.eventType = %^Update[A-Z]% }", J1));
        assert!(!m("{ $.eventType != %Trail$% }", J1));
        let e = err("{ $.a = %a% || $.b = %b% || $.c = %c% }");
        assert_eq!(e.found, "a third one");
    }

    #[test]
    fn only_valid_json_objects_match() {
        for event in [
            "eventType UpdateTrail",
            r#"prefix {"eventType": "UpdateTrail"}"#,
            r#"{"eventType": "UpdateTrail""#,
            r#"["UpdateTrail"]"#,
            "",
        ] {
            assert!(!m("{ $.eventType = * }", event), "{event}");
            assert!(!m("{ $.nope NOT EXISTS }", event), "{event}");
        }
        assert!(m("{ $.nope NOT EXISTS }", " {} "));
    }

    #[test]
    fn escaped_and_unicode_values() {
        let e =
            r#"{"msg": "say \"hi\"", "name": "Jörg", "path": "C:\\temp", "emoji": "\ud83d\ude00"}"#;
        assert!(m(r#"{ $.msg = "say \"hi\"" }"#, e));
        assert!(m(r#"{ $.name = "Jö*" }"#, e));
        assert!(m("{ $.name = Jörg }", e));
        assert!(m(r#"{ $.path = "C:\\temp" }"#, e));
        assert!(m(r#"{ $.emoji = "😀" }"#, e));
        let keyed = r#"{"request-id": "r1", "@timestamp": 5, "a:b": {"c_d": 1}}"#;
        assert!(m(
            "{ $.request-id = r1 && $.@timestamp = 5 && $.a:b.c_d = 1 }",
            keyed
        ));
    }

    #[test]
    fn errors_name_position_and_expectation() {
        let cases = [
            ("{ }", 3, "a selector such as `$.eventType`"),
            ("{ eventType = x }", 3, "a selector such as `$.eventType`"),
            ("{ $ = x }", 4, "`.field` or `[index]` after `$`"),
            ("{ $. = x }", 5, "a field name after `.`"),
            ("{ $.a[x] = 1 }", 7, "an array index (digits) after `[`"),
            ("{ $.a[1 = 1 }", 8, "`]` after the array index"),
            (
                "{ $.a[99999999999999999999999] = 1 }",
                7,
                "a smaller array index",
            ),
            ("{ $.a == 1 }", 8, "a value after `=`"),
            ("{ $.a = 1 $.b = 2 }", 11, "`&&`, `||` or `}`"),
            ("{ $.a = 1 ", 11, "`&&`, `||` or `}`"),
            ("{ $.a = 1 } x", 13, "the end of the pattern after `}`"),
            (
                "{ $.a IS NOT NULL }",
                10,
                "NULL, TRUE or FALSE after IS (CloudWatch has no IS NOT)",
            ),
            ("{ $.a NOT NULL }", 11, "EXISTS after NOT"),
            ("{ ($.a = 1 }", 12, "`&&`, `||` or `)`"),
            ("{ $.a = 1 && }", 14, "a selector such as `$.eventType`"),
        ];
        crate::filter::error::assert_refused(&cases, err);
        let e = err("{ $.a EXISTS }");
        assert_eq!(e.column, 7);
        assert!(e.expected.contains("no EXISTS"), "{e}");
        assert!(
            err("{ $.a > \"5\" }")
                .expected
                .starts_with("a number after `>`")
        );
    }
}
