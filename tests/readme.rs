//! The README's commands run: every `partylink` line in a ```sh block is run with the built
//! binary from a directory holding the examples, and must succeed and write its output.

mod common;

use std::process::Command;

use common::{data_dir, repo, stderr, tempdir};

fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let mut in_sh = false;
    let mut commands = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        let line = line.split('#').next().unwrap().trim();
        if !in_sh {
            continue;
        }
        let words = shell_words(line);
        if words.first().is_some_and(|w| w == "partylink" || w == "./target/release/partylink") {
            commands.push(words[1..].to_vec());
        }
    }
    commands
}

/// Splits a command line into words, keeping "double-quoted" words whole.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn readme_commands_succeed_in_order() {
    let commands = readme_commands();
    assert!(commands.len() >= 6, "{commands:?}");
    // One directory for all, in the README's order: a run comes before the exports that read it.
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("examples")).unwrap();
    for example in ["contacts_sample.csv", "news_sample.jsonl"] {
        std::fs::copy(repo(&format!("examples/{example}")), dir.path().join("examples").join(example)).unwrap();
    }
    for args in commands {
        let output = Command::new(env!("CARGO_BIN_EXE_partylink"))
            .args(&args)
            .current_dir(dir.path())
            .env("PARTYLINK_DATA", data_dir())
            .output()
            .unwrap();
        assert!(output.status.success(), "partylink {}: {}", args.join(" "), stderr(&output));
        // The value of the first of `flags` given.
        let value = |flags: &[&str]| args.iter().position(|a| flags.contains(&a.as_str())).map(|i| args[i + 1].clone());
        let written = match args[0].as_str() {
            "run" => Some(format!("{}/manifest.json", value(&["--out", "-o"]).unwrap_or("out".into()))),
            "resolve" => Some(format!("{}/resolved_contacts.csv", value(&["--out", "-o"]).unwrap_or("out".into()))),
            "report" => Some(format!("{}/report.html", value(&["--run", "--out", "-o"]).unwrap_or("out".into()))),
            "extract" => value(&["--out", "-o"]).map(|dir| format!("{dir}/extracted_contacts.csv")),
            "export" | "review" => value(&["--to", "-o"]).filter(|to| to != "-"),
            "synth" => value(&["--to", "-o", "--out"]),
            _ => None,
        };
        match written {
            Some(file) => assert!(dir.path().join(&file).is_file(), "partylink {} wrote no {file}", args.join(" ")),
            None => assert!(!output.stdout.is_empty(), "partylink {} printed nothing", args.join(" ")),
        }
    }
}
