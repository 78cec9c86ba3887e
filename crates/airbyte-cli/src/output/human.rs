//! Values for people: escaped server text, local times, ages, durations and byte sizes.

use std::time::{Duration, SystemTime};

use airbyte::models::{IsoDuration, parse_datetime};
use serde_json::Value;

/// Text from a server, made safe for a terminal: control characters (which could set the
/// terminal's title, hide links or forge table rows) and bidirectional overrides are shown
/// as escapes instead of acting.
pub(crate) fn escape(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{{{code:04x}}}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Any value from a server (an ID, a status) as [`escape`] shows text.
pub(crate) fn escaped(value: impl std::fmt::Display) -> String {
    escape(&value.to_string())
}

/// Control characters, bidirectional controls, and invisible characters that would make two
/// different names look the same (`prod` and `prod\u{200b}`) or break a line where the
/// terminal does not show one. Zero-width joiners stay: scripts and emoji need them.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// A log line for a terminal: like [`escape`], but tabs stay tabs.
pub(crate) fn escape_log_line(line: &str) -> String {
    line.split('\t').map(escape).collect::<Vec<_>>().join("\t")
}

/// An instant from the API: epoch seconds (or milliseconds) as a number, or ISO-8601 text.
pub(crate) fn instant(value: &Value) -> Option<SystemTime> {
    let parsed = match value {
        Value::Number(number) => parse_datetime(&number.to_string()),
        Value::String(text) => parse_datetime(text),
        _ => None,
    }?;
    let seconds = parsed.unix_timestamp();
    let since_epoch = Duration::from_secs(u64::try_from(seconds).ok()?)
        + Duration::from_nanos(u64::from(parsed.nanosecond()));
    SystemTime::UNIX_EPOCH.checked_add(since_epoch)
}

/// How long ago, in the largest whole unit, as kubectl shows ages: `45s`, `12m`, `3h`, `5d`.
pub(crate) fn age(then: SystemTime, now: SystemTime) -> String {
    let Ok(elapsed) = now.duration_since(then) else {
        return "now".to_owned();
    };
    let seconds = elapsed.as_secs();
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3_600 => format!("{}m", seconds / 60),
        3_600..86_400 => format!("{}h", seconds / 3_600),
        _ => format!("{}d", seconds / 86_400),
    }
}

/// The local time of an instant with its zone, then its age: `2026-05-01 14:03:05 CEST (3h ago)`.
/// The zone is the system's (`TZ`, else `/etc/localtime`), UTC when it cannot be read.
pub(crate) fn local_time(then: SystemTime, now: SystemTime) -> String {
    let local = jiff::Timestamp::try_from(then)
        .map(|timestamp| timestamp.to_zoned(jiff::tz::TimeZone::system()));
    match local {
        Ok(zoned) => format!(
            "{} ({} ago)",
            zoned.strftime("%Y-%m-%d %H:%M:%S %Z"),
            age(then, now)
        ),
        Err(_) => humantime::format_rfc3339_seconds(then).to_string(),
    }
}

/// A duration for people: `3m 10s`, `2h 5m`, `850ms`; whole seconds above one second.
pub(crate) fn duration(duration: Duration) -> String {
    let rounded = if duration >= Duration::from_secs(1) {
        Duration::from_secs(duration.as_secs())
    } else {
        Duration::from_millis(u64::try_from(duration.as_millis()).unwrap_or(0))
    };
    humantime::format_duration(rounded).to_string()
}

/// An API duration (ISO-8601 text such as `PT3M10S`) for people; the raw text when it cannot
/// be read.
pub(crate) fn api_duration(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    Some(
        IsoDuration::from(text)
            .to_duration()
            .map_or_else(|| escape(text), duration),
    )
}

/// A byte count for people: `512 B`, `1.5 KiB`, `3.2 GiB`.
pub(crate) fn bytes(bytes: i64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{} B", bytes.max(0))
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A number with thousands separators: `1,234,567`.
pub(crate) fn count(number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if number < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain name"), "plain name");
        assert_eq!(escape("a\nb"), "a\\nb");
        assert_eq!(escape("\u{1b}]0;owned\u{7}"), "\\x1b]0;owned\\x07");
        assert_eq!(escape("x\u{9b}y"), "x\\x9by");
        assert_eq!(escape("\u{202e}txt"), "\\u{202e}txt");
        assert_eq!(escape("日本語"), "日本語");
        assert_eq!(escape("prod\u{200b}"), "prod\\u{200b}");
        assert_eq!(escape("a\u{2028}b\u{feff}"), "a\\u{2028}b\\u{feff}");
        assert_eq!(escape("\u{200f}x\u{200e}"), "\\u{200f}x\\u{200e}");
        assert_eq!(escape("👨\u{200d}👩"), "👨\u{200d}👩", "joiners stay");
        assert_eq!(escape_log_line("a\tb\u{1b}[31m"), "a\tb\\x1b[31m");
    }

    #[test]
    fn instants_come_as_epoch_numbers_or_text() {
        let epoch = instant(&serde_json::json!(1_700_000_000)).unwrap();
        let text = instant(&serde_json::json!("2023-11-14T22:13:20Z")).unwrap();
        assert_eq!(epoch, text);
        assert!(instant(&serde_json::json!("garbage")).is_none());
        assert!(instant(&Value::Null).is_none());
    }

    #[test]
    fn ages_use_the_largest_unit() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ago = |seconds| age(now - Duration::from_secs(seconds), now);
        assert_eq!(ago(5), "5s");
        assert_eq!(ago(190), "3m");
        assert_eq!(ago(7_300), "2h");
        assert_eq!(ago(200_000), "2d");
        assert_eq!(age(now + Duration::from_secs(9), now), "now");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(Duration::from_secs(190)), "3m 10s");
        assert_eq!(duration(Duration::from_millis(1_500)), "1s");
        assert_eq!(duration(Duration::from_millis(850)), "850ms");
        assert_eq!(
            api_duration(&serde_json::json!("PT3M10S")).unwrap(),
            "3m 10s"
        );
        assert_eq!(api_duration(&serde_json::json!("P1Y")).unwrap(), "P1Y");
        assert!(api_duration(&Value::Null).is_none());
    }

    #[test]
    fn sizes_and_counts_read_well() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(bytes(-3), "0 B");
        assert_eq!(count(0), "0");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(-1_000), "-1,000");
    }
}
