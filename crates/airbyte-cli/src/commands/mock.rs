//! `mock`: the offline mock server in the foreground.

use airbyte::mock::{MockConfig, MockServer};

use crate::cli::MockArgs;
use crate::error::{CliError, CliResult};
use crate::output::Out;

pub(crate) async fn run(out: &Out, args: &MockArgs) -> CliResult {
    let server = MockServer::start(MockConfig {
        addr: args.addr,
        job_duration: args.job_duration,
        fixtures_dir: args.fixtures.clone(),
        seed: args.seed,
        // Needed to listen beyond loopback, where mock control must not be open.
        control_token: std::env::var("AIRBYTE_MOCK_CONTROL_TOKEN").ok(),
        ..MockConfig::default()
    })
    .await
    .map_err(|error| CliError::bad(error.to_string()))?;
    let stop = airbyte::mock::StopSignals::install();
    server.announce();
    out.note(&format!(
        "Public API: {}\nConfig API: {}\ncredentials: {} / {}\nStop with Ctrl-C.",
        server.public_api_root(),
        server.config_api_root(),
        airbyte::mock::DEFAULT_CLIENT_ID,
        airbyte::mock::DEFAULT_CLIENT_SECRET,
    ));
    stop.wait().await;
    server.shutdown().await;
    Ok(())
}
