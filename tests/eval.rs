//! Resolution quality on the labelled set built from the real sources (see EVALUATION.md): the
//! targets hold, and no party of another country is ever matched.

mod common;

use common::{partylink, stderr, tempdir};

/// (precision, recall) of the "all positives" row of each setting, in report order.
fn all_positives(report: &str) -> Vec<(f64, f64)> {
    report
        .lines()
        .filter(|l| l.starts_with("| **all positives** |"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[6].parse().unwrap(), cells[7].parse().unwrap())
        })
        .collect()
}

#[test]
fn resolution_meets_its_targets_on_the_labelled_set() {
    let dir = tempdir();
    let out = dir.path().join("EVALUATION.md");
    let output = partylink(&["eval", "--seed", "1", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = std::fs::read_to_string(&out).unwrap();
    let settings = all_positives(&report);
    assert_eq!(settings.len(), 3, "{report}");
    let (seen, held_out, two_kinds) = (settings[0], settings[1], settings[2]);
    // Twenty kinds of noise, text damage included: precision 0.997 and no more than 3% to
    // review (recall 0.97) with the names seen.
    assert!(seen.0 >= 0.997 && seen.1 >= 0.97, "names seen: precision {} recall {}", seen.0, seen.1);
    assert!(held_out.0 >= 0.99 && held_out.1 >= 0.95, "names held out: precision {} recall {}", held_out.0, held_out.1);
    assert!(two_kinds.0 >= 0.997 && two_kinds.1 >= 0.7, "two kinds: precision {} recall {}", two_kinds.0, two_kinds.1);
    // Negatives: "| items | wrongly matched | sent to review |" then "| n | 0 | n |".
    let negatives: Vec<&str> = report.lines().filter(|l| l.split('|').count() == 5 && l.contains("| 0 |")).collect();
    assert_eq!(negatives.len(), 3, "no party of another country is matched: {report}");
    // Extraction from the labelled news items: party contacts, item kinds, dates and venues.
    let extraction = report.lines().find(|l| l.starts_with("| all (")).expect("the extraction's table");
    let cells: Vec<f64> = extraction.split('|').map(str::trim).skip(2).filter_map(|c| c.parse().ok()).collect();
    let (precision, recall, non_meeting, date, venue) = (cells[3], cells[4], cells[10], cells[12], cells[13]);
    assert!(precision >= 0.95 && recall >= 0.90, "party contacts: precision {precision} recall {recall}");
    assert!(non_meeting >= 0.95, "non-meeting items recognised: {non_meeting}");
    assert!(date >= 0.90 && venue >= 0.90, "date agreement {date}, venue agreement {venue}");
    // The corpora written blind. Their first measurements (recall 0.870 and 0.912) are in
    // EVALUATION.md's text as the estimate for unseen items; both have since been read for their
    // errors, so their rows are optimistic, and these floors keep them from sliding unnoticed.
    let blind: Vec<&str> = report.lines().filter(|l| l.starts_with("| written blind: ")).collect();
    assert_eq!(blind.len(), 2, "the blind corpora's rows: {report}");
    for row in blind {
        let cells: Vec<f64> = row.split('|').map(str::trim).skip(2).filter_map(|c| c.parse().ok()).collect();
        let (precision, recall, non_meeting) = (cells[3], cells[4], cells[10]);
        assert!(precision >= 0.95 && recall >= 0.90, "{row}: precision {precision} recall {recall}");
        assert!(non_meeting >= 0.95 && cells[12] >= 0.90 && cells[13] >= 0.90, "{row}");
    }
    // The committed report is the one the current code writes.
    let committed = std::fs::read_to_string(common::repo("EVALUATION.md")).unwrap();
    assert_eq!(report, committed, "EVALUATION.md is stale: run make eval");
}
