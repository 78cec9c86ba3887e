//! Timestamps and durations as the API sends them, decoded leniently.
//!
//! The API mixes epoch seconds (`createdAt`), epoch milliseconds (log events, failure reasons),
//! ISO-8601 strings that drop zero seconds (`"2024-05-01T12:30Z"`) and ISO-8601 durations
//! (`"PT11M7S"`). Each type here keeps the value exactly as received, so that a response always
//! decodes and re-serializes unchanged, and converts it on request: an odd value gives `None`
//! rather than failing the whole response.

use std::fmt::Write as _;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

macro_rules! epoch_type {
    ($(#[$meta:meta])* $name:ident, unit = $unit:literal, per_second = $per_second:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            raw: Value,
        }

        impl $name {
            #[doc = concat!("A timestamp of `value` ", $unit, " since the Unix epoch.")]
            #[must_use]
            pub fn new(value: i64) -> Self {
                Self { raw: Value::from(value) }
            }

            #[doc = concat!("The timestamp of an instant, truncated to whole ", $unit, ".")]
            #[must_use]
            pub fn from_datetime(instant: OffsetDateTime) -> Self {
                let value = instant.unix_timestamp_nanos() / (1_000_000_000 / $per_second);
                Self::new(i64::try_from(value).unwrap_or(i64::MAX))
            }

            #[doc = concat!("The value in ", $unit, ", when the server sent a usable number (or a numeric or ISO-8601 string).")]
            #[must_use]
            pub fn value(&self) -> Option<i64> {
                match &self.raw {
                    Value::Number(number) => number_to_i64(number),
                    Value::String(text) => text.trim().parse::<i64>().ok().or_else(|| {
                        let instant = parse_datetime(text)?;
                        let scaled = instant.unix_timestamp_nanos() / (1_000_000_000 / $per_second);
                        i64::try_from(scaled).ok()
                    }),
                    _ => None,
                }
            }

            /// The instant, when the value is usable and within the supported range.
            #[must_use]
            pub fn to_datetime(&self) -> Option<OffsetDateTime> {
                let value = i128::from(self.value()?);
                let nanos = value.checked_mul(1_000_000_000 / $per_second)?;
                OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
            }

            /// The value exactly as received (`null` when the server left it out).
            #[must_use]
            pub fn raw(&self) -> &Value {
                &self.raw
            }

            /// Whether the server left the value out (or sent `null`): real servers omit
            /// timestamps that the specification marks required.
            #[must_use]
            pub fn is_absent(&self) -> bool {
                self.raw.is_null()
            }
        }

        impl Default for $name {
            /// An absent timestamp, as when the server leaves the field out.
            fn default() -> Self {
                Self { raw: Value::Null }
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::new(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.raw.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self { raw: Value::deserialize(deserializer)? })
            }
        }
    };
}

epoch_type!(
    /// A timestamp in seconds since the Unix epoch, as in `createdAt` of sources, destinations,
    /// connections and Config API jobs.
    EpochSeconds,
    unit = "seconds",
    per_second = 1
);

epoch_type!(
    /// A timestamp in milliseconds since the Unix epoch, as in log events and failure reasons.
    EpochMillis,
    unit = "milliseconds",
    per_second = 1000
);

fn number_to_i64(number: &serde_json::Number) -> Option<i64> {
    if let Some(value) = number.as_i64() {
        return Some(value);
    }
    let float = number.as_f64()?;
    // `as` saturates; the range check keeps absurd values out instead of clamping them.
    (float.is_finite() && float.abs() < 9.0e18).then_some(float.trunc() as i64)
}

/// A date and time sent as an ISO-8601 string, such as a job's `startTime`.
///
/// The server omits zero seconds (`"2024-05-01T12:30Z"`), which strict RFC 3339 parsers reject;
/// [`ApiDateTime::to_datetime`] accepts it, along with fractional seconds, a missing offset
/// (read as UTC) and a bare epoch number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiDateTime {
    raw: Value,
}

impl Default for ApiDateTime {
    /// An absent date, as when the server leaves the field out.
    fn default() -> Self {
        Self { raw: Value::Null }
    }
}

impl ApiDateTime {
    /// Whether the server left the value out (or sent `null`).
    #[must_use]
    pub fn is_absent(&self) -> bool {
        self.raw.is_null()
    }

    /// Formats an instant the way the Airbyte server does (Java's `OffsetDateTime.toString()`
    /// in UTC): seconds are left out when they and the fraction are zero.
    #[must_use]
    pub fn from_datetime(instant: OffsetDateTime) -> Self {
        Self {
            raw: Value::String(format_server_datetime(instant)),
        }
    }

    /// The instant, when the text can be read as a date and time.
    #[must_use]
    pub fn to_datetime(&self) -> Option<OffsetDateTime> {
        match &self.raw {
            Value::String(text) => parse_datetime(text),
            Value::Number(number) => epoch_number_to_datetime(number_to_i64(number)?),
            _ => None,
        }
    }

    /// The text as received (`None` when the server sent something other than a string).
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        self.raw.as_str()
    }

    /// The value exactly as received.
    #[must_use]
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

