//! Settings: precedence, the config file, profiles and `config view`.

mod support;

use std::path::Path;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bearer_token_flag_beats_client_credentials_from_the_environment() {
    // B4: the higher level wins; "not both" is only for one level.
    let server = mock().await;
    let env = env_for(&server);
    let run = run_with_env(
        &[
            "-o",
            "json",
            "--bearer-token",
            "not-a-valid-token",
            "workspaces",
            "get",
        ],
        &pairs(&env),
    )
    .await;
    // The flag's token is used (and refused by the server), not the environment's
    // client credentials, and there is no "not both" error.
    assert!(
        !run.stderr.contains("not both") && !run.stderr.contains("keep one"),
        "{}",
        run.stderr
    );
    run.code(1).says("401");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_flags_beat_a_bearer_token_in_the_file() {
    let server = mock().await;
    let home = home();
    let path = config_file(home.path(), "bearer_token: stale-token-from-file\n");
    let root = server.public_api_root();
    let run = run_with_env(
        &[
            "-o",
            "json",
            "--config-file",
            &path,
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            SECRET,
            "--api-root",
            &root,
            "--workspace-id",
            PRODUCTION_WORKSPACE_ID,
            "workspaces",
            "get",
        ],
        &[],
    )
    .await;
    run.code(0);
    assert_eq!(run.json()["name"], "Production");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_kinds_of_credentials_at_one_level_are_an_error() {
    let run = run_with_env(
        &["workspaces", "list"],
        &[
            ("AIRBYTE_CLIENT_ID", "id"),
            ("AIRBYTE_CLIENT_SECRET", "secret-value"),
            ("AIRBYTE_BEARER_TOKEN", "token-value"),
        ],
    )
    .await;
    run.code(2).says("environment variables");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_file_named_by_the_environment_must_exist() {
    // B5.
    let run = run_with_env(
        &["workspaces", "get"],
        &[
            ("AIRBYTE_CONFIG_FILE", "/nope.yaml"),
            ("AIRBYTE_BEARER_TOKEN", "t"),
        ],
    )
    .await;
    run.code(2).says("/nope.yaml").says("does not exist");
    let flag = run_with_env(&["--config-file", "/nope.yaml", "workspaces", "get"], &[]).await;
    flag.code(2).says("/nope.yaml");
    let home = home();
    let dir = home.path().to_str().unwrap();
    run_with_env(&["--config-file", dir, "workspaces", "get"], &[])
        .await
        .code(2)
        .says(&format!(
            "the config file {dir} (from --config-file) is a directory"
        ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readable_config_file_with_a_secret_is_refused() {
    let server = mock().await;
    let home = home();
    let path = config_file(
        home.path(),
        &format!(
            "workspace_id: {PRODUCTION_WORKSPACE_ID}\napi_root: {}\nclient_id: {CLIENT_ID}\nclient_secret: {SECRET}\n",
            server.public_api_root()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = run_with_env(&["--config-file", &path, "workspaces", "get"], &[]).await;
        refused.code(2).says("chmod 600");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let accepted = run_with_env(
        &["--config-file", &path, "-o", "json", "workspaces", "get"],
        &[],
    )
    .await;
    accepted.code(0);
    assert_eq!(accepted.json()["name"], "Production");
    // Flags beat the environment, which beats the file.
    let flagged = run_with_env(
        &[
            "--config-file",
            &path,
            "--workspace-id",
            STAGING_WORKSPACE_ID,
            "-o",
            "json",
            "workspaces",
            "get",
        ],
        &[(
            "AIRBYTE_WORKSPACE_ID",
            "9e4a3c1d-1b2f-4c5d-8e6f-000000000000",
        )],
    )
    .await;
    assert_eq!(flagged.json()["name"], "Staging");
    let from_env = run_with_env(
        &["--config-file", &path, "-o", "json", "workspaces", "get"],
        &[("AIRBYTE_WORKSPACE_ID", STAGING_WORKSPACE_ID)],
    )
    .await;
    assert_eq!(from_env.json()["name"], "Staging");
}

fn profiles_file(dir: &Path, server: &MockServer) -> String {
    config_file(
        dir,
        &format!(
            "api_root: {}\nclient_id: {CLIENT_ID}\nclient_secret: {SECRET}\nworkspace_id: {PRODUCTION_WORKSPACE_ID}\ndefault_profile: production\nprofiles:\n  production:\n    workspace_id: {PRODUCTION_WORKSPACE_ID}\n  staging:\n    workspace_id: {STAGING_WORKSPACE_ID}\n",
            server.public_api_root()
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_are_chosen_by_flag_variable_or_default() {
    let server = mock().await;
    let home = home();
    let path = profiles_file(home.path(), &server);
    let get = |extra: Vec<&'static str>, env: Vec<(&'static str, &'static str)>| {
        let path = path.clone();
        async move {
            let mut args = vec!["--config-file", path.as_str(), "-o", "json"];
            args.extend(extra);
            args.extend(["workspaces", "get"]);
            let run = run_with_env(&args, &env).await;
            run.code(0);
            run.json()["name"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(get(vec![], vec![]).await, "Production");
    assert_eq!(get(vec!["--profile", "staging"], vec![]).await, "Staging");
    assert_eq!(
        get(vec![], vec![("AIRBYTE_PROFILE", "staging")]).await,
        "Staging"
    );
    assert_eq!(
        get(
            vec!["--profile", "production"],
            vec![("AIRBYTE_PROFILE", "staging")]
        )
        .await,
        "Production",
        "the flag beats the variable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_named_on_the_command_line_beats_the_environment() {
    // With AIRBYTE_WORKSPACE_ID set for production (a CI default), `--profile staging`
    // silently ran in production.
    let server = mock().await;
    let home = home();
    let path = profiles_file(home.path(), &server);
    let production = [("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID)];
    let run = run_with_env(
        &[
            "--config-file",
            &path,
            "--profile",
            "staging",
            "-o",
            "json",
            "workspaces",
            "get",
        ],
        &production,
    )
    .await;
    run.code(0);
    assert_eq!(run.json()["name"], "Staging");
    let view = run_with_env(
        &[
            "--config-file",
            &path,
            "--profile",
            "staging",
            "-o",
            "json",
            "config",
            "view",
        ],
        &production,
    )
    .await;
    let rows = view.json();
    let workspace = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["setting"] == "workspace_id")
        .unwrap();
    assert_eq!(workspace["value"], STAGING_WORKSPACE_ID);
    assert_eq!(workspace["source"], "config file (profile staging)");
    // A profile chosen by the variable stays below the other variables, and a flag beats
    // any profile.
    let by_variable = run_with_env(
        &["--config-file", &path, "-o", "json", "workspaces", "get"],
        &[
            ("AIRBYTE_PROFILE", "staging"),
            ("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID),
        ],
    )
    .await;
    assert_eq!(by_variable.json()["name"], "Production");
    let by_flag = run_with_env(
        &[
            "--config-file",
            &path,
            "--profile",
            "staging",
            "--workspace-id",
            PRODUCTION_WORKSPACE_ID,
            "-o",
            "json",
            "workspaces",
            "get",
        ],
        &[],
    )
    .await;
    assert_eq!(by_flag.json()["name"], "Production");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_profile_names_the_known_ones() {
    let server = mock().await;
    let home = home();
    let path = profiles_file(home.path(), &server);
    let run = run_with_env(
        &[
            "--config-file",
            &path,
            "--profile",
            "prod",
            "workspaces",
            "get",
        ],
        &[],
    )
    .await;
    run.code(2)
        .says("unknown profile \"prod\"")
        .says("production, staging");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_config_file_is_read_from_home() {
    let server = mock().await;
    let home = home();
    let dir = home.path().join(".config").join("airbyte");
    std::fs::create_dir_all(&dir).unwrap();
    profiles_file(&dir, &server);
    let run = run_in(
        &["-o", "json", "--profile", "staging", "workspaces", "get"],
        &[],
        home.path(),
    )
    .await;
    run.code(0);
    assert_eq!(run.json()["name"], "Staging");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_view_shows_each_setting_with_its_source_and_masks_secrets() {
    let server = mock().await;
    let home = home();
    let path = profiles_file(home.path(), &server);
    let run = run_with_env(
        &["--config-file", &path, "-o", "json", "config", "view"],
        &[
            ("AIRBYTE_PROFILE", "staging"),
            ("AIRBYTE_CLOUD_CLIENT_ID", "env-client-id"),
        ],
    )
    .await;
    run.code(0);
    let rows = run.json();
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|row| row["setting"] == name)
            .unwrap_or_else(|| panic!("no {name} row: {rows}"))
            .clone()
    };
    assert_eq!(row("profile")["value"], "staging");
    assert_eq!(row("profile")["source"], "variable AIRBYTE_PROFILE");
    assert_eq!(row("workspace_id")["value"], STAGING_WORKSPACE_ID);
    assert_eq!(
        row("workspace_id")["source"],
        "config file (profile staging)"
    );
    assert_eq!(row("client_id")["value"], "env-client-id");
    assert_eq!(
        row("client_id")["source"],
        "variable AIRBYTE_CLOUD_CLIENT_ID"
    );
    assert_eq!(row("client_secret")["value"], "********");
    assert_eq!(row("client_secret")["source"], "config file");
    assert_eq!(row("api_root")["source"], "config file");
    assert_eq!(row("config_file")["source"], "flag --config-file");
    assert!(!run.stdout.contains(SECRET));
    let flagged = run_with_env(
        &["--workspace-id", STAGING_WORKSPACE_ID, "config", "view"],
        &[],
    )
    .await;
    flagged.code(0);
    flagged.prints("flag --workspace-id");
    assert!(
        flagged.stdout.contains("https://api.airbyte.com/v1"),
        "the default root is shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credentials_is_a_clear_error() {
    run_with_env(
        &["sources", "list"],
        &[("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID)],
    )
    .await
    .code(2)
    .says("no credentials");
    run_with_env(&["sources", "list"], &[("AIRBYTE_BEARER_TOKEN", "t")])
        .await
        .code(2)
        .says("AIRBYTE_WORKSPACE_ID");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_flag_is_refused_rather_than_replaced_by_the_environment() {
    // `airbyte --workspace-id "$STAGING" ...` with $STAGING unset ran in the workspace of
    // AIRBYTE_WORKSPACE_ID.
    let server = mock().await;
    for flag in [
        "--workspace-id",
        "--profile",
        "--api-root",
        "--config-api-root",
        "--client-id",
        "--client-secret",
        "--bearer-token",
    ] {
        for value in ["", "  "] {
            plain(&server, &[flag, value, "sources", "list"])
                .await
                .code(2)
                .says("an empty value")
                .says(flag);
        }
    }
    assert!(server.journal().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_root_that_cannot_be_used_names_the_flags_that_set_it() {
    // The error pointed at AIRBYTE_CLOUD_CONFIG_API_URL or "disabling the Config API", which
    // the tool cannot do, and not at --config-api-root.
    let run = run_with_env(
        &[
            "--api-root",
            "http://127.0.0.1:9/",
            "--bearer-token",
            "t",
            "sources",
            "list",
        ],
        &[("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID)],
    )
    .await;
    // The hint names every variable the tool reads for the setting, the Cloud form too.
    run.code(2)
        .says("cannot infer the Config API root")
        .says("--config-api-root, AIRBYTE_CONFIG_API_ROOT (or AIRBYTE_CLOUD_CONFIG_API_URL)");
    run_with_env(
        &[
            "--api-root",
            "ftp://example",
            "--bearer-token",
            "t",
            "sources",
            "list",
        ],
        &[("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID)],
    )
    .await
    .code(2)
    .says("--api-root, AIRBYTE_API_ROOT (or AIRBYTE_CLOUD_API_URL)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_in_a_root_is_refused_and_never_shown() {
    // It was never sent, yet it was printed: in `config view`, in errors, and in the job
    // link of every sync.
    let server = mock().await;
    let root = server
        .public_api_root()
        .replacen("http://", "http://airbyte:ROOTPW@", 1);
    let env = env_for(&server);
    let mut env = pairs(&env);
    env.retain(|(key, _)| *key != "AIRBYTE_API_ROOT");
    env.push(("AIRBYTE_API_ROOT", &root));
    let run = run_with_env(&["sources", "list"], &env).await;
    run.code(2).says("credentials");
    assert!(!run.stderr.contains("ROOTPW"), "{}", run.stderr);
    let run = run_with_env(&["config", "view"], &env).await;
    run.code(0);
    run.never_prints("ROOTPW");
    assert!(run.line("api_root").contains("invalid"), "{}", run.stdout);
    assert!(server.journal().is_empty(), "a request was sent");
}
