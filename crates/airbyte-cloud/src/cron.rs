//! Quartz cron expressions, as Airbyte schedules use them, checked before they are sent. The
//! checker lives in `airbyte-models`, so that the mock server refuses exactly what this crate
//! refuses.

pub use airbyte_models::{CronError, QuartzCron};