impl From<&str> for ApiDateTime {
    fn from(text: &str) -> Self {
        Self {
            raw: Value::String(text.to_owned()),
        }
    }
}

impl From<OffsetDateTime> for ApiDateTime {
    fn from(instant: OffsetDateTime) -> Self {
        Self::from_datetime(instant)
    }
}

impl Serialize for ApiDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ApiDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self {
            raw: Value::deserialize(deserializer)?,
        })
    }
}

/// Epoch numbers in date-time strings are seconds, or milliseconds when too large to be seconds
/// of a plausible date (the spec's filter examples use milliseconds).
fn epoch_number_to_datetime(value: i64) -> Option<OffsetDateTime> {
    const MILLIS_THRESHOLD: i64 = 100_000_000_000;
    let nanos = if value.abs() >= MILLIS_THRESHOLD {
        i128::from(value) * 1_000_000
    } else {
        i128::from(value) * 1_000_000_000
    };
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

/// Parses an ISO-8601 date-time leniently: optional seconds, optional fraction, `Z` or an
/// offset (UTC when absent), `T` or a space between date and time, a date alone (midnight UTC),
/// or an epoch number. Never panics; returns `None` for anything else.
#[must_use]
pub fn parse_datetime(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if text.is_empty() || !text.is_ascii() {
        return None;
    }
    if let Ok(number) = text.parse::<i64>() {
        return epoch_number_to_datetime(number);
    }
    if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(instant);
    }
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(index) => (&text[..index], &text[index + 1..]),
        None => (text, "00:00:00Z"),
    };
    // Split the clock from the offset: `Z`, or a sign after the clock's first character.
    let offset_start = time
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, 'Z' | 'z' | '+' | '-'))
        .map(|(index, _)| index);
    let (clock, offset) = match offset_start {
        Some(index) => (&time[..index], &time[index..]),
        None => (time, "Z"),
    };
    let offset = if offset.eq_ignore_ascii_case("z") {
        "Z".to_owned()
    } else if offset.len() == 3 {
        // `+05` → `+05:00`
        format!("{offset}:00")
    } else if offset.len() == 5 && !offset.contains(':') {
        // `+0530` → `+05:30`
        format!("{}:{}", &offset[..3], &offset[3..])
    } else {
        offset.to_owned()
    };
    let clock = match clock.matches(':').count() {
        1 => format!("{clock}:00"),
        _ => clock.to_owned(),
    };
    OffsetDateTime::parse(&format!("{date}T{clock}{offset}"), &Rfc3339).ok()
}

/// Formats an instant like Java's `OffsetDateTime.toString()` for UTC, which the server uses:
/// `2024-05-01T12:30Z`, `2024-05-01T12:30:05Z`, `2024-05-01T12:30:05.250Z`.
#[must_use]
pub fn format_server_datetime(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute()
    );
    let (second, nanos) = (utc.second(), utc.nanosecond());
    if second != 0 || nanos != 0 {
        let _ = write!(out, ":{second:02}");
        if nanos != 0 {
            if nanos % 1_000_000 == 0 {
                let _ = write!(out, ".{:03}", nanos / 1_000_000);
            } else if nanos % 1_000 == 0 {
                let _ = write!(out, ".{:06}", nanos / 1_000);
            } else {
                let _ = write!(out, ".{nanos:09}");
            }
        }
    }
    out.push('Z');
    out
}

/// A duration sent as an ISO-8601 string, such as a job's `duration` (`"PT11M7S"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsoDuration {
    raw: Value,
}

impl IsoDuration {
    /// Formats a duration the way the server does (Java's `Duration.toString()`): `PT0S`,
    /// `PT11M7S`, `PT26H3M`, `PT1.5S`.
    #[must_use]
    pub fn from_duration(duration: std::time::Duration) -> Self {
        let total = duration.as_secs();
        let (hours, minutes, seconds) = (total / 3600, (total % 3600) / 60, total % 60);
        let nanos = duration.subsec_nanos();
        let mut out = String::from("PT");
        if hours > 0 {
            let _ = write!(out, "{hours}H");
        }
        if minutes > 0 {
            let _ = write!(out, "{minutes}M");
        }
        if seconds > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
            let _ = write!(out, "{seconds}");
            if nanos > 0 {
                let fraction = format!("{nanos:09}");
                let _ = write!(out, ".{}", fraction.trim_end_matches('0'));
            }
            out.push('S');
        }
        Self {
            raw: Value::String(out),
        }
    }

    /// The duration, when the text is a non-negative ISO-8601 duration made of days, hours,
    /// minutes and seconds (years and months have no fixed length and give `None`).
    #[must_use]
    pub fn to_duration(&self) -> Option<std::time::Duration> {
        parse_iso_duration(self.raw.as_str()?)
    }

    /// The value exactly as received.
    #[must_use]
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

impl From<&str> for IsoDuration {
    fn from(text: &str) -> Self {
        Self {
            raw: Value::String(text.to_owned()),
        }
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self {
            raw: Value::deserialize(deserializer)?,
        })
    }
}

