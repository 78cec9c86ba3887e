//! `sync`, `reset`, `clear` and `jobs`.

use std::time::Duration;

use clap::{ArgAction, Args, Subcommand, ValueEnum};

use super::{DryRun, parse_duration, parse_limit};

/// How to wait for a job.
#[derive(Clone, Debug, Args)]
pub(crate) struct WaitArgs {
    /// Give up waiting after this long (30s, 10m, 2h; 0 for no limit).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30m")]
    pub(crate) timeout: Duration,
    /// The first wait between status polls (it grows up to 30s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
    pub(crate) poll_interval: Duration,
    /// On Ctrl-C or SIGTERM, cancel the job (default: leave it running and say how to attach;
    /// a job followed with --attach only with --cancel-attached).
    #[arg(long)]
    pub(crate) cancel_on_interrupt: bool,
}

/// Starting a job: the wait, what to do when a job of the kind already runs, and what may
/// be cancelled.
#[derive(Clone, Debug, Args)]
pub(crate) struct StartArgs {
    /// The connection (ID or exact name).
    pub(crate) connection: String,
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
    /// A job's logs.
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
        /// How often to look for new lines with --follow.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
        poll_interval: Duration,
    },
}
