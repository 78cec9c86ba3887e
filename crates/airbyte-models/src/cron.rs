//! Quartz cron expressions, as Airbyte schedules use them, checked as the server's Quartz
//! parser checks them: by clients before they send a schedule, and by the mock server.
//!
//! A Quartz expression has six or seven fields: seconds, minutes, hours, day of month, month,
//! day of week and an optional year. Exactly one of the two day fields must be `?`. A Unix
//! cron (five fields, no seconds) is refused with a hint.

use std::fmt;

/// A validated Quartz cron expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QuartzCron(String);

/// Why a cron expression is not a valid Quartz expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronError {
    /// The expression.
    pub expression: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid Quartz cron expression {:?}: {}",
            self.expression, self.reason
        )
    }
}

impl std::error::Error for CronError {}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Seconds,
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl Field {
    const ALL: [Self; 7] = [
        Self::Seconds,
        Self::Minutes,
        Self::Hours,
        Self::DayOfMonth,
        Self::Month,
        Self::DayOfWeek,
        Self::Year,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::DayOfMonth => "day of month",
            Self::Month => "month",
            Self::DayOfWeek => "day of week",
            Self::Year => "year",
        }
    }

    fn range(self) -> (u32, u32) {
        match self {
            Self::Seconds | Self::Minutes => (0, 59),
            Self::Hours => (0, 23),
            Self::DayOfMonth => (1, 31),
            Self::Month => (1, 12),
            Self::DayOfWeek => (1, 7),
            Self::Year => (1970, 2099),
        }
    }

    fn value(self, text: &str) -> Result<u32, String> {
        let upper = text.to_ascii_uppercase();
        let named = match self {
            Self::Month => MONTHS
                .iter()
                .position(|m| *m == upper)
                .map(|i| i as u32 + 1),
            Self::DayOfWeek => DAYS.iter().position(|d| *d == upper).map(|i| i as u32 + 1),
            _ => None,
        };
        let value = match named {
            Some(value) => value,
            None => text
                .parse::<u32>()
                .map_err(|_| format!("{text:?} is not a number{}", self.names_hint()))?,
        };
        let (low, high) = self.range();
        if !(low..=high).contains(&value) {
            return Err(format!("{value} is out of range {low}-{high}"));
        }
        Ok(value)
    }

    fn names_hint(self) -> &'static str {
        match self {
            Self::Month => " or a month name (JAN-DEC)",
            Self::DayOfWeek => " or a day name (SUN-SAT)",
            _ => "",
        }
    }
}

/// Checks one comma-separated item such as `*/5`, `10-20`, `MON#2`, `L`, `15W`.
fn check_item(field: Field, item: &str) -> Result<(), String> {
    if item.is_empty() {
        return Err("an empty value".to_owned());
    }
    // Day-of-month specials.
    if field == Field::DayOfMonth {
        if item == "L" || item == "LW" {
            return Ok(());
        }
        if let Some(offset) = item.strip_prefix("L-") {
            return offset
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=30).contains(n))
                .map(|_| ())
                .ok_or_else(|| format!("{item:?}: L-n needs n between 1 and 30"));
        }
        if let Some(day) = item.strip_suffix('W') {
            return field.value(day).map(|_| ());
        }
    }
    // Day-of-week specials.
    if field == Field::DayOfWeek {
        if item == "L" {
            return Ok(());
        }
        if let Some(day) = item.strip_suffix('L') {
            return field.value(day).map(|_| ());
        }
        if let Some((day, nth)) = item.split_once('#') {
            field.value(day)?;
            return nth
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .map(|_| ())
                .ok_or_else(|| format!("{item:?}: the occurrence after # must be 1-5"));
        }
    }
    let (base, step) = match item.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (item, None),
    };
    if let Some(step) = step {
        let step: u32 = step
            .parse()
            .map_err(|_| format!("{item:?}: the step after / must be a number"))?;
        if step == 0 {
            return Err(format!("{item:?}: the step must not be zero"));
        }
    }
    if base == "*" {
        return Ok(());
    }
    match base.split_once('-') {
        Some((start, end)) => {
            let (start, end) = (field.value(start)?, field.value(end)?);
            if start > end && !matches!(field, Field::DayOfWeek | Field::Month) {
                return Err(format!("{item:?}: the range is backwards"));
            }
            Ok(())
        }
        None => field.value(base).map(|_| ()),
    }
}

