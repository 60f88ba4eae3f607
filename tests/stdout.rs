//! Outputs never replace anything but a regular file (a symbolic link, a device, a pipe, a
//! directory); `-` streams to standard output; a closed pipe ends any command quietly with
//! exit 0. Everything here happens in temporary directories: the real /dev/stdout is never
//! given as a destination.

mod common;

use std::process::Command;

use common::{partylink, piped, repo, stderr, tempdir};

fn run_sample(dir: &std::path::Path) -> String {
    let out = dir.join("out");
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["run", "-q", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    out.to_str().unwrap().to_string()
}

fn export_to(out: &str, to: &std::path::Path) -> std::process::Output {
    partylink(&["export", "--run", out, "--format", "csv", "--table", "accounting", "--to", to.to_str().unwrap()])
}

#[test]
fn export_never_replaces_a_symlink_a_pipe_or_a_directory() {
    let dir = tempdir();
    let out = run_sample(dir.path());
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "keep").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = export_to(&out, &link);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is a symbolic link, not a regular file"), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

    // A named pipe stands for a device: a special file a rename would replace.
    let fifo = dir.path().join("pipe.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let output = export_to(&out, &fifo);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is a device, pipe or socket"), "{}", stderr(&output));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    let folder = dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let output = export_to(&out, &folder);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is a directory"), "{}", stderr(&output));
    assert!(folder.is_dir());

    // A regular file is replaced.
    let file = dir.path().join("plain.csv");
    std::fs::write(&file, "old").unwrap();
    assert!(export_to(&out, &file).status.success());
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("outcome,"));
}

#[test]
fn a_run_never_renames_over_a_symlink_in_its_folder_and_writes_nothing_then() {
    let dir = tempdir();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let target = dir.path().join("elsewhere.csv");
    std::fs::write(&target, "keep").unwrap();
    std::os::unix::fs::symlink(&target, out.join("accounting.csv")).unwrap();
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["run", "-q", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("accounting.csv: it is a symbolic link"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert_eq!(common::files_under(&out), vec!["accounting.csv".to_string()], "nothing moved into place");
}

#[test]
fn a_dash_streams_to_stdout() {
    let dir = tempdir();
    let out = run_sample(dir.path());
    let output = partylink(&["export", "--run", &out, "--format", "csv", "--table", "accounting", "--to", "-"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("outcome,") && text.lines().count() == 5, "{text}");
    assert!(!dir.path().join("-").exists() && !std::path::Path::new("-").exists(), "no file named -");
    let output = partylink(&["export", "--run", &out, "--format", "parquet", "-t", "interactions", "-o", "-"]);
    assert!(output.status.success() && output.stdout.starts_with(b"PAR1"), "{}", stderr(&output));
    let output = partylink(&["export", "--run", &out, "--format", "csv", "--to", "-"]);
    assert_eq!(output.status.code(), Some(1), "every table to stdout needs --table");
}

/// Runs partylink with its stdout a pipe whose reading end is already closed.
fn into_closed_pipe(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = piped(args).spawn().unwrap();
    drop(child.stdout.take());
    if let Some(text) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    let dir = tempdir();
    let out = run_sample(dir.path());
    let big = "select a.* from enriched_contacts a, accounting b";
    for (args, stdin) in [
        (vec!["sql", "--run", &out, "--format", "csv", big], None),
        (vec!["sql", "--run", &out, big], None),
        (vec!["sql", "--run", &out], Some(".help\n.tables\nselect * from interactions;\n")),
        (vec!["export", "--run", &out, "--table", "enriched_contacts", "--format", "json", "--to", "-"], None),
        (vec!["explain", "--country", "Japan", "--year", "2010", "Komeito"], None),
        (vec!["completions", "bash"], None),
        (vec!["man"], None),
    ] {
        let output = into_closed_pipe(&args, stdin);
        assert_eq!(output.status.code(), Some(0), "partylink {}: {}", args.join(" "), stderr(&output));
        assert_eq!(stderr(&output), "", "partylink {}", args.join(" "));
    }
}
