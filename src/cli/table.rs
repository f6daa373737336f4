//! Plain aligned text tables for `--output table`.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// Prints rows under a header, columns padded to the widest cell; the last
/// column is not padded.
pub fn print_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i < last {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
