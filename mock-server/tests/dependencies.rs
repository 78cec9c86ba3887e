//! Library users (`airbyte` with its `mock` feature) do not build the binary's dependencies:
//! argument parsing and log output sit behind this crate's `cli` feature, which the workspace
//! dependency leaves off.

use std::process::Command;

fn normal_dependencies(package: &str, features: &str) -> String {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .current_dir(&workspace)
        .args([
            "tree",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            package,
            "--features",
            features,
        ])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_facade_with_the_mock_does_not_pull_the_binary_dependencies() {
    let tree = normal_dependencies("airbyte", "mock");
    assert!(tree.contains("airbyte-mock-server"), "{tree}");
    for binary_only in ["clap ", "tracing-subscriber "] {
        assert!(!tree.contains(binary_only), "{binary_only}is in:\n{tree}");
    }
}

#[test]
fn the_binary_has_its_dependencies() {
    let tree = normal_dependencies("airbyte-mock-server", "cli");
    assert!(
        tree.contains("clap ") && tree.contains("tracing-subscriber "),
        "{tree}"
    );
}
