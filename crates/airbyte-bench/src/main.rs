//! `airbyte-bench`: the benchmarks and the soak of the Airbyte SDK and mock server. Driven by
//! `cargo xtask bench` (which writes BENCHMARKS.md) and `cargo xtask soak`.

// A measuring harness reports on stdout by design.
#![allow(clippy::print_stdout)]

mod apply;
mod fleet;
mod load;
mod minimal_pool;
mod procs;
mod report;
mod soak;
mod static_server;
mod workflow;
mod world_gen;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|arg| arg == flag)
        .and_then(|index| args.get(index + 1))
        .cloned()
}

fn number(args: &[String], flag: &str, default: u64) -> u64 {
    value(args, flag)
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

const USAGE: &str = "usage:
  airbyte-bench report --mock-bin PATH --out FILE [--findings FILE] [--rounds N] [--seconds S] [--command TEXT]
                       [--only overhead,concurrency,workflow,paging,mock,tls,latency,apply,fleet]
  airbyte-bench calls --mock-bin PATH [--contender facade|bare|body|minimal] [--link plain|tls1|tls2] [--seconds S | --count N] [--runtime multi|current]
  airbyte-bench soak [--duration SECS] [--workers N] [--seed N] [--latency MS]
  airbyte-bench load --base URL --paths P1,P2 [--authorization H] [--connections N] [--seconds S]
  airbyte-bench static-server --bytes N
  airbyte-bench page --base URL --workspace ID";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("report") => {
            let (Some(mock_bin), Some(out)) = (value(&args, "--mock-bin"), value(&args, "--out"))
            else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            report::run(report::ReportOptions {
                mock_binary: PathBuf::from(mock_bin),
                out: PathBuf::from(out),
                findings: value(&args, "--findings").map(PathBuf::from),
                rounds: number(&args, "--rounds", 9) as usize,
                seconds: number(&args, "--seconds", 2),
                command: value(&args, "--command")
                    .unwrap_or_else(|| "cargo xtask bench".to_owned()),
                only: value(&args, "--only")
                    .map(|list| list.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
            .await;
            ExitCode::SUCCESS
        }
        Some("calls") => {
            let Some(mock_bin) = value(&args, "--mock-bin") else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let current_thread = value(&args, "--runtime").as_deref() == Some("current");
            let contender = value(&args, "--contender").unwrap_or_else(|| "facade".to_owned());
            let link = value(&args, "--link").unwrap_or_else(|| "plain".to_owned());
            let seconds = number(&args, "--seconds", 10);
            let count = value(&args, "--count").and_then(|text| text.parse().ok());
            let calls = async move {
                report::calls(&PathBuf::from(mock_bin), &contender, &link, seconds, count).await;
            };
            if current_thread {
                // One thread: no worker parks, steals or wakes another, so instruction counts
                // are those of the calls alone and repeat from run to run.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                std::thread::spawn(move || runtime.block_on(calls))
                    .join()
                    .expect("the calls ran");
            } else {
                calls.await;
            }
            ExitCode::SUCCESS
        }
        Some("soak") => {
            let healthy = soak::run(soak::SoakOptions {
                duration: Duration::from_secs(number(&args, "--duration", 60)),
                workers: number(&args, "--workers", 12) as usize,
                seed: number(&args, "--seed", 2026),
                max_latency: Duration::from_millis(number(&args, "--latency", 15)),
            })
            .await;
            if healthy {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some("load") => {
            let Some(base) = value(&args, "--base") else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let paths = value(&args, "--paths")
                .unwrap_or_else(|| "/".to_owned())
                .split(',')
                .map(str::to_owned)
                .collect();
            let result = load::run(
                &base,
                paths,
                value(&args, "--authorization"),
                number(&args, "--connections", 64) as usize,
                Duration::from_secs(number(&args, "--seconds", 3)),
            )
            .await;
            println!("{}", serde_json::to_string(&result).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Some("static-server") => {
            let size = number(&args, "--bytes", 400) as usize;
            let mut body = vec![b' '; size.max(2)];
            body[0] = b'{';
            let last = body.len() - 1;
            body[last] = b'}';
            static_server::run(bytes::Bytes::from(body)).await;
            ExitCode::SUCCESS
        }
        Some("page") => {
            let (Some(base), Some(workspace)) =
                (value(&args, "--base"), value(&args, "--workspace"))
            else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            report::page(&base, &workspace).await;
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
