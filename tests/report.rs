//! `partylink run` writes the figures and report.html, `partylink report` draws them again from a
//! run's folder, and the content analysis counts what `tests/fixtures/news/topics.csv` expects.

mod common;

use std::path::Path;

use common::{cell, partylink, partylink_ok, read_csv, repo, stderr, tempdir};
use resvg::tiny_skia::Pixmap;

const FIGURES: [&str; 6] = [
    "figure_1_contacts_by_year",
    "figure_2_contacts_by_venue",
    "figure_3_map_contacts_by_country",
    "figure_4_contacts_per_party",
    "figure_5_power_by_regime",
    "table_1_top_partners",
];
const TOPIC_FIGURES: [&str; 3] =
    ["figure_6_topics_core_interests", "figure_7_topics_world_order", "figure_8_topics_governance"];

/// Contacts made from the news fixtures' expected contacts, so that the items' partners have
/// countries and regime types: one row per labelled contact with a date.
fn fixture_contacts(dir: &Path) -> std::path::PathBuf {
    let (headers, countries) = read_csv(&repo("reference/countries.csv"));
    let name_of = |iso3: &str| -> String {
        countries
            .iter()
            .find(|r| cell(&headers, r, "iso3") == iso3)
            .map(|r| cell(&headers, r, "name").to_string())
            .unwrap_or_else(|| panic!("{iso3} in countries.csv"))
    };
    let (headers, labels) = read_csv(&repo("tests/fixtures/news/labels.csv"));
    let path = dir.join("fixture_contacts.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(["contact_id", "date", "country", "partner", "venue", "partner_kind", "news_id"]).unwrap();
    for (i, row) in labels.iter().enumerate().filter(|(_, r)| !cell(&headers, r, "date").is_empty()) {
        let kind = if cell(&headers, row, "contact_kind") == "party" { "party" } else { "non_party" };
        writer
            .write_record([
                format!("f{i:04}").as_str(),
                cell(&headers, row, "date"),
                &name_of(cell(&headers, row, "country")),
                cell(&headers, row, "partner"),
                cell(&headers, row, "venue"),
                kind,
                cell(&headers, row, "news_id"),
            ])
            .unwrap();
    }
    writer.flush().unwrap();
    path
}

/// A PNG's size and whether it has ink: pixels that are not white, and for a chart some of the
/// palette's blue (every chart draws with it; Table 1 is black on white).
fn check_png(path: &Path, svg: &str) {
    let chart = !path.ends_with("table_1_top_partners.png");
    let pixmap = Pixmap::load_png(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let view_box: Vec<f64> = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|v| v.split(' ').map(|n| n.parse().unwrap()).collect())
        .unwrap();
    // The SVG is drawn in the PNG's pixels (three a unit of the 640-unit layout): one to one.
    assert_eq!(view_box[2], 1920.0, "{}", path.display());
    assert_eq!(pixmap.width(), 1920, "{}", path.display());
    assert_eq!(f64::from(pixmap.height()), view_box[3], "{}: a pixel a unit of the SVG", path.display());
    let pixels = pixmap.pixels();
    let ink = pixels.iter().filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200).count();
    let blue = pixels.iter().filter(|p| p.blue() > 120 && u16::from(p.blue()) > u16::from(p.red()) + 60).count();
    assert!(ink > pixels.len() / 50, "{}: {ink} of {} pixels drawn", path.display(), pixels.len());
    assert!(!chart || blue > 2000, "{}: {blue} pixels of the palette's blue", path.display());
}

/// `partylink run` on the example contacts into `out`.
fn run_sample(out: &str, extra: &[&str]) {
    let contacts = repo("examples/contacts_sample.csv");
    let mut args = vec!["run", "--quiet", "--contacts", contacts.to_str().unwrap(), "--out", out];
    args.extend_from_slice(extra);
    partylink_ok(&args);
}

