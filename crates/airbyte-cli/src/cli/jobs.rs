//! `sync`, `reset`, `clear` and `jobs`.

use std::time::Duration;

use clap::{ArgAction, ArgGroup, Args, Subcommand, ValueEnum};

use super::{DryRun, parse_duration, parse_limit, parse_poll_interval};

/// How to wait for a job.
#[derive(Clone, Debug, Args)]
pub(crate) struct WaitArgs {
    /// Give up waiting after this long (30s, 10m, 2h; 0 for no limit).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30m")]
    pub(crate) timeout: Duration,
    /// The first wait between status polls (at least 10ms; it grows up to 30s).
    #[arg(long, value_name = "DURATION", value_parser = parse_poll_interval, default_value = "2s")]
    pub(crate) poll_interval: Duration,
    /// On Ctrl-C or SIGTERM, cancel the job (default: leave it running and say how to attach;
    /// a job followed with --attach only with --cancel-attached).
    #[arg(long)]
    pub(crate) cancel_on_interrupt: bool,
}

/// Starting a job: the wait, what to do when a job of the kind already runs, and what may
/// be cancelled.
#[derive(Clone, Debug, Args)]
pub(crate) struct StartOptions {
    /// Start the job and return without waiting.
    #[arg(long)]
    pub(crate) no_wait: bool,
    /// When a job of this kind already runs on the connection (a sync for `sync`, a reset or
    /// clear for `reset` and `clear`), follow it instead of failing. A job of another kind is
    /// never followed, and a job followed is not cancelled (see --cancel-attached).
    #[arg(long)]
    pub(crate) attach: bool,
    /// Cancel the job when the wait times out (a job this command started; see
    /// --cancel-attached).
    #[arg(long, default_value_t = true, action = ArgAction::Set, value_name = "BOOL")]
    pub(crate) cancel_on_timeout: bool,
    /// Let --cancel-on-timeout and --cancel-on-interrupt cancel a job followed with --attach,
    /// which someone else started (by default it keeps running).
    #[arg(long, requires = "attach")]
    pub(crate) cancel_attached: bool,
    #[command(flatten)]
    pub(crate) wait: WaitArgs,
    #[command(flatten)]
    pub(crate) dry_run: DryRun,
}

/// A job of one connection.
#[derive(Clone, Debug, Args)]
pub(crate) struct StartArgs {
    /// The connection (ID or exact name).
    pub(crate) connection: String,
    #[command(flatten)]
    pub(crate) options: StartOptions,
}

/// `sync`: one connection, or many at once.
#[derive(Clone, Debug, Args)]
#[command(group(ArgGroup::new("many").args(["all", "tag", "name"]).multiple(false)))]
pub(crate) struct SyncArgs {
    /// The connection (ID or exact name); or --all, --tag or --name for many.
    #[arg(required_unless_present_any = ["all", "tag", "name"], conflicts_with = "many")]
    pub(crate) connection: Option<String>,
    /// Sync every active connection of the workspace (inactive ones are listed as skipped).
    #[arg(long)]
    pub(crate) all: bool,
    /// Sync the active connections that carry this tag.
    #[arg(long, value_name = "TAG", value_parser = super::parse_setting)]
    pub(crate) tag: Option<String>,
    /// Sync the active connections whose name matches this pattern: `*` any text, `?` one
    /// character, `[a-c]` one of them (quote it for the shell).
    #[arg(long, value_name = "GLOB", value_parser = super::parse_setting)]
    pub(crate) name: Option<String>,
    /// How many syncs run at once with --all, --tag or --name.
    #[arg(long, value_name = "N", default_value = "10", value_parser = parse_limit, requires = "many")]
    pub(crate) parallel: usize,
    /// Never send more than this many requests per second with --all, --tag or --name
    /// (default: as fast as the server allows; each 429 slows the run down, and it speeds up
    /// again after).
    #[arg(long, value_name = "N", value_parser = parse_rate, requires = "many")]
    pub(crate) max_rate: Option<f64>,
    #[command(flatten)]
    pub(crate) options: StartOptions,
}

impl SyncArgs {
    /// Whether many connections are asked for.
    pub(crate) fn is_many(&self) -> bool {
        self.all || self.tag.is_some() || self.name.is_some()
    }
}

/// Parses `--max-rate`: requests per second, above zero.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err("give a number of requests per second above zero, such as 20".to_owned()),
    }
}

/// Job statuses to filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum JobStatusArg {
    /// Waiting to start.
    Pending,
    /// Running.
    Running,
    /// Between attempts.
    Incomplete,
    /// Failed.
    Failed,
    /// Succeeded.
    Succeeded,
    /// Cancelled.
    Cancelled,
}

/// Job types to filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum JobTypeArg {
    /// Syncs.
    Sync,
    /// Resets.
    Reset,
    /// Clears.
    Clear,
    /// Refreshes.
    Refresh,
}

#[derive(Debug, Subcommand)]
pub(crate) enum JobsCommand {
    /// A connection's jobs, newest first.
    List {
        /// The connection (ID or exact name).
        connection: String,
        /// At most this many (at least 1).
        #[arg(long, default_value_t = 20, value_parser = parse_limit)]
        limit: usize,
        /// Only this status.
        #[arg(long, value_enum)]
        status: Option<JobStatusArg>,
        /// Only this type.
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        job_type: Option<JobTypeArg>,
    },
    /// One job, with its attempts and failure reason.
    Get {
        /// The job.
        job: i64,
    },
    /// Cancel a running job.
    Cancel {
        /// The job.
        job: i64,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Follow a job with live progress until it ends (exit code 3 unless it succeeds).
    Watch {
        /// The job.
        job: i64,
        /// Cancel the job when the wait times out (default: leave it running).
        #[arg(long, default_value_t = false, action = ArgAction::Set, value_name = "BOOL")]
        cancel_on_timeout: bool,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// A job's logs, control characters escaped (the exact text is in -o json).
    Logs {
        /// The job.
        job: i64,
        /// Only this attempt (from 1); the last by default.
        #[arg(long, conflicts_with = "follow")]
        attempt: Option<usize>,
        /// Only the last N lines.
        #[arg(long)]
        tail: Option<usize>,
        /// Keep printing new lines until the job ends.
        #[arg(long, short = 'f')]
        follow: bool,
        /// How often to look for new lines with --follow (at least 10ms).
        #[arg(long, value_name = "DURATION", value_parser = parse_poll_interval, default_value = "2s")]
        poll_interval: Duration,
    },
}
