//! One set of flag names across commands (the old spellings still accepted), values checked
//! where they are given, the environment switches checked and listed, and the command line's
//! own documentation: shell completions and the manual page.

mod common;

use std::process::Command;

use common::{data_dir, partylink, repo, stderr, tempdir};

#[test]
fn thresholds_outside_zero_to_one_are_command_line_errors() {
    for (flag, value) in [("--accept-threshold", "1.5"), ("--margin", "-0.1"), ("--accept-threshold", "high")] {
        let given = format!("{flag}={value}");
        let output = partylink(&["explain", "--country", "Japan", "--year", "2010", &given, "Komeito"]);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&output).contains(flag), "{}", stderr(&output));
    }
    let output = partylink(&["explain", "--country", "Japan", "--year", "2010", "--accept-threshold", "1", "Komeito"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn environment_switches_are_checked_and_listed() {
    let with_env = |name: &str, value: &str| {
        Command::new(env!("CARGO_BIN_EXE_partylink"))
            .args(["completions", "bash"])
            .env("PARTYLINK_DATA", data_dir())
            .env(name, value)
            .output()
            .unwrap()
    };
    let output = with_env("PARTYLINK_EXPLAIN", "interaction");
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("no SQL stage makes \"interaction\"") && message.contains("interactions"), "{message}");
    assert!(with_env("PARTYLINK_EXPLAIN", "interactions,top_partners").status.success());
    assert_eq!(with_env("PARTYLINK_TIMINGS", "yes please").status.code(), Some(1));
    let output = with_env("PARTYLINK_DIRECT_IO", "off");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("PARTYLINK_DIRECT_IO=\"off\": expected 1 or 0"), "{}", stderr(&output));
    for value in ["0", "1", "false", "true", ""] {
        assert!(with_env("PARTYLINK_DIRECT_IO", value).status.success(), "PARTYLINK_DIRECT_IO={value:?}");
    }
    let help = String::from_utf8(partylink(&["--help"]).stdout).unwrap();
    for name in
        ["PARTYLINK_DATA", "PARTYLINK_CACHE_DIR", "PARTYLINK_TIMINGS", "PARTYLINK_EXPLAIN", "PARTYLINK_DIRECT_IO"]
    {
        assert!(help.contains(name), "{name} in --help:\n{help}");
    }
}

#[test]
fn every_command_takes_quiet_verbose_and_its_output_as_o() {
    for command in ["run", "extract", "resolve", "explain", "eval", "sql", "export", "report", "review", "synth"] {
        let help = String::from_utf8(partylink(&[command, "--help"]).stdout).unwrap();
        for flag in ["-q, --quiet", "-v, --verbose"] {
            assert!(help.contains(flag), "partylink {command} --help lacks {flag}:\n{help}");
        }
        if command != "sql" && command != "explain" {
            assert!(help.contains("-o, --"), "partylink {command} --help lacks -o:\n{help}");
        }
        // The old spellings work but are not shown.
        assert!(!help.contains("--formats"), "{command}");
    }
    let sql = String::from_utf8(partylink(&["sql", "--help"]).stdout).unwrap();
    assert!(sql.contains("--run <DIR>") && !sql.contains("--out <"), "{sql}");
}

#[test]
fn verbose_prints_timings_and_old_spellings_still_work() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&[
        "run",
        "-v",
        "--contacts",
        sample.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--formats",
        "parquet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("partylink: timing"), "{}", stderr(&output));
    let output = partylink(&[
        "sql",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--format",
        "csv",
        "select count(*) as n from accounting",
    ]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "n\n4\n", "{}", stderr(&output));
}

/// PARTYLINK_TIMINGS reads 1 and true as on, 0, false and empty as off (false once passed the
/// check and printed timings).
#[test]
fn the_timings_switch_reads_true_and_false() {
    for (value, on) in [("1", true), ("true", true), ("0", false), ("false", false), ("", false)] {
        let output = Command::new(env!("CARGO_BIN_EXE_partylink"))
            .args(["explain", "--country", "Japan", "--year", "2010", "Social Democratic Party"])
            .env("PARTYLINK_DATA", data_dir())
            .env("PARTYLINK_TIMINGS", value)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            stderr(&output).contains("partylink: timing"),
            on,
            "PARTYLINK_TIMINGS={value:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn export_takes_the_format_from_the_extension_and_refuses_a_mismatch() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["run", "-q", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let run = out.to_str().unwrap();
    let parquet = dir.path().join("top.parquet");
    let output = partylink(&["export", "--run", run, "-t", "top_partners", "-o", parquet.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&parquet).unwrap().starts_with(b"PAR1"));
    let workbook = dir.path().join("all.xlsx");
    let output = partylink(&["export", "--run", run, "--to", workbook.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&workbook).unwrap().starts_with(b"PK"), "a workbook is a zip");

    let wrong = dir.path().join("a.xlsx");
    let output =
        partylink(&["export", "--run", run, "--format", "csv", "-t", "accounting", "--to", wrong.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--format csv but"), "{}", stderr(&output));
    assert!(!wrong.exists());
    let unknown = dir.path().join("a.txt");
    let output = partylink(&["export", "--run", run, "-t", "accounting", "--to", unknown.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot tell a format from .txt"), "{}", stderr(&output));
}

#[test]
fn completions_and_the_manual_page() {
    for (shell, mark) in [("bash", "_partylink()"), ("zsh", "#compdef partylink"), ("fish", "complete -c partylink")] {
        let output = partylink(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(
            script.contains("export") && script.contains("accept-threshold"),
            "{shell} completes commands and flags"
        );
    }
    assert_eq!(partylink(&["completions", "tcsh"]).status.code(), Some(2));
    let output = partylink(&["man"]);
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.starts_with(".ie") || page.contains(".TH partylink"), "{}", &page[..200.min(page.len())]);
    for text in [".SH NAME", "partylink\\-run", "\\-\\-accept\\-threshold", "PARTYLINK_EXPLAIN"] {
        assert!(page.contains(text), "{text} in the man page");
    }
}
