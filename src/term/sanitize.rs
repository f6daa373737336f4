//! Makes text from AWS safe to print: no escape sequences, no control
//! characters, no bidi tricks, no endless lines. (Text arrives as `&str`:
//! the SDK has already refused or replaced invalid UTF-8.)

/// Longest line (in chars) shown before it is cut with an ellipsis.
pub const MAX_LINE_CHARS: usize = 4096;

/// Sanitises one line for a single terminal row: escape sequences are
/// removed whole, tabs become a space, other control characters (C0, DEL,
/// C1, carriage returns) become a visible `·`, and bidirectional overrides
/// are dropped. Lines longer than
/// [`MAX_LINE_CHARS`] are cut with `…`.
pub fn sanitize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len().min(MAX_LINE_CHARS * 4));
    let mut chars = line.chars().peekable();
    let mut count = 0usize;
    while let Some(c) = chars.next() {
        if count >= MAX_LINE_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\u{1b}' => {
                skip_escape(&mut chars);
                continue;
            }
            '\u{9b}' => {
                skip_csi_body(&mut chars);
                continue;
            }
            '\u{90}' | '\u{9d}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_string_body(&mut chars);
                continue;
            }
            '\t' => out.push(' '),
            c if is_bidi_control(c) => continue,
            c if c.is_control() => out.push('·'),
            c => out.push(c),
        }
        count += 1;
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: CSI (`[`), string commands (OSC `]`, DCS `P`, SOS `X`, PM `^`,
/// APC `_`), or a two-character escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi_body(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string_body(chars),
        Some(' '..='/') => {
            // nF escape: intermediates then one final byte.
            while let Some(&c) = chars.peek() {
                chars.next();
                if !(' '..='/').contains(&c) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes up to a final byte in `@`..=`~`.
fn skip_csi_body(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// String commands end at BEL, ST (`ESC \`) or the C1 ST.
fn skip_string_body(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_colour_and_cursor_moves() {
        assert_eq!(
            sanitize_line("\x1b[31mred\x1b[0m \x1b[2J\x1b[Hok"),
            "red ok"
        );
    }

    #[test]
    fn strips_osc_title_and_hyperlink() {
        assert_eq!(sanitize_line("a\x1b]0;pwned\x07b"), "ab");
        assert_eq!(
            sanitize_line("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "link"
        );
        assert_eq!(sanitize_line("x\x1b]52;c;AAAA\x07y"), "xy");
    }

    #[test]
    fn replaces_controls_and_keeps_text() {
        assert_eq!(sanitize_line("a\rb\x08c\x7fd\te"), "a·b·c·d e");
        assert_eq!(sanitize_line("é ✓ 日本"), "é ✓ 日本");
    }

    #[test]
    fn drops_bidi_overrides_and_c1() {
        assert_eq!(sanitize_line("ab\u{202e}cd"), "abcd");
        assert_eq!(sanitize_line("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn huge_lines_are_cut() {
        let long = "x".repeat(MAX_LINE_CHARS * 3);
        let out = sanitize_line(&long);
        assert_eq!(out.chars().count(), MAX_LINE_CHARS + 1);
        assert!(out.ends_with('…'));
    }

    #[test]
    fn random_input_never_yields_controls_or_long_lines() {
        const ALPHABET: &[&[u8]] = &[
            b"\x1b",
            b"[",
            b"]",
            b"P",
            b"\\",
            b"\x07",
            b"\x9b",
            b"\x9c",
            b"\r",
            b"\n",
            b"\t",
            b"\x00",
            b"\x7f",
            b"\xff",
            b"\xc3",
            b"\xa9",
            b"31m",
            b";",
            b"a",
            b"Z",
            b"0",
            "\u{202e}".as_bytes(),
            "\u{2066}".as_bytes(),
            "日".as_bytes(),
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5_000 {
            let len = (next() % 200) as usize;
            let mut bytes = Vec::new();
            for _ in 0..len {
                bytes.extend_from_slice(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            if next() % 50 == 0 {
                bytes.extend(std::iter::repeat_n(b'x', MAX_LINE_CHARS * 2));
            }
            let out = sanitize_line(&String::from_utf8_lossy(&bytes));
            assert!(out.chars().count() <= MAX_LINE_CHARS + 1, "line too long");
            for c in out.chars() {
                assert!(
                    !c.is_control() && !is_bidi_control(c),
                    "{c:?} survived in {out:?} from {bytes:?}"
                );
            }
        }
    }

    #[test]
    fn unterminated_sequences_do_not_eat_past_the_end() {
        assert_eq!(sanitize_line("abc\x1b["), "abc");
        assert_eq!(sanitize_line("abc\x1b]title"), "abc");
        assert_eq!(sanitize_line("abc\x1b"), "abc");
    }
}
