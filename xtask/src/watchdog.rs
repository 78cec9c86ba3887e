//! A time limit for each step: a hung test (or build) must fail CI with a clear message, not
//! hold it until the CI job's own limit. cargo-nextest ends a hung test itself
//! (`.config/nextest.toml`); the `cargo test` fallback, clippy, doctests and the soak have no
//! such bound, so every step runs under this one.

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How long one step may take unless [`LIMIT_VARIABLE`] says otherwise: generous, since a
/// step compiles too (the whole workspace, on a two-core machine, from a cold cache).
pub(crate) const DEFAULT_LIMIT: Duration = Duration::from_secs(60 * 60);

/// The environment variable that sets the limit of each step, in seconds.
pub(crate) const LIMIT_VARIABLE: &str = "XTASK_STEP_TIMEOUT_SECS";

/// How often a running step is looked at.
const POLL: Duration = Duration::from_millis(200);

/// The limit of each step: [`DEFAULT_LIMIT`], or the whole number of seconds `setting` holds
/// (the value of [`LIMIT_VARIABLE`]).
pub(crate) fn step_limit(setting: Option<&str>) -> Result<Duration, String> {
    let Some(text) = setting else {
        return Ok(DEFAULT_LIMIT);
    };
    match text.trim().parse::<u64>() {
        Ok(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds)),
        _ => Err(format!(
            "{LIMIT_VARIABLE} must be a whole number of seconds above zero, not {text:?}"
        )),
    }
}

/// How a step ended.
#[derive(Debug)]
pub(crate) enum Ended {
    /// It exited by itself.
    Exited(ExitStatus),
    /// It ran past its limit and was stopped, with every process it started.
    TimedOut,
}

/// Runs `command` for at most `limit`; past it, the command and its descendants (the test
/// binaries `cargo test` runs) are killed.
pub(crate) fn run_bounded(command: &mut Command, limit: Duration) -> std::io::Result<Ended> {
    let mut child = command.spawn()?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ended::Exited(status));
        }
        let elapsed = started.elapsed();
        if elapsed >= limit {
            stop(&mut child);
            return Ok(Ended::TimedOut);
        }
        std::thread::sleep(POLL.min(limit - elapsed));
    }
}

/// Kills the child and everything below it, then reaps the child.
fn stop(child: &mut Child) {
    let descendants = descendants(child.id());
    if !descendants.is_empty() {
        // The shell's `kill` builtin: present wherever `sh` is, unlike a `kill` binary.
        let mut kill = Command::new("sh");
        kill.args(["-c", "kill -KILL \"$@\" 2>/dev/null", "sh"]);
        kill.args(descendants.iter().map(u32::to_string));
        let _ = kill.status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The processes below `root` (children, their children, ...), read from `/proc`; none where
/// there is no `/proc` (the child alone is killed there).
fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| {
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    Some((pid, parent_of(&stat)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, _) in parents.iter().filter(|(_, of)| *of == parent) {
            if !found.contains(pid) {
                found.push(*pid);
                frontier.push(*pid);
            }
        }
    }
    found
}

/// The parent process ID in the text of `/proc/PID/stat`: the second field after the command
/// name, which is in parentheses and may itself hold spaces and parentheses.
fn parent_of(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_an_hour_unless_set_in_whole_seconds() {
        assert_eq!(step_limit(None), Ok(DEFAULT_LIMIT));
        assert_eq!(step_limit(Some(" 90 ")), Ok(Duration::from_secs(90)));
        for refused in ["0", "-5", "40m", ""] {
            let error = step_limit(Some(refused)).unwrap_err();
            assert!(error.contains(LIMIT_VARIABLE), "{error}");
        }
    }

    #[test]
    fn the_parent_is_read_after_a_command_name_with_spaces_and_parentheses() {
        assert_eq!(parent_of("42 (cargo) S 7 42 42 0"), Some(7));
        assert_eq!(parent_of("43 (a (b) c) R 42 43 43 0"), Some(42));
        assert_eq!(parent_of("garbage"), None);
    }

    #[test]
    fn a_step_within_its_limit_ends_with_its_own_status() {
        let passed = run_bounded(
            Command::new("sh").args(["-c", "exit 0"]),
            Duration::from_secs(30),
        )
        .unwrap();
        assert!(matches!(passed, Ended::Exited(status) if status.success()));
        let failed = run_bounded(
            Command::new("sh").args(["-c", "exit 3"]),
            Duration::from_secs(30),
        )
        .unwrap();
        assert!(matches!(failed, Ended::Exited(status) if status.code() == Some(3)));
    }

    /// Whether a process is gone (or a zombie nobody reaped yet: it runs no more).
    #[cfg(target_os = "linux")]
    fn is_gone(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
            let state = &stat[stat.rfind(')').unwrap() + 1..];
            state.split_whitespace().next() == Some("Z")
        })
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_step_past_its_limit_is_stopped_with_the_processes_it_started() {
        // A shell whose child would sleep for a minute, as `cargo test` waits on a hung test
        // binary; the limit is a fraction of a second.
        let dir = std::env::temp_dir().join(format!("xtask-watchdog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("grandchild.pid");
        let script = format!("sleep 60 & echo $! > '{}'; wait", pid_file.display());
        let started = Instant::now();
        let ended = run_bounded(
            Command::new("sh").args(["-c", &script]),
            Duration::from_millis(500),
        )
        .unwrap();
        assert!(matches!(ended, Ended::TimedOut), "{ended:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let grandchild: u32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !is_gone(grandchild) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(is_gone(grandchild), "the sleep the step started still runs");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
