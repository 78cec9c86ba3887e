//! What only a terminal shows, through a pseudo-terminal: live progress, Ctrl-C during a
//! wait, colour, indented JSON and confirmation prompts.

#![cfg(unix)]

mod support;

use std::time::Duration;

use expectrl::{ControlCode, Expect};
use support::*;

/// Runs `drive` in a terminal against the mock server, off the runtime's threads.
async fn terminal<T: Send + 'static>(
    server: &MockServer,
    args: &[&str],
    extra_env: &[(&'static str, &'static str)],
    drive: impl FnOnce(&mut expectrl::session::OsSession) -> T + Send + 'static,
) -> T {
    let mut env: Vec<(String, String)> = env_for(server)
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    env.extend(
        extra_env
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned())),
    );
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        in_terminal(&args, &env, drive)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dumb_terminal_gets_progress_lines() {
    // With TERM=dumb the progress library drew nothing: a long sync showed no sign of life
    // until it ended.
    let server = mock_with(Duration::from_millis(1_500)).await;
    let (text, code) = terminal(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "100ms"],
        &[("TERM", "dumb")],
        finish,
    )
    .await;
    assert_eq!(code, 0, "{text}");
    assert!(
        text.lines()
            .any(|line| line.starts_with("job ") && line.contains(" running ")),
        "a line per change: {text}"
    );
    assert!(!text.contains('\u{1b}'), "no escape sequences: {text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_shows_live_progress_then_its_result() {
    let server = mock_with(Duration::from_millis(1_500)).await;
    let (text, code) = terminal(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "100ms"],
        &[],
        finish,
    )
    .await;
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("running"),
        "progress shows the status: {text}"
    );
    assert!(text.contains("rows"), "{text}");
    assert!(
        text.contains("\u{1b}[2K") || text.contains('\r'),
        "the line is redrawn in place: {text:?}"
    );
    assert!(
        text.lines()
            .any(|line| line.contains("STATUS") && line.contains("succeeded")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_leaves_the_job_running_and_says_how_to_attach() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let (text, code) = terminal(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "100ms"],
        &[],
        |session| {
            session.expect("running").expect("the job runs");
            session.send(ControlCode::EndOfText).unwrap();
            finish(session)
        },
    )
    .await;
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("keeps running"), "{text}");
    assert!(
        text.contains("airbyte jobs watch") && text.contains("airbyte jobs cancel"),
        "{text}"
    );
    let jobs = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(jobs[0]["status"], "running", "the job was left running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_with_cancel_on_interrupt_cancels_the_job() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let (text, code) = terminal(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-interval",
            "100ms",
            "--cancel-on-interrupt",
        ],
        &[],
        |session| {
            session.expect("running").expect("the job runs");
            session.send(ControlCode::EndOfText).unwrap();
            finish(session)
        },
    )
    .await;
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("cancelled job"), "{text}");
    let jobs = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(jobs[0]["status"], "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_are_coloured_on_a_terminal_unless_no_color() {
    let server = mock().await;
    let (coloured, code) =
        terminal(&server, &["jobs", "list", FAKER_CONNECTION_ID], &[], finish).await;
    assert_eq!(code, 0);
    assert!(
        coloured.contains("\u{1b}[32m"),
        "succeeded is green: {coloured:?}"
    );
    let (plain_text, _) = terminal(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID],
        &[("NO_COLOR", "1")],
        finish,
    )
    .await;
    assert!(!plain_text.contains("\u{1b}["), "{plain_text:?}");
    let (never, _) = terminal(
        &server,
        &["--color", "never", "jobs", "list", FAKER_CONNECTION_ID],
        &[],
        finish,
    )
    .await;
    assert!(!never.contains("\u{1b}["), "{never:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_is_indented_on_a_terminal() {
    let server = mock().await;
    let (text, code) = terminal(
        &server,
        &["-o", "json", "sources", "get", FAKER_SOURCE_ID],
        &[],
        finish,
    )
    .await;
    assert_eq!(code, 0);
    assert!(text.lines().count() > 3, "{text}");
    assert!(text.contains("  \"sourceId\""), "{text}");
}

