//! Colour: on a terminal only, never with `NO_COLOR` set, and as `--color` says.

use anstyle::{AnsiColor, Style};

use crate::cli::ColorWhen;

/// Whether to colour a stream, given `--color`, whether it is a terminal and the environment.
pub(crate) fn enabled(when: ColorWhen, is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                && !dumb_terminal()
        }
    }
}

/// Whether the terminal says it can do neither colour nor cursor movement (`TERM=dumb`).
pub(crate) fn dumb_terminal() -> bool {
    std::env::var("TERM").is_ok_and(|term| term == "dumb")
}

/// The style of a status word: green when all is well, red when not, yellow while it runs.
pub(crate) fn status(text: &str) -> Option<Style> {
    let color = match text.to_ascii_lowercase().as_str() {
        "succeeded" | "active" | "true" | "ok" | "yes" | "healthy" => AnsiColor::Green,
        "failed" | "cancelled" | "false" | "inactive" | "deprecated" | "no" | "failing"
        | "timed out" | "error" => AnsiColor::Red,
        "running" | "pending" | "incomplete" | "queued" => AnsiColor::Yellow,
        _ => return None,
    };
    Some(Style::new().fg_color(Some(color.into())))
}

/// The style of table headers.
pub(crate) fn header() -> Style {
    Style::new().bold()
}

/// Wraps text in a style.
pub(crate) fn paint(text: &str, style: Style) -> String {
    format!("{style}{text}{style:#}")
}
