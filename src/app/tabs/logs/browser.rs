//! The log-group browser: the account's groups, filtered by name, with up
//! to [`MAX_GROUPS`] picked to tail together.

use std::sync::Arc;

use crate::app::component::Selection;
use crate::data::log_tail::MAX_GROUPS;
use crate::model::LogGroup;
use crate::sanitize::sanitize_line;

/// Where the group list stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum GroupList {
    /// Not asked for yet.
    #[default]
    NotAsked,
    /// Asked for; no answer yet.
    Loading,
    /// The groups, by name.
    Loaded(Arc<Vec<LogGroup>>),
    /// Why they could not be read (sanitised).
    Failed(String),
}

/// The groups of `list`, when loaded.
fn groups_of(list: &GroupList) -> &[LogGroup] {
    match list {
        GroupList::Loaded(groups) => groups,
        _ => &[],
    }
}

/// The name of the group on each row of `visible` (indices into `groups`).
fn name_at<'a>(groups: &'a [LogGroup], visible: &'a [usize]) -> impl Fn(usize) -> &'a str {
    move |row| groups[visible[row]].name.as_str()
}

/// The browser's state.
#[derive(Debug, Default)]
pub struct Browser {
    /// The group list.
    pub list: GroupList,
    /// Sanitised names, in list order.
    names: Vec<String>,
    filter: String,
    /// Indexes into the list that pass the filter.
    visible: Vec<usize>,
    /// The row under the cursor and its group's name.
    cursor: Selection<String>,
    /// Names picked, in the order picked.
    picked: Vec<String>,
}

impl Browser {
    /// Takes a new group list, keeping the cursor on the same group.
    pub fn set_groups(&mut self, groups: Result<Arc<Vec<LogGroup>>, String>) {
        match groups {
            Ok(groups) => {
                self.names = groups.iter().map(|g| sanitize_line(&g.name)).collect();
                self.list = GroupList::Loaded(groups);
            }
            Err(e) => {
                if matches!(self.list, GroupList::Loaded(_)) {
                    return;
                }
                self.list = GroupList::Failed(sanitize_line(&e));
            }
        }
        self.refilter();
    }

    /// The groups, when loaded.
    pub fn groups(&self) -> &[LogGroup] {
        groups_of(&self.list)
    }

    /// The filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Filters the list by a case-insensitive part of the name.
    pub fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.refilter();
    }

    /// Works out the rows passing the filter, keeping the cursor on its
    /// group if it passes, else on the first row.
    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = (0..self.groups().len())
            .filter(|&i| needle.is_empty() || self.names[i].to_lowercase().contains(&needle))
            .collect();
        let len = self.visible.len();
        self.cursor
            .follow_or_first(len, name_at(groups_of(&self.list), &self.visible));
    }

    /// Groups that pass the filter, in order.
    pub fn visible_groups(&self) -> impl Iterator<Item = &LogGroup> {
        let groups = self.groups();
        self.visible.iter().map(move |&i| &groups[i])
    }

    /// How many pass the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The sanitised name of a visible row.
    pub fn name(&self, row: usize) -> &str {
        self.visible.get(row).map_or("", |&i| &self.names[i])
    }

    /// The row under the cursor.
    pub fn cursor(&self) -> usize {
        self.cursor.row()
    }

    /// The group under the cursor.
    pub fn current(&self) -> Option<&LogGroup> {
        self.visible
            .get(self.cursor.row())
            .map(|&i| &self.groups()[i])
    }

    /// Moves the cursor.
    pub fn move_by(&mut self, delta: isize) {
        let len = self.visible.len();
        self.cursor
            .move_by(delta, len, name_at(groups_of(&self.list), &self.visible));
    }

    /// Whether a group is picked.
    pub fn is_picked(&self, name: &str) -> bool {
        self.picked.iter().any(|p| p == name)
    }

    /// Picked groups, in the order picked.
    pub fn picked(&self) -> &[String] {
        &self.picked
    }

    /// Picks or unpicks the group under the cursor; an error message when
    /// the limit is reached.
    pub fn toggle(&mut self) -> Result<(), String> {
        let Some(name) = self.current().map(|g| g.name.clone()) else {
            return Ok(());
        };
        if let Some(at) = self.picked.iter().position(|p| *p == name) {
            self.picked.remove(at);
        } else if self.picked.len() == MAX_GROUPS {
            return Err(format!(
                "at most {MAX_GROUPS} groups can be tailed together"
            ));
        } else {
            self.picked.push(name);
        }
        self.move_by(1);
        Ok(())
    }

    /// The groups Enter tails: the picked ones, else the one under the cursor.
    pub fn to_tail(&self) -> Vec<String> {
        if self.picked.is_empty() {
            self.current()
                .map(|g| vec![g.name.clone()])
                .unwrap_or_default()
        } else {
            self.picked.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(n: usize) -> Arc<Vec<LogGroup>> {
        Arc::new(
            (0..n)
                .map(|i| LogGroup {
                    name: format!("/aws/lambda/fn-{i:02}"),
                    retention_days: Some(30),
                    stored_bytes: Some(1),
                    kms_key_id: None,
                    created_at: None,
                    last_event_at: None,
                })
                .collect(),
        )
    }

    #[test]
    fn filter_pick_and_limit() {
        let mut b = Browser::default();
        b.set_groups(Ok(groups(12)));
        assert_eq!(b.visible_len(), 12);
        assert_eq!(b.to_tail(), ["/aws/lambda/fn-00"]);
        for _ in 0..10 {
            b.toggle().unwrap();
        }
        assert!(b.toggle().unwrap_err().contains("at most 10"));
        assert_eq!(b.picked().len(), 10);
        b.move_by(-100);
        b.toggle().unwrap();
        assert!(!b.is_picked("/aws/lambda/fn-00"));
        b.set_filter("FN-1");
        assert_eq!(b.visible_len(), 2);
        assert_eq!(b.name(0), "/aws/lambda/fn-10");
    }

    #[test]
    fn a_failed_refresh_keeps_the_list() {
        let mut b = Browser::default();
        b.set_groups(Ok(groups(2)));
        b.set_groups(Err("boom".into()));
        assert_eq!(b.visible_len(), 2);
        let mut fresh = Browser::default();
        fresh.set_groups(Err("boom \u{1b}[2J".into()));
        assert_eq!(fresh.list, GroupList::Failed("boom ".into()));
    }
}
