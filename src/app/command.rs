//! The `:` command line: parsing what was typed into a command.

/// A parsed `:` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `:q`, `:quit`
    Quit,
    /// `:env NAME`
    Env(String),
    /// `:theme NAME`
    Theme(String),
    /// `:refresh` or `:r`
    Refresh,
    /// `:alarms`, `:overview`, ... jump to a tab (1-based index).
    Tab(usize),
    /// `:range 3h` or `:range START..END`: the open dashboard's range, or
    /// the alarm detail's.
    Range(String),
    /// `:logs GROUP`: the Logs tail of that group.
    Logs(String),
}

/// Every command, for the help screen and error messages.
pub const COMMANDS: &[(&str, &str)] = &[
    (":env NAME", "switch environment"),
    (":theme NAME", "switch colour theme"),
    (":refresh", "fetch now"),
    (
        ":range 6h | START..END",
        "the alarm detail's or open dashboard's time range",
    ),
    (":logs GROUP", "tail a log group (full or short name)"),
    (":alarms, :logs, :trail, ...", "go to a tab by name"),
    (":q", "quit"),
];

/// Parses the text typed after `:`; the error says what was wrong.
pub fn parse(input: &str) -> Result<Command, String> {
    let mut words = input.split_whitespace();
    let Some(verb) = words.next() else {
        return Err("empty command; try :help with ?".into());
    };
    let arg = words.next();
    if words.next().is_some() {
        return Err(format!(":{verb} takes at most one argument"));
    }
    let need = |what: &str| -> Result<String, String> {
        arg.map(str::to_string)
            .ok_or_else(|| format!(":{verb} needs {what}, e.g. :{verb} prod"))
    };
    match verb {
        "q" | "quit" | "q!" => Ok(Command::Quit),
        "env" | "e" => need("an environment name").map(Command::Env),
        "theme" => need("a theme name").map(Command::Theme),
        "refresh" | "r" => Ok(Command::Refresh),
        "range" => arg.map(|a| Command::Range(a.to_string())).ok_or_else(|| {
            ":range needs a range, e.g. :range 6h or :range 2026-01-16T12:00:00Z..2026-01-16T15:00:00Z"
                .to_string()
        }),
        "overview" | "o" => Ok(Command::Tab(1)),
        "alarms" | "a" => Ok(Command::Tab(2)),
        "dashboards" | "d" => Ok(Command::Tab(3)),
        "logs" | "l" => Ok(arg.map_or(Command::Tab(4), |g| Command::Logs(g.to_string()))),
        "trail" | "cloudtrail" | "t" => Ok(Command::Tab(5)),
        "metrics" | "m" => Ok(Command::Tab(6)),
        other => Err(format!(
            "unknown command ':{other}'; known: env, theme, refresh, range, overview, alarms, dashboards, logs, trail, metrics, q"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_commands() {
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert_eq!(parse("env staging"), Ok(Command::Env("staging".into())));
        assert_eq!(parse(" theme  light "), Ok(Command::Theme("light".into())));
        assert_eq!(parse("alarms"), Ok(Command::Tab(2)));
        assert_eq!(parse("logs"), Ok(Command::Tab(4)));
        assert_eq!(
            parse("logs auth-service"),
            Ok(Command::Logs("auth-service".into()))
        );
    }

    #[test]
    fn explains_bad_commands() {
        assert!(
            parse("env")
                .unwrap_err()
                .contains("needs an environment name")
        );
        assert!(
            parse("frobnicate")
                .unwrap_err()
                .contains("unknown command ':frobnicate'")
        );
        assert!(
            parse("env a b")
                .unwrap_err()
                .contains("at most one argument")
        );
        assert!(parse("").is_err());
    }
}
