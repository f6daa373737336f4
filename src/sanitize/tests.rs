use super::*;

#[test]
fn strips_csi_colour_and_cursor_moves() {
    assert_eq!(
        sanitize_line("\x1b[31mred\x1b[0m \x1b[2J\x1b[Hok"),
        "red ok"
    );
    assert_eq!(sanitize_line("a\x1b[?1049h\x1b[38;2;1;2;3mb"), "ab");
}

#[test]
fn strips_osc_title_hyperlink_and_clipboard() {
    assert_eq!(sanitize_line("a\x1b]0;pwned\x07b"), "ab");
    assert_eq!(
        sanitize_line("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
        "link"
    );
    assert_eq!(sanitize_line("x\x1b]52;c;AAAA\x07y"), "xy");
}

#[test]
fn strips_dcs_sos_pm_and_apc_strings() {
    assert_eq!(sanitize_line("a\x1bP+q544e\x1b\\b"), "ab");
    assert_eq!(sanitize_line("a\x1bXsos\x1b\\b"), "ab");
    assert_eq!(sanitize_line("a\x1b^pm\x1b\\b"), "ab");
    assert_eq!(sanitize_line("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
    assert_eq!(
        sanitize_line("a\x1b_apc with bel\x07 still apc\x1b\\b"),
        "ab"
    );
}

#[test]
fn c1_introducers_in_utf8_act_like_their_escape_forms() {
    assert_eq!(sanitize_line("a\u{9b}31mb"), "ab");
    assert_eq!(sanitize_line("a\u{9d}0;title\u{9c}b"), "ab");
    assert_eq!(sanitize_line("a\u{90}+q\u{9c}b"), "ab");
    assert_eq!(sanitize_line("a\u{9f}apc\u{9c}b"), "ab");
    assert_eq!(sanitize_line("a\u{9e}pm\u{9c}b\u{98}sos\u{9c}c"), "abc");
}

#[test]
fn other_c1_controls_are_marked() {
    assert_eq!(sanitize_line("a\u{85}b\u{84}c"), "a·b·c");
}

#[test]
fn lone_and_unterminated_escapes_do_not_eat_past_the_end() {
    assert_eq!(sanitize_line("abc\x1b["), "abc");
    assert_eq!(sanitize_line("abc\x1b]title"), "abc");
    assert_eq!(sanitize_line("abc\x1b"), "abc");
    assert_eq!(sanitize_line("abc\u{9b}"), "abc");
    assert_eq!(sanitize_line("\x1b\x1b\x1b[mok"), "ok");
}

#[test]
fn replaces_controls_and_keeps_text() {
    assert_eq!(sanitize_line("a\rb\x08c\x7fd\te"), "a·b·c·d e");
    assert_eq!(sanitize_line("a\nb\x07c\0d"), "a·b·c·d");
    assert_eq!(sanitize_line("é ✓ 日本"), "é ✓ 日本");
}

#[test]
fn tabs_expand_to_the_next_stop_by_display_width() {
    assert_eq!(sanitize_line("\tx"), "        x");
    assert_eq!(sanitize_line("ab\tc"), "ab      c");
    assert_eq!(sanitize_line("日本\tx"), "日本    x");
}

#[test]
fn drops_bidi_controls_and_invisible_characters() {
    assert_eq!(sanitize_line("ab\u{202e}cd"), "abcd");
    assert_eq!(
        sanitize_line("a\u{2066}b\u{2069}c\u{200f}d\u{61c}e"),
        "abcde"
    );
    assert_eq!(sanitize_line("prod\u{200b}-db\u{200d}\u{feff}"), "prod-db");
    assert_eq!(sanitize_line("tag\u{e0041}\u{e007f}s"), "tags");
    assert_eq!(sanitize_line("soft\u{ad}hyphen"), "softhyphen");
}

#[test]
fn unicode_line_separators_are_marked() {
    assert_eq!(sanitize_line("a\u{2028}b\u{2029}c"), "a·b·c");
}

#[test]
fn huge_lines_are_cut_with_a_visible_marker() {
    let long = "x".repeat(MAX_LINE_CHARS * 3);
    let out = sanitize_line(&long);
    assert_eq!(out.chars().count(), MAX_LINE_CHARS + 1);
    assert!(out.ends_with(CUT_MARKER));

    let exact = "y".repeat(MAX_LINE_CHARS);
    assert_eq!(sanitize_line(&exact), exact);

    let escaped = format!("\x1b[1m{}", "z".repeat(MAX_LINE_CHARS + 1));
    let out = sanitize_line(&escaped);
    assert!(out.starts_with('z') && out.ends_with(CUT_MARKER));
}

#[test]
fn a_megabyte_of_escape_sequence_yields_nothing_and_stops() {
    let osc = format!("ok\x1b]0;{}", "A".repeat(1 << 20));
    assert_eq!(sanitize_line(&osc), "ok");
}

#[test]
fn several_lines_are_sanitised_one_by_one() {
    assert_eq!(
        sanitize_text("first\x1b[2J\nsecond\r\n\u{202e}third"),
        "first\nsecond\nthird"
    );
}

#[test]
fn random_input_never_yields_unsafe_chars_or_long_lines() {
    const ALPHABET: &[&[u8]] = &[
        b"\x1b",
        b"[",
        b"]",
        b"P",
        b"_",
        b"^",
        b"X",
        b"\\",
        b"\x07",
        b"\x9b",
        b"\x9c",
        "\u{9b}".as_bytes(),
        "\u{9d}".as_bytes(),
        "\u{9c}".as_bytes(),
        "\u{85}".as_bytes(),
        b"\r",
        b"\n",
        b"\t",
        b"\x00",
        b"\x18",
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
        "\u{200b}".as_bytes(),
        "\u{2028}".as_bytes(),
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
        let text = String::from_utf8_lossy(&bytes);
        let out = sanitize_line(&text);
        assert!(out.chars().count() <= MAX_LINE_CHARS + 1, "line too long");
        assert!(
            out.chars().all(is_safe_char),
            "{out:?} from {bytes:?} is not safe"
        );
        assert_eq!(sanitize_line(&out), out, "not idempotent for {bytes:?}");
    }
}