#[test]
fn a_run_with_news_writes_every_figure_the_tables_and_the_page() {
    let dir = tempdir();
    let contacts = fixture_contacts(dir.path());
    let out = dir.path().join("out");
    let news = repo("tests/fixtures/news/items.jsonl");
    partylink_ok(&[
        "run",
        "--quiet",
        "--contacts",
        contacts.to_str().unwrap(),
        "--news",
        news.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);

    for figure in FIGURES.iter().chain(&TOPIC_FIGURES) {
        let svg = std::fs::read_to_string(out.join(format!("figures/{figure}.svg"))).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160mm\""), "{figure}");
        check_png(&out.join(format!("figures/{figure}.png")), &svg);
    }

    // The matcher counts what the fixtures expect, item by item.
    let (_, expected) = read_csv(&repo("tests/fixtures/news/topics.csv"));
    let (headers, got) = read_csv(&out.join("news_topic_mentions.csv"));
    assert_eq!(headers, ["news_id", "topic", "mentions"]);
    let sorted = |mut rows: Vec<Vec<String>>| {
        rows.sort();
        rows
    };
    assert_eq!(sorted(got), sorted(expected));

    let (headers, by_year) = read_csv(&out.join("tables/topics_by_year.csv"));
    assert_eq!(headers, ["year", "topic", "items", "mentions", "share_of_items"]);
    let row = |year: &str, topic: &str| {
        by_year.iter().find(|r| r[0] == year && r[1] == topic).unwrap_or_else(|| panic!("{year} {topic}")).clone()
    };
    // 2013: the BRI's first year; every topic has a row, with zeros where no item mentions it.
    assert!(row("2013", "belt_and_road")[2].parse::<i64>().unwrap() >= 1);
    assert_eq!(row("2002", "belt_and_road")[2..4], ["0", "0"]);
    let (_, items) = read_csv(&out.join("news_items.csv"));
    let analysed_2013 = items.iter().filter(|r| r[2] == "2013" && r[6] == "true").count() as f64;
    let shown = row("2013", "belt_and_road");
    let share = shown[4].parse::<f64>().unwrap();
    assert!((share - shown[2].parse::<f64>().unwrap() / analysed_2013).abs() < 1e-4);
    // Congratulations and condolences are left out, by their kind field, else by the rules.
    let kind = |id: &str| items.iter().find(|r| r[0] == id).unwrap()[4..7].to_vec();
    assert_eq!(kind("t0003"), ["congratulation", "kind", "false"]);
    assert_eq!(kind("t0030"), ["congratulation", "rules", "false"]);
    assert_eq!(kind("t0001"), ["meeting", "kind", "true"]);

    let (headers, by_regime) = read_csv(&out.join("tables/topics_by_partner_regime.csv"));
    assert_eq!(headers, ["regime", "topic", "items", "mentions", "share_of_items"]);
    assert!(by_regime.iter().any(|r| r[0] == "not_free" && r[1] == "taiwan" && r[2] != "0"), "{by_regime:?}");

    let (headers, top) = read_csv(&out.join("tables/top_partners.csv"));
    for column in ["rank", "abbreviation", "abbreviation_en", "abbreviation_source", "party_name", "party_name_en"] {
        assert!(headers.iter().any(|h| h == column), "{column}: {headers:?}");
    }
    let cpv = top.iter().find(|r| cell(&headers, r, "party_name_en") == "Communist Party of Vietnam").unwrap();
    assert_eq!(cell(&headers, cpv, "abbreviation_en"), "CPV");
    assert!(cell(&headers, cpv, "abbreviation_source").starts_with("Wikipedia (English)"));

    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for figure in FIGURES.iter().chain(&TOPIC_FIGURES) {
        assert!(page.contains(&format!("data-figure=\"{figure}\"")), "{figure} in report.html");
    }
    assert!(!page.contains("was not run"));
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http") && !page.contains("@import"),
        "nothing fetched"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["inputs"].as_array().unwrap().iter().any(|i| i["role"] == "news"));
    for file in ["report.html", "figures/figure_3_map_contacts_by_country.png", "tables/topics_by_year.csv"] {
        let entry = manifest["outputs"].as_array().unwrap().iter().find(|o| o["path"] == file).unwrap();
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert_eq!(entry["sha256"], partylink::report::sha256_hex(&bytes), "{file}");
    }

    // `partylink report` draws the same figures from the folder: the same tables, the same bytes.
    let drawn: Vec<Vec<u8>> = FIGURES
        .iter()
        .chain(&TOPIC_FIGURES)
        .map(|f| std::fs::read(out.join(format!("figures/{f}.svg"))).unwrap())
        .collect();
    let pngs: Vec<Vec<u8>> =
        FIGURES.iter().map(|f| std::fs::read(out.join(format!("figures/{f}.png"))).unwrap()).collect();
    std::fs::remove_dir_all(out.join("figures")).unwrap();
    partylink_ok(&["report", "--quiet", "--out", out.to_str().unwrap()]);
    for (figure, bytes) in FIGURES.iter().chain(&TOPIC_FIGURES).zip(&drawn) {
        assert!(std::fs::read(out.join(format!("figures/{figure}.svg"))).unwrap() == *bytes, "{figure}.svg");
    }
    for (figure, bytes) in FIGURES.iter().zip(&pngs) {
        assert!(std::fs::read(out.join(format!("figures/{figure}.png"))).unwrap() == *bytes, "{figure}.png");
    }

    // `report --news` over a folder that has the content tables already replaces them (it once
    // refused, the table news_items being registered twice); the items' regime types read back
    // from enriched_contacts give the run's tables byte for byte, and the page lists the inputs
    // in the run's order.
    let content = ["tables/topics_by_year.csv", "tables/topics_by_partner_regime.csv", "news_items.csv", "report.html"];
    let before: Vec<Vec<u8>> = content.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect();
    partylink_ok(&["report", "--quiet", "--out", out.to_str().unwrap(), "--news", news.to_str().unwrap()]);
    for (file, bytes) in content.iter().zip(&before) {
        assert!(std::fs::read(out.join(file)).unwrap() == *bytes, "{file}");
    }

    // Again as CSV alone: the content tables' Parquet files of the earlier analysis leave the
    // folder and the manifest, and the folder still matches its manifest.
    let out_dir = out.to_str().unwrap();
    partylink_ok(&["report", "--quiet", "--out", out_dir, "--news", news.to_str().unwrap(), "--format", "csv"]);
    let files = common::files_under(&out);
    assert!(files.contains(&"news_items.csv".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f == "news_items.parquet" || f == "tables/topics_by_year.parquet"), "{files:?}");
    assert!(files.contains(&"enriched_contacts.parquet".to_string()), "the run's own tables stay: {files:?}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> =
        manifest["outputs"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert!(!listed.contains(&"news_items.parquet") && listed.contains(&"news_items.csv"), "{listed:?}");
    let listed_files: std::collections::BTreeSet<String> = listed.iter().map(|p| p.to_string()).collect();
    let on_disk: std::collections::BTreeSet<String> = files.into_iter().collect();
    assert_eq!(listed_files, on_disk.into_iter().filter(|f| f != "manifest.json").collect());
    partylink_ok(&["sql", "--run", out_dir, "select count(*) from news_items"]);
}

#[test]
fn without_news_the_page_says_the_content_analysis_was_not_run() {
    let dir = tempdir();
    let out = dir.path().to_str().unwrap();
    run_sample(out, &[]);
    let files = common::files_under(dir.path());
    for figure in FIGURES {
        assert!(files.contains(&format!("figures/{figure}.png")), "{figure}: {files:?}");
    }
    assert!(!files.iter().any(|f| f.contains("_topics_") || f.contains("topics_by")), "{files:?}");
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("The content analysis was not run"));

    // Table 1 prints English abbreviations, not Party Facts' short names in the original language.
    let table = std::fs::read_to_string(dir.path().join("figures/table_1_top_partners.svg")).unwrap();
    assert!(table.contains(">CPV</text>") && table.contains(">LPRP</text>"), "{table}");
    assert!(!table.contains(">DCVN</text>"));

    // `report --news` adds the content analysis to the folder.
    let news = repo("examples/news_sample.jsonl");
    partylink_ok(&["report", "--quiet", "--out", out, "--news", news.to_str().unwrap()]);
    let files = common::files_under(dir.path());
    for figure in TOPIC_FIGURES {
        assert!(files.contains(&format!("figures/{figure}.svg")), "{figure}");
    }
    assert!(files.contains(&"tables/topics_by_year.csv".to_string()));
    // The example contacts name four of the example items (their news ids), so the README's
    // example fills topics_by_partner_regime: South Africa's item under Free, Vietnam's and
    // Zimbabwe's under Not Free.
    let (headers, by_regime) = read_csv(&dir.path().join("tables/topics_by_partner_regime.csv"));
    assert_eq!(headers, ["regime", "topic", "items", "mentions", "share_of_items"]);
    let items = |regime: &str| -> Vec<i64> {
        by_regime.iter().filter(|r| r[0] == regime).map(|r| r[2].parse().unwrap()).collect()
    };
    assert!(!items("free").is_empty() && !items("not_free").is_empty(), "{by_regime:?}");
    assert!(items("not_free").iter().any(|n| *n > 0), "an item of a Not Free partner mentions a topic: {by_regime:?}");
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!page.contains("The content analysis was not run"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["outputs"].as_array().unwrap().iter().find(|o| o["path"] == "report.html").unwrap();
    assert_eq!(entry["sha256"], partylink::report::sha256_hex(page.as_bytes()));
}

#[test]
fn no_report_writes_the_tables_alone_and_report_draws_from_csv() {
    let dir = tempdir();
    let out = dir.path().to_str().unwrap();
    run_sample(out, &["--no-report", "--formats", "csv"]);
    let files = common::files_under(dir.path());
    assert!(files.contains(&"tables/top_partners.csv".to_string()));
    assert!(!files.iter().any(|f| f.starts_with("figures/") || f == "report.html"), "{files:?}");
    // A run that wrote CSV alone: report reads the CSV files.
    let news = repo("tests/fixtures/news/items.jsonl");
    partylink_ok(&["report", "--quiet", "--out", out, "--news", news.to_str().unwrap(), "--formats", "csv"]);
    let files = common::files_under(dir.path());
    for figure in FIGURES.iter().chain(&TOPIC_FIGURES) {
        assert!(files.contains(&format!("figures/{figure}.svg")), "{figure}: {files:?}");
    }
    assert!(files.contains(&"tables/topics_by_partner_regime.csv".to_string()));
}

#[test]
fn bad_news_items_are_named() {
    let dir = tempdir();
    let news = dir.path().join("news.jsonl");
    std::fs::write(&news, "{\"news_id\": \"a\", \"date\": \"2015-13-01\", \"title\": \"t\", \"text\": \"x\"}\n")
        .unwrap();
    let output = partylink(&[
        "run",
        "--quiet",
        "--contacts",
        repo("examples/contacts_sample.csv").to_str().unwrap(),
        "--news",
        news.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("news.jsonl") && message.contains("row 1") && message.contains("2015-13-01"), "{message}");
}
