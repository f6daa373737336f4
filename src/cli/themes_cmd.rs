//! `monitui themes list`.

use crate::cli::args::{GlobalArgs, ThemesCommand};
use crate::config::theme::list_themes;
use crate::config::user_themes_dir;

/// Runs a `themes` subcommand: `list` prints each theme's name and where
/// it comes from (`built-in` or the user file that defines it).
pub fn run_themes(cmd: &ThemesCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {
        ThemesCommand::List => {
            let themes = list_themes(user_themes_dir(global)?.as_deref());
            let width = themes.iter().map(|t| t.name.len()).max().unwrap_or(0);
            for theme in themes {
                println!("{:<width$}  {}", theme.name, theme.source);
            }
            Ok(())
        }
    }
}
