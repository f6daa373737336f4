//! Plain aligned text tables for `--output table`.

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A column heading naming the zone its times are in, e.g.
/// `SINCE (Europe/Berlin)`.
pub fn zoned(heading: &str) -> String {
    format!("{heading} ({})", crate::model::zone::zone_name())
}

/// `text` cut to `max` columns, ending in `…` when cut: for a cell whose
/// text may run to kilobytes (a composite alarm's rule) in a column that
/// every row is padded to.
pub fn clip(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in text.chars() {
        width += c.width().unwrap_or(0);
        if width >= max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Prints rows under a header, columns padded to the widest cell; the last
/// column is not padded.
pub fn print_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    TableStream::start(out, header, rows).map(drop)
}

/// A table printed as its rows come: the header and the first rows set
/// the column widths, and later rows are padded to them (a wider cell
/// pushes the rest of its row along).
pub struct TableStream {
    widths: Vec<usize>,
}

impl TableStream {
    /// Prints the header and `first` rows, aligned on the widest cell of
    /// each column among them.
    pub fn start(out: &mut dyn Write, header: &[&str], first: &[Vec<String>]) -> io::Result<Self> {
        let table = Self::sized(out, header, first)?;
        for row in first {
            table.row(out, row)?;
        }
        Ok(table)
    }

    /// Prints the header only, the columns as wide as the widest cell of
    /// each among it and `sizing` (rows to come, some cells maybe not
    /// known yet).
    pub fn sized(out: &mut dyn Write, header: &[&str], sizing: &[Vec<String>]) -> io::Result<Self> {
        let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
        for row in sizing {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let table = Self { widths };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        table.row(out, &header)?;
        Ok(table)
    }

    /// Prints one more row.
    pub fn row(&self, out: &mut dyn Write, row: &[String]) -> io::Result<()> {
        let last = row.len().saturating_sub(1);
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i < last {
                let width = self.widths.get(i).copied().unwrap_or(0);
                line.push_str(&" ".repeat(width.saturating_sub(cell.width()) + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_a_long_cell_to_its_width_and_says_so() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("exactly-10", 10), "exactly-10");
        assert_eq!(clip("ALARM(a) OR ALARM(b)", 10), "ALARM(a) …");
        assert_eq!(clip("ALARM(a) OR ALARM(b)", 10).width(), 10);
        assert_eq!(clip("日本語のアラーム", 7), "日本語…");
    }

    #[test]
    fn pads_columns_to_widest_cell() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["ALARM".to_string(), "a".to_string(), "x".to_string()],
            vec!["OK".to_string(), "longer-name".to_string(), "y".to_string()],
        ];
        print_table(&mut out, &["STATE", "NAME", "R"], &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "STATE  NAME         R\nALARM  a            x\nOK     longer-name  y\n"
        );
    }
}