/// Parses `P[nW][nD][T[nH][nM][n[.n]S]]`. Never panics.
fn parse_iso_duration(text: &str) -> Option<std::time::Duration> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    if rest.is_empty() {
        return None;
    }
    let mut total_nanos: u128 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut saw_component = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if !in_time && number.is_empty() => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            unit => {
                let seconds_per_unit: u128 = match (in_time, unit) {
                    (false, 'W') => 7 * 86_400,
                    (false, 'D') => 86_400,
                    (true, 'H') => 3_600,
                    (true, 'M') => 60,
                    (true, 'S') => 1,
                    _ => return None,
                };
                total_nanos =
                    total_nanos.checked_add(component_nanos(&number, seconds_per_unit)?)?;
                number.clear();
                saw_component = true;
            }
        }
    }
    if !number.is_empty() || !saw_component {
        return None;
    }
    let seconds = u64::try_from(total_nanos / 1_000_000_000).ok()?;
    let nanos = u32::try_from(total_nanos % 1_000_000_000).ok()?;
    Some(std::time::Duration::new(seconds, nanos))
}

fn component_nanos(number: &str, seconds_per_unit: u128) -> Option<u128> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut nanos = whole
        .checked_mul(seconds_per_unit)?
        .checked_mul(1_000_000_000)?;
    if !fraction.is_empty() {
        let digits: String = fraction.chars().take(9).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let scale = 10u128.pow(u32::try_from(digits.len()).ok()?);
        let fraction_value: u128 = digits.parse().ok()?;
        nanos = nanos.checked_add(fraction_value * seconds_per_unit * 1_000_000_000 / scale)?;
    }
    Some(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn server_datetimes_without_seconds_parse() {
        let parsed = ApiDateTime::from("2024-05-01T12:30Z")
            .to_datetime()
            .unwrap();
        assert_eq!(parsed, datetime!(2024-05-01 12:30:00 UTC));
        let parsed = ApiDateTime::from("2024-05-01T12:30:05.250+02:00")
            .to_datetime()
            .unwrap();
        assert_eq!(parsed, datetime!(2024-05-01 12:30:05.250 +02:00));
        assert_eq!(
            parse_datetime("2024-05-01 12:30").unwrap(),
            datetime!(2024-05-01 12:30:00 UTC)
        );
        assert_eq!(
            parse_datetime("2024-05-01").unwrap(),
            datetime!(2024-05-01 00:00 UTC)
        );
        assert_eq!(
            parse_datetime("1687450500000").unwrap(),
            datetime!(2023-06-22 16:15:00 UTC)
        );
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2024-13-45T99:99Z").is_none());
    }

    #[test]
    fn server_format_drops_zero_seconds() {
        assert_eq!(
            format_server_datetime(datetime!(2024-05-01 12:30:00 UTC)),
            "2024-05-01T12:30Z"
        );
        assert_eq!(
            format_server_datetime(datetime!(2024-05-01 12:30:05 UTC)),
            "2024-05-01T12:30:05Z"
        );
        assert_eq!(
            format_server_datetime(datetime!(2024-05-01 12:30:05.25 UTC)),
            "2024-05-01T12:30:05.250Z"
        );
    }

    #[test]
    fn epoch_values_are_lenient_and_round_trip() {
        let seconds: EpochSeconds = serde_json::from_str("1714566600").unwrap();
        assert_eq!(
            seconds.to_datetime().unwrap(),
            datetime!(2024-05-01 12:30:00 UTC)
        );
        let odd: EpochSeconds = serde_json::from_str("\"soon\"").unwrap();
        assert_eq!(odd.value(), None);
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"soon\"");
        let millis: EpochMillis = serde_json::from_str("1714566630123").unwrap();
        assert_eq!(
            millis.to_datetime().unwrap(),
            datetime!(2024-05-01 12:30:30.123 UTC)
        );
        let huge: EpochMillis = serde_json::from_str("9223372036854775807").unwrap();
        assert_eq!(huge.to_datetime(), None);
        let float: EpochSeconds = serde_json::from_str("1714566600.9").unwrap();
        assert_eq!(float.value(), Some(1_714_566_600));
    }

    #[test]
    fn durations_parse_and_format_like_java() {
        let parse = |text: &str| IsoDuration::from(text).to_duration();
        assert_eq!(parse("PT11M7S").unwrap().as_secs(), 667);
        assert_eq!(parse("PT0S").unwrap().as_secs(), 0);
        assert_eq!(parse("P1DT2H").unwrap().as_secs(), 93_600);
        assert_eq!(parse("PT1.5S").unwrap().as_millis(), 1_500);
        assert!(parse("P1M").is_none());
        assert!(parse("PT").is_none());
        assert!(parse("-PT5S").is_none());
        assert!(parse("PT99999999999999999999999999999999H").is_none());
        let format = |secs: u64, nanos: u32| {
            IsoDuration::from_duration(std::time::Duration::new(secs, nanos))
                .raw()
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(format(0, 0), "PT0S");
        assert_eq!(format(667, 0), "PT11M7S");
        assert_eq!(format(93_780, 0), "PT26H3M");
        assert_eq!(format(1, 500_000_000), "PT1.5S");
    }
}
