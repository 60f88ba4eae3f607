//! Test helpers: the real data directory, fresh temporary directories, and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The directory of real source files: `$PARTYLINK_DATA`, else `../shared/data` beside the
/// checkout. Tests that need it fail loudly when it is missing rather than pass vacuously.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("PARTYLINK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("SOURCES.md").is_file() || dir.join("dpi").is_dir(),
        "no source data at {}: set PARTYLINK_DATA",
        dir.display()
    );
    dir
}

pub fn data(relative: &str) -> PathBuf {
    data_dir().join(relative)
}

pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A party's name from Party Facts' core file, without years, for a registry written by hand.
pub fn candidate_name(
    iso3: &str,
    id: i64,
    name: &str,
    kind: partylink::resolve::NameKind,
) -> partylink::resolve::CandidateName {
    partylink::resolve::CandidateName {
        iso3: iso3.into(),
        partyfacts_id: id,
        name: name.into(),
        kind,
        origin: "partyfacts".into(),
        year_first: None,
        year_last: None,
    }
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("partylink-test-").tempdir().expect("temporary directory")
}

/// Runs the partylink binary with `args`, with the real data directory.
pub fn partylink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partylink"))
        .args(args)
        .env("PARTYLINK_DATA", data_dir())
        .output()
        .expect("run partylink")
}

/// The partylink binary with `args`, the real data directory, and stdin, stdout and stderr
/// piped, to be spawned.
pub fn piped(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partylink"));
    command
        .args(args)
        .env("PARTYLINK_DATA", data_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Reads a CSV output as a header and rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (headers, rows)
}

/// The value of `column` in `row`, given the header.
pub fn cell<'a>(headers: &[String], row: &'a [String], column: &str) -> &'a str {
    let i = headers.iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"));
    &row[i]
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(
                    files_under(&path)
                        .into_iter()
                        .map(|f| format!("{}/{f}", path.file_name().unwrap().to_string_lossy())),
                );
            } else {
                out.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}
