//! Every command's --help says what it reads and what it writes or prints.

mod common;

use common::partylink;

#[test]
fn every_command_describes_its_inputs_and_outputs() {
    for (command, reads, writes) in [
        ("run", "Reads the contacts", "Writes into --out"),
        ("extract", "Reads news items", "Writes into --out"),
        ("resolve", "Reads the contacts", "Writes into --out"),
        ("explain", "country and year", "Prints the forms"),
        ("eval", "labelled set", "Prints the report"),
        ("sql", "Every table the run wrote", "prints the result"),
        ("export", "Reads the tables a run wrote", "writes that table"),
        ("synth", "real parties", "Writes Parquet or CSV"),
        ("report", "Reads the tables a run wrote", "Writes figures/"),
        ("review", "Reads review_queue", "Writes, to --to"),
    ] {
        let output = partylink(&[command, "--help"]);
        assert!(output.status.success(), "{command}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(reads) && text.contains(writes), "partylink {command} --help:\n{text}");
    }
}
