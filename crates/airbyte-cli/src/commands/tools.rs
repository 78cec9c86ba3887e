//! `completions` and `man`.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::{CliError, CliResult};
use crate::output::write_stdout;

/// Prints a completion script.
pub(crate) fn completions(args: &CompletionsArgs) {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "airbyte", &mut script);
    write_stdout(&String::from_utf8_lossy(&script));
}

fn render(command: &clap::Command) -> CliResult<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .map_err(|error| CliError::bad(format!("cannot render the man page: {error}")))?;
    Ok(page)
}

/// Writes the pages of a command and its subcommands, named `airbyte-sources-list.1`.
fn write_pages(command: &clap::Command, name: &str, dir: &Path, written: &mut usize) -> CliResult {
    let command = command.clone().name(name.to_owned());
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, render(&command)?)
        .map_err(|error| CliError::bad(format!("cannot write {}: {error}", path.display())))?;
    *written += 1;
    let pages = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help");
    for sub in pages {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

/// Prints the man page, or writes one page per command into a directory.
pub(crate) fn man(args: &ManArgs) -> CliResult {
    let mut command = Cli::command();
    command.build();
    match &args.out_dir {
        None => {
            write_stdout(&String::from_utf8_lossy(&render(&command)?));
            Ok(())
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|error| {
                CliError::bad(format!("cannot create {}: {error}", dir.display()))
            })?;
            let mut written = 0;
            write_pages(&command, "airbyte", dir, &mut written)?;
            crate::output::write_stderr(&format!(
                "wrote {written} man pages into {}\n",
                dir.display()
            ));
            Ok(())
        }
    }
}