/// Waits for the confirmation prompt, answers no, and returns the prompt, the rest of the
/// output and the exit code.
fn decline(session: &mut expectrl::session::OsSession) -> (String, String, i32) {
    let prompt = session.expect("Continue? [y/N]").expect("a prompt");
    let prompt = String::from_utf8_lossy(prompt.before()).into_owned();
    session.send_line("n").unwrap();
    let (text, code) = finish(session);
    (prompt, text, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_lists_what_is_deleted_and_no_keeps_it() {
    let server = mock().await;
    let id = new_source(&server, "p (delete-me)").await;
    let (prompt, text, code) = terminal(&server, &["sources", "delete", &id], &[], decline).await;
    assert_eq!(code, 5, "{text}");
    assert!(
        prompt.contains("delete source \"p (delete-me)\""),
        "{prompt}"
    );
    assert!(prompt.contains(&id), "{prompt}");
    ok(&server, &["sources", "get", &id]).await;
    let (text, code) = terminal(&server, &["sources", "delete", &id], &[], |session| {
        session.expect("Continue? [y/N]").expect("a prompt");
        session.send_line("y").unwrap();
        finish(session)
    })
    .await;
    assert_eq!(code, 0, "{text}");
    airbyte(&server, &["sources", "get", &id]).await.code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_at_a_prompt_changes_nothing() {
    let server = mock().await;
    let id = new_source(&server, "q (delete-me)").await;
    let (text, code) = terminal(&server, &["sources", "delete", &id], &[], |session| {
        session.expect("Continue? [y/N]").expect("a prompt");
        session.send(ControlCode::EndOfText).unwrap();
        finish(session)
    })
    .await;
    assert_eq!(code, 130, "{text}");
    ok(&server, &["sources", "get", &id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_prompt_where_nobody_can_see_it() {
    // `airbyte sources delete X 2>delete.log` in a terminal waited for an answer to a question
    // written into the file.
    let server = mock().await;
    let id = new_source(&server, "q (delete-me)").await;
    let env = env_for(&server);
    let script = format!("exec \"{BINARY}\" sources delete {id} 2>/dev/null");
    let code = tokio::task::spawn_blocking(move || {
        let home = home();
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(&script)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TERM", "xterm-256color")
            .envs(env.iter().map(|(key, value)| (*key, value.as_str())));
        let mut session = expectrl::Session::spawn(command).expect("a pseudo-terminal");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        finish(&mut session)
    })
    .await
    .unwrap();
    assert_eq!(code.1, 5, "refused without asking: {}", code.0);
    ok(&server, &["sources", "get", &id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn color_never_applies_to_usage_errors_too() {
    // `airbyte --color never sorces` on a terminal printed clap's error in colour.
    let server = mock().await;
    let (text, code) = terminal(&server, &["--color", "never", "sorces"], &[], finish).await;
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("unrecognized subcommand"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_lists_the_dependents_a_delete_takes_with_it() {
    let server = mock().await;
    let pipeline = shared(&server, &["a (delete-me)", "b (delete-me)"]).await;
    let args = ["sources", "delete", &pipeline.source, "--with-dependents"];
    let (prompt, text, code) = terminal(&server, &args, &[], decline).await;
    assert_eq!(code, 5, "{text}");
    for (id, name) in pipeline.connections.iter().zip(["a", "b"]) {
        assert!(
            prompt.contains(&format!(
                "delete connection \"{name} (delete-me)\" ({id}): depends on source"
            )),
            "{prompt}"
        );
    }
    assert!(
        prompt.contains("delete source \"shared (delete-me)\""),
        "{prompt}"
    );
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    all_exist(&server, "connections", &ids).await;
}

/// Runs a delete in a terminal; while its question is open, runs `meanwhile` (another
/// caller's command, `-o json`), then answers yes.
async fn answered_after(server: &MockServer, args: &[&str], meanwhile: &[&str]) -> (String, i32) {
    let env = env_for(server);
    let meanwhile: Vec<String> = meanwhile.iter().map(|arg| (*arg).to_owned()).collect();
    terminal(server, args, &[], move |session| {
        session.expect("Continue? [y/N]").expect("a prompt");
        let home = home();
        let mut other = vec!["--output", "json"];
        other.extend(meanwhile.iter().map(String::as_str));
        let done = command(&other, &pairs(&env), home.path()).output().unwrap();
        assert!(done.status.success(), "{done:?}");
        session.send_line("y").unwrap();
        finish(session)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_that_grew_while_the_question_was_open_is_refused() {
    // Confirmed for two connections; a third appeared before the answer: it must not be
    // deleted unseen.
    let server = mock().await;
    let pipeline = shared(&server, &["a (delete-me)"]).await;
    let args = ["sources", "delete", &pipeline.source, "--with-dependents"];
    let create = [
        "connections",
        "create",
        "--source",
        &pipeline.source,
        "--destination",
        &pipeline.destination,
        "--name",
        "late (delete-me)",
    ];
    let (text, code) = answered_after(&server, &args, &create).await;
    assert_eq!(code, 5, "{text}");
    assert!(text.contains("late (delete-me)"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    all_exist(&server, "connections", &ids).await;
    all_exist(&server, "sources", &[&pipeline.source]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_delete_sends_exactly_the_plan_shown() {
    // The plan confirmed named connection "a (delete-me)"; renamed before the answer (its
    // new name passes safe mode too), it was deleted under a name nobody had seen: only new
    // IDs were looked for.
    let server = mock().await;
    let pipeline = shared(&server, &["a (delete-me)"]).await;
    let args = ["sources", "delete", &pipeline.source, "--with-dependents"];
    let connection = pipeline.connections[0].clone();
    let rename = ["connections", "rename", &connection, "nightly (delete-me)"];
    let (text, code) = answered_after(&server, &args, &rename).await;
    assert_eq!(code, 5, "{text}");
    assert!(text.contains("is now named"), "{text}");
    assert!(text.contains("nightly (delete-me)"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    all_exist(&server, "connections", &[&connection]).await;
    all_exist(&server, "sources", &[&pipeline.source]).await;
}
