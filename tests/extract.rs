//! `partylink extract` and `partylink run --news` on the labelled fixture items and on bad
//! inputs, through the real binary.

mod common;

use std::path::Path;

use common::{cell, partylink, read_csv, repo, stderr, tempdir};
use partylink::extract::tables::CONTACT_COLUMNS;

fn extract(news: &Path, out: &Path) -> std::process::Output {
    partylink(&["extract", "--news", news.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

/// The accounting's rows by item kind, and its total.
fn accounting(out: &Path) -> (Vec<(String, i64)>, i64) {
    let (headers, rows) = read_csv(&out.join("extract_accounting.csv"));
    let items = |r: &Vec<String>| cell(&headers, r, "items").parse::<i64>().unwrap();
    let total = rows.iter().find(|r| r[0] == "all").map(items).unwrap();
    (rows.iter().filter(|r| r[0] != "all").map(|r| (r[0].clone(), items(r))).collect(), total)
}

#[test]
fn the_fixture_items_give_contacts_with_their_evidence_and_every_item_is_counted() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let output = extract(&repo("tests/fixtures/news/items.jsonl"), &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("120 items ("), "{}", stderr(&output));

    let (headers, rows) = read_csv(&out.join("extracted_contacts.csv"));
    assert_eq!(headers, CONTACT_COLUMNS);
    assert!(rows.len() > 100, "{} contacts", rows.len());
    for r in &rows {
        let text = cell(&headers, r, "sentence");
        let (start, end): (usize, usize) =
            (cell(&headers, r, "span_start").parse().unwrap(), cell(&headers, r, "span_end").parse().unwrap());
        assert!(start < end, "{r:?}");
        assert!(["china", "abroad", ""].contains(&cell(&headers, r, "venue")), "{r:?}");
        assert!(["party", "non_party"].contains(&cell(&headers, r, "partner_kind")), "{r:?}");
        assert!(["day", "month"].contains(&cell(&headers, r, "date_precision")), "{r:?}");
        assert_eq!(cell(&headers, r, "item_kind"), "meeting");
        assert!(!text.is_empty() && !cell(&headers, r, "rule").is_empty());
        let confidence: f64 = cell(&headers, r, "confidence").parse().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
    }
    // Messages give no contact, however many parties they name.
    for message in ["t0005", "t0030", "t0051", "t0077", "t0079", "t0114", "t0116"] {
        assert!(!rows.iter().any(|r| cell(&headers, r, "news_id") == message), "{message}");
    }
    // One contact per party per item: "CCM" and "the Revolutionary Party of Tanzania" are one.
    assert_eq!(rows.iter().filter(|r| cell(&headers, r, "news_id") == "t0105").count(), 1);

    let (kinds, total) = accounting(&out);
    assert_eq!(total, 120);
    assert_eq!(kinds.iter().map(|(_, n)| n).sum::<i64>(), total);
    let (_, items) = read_csv(&out.join("extract_items.csv"));
    assert_eq!(items.len(), 120);
    let (review_headers, reviews) = read_csv(&out.join("extract_review.csv"));
    assert_eq!(review_headers, ["news_id", "item_kind", "reason", "partner", "country", "date", "sentence"]);
    let reason = |id: &str| reviews.iter().filter(|r| r[0] == id).map(|r| r[2].clone()).collect::<Vec<_>>().join("; ");
    assert!(reason("t0016").contains("named only by its country"), "{}", reason("t0016"));
    assert!(reason("t0090").contains("date cannot be placed"), "{}", reason("t0090"));
    // A reception reported as a meeting, with no partner to place: counted as other, and shown.
    assert!(reason("t0025").contains("counted as other"), "{}", reason("t0025"));
    assert!(!reason("t0061").contains("no country"), "Germany's Left Party is placed in Germany: {}", reason("t0061"));

    // The contacts are a contacts file as they are.
    let resolved = dir.path().join("resolved");
    let output = partylink(&[
        "resolve",
        "--contacts",
        out.join("extracted_contacts.parquet").to_str().unwrap(),
        "--out",
        resolved.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn run_news_extracts_then_runs_the_whole_pipeline() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let output = partylink(&[
        "run",
        "--news",
        repo("examples/news_sample.jsonl").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (_, extracted) = read_csv(&out.join("extracted_contacts.csv"));
    let (headers, accounting) = read_csv(&out.join("accounting.csv"));
    let input_rows = accounting.iter().find(|r| r[0] == "input_rows").map(|r| cell(&headers, r, "rows").to_string());
    assert_eq!(input_rows, Some(extracted.len().to_string()));
    let (headers, enriched) = read_csv(&out.join("enriched_contacts.csv"));
    assert!(headers.contains(&"item_kind".to_string()) && headers.contains(&"sentence".to_string()));
    assert!(enriched.iter().any(|r| cell(&headers, r, "partyfacts_id") == "4898"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"role\": \"news\""), "{manifest}");
    assert!(manifest.contains("extracted_contacts.parquet"));
    // With --contacts too, the contacts come from --contacts and --news feeds the content
    // analysis alone: missing files are named.
    let both = partylink(&["run", "--news", "a.jsonl", "--contacts", "b.csv"]);
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
}

#[test]
fn bad_items_are_counted_with_a_reason_and_broken_files_named() {
    let dir = tempdir();
    let news = dir.path().join("bad.jsonl");
    let good = std::fs::read_to_string(repo("examples/news_sample.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    std::fs::write(
        &news,
        format!(
            "{first}\n{{\"news_id\": \"empty\", \"date\": \"2010-01-01\", \"title\": \"T\", \"text\": \"\"}}\n{first}\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = extract(&news, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let (kinds, total) = accounting(&out);
    assert_eq!(total, 3);
    assert_eq!(kinds.iter().find(|(k, _)| k == "unreadable").map(|(_, n)| *n), Some(2));
    let (_, reviews) = read_csv(&out.join("extract_review.csv"));
    let reasons: Vec<&str> = reviews.iter().filter(|r| r[1] == "unreadable").map(|r| r[2].as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("has no text")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("duplicate news_id \"t0001\", first read at bad.jsonl, line 1")),
        "{reasons:?}"
    );

    // A file in another encoding is an error that names the file and the line.
    let latin1 = dir.path().join("latin1.jsonl");
    let mut bytes = first.as_bytes().to_vec();
    bytes.extend(b"\n{\"news_id\": \"x\", \"date\": null, \"title\": \"S\xe3o Paulo\", \"text\": \"x\"}\n");
    std::fs::write(&latin1, bytes).unwrap();
    let output = extract(&latin1, &dir.path().join("out2"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("latin1.jsonl, row 2: not UTF-8 text"), "{}", stderr(&output));
}

#[test]
fn a_directory_of_pages_is_read_page_by_page() {
    let dir = tempdir();
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(pages.join("2019")).unwrap();
    std::fs::write(
        pages.join("2019/t20190628.html"),
        r#"<html><head><title>IDCPC</title><meta name="PubDate" content="2019-06-28 09:30"></head><body>
<nav>Home | News | About</nav><h1>CPC Delegation Meets Workers' Party Official in Sao Paulo</h1>
<div class="content"><p>Sao Paulo, June 27th—A delegation of the Communist Party of China led by Bai Xiaoning,
Assistant Minister of the International Department of the CPC Central Committee, met here today with Marcos
Oliveira, Secretary of International Relations of the Workers' Party (PT) of Brazil.</p>
<p>Oliveira said the PT opposes any interference in China's internal affairs.</p></div></body></html>"#,
    )
    .unwrap();
    std::fs::write(pages.join("index.htm"), "<html><body><ul><li>Home</li><li>News</li></ul></body></html>").unwrap();
    std::fs::write(pages.join("note.txt"), b"Title\nS\xe3o Paulo, in Latin-1").unwrap();
    std::fs::write(pages.join("ignored.pdf"), b"%PDF").unwrap();
    let out = dir.path().join("out");
    let output = extract(&pages, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let (headers, rows) = read_csv(&out.join("extracted_contacts.csv"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(cell(&headers, &rows[0], "news_id"), "2019/t20190628.html");
    assert_eq!(cell(&headers, &rows[0], "date"), "2019-06-27");
    assert_eq!(cell(&headers, &rows[0], "venue"), "abroad");
    assert_eq!(cell(&headers, &rows[0], "country"), "Brazil");
    let (_, items) = read_csv(&out.join("extract_items.csv"));
    assert_eq!(items.len(), 3, "the .pdf is not a page: {items:?}");
    let (_, reviews) = read_csv(&out.join("extract_review.csv"));
    let reason = |id: &str| reviews.iter().find(|r| r[0] == id).map(|r| r[2].clone()).unwrap_or_default();
    assert!(reason("index.htm").starts_with("not a news page"), "{reviews:?}");
    assert!(reason("note.txt").starts_with("not UTF-8 text"), "{reviews:?}");
}
