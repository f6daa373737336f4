//! Delivered CloudTrail log files (`{"Records": [...]}`), read as a stream:
//! one record at a time is parsed and handed over, so memory does not grow
//! with the file. Other top-level keys are skipped unread.

use std::fmt;
use std::io::Read;
use std::ops::ControlFlow;

use serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use super::record::{RecordError, TrailRecord};

/// Why a log file could not be read to the end.
#[derive(Debug, thiserror::Error)]
pub enum LogFileError {
    /// Not JSON, or not the `{"Records": [...]}` shape (with line and column).
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A record in the array is not an object.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The top-level object has no `Records` key.
    #[error("no \"Records\" array in the file")]
    NoRecords,
}

/// Reads every record of a log file from `reader` and hands each to
/// `visit` in file order, until the file ends or `visit` breaks. Returns
/// how many records were read. A record that is not an object stops the
/// read with an error naming its index.
pub fn read_records<R, F>(reader: R, mut visit: F) -> Result<usize, LogFileError>
where
    R: Read,
    F: FnMut(TrailRecord) -> ControlFlow<()>,
{
    let mut scan = Scan {
        visit: &mut visit,
        read: 0,
        saw_records: false,
        stopped: false,
        bad_record: None,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = de.deserialize_map(&mut scan).and_then(|()| de.end());
    if let Some(err) = scan.bad_record {
        return Err(err.into());
    }
    if scan.stopped {
        return Ok(scan.read);
    }
    outcome?;
    if !scan.saw_records {
        return Err(LogFileError::NoRecords);
    }
    Ok(scan.read)
}

/// The state of one read: serde visitors cannot return early without an
/// error, so stopping and a bad record are noted here and the error that
/// unwinds the parser is then ignored.
struct Scan<'f, F> {
    visit: &'f mut F,
    read: usize,
    saw_records: bool,
    stopped: bool,
    bad_record: Option<RecordError>,
}

impl<'de, F> Visitor<'de> for &mut Scan<'_, F>
where
    F: FnMut(TrailRecord) -> ControlFlow<()>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudTrail log file: an object with a \"Records\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "Records" && !self.saw_records {
                self.saw_records = true;
                map.next_value_seed(&mut *self)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de, F> DeserializeSeed<'de> for &mut Scan<'_, F>
where
    F: FnMut(TrailRecord) -> ControlFlow<()>,
{
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(RecordsArray(self))
    }
}

/// The `Records` array, visited element by element.
struct RecordsArray<'s, 'f, F>(&'s mut Scan<'f, F>);

impl<'de, F> Visitor<'de> for RecordsArray<'_, '_, F>
where
    F: FnMut(TrailRecord) -> ControlFlow<()>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"Records\" to be an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let scan = self.0;
        while let Some(value) = seq.next_element::<Value>()? {
            let index = scan.read;
            scan.read += 1;
            match TrailRecord::from_value(value, Some(index)) {
                Ok(record) => {
                    if (scan.visit)(record).is_break() {
                        scan.stopped = true;
                        return Err(de::Error::custom("stopped"));
                    }
                }
                Err(err) => {
                    scan.bad_record = Some(err);
                    return Err(de::Error::custom("bad record"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(json: &str) -> Result<Vec<String>, LogFileError> {
        let mut names = Vec::new();
        read_records(json.as_bytes(), |r| {
            names.push(r.event_name);
            ControlFlow::Continue(())
        })?;
        Ok(names)
    }

    #[test]
    fn reads_records_in_order_and_skips_other_keys() {
        let json = r#"{"Digest": {"a": [1, 2]}, "Records": [{"eventName": "A"}, {"eventName": "B"}], "x": null}"#;
        assert_eq!(names(json).unwrap(), vec!["A", "B"]);
        assert_eq!(names(r#"{"Records": []}"#).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn stops_when_asked_without_reading_the_rest() {
        let json = r#"{"Records": [{"eventName": "A"}, {"eventName": "B"}, this is never read"#;
        let mut seen = 0;
        let read = read_records(json.as_bytes(), |_| {
            seen += 1;
            ControlFlow::Break(())
        })
        .unwrap();
        assert_eq!((seen, read), (1, 1));
    }

    #[test]
    fn bad_shapes_say_what_and_where() {
        let err = names(r#"{"Records": [{"eventName": "A"}, "oops"]}"#).unwrap_err();
        assert_eq!(err.to_string(), "record #1 is a string, not an object");
        let err = names(r#"{"Records": {"eventName": "A"}}"#).unwrap_err();
        assert!(err.to_string().contains("array of records"), "{err}");
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = names(r#"[{"eventName": "A"}]"#).unwrap_err();
        assert!(err.to_string().contains("\"Records\" array"), "{err}");
        assert!(matches!(
            names(r#"{"other": 1}"#),
            Err(LogFileError::NoRecords)
        ));
        let err = names("{\"Records\": [{\"eventName\": \"A\"}\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(names(r#"{"Records": []} trailing"#).is_err());
    }
}
