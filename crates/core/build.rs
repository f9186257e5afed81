//! Embeds the bundled scenarios (`scenarios/*.ron` at the workspace root)
//! and the two guides in kiku-core, so the binary plays anywhere without the
//! source tree. Writes `$OUT_DIR/bundled.rs`, read by `load::bundled`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../..");
    let scenarios = root.join("scenarios");
    let guide = scenarios.join("README.md");
    let facilitator = root.join("docs/1on1-guide.md");
    println!("cargo::rerun-if-changed={}", scenarios.display());
    println!("cargo::rerun-if-changed={}", guide.display());
    println!("cargo::rerun-if-changed={}", facilitator.display());

    let mut files: Vec<PathBuf> = std::fs::read_dir(&scenarios)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        // A packaged kiku-core (`cargo package`) has no workspace around it.
        println!(
            "cargo::warning=no scenarios found in {}: the binary embeds none",
            scenarios.display()
        );
    }
    let mut out = String::from("/// The bundled scenarios: (file name, text).\n");
    out.push_str("pub static SCENARIOS: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        writeln!(out, "    ({name:?}, include_str!({:?})),", absolute(file)).unwrap();
    }
    out.push_str("];\n");
    for (name, path, what) in [
        (
            "AUTHORING_GUIDE",
            &guide,
            "The authoring guide (`scenarios/README.md`).",
        ),
        (
            "FACILITATOR_GUIDE",
            &facilitator,
            "The facilitator's reference (`docs/1on1-guide.md`).",
        ),
    ] {
        if path.is_file() {
            writeln!(
                out,
                "/// {what}\npub static {name}: &str = include_str!({:?});",
                absolute(path)
            )
            .unwrap();
        } else {
            println!(
                "cargo::warning={} not found: embedded as empty",
                path.display()
            );
            writeln!(
                out,
                "/// {what} (not found at build time)\npub static {name}: &str = \"\";"
            )
            .unwrap();
        }
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("bundled.rs");
    std::fs::write(&dest, out).expect("write bundled.rs");
}

fn absolute(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
