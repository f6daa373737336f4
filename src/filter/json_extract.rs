//! Pulls the few values a JSON pattern asks about out of an event in one
//! pass, without building a document: the selectors are merged into a
//! tree of paths, and the event is read with serde_json, descending only
//! where a path goes and skipping (while still validating) everything
//! else.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step of a selector: `.name` or `[index]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(Box<str>),
    Index(usize),
}

/// What a selector found in one event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found<'a> {
    Missing,
    Null,
    Bool(bool),
    Number(JsonNumber),
    Str(Cow<'a, str>),
    Array,
    Object,
}

/// A JSON number as serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum JsonNumber {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl JsonNumber {
    /// The value for numeric comparison.
    pub(crate) fn value(self) -> f64 {
        match self {
            JsonNumber::Unsigned(n) => n as f64,
            JsonNumber::Signed(n) => n as f64,
            JsonNumber::Float(n) => n,
        }
    }

    /// The number written out, for wildcard and regex comparison.
    pub(crate) fn text(self) -> String {
        match self {
            JsonNumber::Unsigned(n) => n.to_string(),
            JsonNumber::Signed(n) => n.to_string(),
            JsonNumber::Float(n) => n.to_string(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Node {
    keys: Vec<(Box<str>, usize)>,
    indices: Vec<(usize, usize)>,
    slot: Option<usize>,
}

/// Every selector of a pattern merged into one tree; each selector ends in
/// a numbered slot that [`PathTree::extract`] fills.
#[derive(Debug, Clone)]
pub(crate) struct PathTree {
    nodes: Vec<Node>,
    slots: usize,
}

impl Default for PathTree {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            slots: 0,
        }
    }
}

impl PathTree {
    /// Adds a selector (steps below the root object) and returns its slot;
    /// the same path twice gets the same slot.
    pub(crate) fn insert(&mut self, steps: &[Step]) -> usize {
        let mut at = 0;
        for step in steps {
            let node = &self.nodes[at];
            let existing = match step {
                Step::Key(k) => node.keys.iter().find(|(key, _)| key == k).map(|e| e.1),
                Step::Index(i) => node.indices.iter().find(|(idx, _)| idx == i).map(|e| e.1),
            };
            at = match existing {
                Some(child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(Node::default());
                    match step {
                        Step::Key(k) => self.nodes[at].keys.push((k.clone(), child)),
                        Step::Index(i) => self.nodes[at].indices.push((*i, child)),
                    }
                    child
                }
            };
        }
        *self.nodes[at].slot.get_or_insert_with(|| {
            self.slots += 1;
            self.slots - 1
        })
    }

    /// Reads `event` (which must be one JSON object and nothing else) and
    /// returns what each slot's selector found, or `None` when the event is
    /// not a JSON object.
    pub(crate) fn extract<'a>(&self, event: &'a str) -> Option<Vec<Found<'a>>> {
        if !event.trim_start().starts_with('{') {
            return None;
        }
        let mut found = vec![Found::Missing; self.slots];
        let mut de = serde_json::Deserializer::from_str(event);
        NodeSeed {
            tree: self,
            node: 0,
            found: &mut found,
        }
        .deserialize(&mut de)
        .ok()?;
        de.end().ok()?;
        Some(found)
    }
}

/// Reads one value at one node of the tree.
struct NodeSeed<'t, 's, 'a> {
    tree: &'t PathTree,
    node: usize,
    found: &'s mut [Found<'a>],
}

