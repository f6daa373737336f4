//! The `:` command line: parsing what was typed into a command. The
//! commands that go to a tab are the tab's own ([`Tab::commands`]).

use super::tabs::Tab;

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
        other => {
            let Some(tab) = Tab::ALL.into_iter().find(|tab| tab.commands().contains(&other)) else {
                let tabs: Vec<&str> = Tab::ALL.iter().map(|tab| tab.commands()[0]).collect();
                return Err(format!(
                    "unknown command ':{other}'; known: env, theme, refresh, range, {}, q",
                    tabs.join(", ")
                ));
            };
            Ok(match (tab, arg) {
                (Tab::Logs, Some(group)) => Command::Logs(group.to_string()),
                _ => Command::Tab(tab.index() + 1),
            })
        }
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
    fn every_tab_is_reached_by_its_commands_and_named_when_one_is_unknown() {
        for tab in Tab::ALL {
            for command in tab.commands() {
                assert_eq!(parse(command), Ok(Command::Tab(tab.index() + 1)));
            }
        }
        assert_eq!(parse("cloudtrail"), Ok(Command::Tab(5)));
        assert_eq!(parse("m"), Ok(Command::Tab(6)));
        assert_eq!(
            parse("x"),
            Err("unknown command ':x'; known: env, theme, refresh, range, overview, alarms, dashboards, logs, trail, metrics, q".into())
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
