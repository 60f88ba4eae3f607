//! Test helpers: the real data directory, fresh temporary directories, and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The directory of real source files: `$PARTYLINK_DATA`, else the repository's `data/` (the
/// files partylink builds in). Tests that need it fail loudly when it is missing rather than
/// pass vacuously.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("PARTYLINK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
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

/// Runs the partylink binary with `args`: on `$PARTYLINK_DATA` when set, else on the sources
/// built into it.
pub fn partylink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partylink")).args(args).output().expect("run partylink")
}

/// Runs the partylink binary with `args` and no `PARTYLINK_DATA`: on the built-in sources.
pub fn partylink_built_in(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partylink"))
        .args(args)
        .env_remove("PARTYLINK_DATA")
        .output()
        .expect("run partylink")
}

/// Runs the partylink binary with `args`, which must succeed.
pub fn partylink_ok(args: &[&str]) -> Output {
    let output = partylink(args);
    assert!(output.status.success(), "partylink {}: {}", args.join(" "), stderr(&output));
    output
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

/// A Parquet file of text columns, each given by its name and values.
pub fn parquet_of(columns: &[(&str, Vec<&str>)]) -> Vec<u8> {
    use std::sync::Arc;
    let fields: Vec<_> =
        columns.iter().map(|(n, _)| arrow::datatypes::Field::new(*n, arrow::datatypes::DataType::Utf8, true)).collect();
    let schema = Arc::new(arrow::datatypes::Schema::new(fields));
    let arrays = columns
        .iter()
        .map(|(_, v)| Arc::new(arrow::array::StringArray::from(v.clone())) as arrow::array::ArrayRef)
        .collect();
    let batch = arrow::array::RecordBatch::try_new(schema.clone(), arrays).unwrap();
    let mut bytes = Vec::new();
    let mut writer = parquet::arrow::ArrowWriter::try_new(&mut bytes, schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    bytes
}
