//! A small multi-line text editor for typing queries: lines of text and a
//! cursor (line, character), moved with the arrows.

/// Text being edited and where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEditor {
    lines: Vec<String>,
    row: usize,
    /// Character index within the line.
    col: usize,
}

impl Default for QueryEditor {
    fn default() -> Self {
        Self::new("")
    }
}

impl QueryEditor {
    /// An editor holding `text`, the cursor at its end.
    pub fn new(text: &str) -> Self {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        Self { lines, row, col }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The lines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The cursor as (line, character).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    fn byte_at(&self, col: usize) -> usize {
        let line = &self.lines[self.row];
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// Types `c` at the cursor (`\n` splits the line).
    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.col);
        if c == '\n' {
            let rest = self.lines[self.row].split_off(at);
            self.lines.insert(self.row + 1, rest);
            self.row += 1;
            self.col = 0;
        } else if !c.is_control() {
            self.lines[self.row].insert(at, c);
            self.col += 1;
        }
    }

    /// Deletes the character before the cursor (joining lines at a line start).
    pub fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let at = self.byte_at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.lines[self.row].chars().count();
            self.lines[self.row].push_str(&line);
        }
    }

    /// Moves the cursor one character left or right, across line ends.
    pub fn step(&mut self, forward: bool) {
        let len = self.lines[self.row].chars().count();
        match (forward, self.col) {
            (false, 0) if self.row > 0 => {
                self.row -= 1;
                self.col = self.lines[self.row].chars().count();
            }
            (false, _) => self.col = self.col.saturating_sub(1),
            (true, c) if c >= len && self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.col = 0;
            }
            (true, c) => self.col = (c + 1).min(len),
        }
    }

    /// Moves the cursor to the start or the end of its line.
    pub fn line_end(&mut self, end: bool) {
        self.col = if end {
            self.lines[self.row].chars().count()
        } else {
            0
        };
    }

    /// Moves the cursor one line up or down, keeping its column where it can.
    pub fn line(&mut self, down: bool) {
        let target = if down {
            (self.row + 1).min(self.lines.len() - 1)
        } else {
            self.row.saturating_sub(1)
        };
        self.row = target;
        self.col = self.col.min(self.lines[target].chars().count());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_newlines_and_backspace_edit_lines() {
        let mut e = QueryEditor::new("fields @message");
        e.insert('\n');
        for c in "| limit 5".chars() {
            e.insert(c);
        }
        assert_eq!(e.text(), "fields @message\n| limit 5");
        assert_eq!(e.cursor(), (1, 9));
        for _ in 0..10 {
            e.backspace();
        }
        assert_eq!(e.text(), "fields @message");
        e.insert('\u{1b}');
        assert_eq!(
            e.text(),
            "fields @message",
            "control characters are not typed"
        );
    }

    #[test]
    fn the_cursor_moves_across_lines_and_keeps_its_column() {
        let mut e = QueryEditor::new("ab\nlonger line\nx");
        e.line(false);
        assert_eq!(e.cursor(), (1, 1));
        e.step(true);
        e.step(true);
        e.line(false);
        assert_eq!(e.cursor(), (0, 2));
        e.step(true);
        assert_eq!(e.cursor(), (1, 0));
        e.step(false);
        assert_eq!(e.cursor(), (0, 2));
        e.insert('é');
        e.insert('!');
        assert_eq!(e.lines()[0], "abé!");
        e.step(false);
        e.backspace();
        assert_eq!(e.lines()[0], "ab!");
        e.line_end(false);
        assert_eq!(e.cursor(), (0, 0));
        e.line_end(true);
        assert_eq!(e.cursor(), (0, 3));
    }
}
