//! The time zone every time is shown in (`--tz`, `timezone` in the
//! config): UTC unless said otherwise. It is set once at start-up, before
//! anything is drawn or printed, and read by every formatter of a time
//! for people (TUI, text and markdown). JSON and the audit log keep RFC
//! 3339 UTC. Zone names come from the system's tz database, or from the
//! copy built into the binary where the system has none (a bastion
//! without /usr/share/zoneinfo).

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The zone set at start-up.
static DISPLAY: OnceLock<Zone> = OnceLock::new();

/// A zone times are shown in, with the name the header clock gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// The zone.
    pub tz: TimeZone,
    /// Its name: `UTC`, an IANA name such as `Europe/Berlin`, or the
    /// system zone's name for `local`.
    pub name: String,
}

impl Zone {
    /// UTC, the default.
    pub fn utc() -> Self {
        Self {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// Parses `UTC`, `local` (the system's zone) or an IANA name such as
    /// `Europe/Berlin`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("z") {
            return Ok(Self::utc());
        }
        if s.eq_ignore_ascii_case("local") {
            let tz = TimeZone::try_system().map_err(|e| format!("the system's zone: {e}"))?;
            let name = tz.iana_name().unwrap_or("local").to_string();
            return Ok(Self { tz, name });
        }
        TimeZone::get(s)
            .map(|tz| Self {
                name: tz.iana_name().unwrap_or(s).to_string(),
                tz,
            })
            .map_err(|_| {
                format!("'{s}' is not a time zone (UTC, local, or a name like Europe/Berlin)")
            })
    }

    /// `t` written with the strftime `pattern` in this zone.
    pub fn format(&self, t: Timestamp, pattern: &str) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime(pattern)
            .to_string()
    }

    /// The short name in force at `t`, e.g. `CET` or `CEST` (`UTC` for UTC).
    pub fn abbreviation(&self, t: Timestamp) -> String {
        self.tz.to_offset_info(t).abbreviation().to_string()
    }
}

/// Sets the zone times are shown in; only the first call counts (start-up).
pub fn set_display_zone(zone: Zone) {
    let _ = DISPLAY.set(zone);
}

/// The zone times are shown in (UTC until set).
pub fn display_zone() -> &'static Zone {
    DISPLAY.get_or_init(Zone::utc)
}

/// The display zone's name, for headings such as `TIME (Europe/Berlin)`.
pub fn zone_name() -> &'static str {
    &display_zone().name
}

/// `t` written with the strftime `pattern` in the display zone.
pub fn shown(t: Timestamp, pattern: &str) -> String {
    display_zone().format(t, pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_is_an_hour_ahead_in_winter_and_two_in_summer() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(berlin.name, "Europe/Berlin");
        let winter: Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-16T03:00:00Z".parse().unwrap();
        assert_eq!(berlin.format(winter, "%H:%M"), "04:00");
        assert_eq!(berlin.format(summer, "%H:%M"), "05:00");
        assert_eq!(berlin.abbreviation(winter), "CET");
        assert_eq!(berlin.abbreviation(summer), "CEST");
        assert_eq!(Zone::parse("utc").unwrap(), Zone::utc());
        assert_eq!(Zone::utc().format(winter, "%H:%M"), "03:00");
    }

    #[test]
    fn unknown_zones_are_refused_with_the_accepted_forms() {
        let err = Zone::parse("Mars/Olympus").unwrap_err();
        assert!(err.contains("Europe/Berlin"), "{err}");
    }

    #[test]
    fn the_bundled_database_knows_zones_without_the_system_one() {
        let bundled = jiff::tz::TimeZoneDatabase::bundled();
        assert!(
            bundled.get("Europe/Berlin").is_ok(),
            "jiff's tzdb-bundle-always feature"
        );
    }
}
