//! `partylink completions` and `partylink man`: the command line's own documentation, made
//! from the same definitions as `--help`, so it cannot drift from it.

use anyhow::Result;
use clap::Args;
use clap_complete::Shell;

use crate::cmd::to_stdout;

/// Print a completion script for a shell.
///
/// Prints the script on stdout, e.g. `partylink completions bash > ~/.local/share/bash-completion/completions/partylink`,
/// `partylink completions zsh > ~/.zfunc/_partylink`, or
/// `partylink completions fish > ~/.config/fish/completions/partylink.fish`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

/// Print partylink's manual page (roff).
///
/// Prints the page of partylink and its commands on stdout, e.g.
/// `partylink man > ~/.local/share/man/man1/partylink.1` (then `man partylink`).
#[derive(Debug, Args)]
pub struct ManArgs {}

/// The completion script of `command` (partylink's whole command line, which `cli` holds).
pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "partylink", &mut script);
    to_stdout(&script)
}

/// The manual page of `command` (partylink's whole command line, which `cli` holds).
pub fn man(_: ManArgs, command: clap::Command) -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    // One page for all: after the main sections, each command's synopsis, description and
    // options, so that `man partylink` holds what every `--help` says.
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("partylink-{}", sub.get_name());
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let man = clap_mangen::Man::new(
            sub.clone().display_name(name.clone()).bin_name(format!("partylink {}", sub.get_name())),
        );
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
    }
    to_stdout(&page)
}
