//! The parts of build.rs's version stamp that need no process or file:
//! the commit recorded in a packaged crate and the date of a Unix time.
//! A file of its own so that `tests/build_stamp.rs` can test it too.

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`
/// (`{"git": {"sha1": "…"}, …}`), shortened to 7 hex digits.
pub fn commit_from_vcs_info(text: &str) -> Option<String> {
    let after = text.split("\"sha1\"").nth(1)?;
    let hash: String = after
        .split('"')
        .nth(1)?
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hash.len() >= 7).then(|| hash[..7].to_string())
}

/// The UTC date of `secs` since the Unix epoch, as YYYY-MM-DD.
pub fn date_of(secs: u64) -> String {
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
