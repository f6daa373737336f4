//! `monitui completions SHELL` and `monitui man`: shell completion scripts
//! and man pages generated from the binary's own clap grammar, so they
//! never drift from the flags it accepts. scripts/dist puts them in the
//! release tarball; a bastion without the tarball's files can make them
//! with the binary alone.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Generator;

use crate::cli::args::Cli;

/// The command grammar with its binary name set and every subcommand's
/// display name (`monitui-alarms-list`) filled in.
fn grammar() -> clap::Command {
    let mut cmd = Cli::command()
        .bin_name("monitui")
        .disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    shell.try_generate(&grammar(), out)
}

/// Writes the man page of `monitui` itself (section 1, roff) to `out`.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    page(grammar()).render(out)
}

/// Writes `monitui.1` and one page per subcommand (`monitui-alarms-list.1`
/// and so on) into `dir`; returns the paths written, the top page last.
pub fn man_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fn write_all(cmd: clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            write_all(sub.clone(), dir, written)?;
        }
        written.push(page(cmd).generate_to(dir)?);
        Ok(())
    }
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    write_all(grammar(), dir, &mut written)?;
    Ok(written)
}

/// One page, dated with the build date.
fn page(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd)
        .date(env!("MONITUI_BUILD_DATE"))
        .manual("monitui manual")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(shell: clap_complete::Shell) -> String {
        let mut out = Vec::new();
        completions(shell, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_name_the_binary_and_its_subcommands() {
        let bash = rendered(clap_complete::Shell::Bash);
        assert!(bash.contains("complete -F _monitui"), "{bash}");
        assert!(bash.contains("alarms"));
        let zsh = rendered(clap_complete::Shell::Zsh);
        assert!(zsh.starts_with("#compdef monitui"), "{zsh}");
        let fish = rendered(clap_complete::Shell::Fish);
        assert!(fish.contains("complete -c monitui"), "{fish}");
        assert!(fish.contains("--endpoint-url") || fish.contains("-l endpoint-url"));
    }

    #[test]
    fn man_page_has_the_version_and_every_subcommand() {
        let mut out = Vec::new();
        man_page(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
        let title = format!(
            ".TH monitui 1 {} \"monitui {}\" \"monitui manual\"",
            env!("MONITUI_BUILD_DATE"),
            crate::cli::args::VERSION
        );
        assert!(page.contains(&title), "{page}");
        for sub in grammar().get_subcommands() {
            assert!(
                page.contains(&format!("monitui-{}(1)", sub.get_name()).replace('-', "\\-")),
                "{} missing from the page",
                sub.get_name()
            );
        }
    }

    #[test]
    fn man_pages_writes_one_page_per_command() {
        let dir = tempfile::tempdir().unwrap();
        let written = man_pages(dir.path()).unwrap();
        assert_eq!(written.last().unwrap(), &dir.path().join("monitui.1"));
        assert!(dir.path().join("monitui-alarms-list.1").is_file());
        assert!(dir.path().join("monitui-completions.1").is_file());
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, written.len());
    }
}
