//! Schedules as the files write them: `manual` or a Quartz cron expression.
//!
//! The web UI still creates `basic` schedules (`Every 24 HOURS`), which the API returns but
//! does not accept. Where a cron expression fires at the same rate, the files hold that (a
//! basic schedule runs relative to the last sync, its cron equivalent at fixed times in UTC:
//! same frequency, aligned to the clock); where none does (every 7 hours, every 2 days), the
//! export refuses with a message saying what to choose instead.

use airbyte_cloud::Schedule;
use airbyte_cloud::cron::QuartzCron;
use airbyte_models::ConnectionScheduleResponse;

use crate::model::ScheduleSpec;

/// The cron expression equivalent to a basic schedule's text (`Every 24 HOURS`).
///
/// # Errors
///
/// Why there is none, and what to do.
pub fn basic_to_cron(timing: &str) -> Result<QuartzCron, String> {
    let words: Vec<&str> = timing.split_whitespace().collect();
    let (units, unit) = match words.as_slice() {
        [every, units, unit] if every.eq_ignore_ascii_case("every") => (*units, *unit),
        _ => {
            return Err(format!(
                "the basic schedule {timing:?} is not of the form \"Every N UNITS\""
            ));
        }
    };
    let units: u32 = units
        .parse()
        .map_err(|_| format!("the basic schedule {timing:?} does not give a number of units"))?;
    let unit = unit.to_ascii_uppercase();
    let unit = unit.trim_end_matches('S');
    let expression = match (unit, units) {
        ("MINUTE", n) if n > 0 && n < 60 && 60 % n == 0 => format!("0 0/{n} * * * ?"),
        ("MINUTE", 60) | ("HOUR", 1) => "0 0 * * * ?".to_owned(),
        ("HOUR", 24) | ("DAY", 1) => "0 0 0 * * ?".to_owned(),
        ("HOUR", n) if n > 1 && n < 24 && 24 % n == 0 => format!("0 0 0/{n} * * ?"),
        ("WEEK", 1) | ("DAY", 7) => "0 0 0 ? * MON".to_owned(),
        ("MONTH", 1) => "0 0 0 1 * ?".to_owned(),
        _ => {
            return Err(format!(
                "the basic schedule {timing:?} has no cron equivalent (a cron expression cannot fire every {units} {}s at a steady rate); set a cron schedule on the connection in the UI or with `airbyte connections set-schedule`, then export again",
                unit.to_ascii_lowercase()
            ));
        }
    };
    QuartzCron::parse(&expression).map_err(|error| error.to_string())
}

/// The schedule of a live connection as the files write it.
///
/// # Errors
///
/// A basic schedule without a cron equivalent, or a schedule this version cannot read.
pub(crate) fn observed(schedule: &ConnectionScheduleResponse) -> Result<ScheduleSpec, String> {
    match live(schedule) {
        Schedule::Manual => Ok(ScheduleSpec::Manual),
        Schedule::Cron(cron) => Ok(ScheduleSpec::Cron(cron)),
        Schedule::Basic(timing) => basic_to_cron(&timing).map(ScheduleSpec::Cron),
        other => Err(format!(
            "the schedule {other:?} cannot be written in the files"
        )),
    }
}

/// The schedule of a live connection, as the domain layer reads it.
pub(crate) fn live(schedule: &ConnectionScheduleResponse) -> Schedule {
    Schedule::from_response(schedule)
}

/// Whether a live schedule is what the files ask for.
pub(crate) fn same(desired: &ScheduleSpec, live: &Schedule) -> bool {
    match (desired, live) {
        (ScheduleSpec::Manual, Schedule::Manual) => true,
        (ScheduleSpec::Cron(desired), Schedule::Cron(live)) => desired == live,
        _ => false,
    }
}

/// A live schedule for plans: `manual`, the cron expression, or `basic: Every 24 HOURS`.
pub(crate) fn shown(live: &Schedule) -> String {
    match live {
        Schedule::Manual => "manual".to_owned(),
        Schedule::Cron(cron) => cron.as_str().to_owned(),
        Schedule::Basic(timing) => format!("basic: {timing}"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_schedules_become_the_cron_of_the_same_rate() {
        for (timing, cron) in [
            ("Every 24 HOURS", "0 0 0 * * ?"),
            ("Every 1 HOURS", "0 0 * * * ?"),
            ("Every 6 HOURS", "0 0 0/6 * * ?"),
            ("Every 30 MINUTES", "0 0/30 * * * ?"),
            ("Every 15 minutes", "0 0/15 * * * ?"),
            ("Every 1 DAYS", "0 0 0 * * ?"),
            ("Every 1 WEEKS", "0 0 0 ? * MON"),
            ("Every 1 MONTHS", "0 0 0 1 * ?"),
        ] {
            assert_eq!(basic_to_cron(timing).unwrap().as_str(), cron, "{timing}");
        }
    }

    #[test]
    fn basic_schedules_without_a_steady_cron_are_refused_clearly() {
        for timing in [
            "Every 7 HOURS",
            "Every 2 DAYS",
            "Every 45 MINUTES",
            "Every 0 HOURS",
        ] {
            let message = basic_to_cron(timing).unwrap_err();
            assert!(message.contains("no cron equivalent"), "{message}");
            assert!(message.contains("set-schedule"), "{message}");
        }
        assert!(
            basic_to_cron("Sometimes")
                .unwrap_err()
                .contains("Every N UNITS")
        );
        assert!(basic_to_cron("Every x HOURS").is_err());
    }
}
