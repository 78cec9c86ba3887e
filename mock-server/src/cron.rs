//! Quartz cron expressions, checked as the server's Quartz parser does: six or seven fields
//! (seconds, minutes, hours, day of month, month, day of week, optional year), each a list of
//! values, ranges and steps within the field's bounds, names for months and days, `L`, `W`
//! and `#` where Quartz allows them, and `?` in exactly one of the two day fields.

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl Field {
    fn bounds(self) -> (u32, u32) {
        match self {
            Self::Second | Self::Minute => (0, 59),
            Self::Hour => (0, 23),
            Self::DayOfMonth => (1, 31),
            Self::Month => (1, 12),
            Self::DayOfWeek => (1, 7),
            Self::Year => (1970, 2099),
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Self::Month => MONTHS,
            Self::DayOfWeek => DAYS,
            _ => &[],
        }
    }
}

/// One value of a field: a number in bounds or a name.
fn value(field: Field, text: &str) -> Result<u32, String> {
    let upper = text.to_ascii_uppercase();
    if let Some(index) = field.names().iter().position(|name| *name == upper) {
        return Ok(u32::try_from(index).unwrap_or(0) + field.bounds().0);
    }
    let number: u32 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a value of this field"))?;
    let (low, high) = field.bounds();
    if (low..=high).contains(&number) {
        Ok(number)
    } else {
        Err(format!("{number} is outside {low}-{high}"))
    }
}

fn item(field: Field, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("an empty list item".to_owned());
    }
    match field {
        Field::DayOfMonth => {
            if matches!(text, "L" | "LW") {
                return Ok(());
            }
            if let Some(offset) = text.strip_prefix("L-") {
                return offset
                    .parse::<u32>()
                    .ok()
                    .filter(|days| (1..=30).contains(days))
                    .map(drop)
                    .ok_or_else(|| format!("`{text}` is not a valid offset from the last day"));
            }
            if let Some(day) = text.strip_suffix('W') {
                return value(field, day).map(drop);
            }
        }
        Field::DayOfWeek => {
            if text == "L" {
                return Ok(());
            }
            if let Some(day) = text.strip_suffix('L') {
                return value(field, day).map(drop);
            }
            if let Some((day, nth)) = text.split_once('#') {
                value(field, day)?;
                return nth
                    .parse::<u32>()
                    .ok()
                    .filter(|nth| (1..=5).contains(nth))
                    .map(drop)
                    .ok_or_else(|| format!("`{text}`: the week after `#` must be 1-5"));
            }
        }
        _ => {}
    }
    let (range, step) = match text.split_once('/') {
        Some((range, step)) => {
            let step: u32 = step
                .parse()
                .map_err(|_| format!("`{text}`: the step must be a number"))?;
            if step == 0 || step > field.bounds().1 {
                return Err(format!("`{text}`: the step is out of range"));
            }
            (range, true)
        }
        None => (text, false),
    };
    if range == "*" {
        return Ok(());
    }
    if let Some((start, end)) = range.split_once('-') {
        value(field, start)?;
        value(field, end)?;
        return Ok(());
    }
    let _ = step;
    value(field, range).map(drop)
}

fn check_field(field: Field, text: &str) -> Result<(), String> {
    if text == "?" {
        return if matches!(field, Field::DayOfMonth | Field::DayOfWeek) {
            Ok(())
        } else {
            Err("`?` is only allowed for the day of the month or of the week".to_owned())
        };
    }
    text.split(',').try_for_each(|part| item(field, part))
}

/// Checks a Quartz cron expression; the error says what is wrong.
pub(crate) fn validate(expression: &str) -> Result<(), String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if !(6..=7).contains(&fields.len()) {
        return Err(format!(
            "expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got {}",
            fields.len()
        ));
    }
    let kinds = [
        Field::Second,
        Field::Minute,
        Field::Hour,
        Field::DayOfMonth,
        Field::Month,
        Field::DayOfWeek,
        Field::Year,
    ];
    for (kind, text) in kinds.iter().zip(&fields) {
        check_field(*kind, text).map_err(|reason| format!("field `{text}`: {reason}"))?;
    }
    match (fields[3] == "?", fields[5] == "?") {
        (true, false) | (false, true) => Ok(()),
        _ => Err("exactly one of day-of-month and day-of-week must be `?`".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartz_expressions_are_accepted() {
        for expression in [
            "0 0 12 * * ?",
            "0 15 * * * ?",
            "0 0/5 14,18 * * ?",
            "0 15 10 ? * MON-FRI",
            "0 15 10 L * ?",
            "0 15 10 ? * 6L 2030",
            "0 15 10 ? * 6#3",
            "0 0 12 1W JAN,jul ?",
            "59 59 23 31 12 ? 2099",
        ] {
            assert_eq!(validate(expression), Ok(()), "{expression}");
        }
    }

    #[test]
    fn what_quartz_rejects_is_rejected() {
        for expression in [
            "a b c d e f",
            "0 0 * * *",
            "0 0 12 * * *",
            "0 0 12 ? * ?",
            "60 0 12 * * ?",
            "0 0 24 * * ?",
            "0 0 12 32 * ?",
            "0 0 12 * 13 ?",
            "0 0 12 ? * 8",
            "0 0/0 12 * * ?",
            "0 0 12 * * ? 1969",
            "0 0 12 * * ? 2030 1",
            "0 0 12 ? * 6#6",
            "0 ? 12 * * ?",
            "0 0 12 1,,2 * ?",
        ] {
            assert!(validate(expression).is_err(), "{expression}");
        }
    }
}