impl QuartzCron {
    /// Parses and checks an expression. A trailing time zone of `UTC` (which the API appends
    /// when it returns a schedule) is accepted and dropped.
    ///
    /// # Errors
    ///
    /// [`CronError`] naming the field and what is wrong with it.
    pub fn parse(expression: &str) -> Result<Self, CronError> {
        let trimmed = expression.trim();
        let trimmed = trimmed.strip_suffix(" UTC").unwrap_or(trimmed).trim();
        let error = |reason: String| CronError {
            expression: expression.to_owned(),
            reason,
        };
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        match fields.len() {
            6 | 7 => {}
            5 => {
                return Err(error(
                    "it has 5 fields, like a Unix cron; Airbyte uses Quartz, which starts with seconds and needs `?` in one day field (for example `0 0 12 * * ?` for noon every day)".to_owned(),
                ));
            }
            count => return Err(error(format!("expected 6 or 7 fields, found {count}"))),
        }
        for (field, text) in Field::ALL.iter().zip(&fields) {
            let allows_question = matches!(field, Field::DayOfMonth | Field::DayOfWeek);
            if *text == "?" {
                if allows_question {
                    continue;
                }
                return Err(error(format!(
                    "`?` is only allowed in the day fields, not in {}",
                    field.name()
                )));
            }
            for item in text.split(',') {
                check_item(*field, item)
                    .map_err(|reason| error(format!("{}: {reason}", field.name())))?;
            }
        }
        match (fields[3] == "?", fields[5] == "?") {
            (true, true) => Err(error(
                "only one of day of month and day of week may be `?`".to_owned(),
            )),
            (false, false) => Err(error(
                "one of day of month and day of week must be `?` (Quartz cannot combine them)"
                    .to_owned(),
            )),
            _ => Ok(Self(fields.join(" "))),
        }
    }

    /// The expression, normalized (single spaces, no time zone).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuartzCron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for QuartzCron {
    type Err = CronError;

    fn from_str(expression: &str) -> Result<Self, Self::Err> {
        Self::parse(expression)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_quartz_expressions_pass() {
        for expression in [
            "0 0 12 * * ?",
            "0 15 10 ? * MON-FRI",
            "0 0/5 14,18 * * ?",
            "0 0 12 L * ?",
            "0 0 12 15W * ?",
            "0 0 12 ? * 6L",
            "0 0 12 ? * MON#2",
            "0 0 0 1 JAN ? 2030",
            "0 0 12 * * ? UTC",
            "  0   0  12 * * ?  ",
        ] {
            assert!(
                QuartzCron::parse(expression).is_ok(),
                "{expression}: {:?}",
                QuartzCron::parse(expression)
            );
        }
        assert_eq!(
            QuartzCron::parse("0 0 12 * * ? UTC").unwrap().as_str(),
            "0 0 12 * * ?"
        );
    }

    #[test]
    fn invalid_expressions_name_the_problem() {
        for (expression, expected) in [
            ("0 12 * * *", "Unix cron"),
            ("0 0 25 * * ?", "hours: 25 is out of range 0-23"),
            ("0 60 * * * ?", "minutes: 60 is out of range"),
            ("0 0 12 * * *", "must be `?`"),
            ("0 0 12 ? * ?", "only one"),
            ("? 0 12 * * ?", "only allowed in the day fields"),
            ("0 0 12 * FOO ?", "month name"),
            ("0 */0 * * * ?", "must not be zero"),
            ("every day", "expected 6 or 7 fields"),
            ("0 0 12 ? * MON#9", "1-5"),
            ("0 0 20-10 * * ?", "backwards"),
        ] {
            let error = QuartzCron::parse(expression).unwrap_err();
            assert!(
                error.to_string().contains(expected),
                "{expression}: {error}"
            );
        }
    }
}
