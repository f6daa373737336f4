//! Plain text renderings of what monitui knows (an incident timeline, a
//! table, a duration or a byte count), shared by the CLI, which prints
//! them, and the app, which copies them (`y`) or shows them.
//!
//! Why here: the text is a pure function of model and data values, with
//! no terminal and no drawing (no ratatui), so it belongs neither in `ui`
//! (drawing) nor in `cli` (which the app may not import); its inputs
//! include data-layer types such as [`crate::data::incident::Timeline`],
//! so it sits just above `data` and below `app`, `ui` and `cli`, all of
//! which may use it (DESIGN.md section 7; the order is enforced by
//! `tests/layers.rs`).

pub mod format;
pub mod incident;
pub mod table;

use jiff::Timestamp;

use crate::sanitize::sanitize_line;
use table::print_table;

/// Which kind of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Headings underlined, aligned columns.
    Text,
    /// Markdown headings and tables, the chart in a code block.
    Markdown,
}

/// `n noun` with the plural when `n` is not one.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A time to the minute in the display zone.
pub fn clock(t: Timestamp) -> String {
    crate::model::zone::shown(t, "%Y-%m-%d %H:%M")
}

/// A report being written as text or markdown (the incident's and the
/// handoff's).
pub struct Report {
    text: String,
    flavor: Flavor,
}

impl Report {
    /// An empty report.
    pub fn new(flavor: Flavor) -> Self {
        Self {
            text: String::new(),
            flavor,
        }
    }

    /// What was written.
    pub fn finish(self) -> String {
        self.text
    }

    /// Adds one line.
    pub fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// Adds an empty line.
    pub fn blank(&mut self) {
        self.text.push('\n');
    }

    /// Adds a heading of `level` (1: the title, 2: a section).
    pub fn heading(&mut self, level: usize, title: &str) {
        match self.flavor {
            Flavor::Markdown => self.line(&format!("{} {title}", "#".repeat(level + 1))),
            Flavor::Text => {
                self.line(title);
                self.line(&(if level == 1 { "=" } else { "-" }).repeat(title.chars().count()));
            }
        }
    }

    /// Says a part could not be loaded, and why (sanitised).
    pub fn failed(&mut self, why: &str) {
        let why = sanitize_line(why);
        match self.flavor {
            Flavor::Markdown => self.line(&format!("_could not load: {why}_")),
            Flavor::Text => self.line(&format!("could not load: {why}")),
        }
    }

    /// Adds a block kept as it is (a chart): a code block in markdown.
    pub fn code(&mut self, body: &str) {
        if self.flavor == Flavor::Markdown {
            self.line("```text");
        }
        self.line(body);
        if self.flavor == Flavor::Markdown {
            self.line("```");
        }
        self.blank();
    }

    /// Adds a table (a markdown table, or aligned columns), or `(empty)`
    /// when there are no rows.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>], empty: &str) {
        if rows.is_empty() {
            if !empty.is_empty() {
                self.line(&format!("({empty})"));
            }
            self.blank();
            return;
        }
        match self.flavor {
            Flavor::Markdown => {
                let cell = |s: &str| s.replace('|', "\\|");
                self.line(&format!("| {} |", header.join(" | ")));
                self.line(&format!("|{}", " --- |".repeat(header.len())));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                    self.line(&format!("| {} |", cells.join(" | ")));
                }
            }
            Flavor::Text => {
                let mut buf = Vec::new();
                if print_table(&mut buf, header, rows).is_ok() {
                    self.text.push_str(&String::from_utf8_lossy(&buf));
                }
            }
        }
        self.blank();
    }
}
