//! JSON numbers kept exactly as clients sent them.
//!
//! `serde_json` (without its `arbitrary_precision` feature, which would change number handling
//! for every crate of a build) reads `10^30` as an `f64` and writes it back as `1e+30`. A
//! configuration must come back as it was sent, so the mock parses request bodies and world
//! files through [`parse`]: a number whose text would not survive the round trip is stored as a
//! string that starts with a private-use marker, and [`restore`] turns such strings back into
//! the original number text when an answer is written.
//!
//! A client may send strings that start with the marker too: [`parse`] doubles their leading
//! marker and [`restore`] takes the second one back, so they come back as the strings they
//! were, and an answer is valid JSON whatever the strings in it.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

/// Starts a string that stands for a number's exact text (U+E000, private use).
const MARKER: char = '\u{E000}';
const MARKER_BYTES: &[u8] = "\u{E000}".as_bytes();

/// Whether any marked number was ever parsed: until then answers are not scanned.
static SEEN: AtomicBool = AtomicBool::new(false);

/// Whether `token` (a JSON number) is written back differently after a round trip through
/// `serde_json::Value`.
fn is_lossy(token: &str) -> bool {
    match serde_json::from_str::<Value>(token) {
        Ok(value) => serde_json::to_string(&value).is_ok_and(|written| written != token),
        // Out of `f64`'s range (`1e400`): kept as text, when it is a number at all.
        Err(_) => is_json_number(token),
    }
}

/// Whether `token` follows JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(token: &str) -> bool {
    let bytes = token.strip_prefix('-').unwrap_or(token).as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int = digits(0);
    if int == 0 || (int > 1 && bytes[0] == b'0') {
        return false;
    }
    let mut at = int;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// Parses JSON, keeping numbers that `serde_json` would change as marked strings.
///
/// # Errors
///
/// As `serde_json::from_slice`.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return serde_json::from_slice(bytes);
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut index = 0;
    let raw = text.as_bytes();
    while index < raw.len() {
        let byte = raw[index];
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            index += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            index += 1;
            if starts_with_marker(&raw[index..]) {
                let buffer = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                buffer.push_str(&text[copied..index]);
                buffer.push(MARKER);
                copied = index;
            }
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let start = index;
            while index < raw.len()
                && matches!(raw[index], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                index += 1;
            }
            let token = &text[start..index];
            if is_lossy(token) {
                let buffer = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                buffer.push_str(&text[copied..start]);
                buffer.push('"');
                buffer.push(MARKER);
                buffer.push_str(token);
                buffer.push('"');
                copied = index;
            }
            continue;
        }
        index += 1;
    }
    match out {
        None => serde_json::from_str(text),
        Some(mut buffer) => {
            buffer.push_str(&text[copied..]);
            SEEN.store(true, Ordering::Relaxed);
            serde_json::from_str(&buffer)
        }
    }
}

/// Whether the text of a JSON string (after its opening quote) starts with the marker, raw or
/// escaped (`\ue000`).
fn starts_with_marker(rest: &[u8]) -> bool {
    rest.starts_with(MARKER_BYTES)
        || (rest.len() >= 6 && rest.starts_with(b"\\u") && rest[2..6].eq_ignore_ascii_case(b"e000"))
}

fn is_number_byte(byte: u8) -> bool {
    matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

/// Writes marked numbers of serialized JSON back as the numbers they stand for, and strings
/// that started with the marker back as they were sent. Only strings are looked at, from their
/// opening quote: the marker anywhere else is data.
pub(crate) fn restore(json: Vec<u8>) -> Vec<u8> {
    if !SEEN.load(Ordering::Relaxed) {
        return json;
    }
    let needle: Vec<u8> = [&b"\""[..], MARKER_BYTES].concat();
    if !json.windows(needle.len()).any(|window| window == needle) {
        return json;
    }
    let mut out = Vec::with_capacity(json.len());
    let mut index = 0;
    let mut in_string = false;
    let mut escaped = false;
    while index < json.len() {
        let byte = json[index];
        index += 1;
        if in_string {
            out.push(byte);
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        out.push(byte);
        if byte != b'"' {
            continue;
        }
        in_string = true;
        if !json[index..].starts_with(MARKER_BYTES) {
            continue;
        }
        let start = index + MARKER_BYTES.len();
        if json[start..].starts_with(MARKER_BYTES) {
            // A sent string that started with the marker: drop the marker `parse` added.
            index = start;
            continue;
        }
        let end = json[start..]
            .iter()
            .position(|byte| !is_number_byte(*byte))
            .map_or(json.len(), |offset| start + offset);
        if json.get(end) == Some(&b'"')
            && std::str::from_utf8(&json[start..end]).is_ok_and(is_json_number)
        {
            // A kept number: its text without quotes or marker.
            out.pop();
            out.extend_from_slice(&json[start..end]);
            index = end + 1;
            in_string = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        let value = parse(text.as_bytes()).unwrap();
        String::from_utf8(restore(serde_json::to_vec(&value).unwrap())).unwrap()
    }

    #[test]
    fn large_and_precise_numbers_come_back_as_sent() {
        assert_eq!(
            round_trip(
                r#"{"big":1000000000000000000000000000000,"n":[-12345678901234567890123,0.1000000000000000055511151231257827,1.50]}"#
            ),
            r#"{"big":1000000000000000000000000000000,"n":[-12345678901234567890123,0.1000000000000000055511151231257827,1.50]}"#
        );
    }

    #[test]
    fn strings_that_start_with_the_marker_come_back_as_sent() {
        // A kept number first, so that answers are scanned.
        assert_eq!(round_trip("[1.50]"), "[1.50]");
        for (sent, expected) in [
            ("[\"\\ue000-\"]", "[\"\u{e000}-\"]"),
            ("[\"\\uE0001e5\"]", "[\"\u{e000}1e5\"]"),
            ("[\"\u{e000}7\"]", "[\"\u{e000}7\"]"),
            (
                "{\"\u{e000}1\":\"\u{e000}\u{e000}\"}",
                "{\"\u{e000}1\":\"\u{e000}\u{e000}\"}",
            ),
            ("[\"x\\\"\u{e000}1\",2.50]", "[\"x\\\"\u{e000}1\",2.50]"),
        ] {
            let value = parse(sent.as_bytes()).unwrap();
            let written = String::from_utf8(restore(serde_json::to_vec(&value).unwrap())).unwrap();
            assert_eq!(written, expected, "{sent}");
            serde_json::from_str::<Value>(&written).unwrap();
        }
    }

    #[test]
    fn ordinary_json_and_strings_are_untouched() {
        let text = r#"{"a":1,"b":-2.5,"c":"1000000000000000000000000000000","d":"x\"9\\","e":[true,null]}"#;
        assert_eq!(round_trip(text), text);
        assert_eq!(round_trip(r#"{"a":1e400}"#), r#"{"a":1e400}"#);
        for broken in [
            &b"{\"a\": "[..],
            b"{\"a\": 1-2}",
            b"{\"a\": 01}",
            b"[1.]",
            b"[-]",
        ] {
            assert!(
                parse(broken).is_err(),
                "{}",
                String::from_utf8_lossy(broken)
            );
        }
    }
}
