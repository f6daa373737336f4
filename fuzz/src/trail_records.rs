//! The `trail_records` check: CloudTrail records from untrusted bytes.

use std::ops::ControlFlow;

use monitui::model::trail::log_file::read_records;
use monitui::model::trail::{LookupPlan, Preset, TrailCriteria, TrailRecord};

/// As a delivered log file (`{"Records": [...]}`, streamed) and as one
/// LookupEvents `CloudTrailEvent` string: nothing may panic, every record
/// read must be handed over, and everything the search and the table
/// derive from a record must be computable.
pub fn check(data: &[u8]) {
    let mut handed = 0usize;
    let read = read_records(data, |record| {
        exercise(&record);
        handed += 1;
        ControlFlow::Continue(())
    });
    if let Ok(read) = read {
        assert_eq!(read, handed);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(record) = TrailRecord::parse(text)
    {
        exercise(&record);
    }
}

/// Derives what the search and the table use; a preset match must also
/// survive the lookup plan's local check.
fn exercise(record: &TrailRecord) {
    let _ = record.user();
    let _ = record.identity.explain();
    let _ = record.is_read_only();
    let _ = record.pretty_json();
    let _ = record.resource_names().count();
    for preset in Preset::ALL {
        let criteria = TrailCriteria {
            preset: Some(preset),
            ..TrailCriteria::default()
        };
        let plan = LookupPlan::new(&criteria);
        assert!(!criteria.matches(record) || plan.keeps(record));
    }
}
