//! Jumps between views, to where the answer is: from a timeline's log
//! line to the Logs tail of its group at that moment (the lines around it
//! loaded), from a CloudTrail event to the alarms watching what it
//! changed, that resource's log group, or its other events; from a
//! composite alarm to the alarms in its rule; `:logs GROUP`. A component
//! asks with [`Reply::Goto`](super::component::Reply::Goto); the app
//! carries it out here, because it spans tabs.

use jiff::Timestamp;

use super::action::Effect;
use super::alarm_list::strip_prefix;
use super::component::{Component, Reply};
use super::state::App;
use super::tabs::Tab;
use super::tabs::logs::browser::GroupList;
use crate::model::incident::{GroupRule, related_groups};
use crate::model::logs::short_group_name;
use crate::model::names::resolve;
use crate::model::trail::Changed;
use crate::model::{Alarm, AlarmKind};

/// Where a key asks to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goto {
    /// The Logs tail of `group`, with the lines around `at` loaded.
    Logs {
        /// The log group's full name.
        group: String,
        /// The moment to show; `None` tails from now.
        at: Option<Timestamp>,
    },
    /// The log group typed after `:logs` (full, or short as the Logs tab
    /// shows it).
    LogsNamed(String),
    /// The alarms that watch what a call changed.
    Watching(Changed),
    /// These alarms in the Alarms tab (the detail when there is one).
    Alarms {
        /// What they are, for the message: `the rule of platform-degraded`.
        label: String,
        /// Their full names.
        names: Vec<String>,
    },
    /// The CloudTrail tab searching the events about this resource name.
    TrailAbout(String),
}

/// The alarms a composite alarm's rule names (`ALARM("name")`,
/// `OK(arn:...:alarm:name)`), in the order written, without repeats.
pub fn rule_alarms(rule: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for state in ["ALARM(", "OK(", "INSUFFICIENT_DATA("] {
        let mut rest = rule;
        while let Some(at) = rest.find(state) {
            let after = &rest[at + state.len()..];
            let inner = after.split(')').next().unwrap_or_default();
            let name = inner.trim().trim_matches(['"', '\'']).trim();
            let name = name.rsplit(":alarm:").next().unwrap_or(name);
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
            rest = after;
        }
    }
    let order = |n: &String| rule.find(n.as_str()).unwrap_or(usize::MAX);
    names.sort_by_key(order);
    names
}

/// Whether `alarm` watches `changed`: a dimension of its metric names it
/// (`FunctionName = checkout-api`), or its error lines are read from the
/// resource's log group (the incident's related groups).
pub fn watches(alarm: &Alarm, changed: &Changed, app: &App) -> bool {
    if let AlarmKind::Metric(spec) = &alarm.kind
        && let Some(metric) = &spec.metric
        && metric.dimensions.iter().any(|d| d.value == changed.name)
    {
        return true;
    }
    let Some(group) = changed.log_group() else {
        return false;
    };
    related_groups(alarm, &app.env.related_logs, &app.env.prefix)
        .iter()
        .any(|rule| match rule {
            GroupRule::Exact(name) => *name == group,
            GroupRule::Glob(_) => !rule.pick(std::slice::from_ref(&group)).is_empty(),
        })
}

impl App {
    /// Carries out a jump: closes what is drawn over the tabs, switches tab
    /// and hands the tab what to show. The second effect of a jump to the
    /// logs (the lines around the moment) is queued for [`App::update`].
    pub(super) fn goto(&mut self, goto: Goto) -> Option<Effect> {
        match goto {
            Goto::Logs { group, at } => {
                let effects = self.tabs.logs.open_group(group, at);
                let closed = self.go_to(Tab::Logs);
                self.queued.extend(closed);
                self.queued.extend(effects);
                None
            }
            Goto::LogsNamed(given) => match self.group_named(&given) {
                Ok(group) => self.goto(Goto::Logs { group, at: None }),
                Err(message) => {
                    self.flash(message, true);
                    None
                }
            },
            Goto::Watching(changed) => {
                let names: Vec<String> = self
                    .alarms
                    .all()
                    .iter()
                    .filter(|a| watches(a, &changed, self))
                    .map(|a| a.name.clone())
                    .collect();
                if names.is_empty() {
                    self.flash(format!("no alarm watches {}", changed.label()), true);
                    return None;
                }
                self.goto(Goto::Alarms {
                    label: format!("watching {}", changed.label()),
                    names,
                })
            }
            Goto::Alarms { label, names } => {
                let known: Vec<&str> = names
                    .iter()
                    .filter(|n| self.alarms.find(n).is_some())
                    .map(String::as_str)
                    .collect();
                if known.is_empty() {
                    self.flash(format!("no alarm {label} is in this env"), true);
                    return None;
                }
                let prefix = format!("{}-", self.env.prefix);
                let filter = known
                    .iter()
                    .map(|n| strip_prefix(n, &prefix))
                    .collect::<Vec<_>>()
                    .join("|");
                let one = (known.len() == 1).then(|| known[0].to_string());
                let closed = self.go_to(Tab::Alarms);
                self.tabs.alarms.set_filter(&format!("={filter}"));
                self.flash(
                    format!(
                        "{} alarm{} {label} (Esc clears the filter)",
                        known.len(),
                        if known.len() == 1 { "" } else { "s" }
                    ),
                    false,
                );
                self.queued.extend(closed);
                match one {
                    Some(name) => self.open_detail(name),
                    None => None,
                }
            }
            Goto::TrailAbout(name) => {
                let closed = self.go_to(Tab::CloudTrail);
                self.queued.extend(closed);
                match self.tabs.cloudtrail.search_about(&name) {
                    Reply::Effect(effect) => Some(effect),
                    _ => None,
                }
            }
        }
    }

    /// The full name of the log group `given` means (see `monitui logs`):
    /// a name with a `/` as it is, else the one whose short name it is
    /// among the groups the Logs tab listed.
    fn group_named(&self, given: &str) -> Result<String, String> {
        if given.contains('/') {
            return Ok(given.to_string());
        }
        let GroupList::Loaded(groups) = &self.tabs.logs.browser.list else {
            return Err(format!(
                "the log groups are not listed yet: give the full name (/aws/...) or try :logs {given} again in a moment"
            ));
        };
        let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
        resolve("log group", given, &names, |n| {
            short_group_name(n, &self.env.prefix)
        })
        .map(str::to_string)
        .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_names_its_alarms_in_order() {
        assert_eq!(
            rule_alarms(
                "ALARM(\"shop-lambda-errors\") OR (ALARM(shop-api-5xx) AND NOT OK('arn:aws:cloudwatch:us-east-1:1:alarm:shop-db')) OR ALARM(\"shop-lambda-errors\")"
            ),
            ["shop-lambda-errors", "shop-api-5xx", "shop-db"]
        );
        assert!(rule_alarms("TRUE").is_empty());
    }
}
