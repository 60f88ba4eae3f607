//! `partylink sql` reading statements from stdin, as a script: the first failing statement
//! ends it with exit 1, each error is printed once, the last statement needs no `;`, and the
//! dot commands and `exit` / `quit` work as at the DuckDB prompt.

mod common;

use common::{partylink, piped, repo, stderr, tempdir};
use std::io::Write;

fn run_sample() -> (tempfile::TempDir, String) {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["run", "-q", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = out.to_str().unwrap().to_string();
    (dir, out)
}

fn script(out: &str, home: &std::path::Path, text: &str) -> (Option<i32>, String, String) {
    let mut child = piped(&["sql", "--run", out, "--format", "csv"]).env("HOME", home).spawn().unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let err = stderr(&output);
    (output.status.code(), String::from_utf8(output.stdout).unwrap(), err)
}

#[test]
fn the_first_failing_statement_ends_a_script_with_one_error() {
    let (dir, out) = run_sample();
    let (code, stdout, stderr) = script(&out, dir.path(), "select 1 as a;\nselect *\n  from nope;\nselect 2 as b;\n");
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "a\n1\n", "the statement after the error does not run");
    assert_eq!(stderr.lines().count(), 1, "one error, printed once: {stderr}");
    assert_eq!(stderr.matches("nope").count(), 1, "{stderr}");
    assert!(
        stderr.contains("line 3") && stderr.contains("the tables are accounting, audit_crosswalk, contacts_by_country"),
        "{stderr}"
    );
}

#[test]
fn a_last_statement_without_a_semicolon_runs() {
    let (dir, out) = run_sample();
    let (code, stdout, stderr) = script(&out, dir.path(), "select 40 + 1 as x;\nselect count(*) as n\nfrom accounting");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "x\n41\nn\n4\n");
}

#[test]
fn dot_commands_and_exit() {
    let (dir, out) = run_sample();
    let (code, stdout, stderr) =
        script(&out, dir.path(), ".help\n.tables\n.schema accounting\nselect 7 as seven;\nexit\nselect 8 as eight;\n");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(".schema [TABLE]"), "{stdout}");
    assert!(stdout.contains("\ntop_partners\n"), "{stdout}");
    let schema = stdout.lines().find(|l| l.starts_with("accounting(")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(schema.contains("rows Int64") || schema.contains(" Int64"), "{schema}");
    assert!(stdout.contains("seven\n7\n") && !stdout.contains("eight"), "exit ends the script: {stdout}");
    let (_, stdout, _) = script(&out, dir.path(), "quit;\nselect 8 as eight;\n");
    assert_eq!(stdout, "");
    let (_, stdout, _) = script(&out, dir.path(), ".quit\nselect 8 as eight;\n");
    assert_eq!(stdout, "");

    let (code, _, stderr) = script(&out, dir.path(), ".schema nope\n");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no table \"nope\"; the tables are accounting"), "{stderr}");
    let (code, _, stderr) = script(&out, dir.path(), ".frobnicate\n");
    assert_eq!(code, Some(1));
    assert!(stderr.contains(".help lists the commands"), "{stderr}");
}

#[test]
fn an_unknown_table_in_a_query_lists_the_tables_once() {
    let (_dir, out) = run_sample();
    let output = partylink(&["sql", "--run", &out, "select * from no_such_table"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert_eq!(message.matches("no_such_table").count(), 1, "{message}");
    assert!(message.contains("the tables are accounting"), "{message}");
}
