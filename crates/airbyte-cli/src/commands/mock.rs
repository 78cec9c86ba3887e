//! `mock`: the offline mock server in the foreground.

use std::io::Write;
use std::time::Duration;

use airbyte::mock::{MockConfig, MockServer};

use crate::cli::MockArgs;
use crate::error::{CliError, CliResult};
use crate::output::Out;

pub(crate) async fn run(out: &Out, args: &MockArgs) -> CliResult {
    let server = MockServer::start(MockConfig {
        addr: args.addr,
        job_duration: Duration::from_millis(args.job_duration),
        fixtures_dir: args.fixtures.clone(),
        seed: args.seed,
        ..MockConfig::default()
    })
    .await
    .map_err(|error| CliError::bad(error.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "airbyte-mock-server listening on {}",
        server.base_url()
    );
    let _ = stdout.flush();
    drop(stdout);
    out.note(&format!(
        "Public API: {}\nConfig API: {}\ncredentials: {} / {} (or basic airbyte / password)\nStop with Ctrl-C.",
        server.public_api_root(),
        server.config_api_root(),
        airbyte::mock::DEFAULT_CLIENT_ID,
        airbyte::mock::DEFAULT_CLIENT_SECRET,
    ));
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    Ok(())
}