impl NodeSeed<'_, '_, '_> {
    fn node(&self) -> &Node {
        &self.tree.nodes[self.node]
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> NodeSeed<'_, '_, 'de> {
    fn set(self, value: Found<'de>) {
        if let Some(slot) = self.node().slot {
            self.found[slot] = value;
        }
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.set(Found::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.set(Found::Number(JsonNumber::Signed(v)));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.set(Found::Number(JsonNumber::Unsigned(v)));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.set(Found::Number(JsonNumber::Float(v)));
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.set(Found::Str(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.set(Found::Str(Cow::Owned(v.to_owned())));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.set(Found::Null);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let NodeSeed { tree, node, found } = self;
        let here = &tree.nodes[node];
        if let Some(slot) = here.slot {
            found[slot] = Found::Object;
        }
        if here.keys.is_empty() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match here.keys.iter().find(|(k, _)| **k == *key) {
                Some(&(_, child)) => map.next_value_seed(NodeSeed {
                    tree,
                    node: child,
                    found: &mut *found,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let NodeSeed { tree, node, found } = self;
        let here = &tree.nodes[node];
        if let Some(slot) = here.slot {
            found[slot] = Found::Array;
        }
        let mut index = 0;
        loop {
            let more = match here.indices.iter().find(|(i, _)| *i == index) {
                Some(&(_, child)) => seq
                    .next_element_seed(NodeSeed {
                        tree,
                        node: child,
                        found: &mut *found,
                    })?
                    .is_some(),
                None => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

/// Reads an object key, borrowed from the event when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Step {
        Step::Key(k.into())
    }

    #[test]
    fn one_pass_fills_every_slot() {
        let mut tree = PathTree::default();
        let a = tree.insert(&[key("user"), key("id")]);
        let b = tree.insert(&[key("users"), Step::Index(1), key("email")]);
        let c = tree.insert(&[key("coordinates"), Step::Index(2), Step::Index(0)]);
        let d = tree.insert(&[key("missing")]);
        let e = tree.insert(&[key("user")]);
        let f = tree.insert(&[key("flag")]);
        let g = tree.insert(&[key("nothing")]);
        let h = tree.insert(&[key("neg")]);
        let i = tree.insert(&[key("float")]);
        let j = tree.insert(&[key("users")]);
        assert_eq!(
            tree.insert(&[key("user"), key("id")]),
            a,
            "same path, same slot"
        );
        let found = tree
            .extract(
                r#"{"user": {"id": 1, "email": "x"}, "users": [{"id": 2}, {"email": "J\u00f6"}],
                   "coordinates": [[0, 1], [4], [7, 8]], "flag": true, "nothing": null,
                   "neg": -3, "float": 2.5}"#,
            )
            .expect("valid JSON");
        assert_eq!(found[a], Found::Number(JsonNumber::Unsigned(1)));
        assert_eq!(found[b], Found::Str(Cow::Owned("Jö".into())));
        assert_eq!(found[c], Found::Number(JsonNumber::Unsigned(7)));
        assert_eq!(found[d], Found::Missing);
        assert_eq!(found[e], Found::Object);
        assert_eq!(found[f], Found::Bool(true));
        assert_eq!(found[g], Found::Null);
        assert_eq!(found[h], Found::Number(JsonNumber::Signed(-3)));
        assert_eq!(found[i], Found::Number(JsonNumber::Float(2.5)));
        assert_eq!(found[j], Found::Array);
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let mut tree = PathTree::default();
        let s = tree.insert(&[key("msg")]);
        let found = tree.extract(r#"{"msg":"plain"}"#).unwrap();
        assert!(matches!(found[s], Found::Str(Cow::Borrowed("plain"))));
    }

    #[test]
    fn invalid_or_non_object_events_give_nothing() {
        let mut tree = PathTree::default();
        tree.insert(&[key("a")]);
        for event in [
            "",
            "plain text",
            "[1, 2]",
            "\"str\"",
            "{\"a\": 1",
            "{\"a\": 1} trailing",
            "{\"a\": 1,}",
            "{'a': 1}",
            "{\"a\": 01}",
        ] {
            assert_eq!(tree.extract(event), None, "{event}");
        }
        assert!(tree.extract("  {\"a\": 1}  ").is_some());
    }

    #[test]
    fn paths_through_the_wrong_kind_are_missing() {
        let mut tree = PathTree::default();
        tree.insert(&[key("a"), key("b")]);
        tree.insert(&[key("s"), Step::Index(0)]);
        tree.insert(&[key("o"), Step::Index(0)]);
        let found = tree
            .extract(r#"{"a": [1], "s": "str", "o": {"0": 1}}"#)
            .unwrap();
        assert_eq!(found, vec![Found::Missing; 3]);
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        let mut tree = PathTree::default();
        let a = tree.insert(&[key("a")]);
        let skipped = format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(tree.extract(&skipped).unwrap()[a], Found::Array);
        let mut deep = PathTree::default();
        deep.insert(&vec![key("a"); 1000]);
        let followed = format!("{}1{}", "{\"a\":".repeat(1000), "}".repeat(1000));
        assert_eq!(
            deep.extract(&followed),
            None,
            "past serde_json's depth limit"
        );
    }

    #[test]
    fn numbers_write_out_for_wildcards() {
        assert_eq!(JsonNumber::Unsigned(404).text(), "404");
        assert_eq!(JsonNumber::Signed(-2).text(), "-2");
        assert_eq!(JsonNumber::Float(1e-3).text(), "0.001");
        assert_eq!(JsonNumber::Float(2.0).value(), 2.0);
    }
}
