//! A corpus of bad inputs, one kind a row of [`CASES`]: the input (text written here, or a
//! workbook or Parquet file generated here rather than committed), the exit code, and the error
//! text, which names the file and, where the fault sits in a cell, the row, column and value.
//! Every failing run must leave its output directory empty. RELIABILITY.md lists the same kinds.

mod common;

use std::path::{Path, PathBuf};

use common::{cell, data, files_under, partylink, read_csv, stderr, tempdir};

const HEADER: &str = "contact_id,date,country,partner";
const GOOD_ROW: &str = "c1,2010-01-02,Germany,SPD";

/// How a case makes its input in `dir`: the arguments of `partylink run` besides `--out`.
type Setup = fn(&Path) -> Vec<String>;

struct Case {
    name: &'static str,
    setup: Setup,
    code: i32,
    /// Each must appear in stderr.
    expect: &'static [&'static str],
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// A contacts CSV of `body` under the header.
fn contacts(dir: &Path, body: &str) -> Vec<String> {
    let path = write(dir, "c.csv", format!("{HEADER}\n{body}"));
    vec!["--contacts".into(), arg(&path)]
}

/// Good contacts, and `flag` naming a source file made of `bytes`.
fn source(dir: &Path, flag: &str, name: &str, bytes: impl AsRef<[u8]>) -> Vec<String> {
    let path = write(dir, name, bytes);
    let mut args = contacts(dir, &format!("{GOOD_ROW}\n"));
    args.extend([flag.to_string(), arg(&path)]);
    args
}

fn real(relative: &str) -> Vec<u8> {
    std::fs::read(data(relative)).unwrap()
}

fn real_text(relative: &str) -> String {
    String::from_utf8(real(relative)).unwrap()
}

const FH: &str = "fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx";
const DPI: &str = "dpi/DPI2017_basefile_Jan2018.csv";
const PF_CORE: &str = "partyfacts/partyfacts-core-parties.csv";

/// A workbook with one sheet of `rows` (text cells) named `sheet`.
fn workbook(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            match text.parse::<f64>() {
                Ok(n) => ws.write(r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write(r as u32, c as u16, *text).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

/// A Parquet file of 100 good contacts.
fn parquet_contacts() -> Vec<u8> {
    let columns: Vec<(&str, Vec<&str>)> =
        HEADER.split(',').zip(GOOD_ROW.split(',')).map(|(n, v)| (n, vec![v; 100])).collect();
    common::parquet_of(&columns)
}

/// Replaces the first `from` in line `line` (1-based) of a real CSV source.
fn edit_line(relative: &str, line: usize, from: &str, to: &str) -> String {
    let text = real_text(relative);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    lines.join("\n") + "\n"
}

const CASES: &[Case] = &[
    Case {
        name: "contacts: an unclosed quote",
        setup: |d| contacts(d, "1,2010-01-01,Germany,\"SPD\n2,2011-01-01,Japan,LDP\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "partner", value "\"SPD": unclosed quote"#],
    },
    Case {
        name: "contacts: text after a closing quote",
        setup: |d| contacts(d, "1,2010-01-01,Germany,\"SPD\n2,2011-01-01,Japan,\"LDP\"\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "partner", value "\"SPD": text after the closing quote"#],
    },
    Case {
        name: "contacts: a ragged row",
        setup: |d| contacts(d, &format!("{GOOD_ROW}\nc2,2010-01-02,Germany\n")),
        code: 1,
        expect: &["c.csv, row 3: malformed CSV", "3 fields"],
    },
    Case {
        name: "contacts: an empty file",
        setup: |d| vec!["--contacts".into(), arg(&write(d, "c.csv", ""))],
        code: 1,
        expect: &["c.csv: the file is empty: no header row"],
    },
    Case {
        name: "contacts: a header only",
        setup: |d| contacts(d, ""),
        code: 1,
        expect: &["c.csv: no contacts: the file has a header but no rows"],
    },
    Case {
        name: "contacts: month 13",
        setup: |d| contacts(d, "c1,2010-13-01,Germany,SPD\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "date", value "2010-13-01": not a date in the form YYYY-MM-DD"#],
    },
    Case {
        name: "contacts: a date as 12/05/2010",
        setup: |d| contacts(d, "c1,12/05/2010,Germany,SPD\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "date", value "12/05/2010": not a date"#],
    },
    Case {
        name: "contacts: 30 February",
        setup: |d| contacts(d, "c1,2010-02-30,Germany,SPD\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "date", value "2010-02-30": not a date"#],
    },
    Case {
        name: "contacts: a duplicate id",
        setup: |d| contacts(d, &format!("{GOOD_ROW}\nc1,2011-01-02,Japan,LDP\n")),
        code: 1,
        expect: &[r#"c.csv, row 3, column "contact_id", value "c1": duplicate contact_id, first used at row 2"#],
    },
    Case {
        name: "contacts: a 10 MB field",
        setup: |d| contacts(d, &format!("c1,2010-01-02,Germany,{}\n", "A".repeat(10 << 20))),
        code: 1,
        expect: &[r#"c.csv, row 2, column "partner", value "AAAA"#, "(10485760 bytes)\": longer than 1000 bytes"],
    },
    Case {
        name: "contacts: a NUL byte",
        setup: |d| contacts(d, "c1,2010-01-02,Germany,S\0PD\n"),
        code: 1,
        expect: &[r#"c.csv, row 2, column "partner", value "S\0PD": a control character"#],
    },
    Case {
        name: "contacts: Latin-1 text",
        setup: |d| {
            let mut bytes = format!("{HEADER}\nc1,2010-01-02,France,Parti socialiste fran").into_bytes();
            bytes.extend(b"\xe7ais\n");
            vec!["--contacts".into(), arg(&write(d, "c.csv", bytes))]
        },
        code: 1,
        expect: &[r#"c.csv, row 2, column "partner", value "Parti socialiste fran�ais": not UTF-8 text"#],
    },
    Case {
        name: "contacts: a directory",
        setup: |d| {
            std::fs::create_dir(d.join("c.csv")).unwrap();
            vec!["--contacts".into(), arg(&d.join("c.csv"))]
        },
        code: 1,
        expect: &["c.csv: is a directory, not a file"],
    },
    Case {
        name: "contacts: no such file",
        setup: |d| vec!["--contacts".into(), arg(&d.join("none.csv"))],
        code: 1,
        expect: &["cannot read", "none.csv"],
    },
    Case {
        name: "contacts: a corrupt Parquet file",
        setup: |d| vec!["--contacts".into(), arg(&write(d, "c.parquet", b"PAR1 this is not parquet PAR1"))],
        code: 1,
        expect: &["c.parquet: not a readable Parquet file"],
    },
    Case {
        name: "contacts: a truncated Parquet file",
        setup: |d| {
            let bytes = parquet_contacts();
            vec!["--contacts".into(), arg(&write(d, "c.parquet", &bytes[..bytes.len() / 2]))]
        },
        code: 1,
        expect: &["c.parquet: not a readable Parquet file"],
    },
    Case {
        name: "contacts: a broken JSON line",
        setup: |d| {
            let text = "{\"contact_id\":\"c1\",\"date\":\"2010-01-02\",\"country\":\"Germany\",\"partner\":\"SPD\"}\n{\"contact_id\":\"c2\",\n";
            vec!["--contacts".into(), arg(&write(d, "c.jsonl", text))]
        },
        code: 1,
        expect: &["c.jsonl, row 2: not valid JSON"],
    },
    Case {
        name: "contacts: a JSON line that is not an object",
        setup: |d| vec!["--contacts".into(), arg(&write(d, "c.jsonl", "[\"c1\", \"2010-01-02\"]\n"))],
        code: 1,
        expect: &["c.jsonl, row 1: each line must be a JSON object"],
    },
    Case {
        name: "Freedom House: a truncated workbook",
        setup: |d| source(d, "--fh", "fiw.xlsx", &real(FH)[..100_000]),
        code: 1,
        expect: &["fiw.xlsx: cannot open workbook"],
    },
    Case {
        name: "Freedom House: a corrupt workbook",
        setup: |d| source(d, "--fh", "fiw.xlsx", b"PK\x03\x04 not a zip archive at all"),
        code: 1,
        expect: &["fiw.xlsx: cannot open workbook"],
    },
    Case {
        name: "Freedom House: the wrong workbook",
        setup: |d| {
            source(d, "--fh", "fiw.xlsx", workbook("DPI2017", &[&["countryname", "year"], &["Germany", "2010"]]))
        },
        code: 1,
        expect: &[r#"fiw.xlsx: no sheet named "Country Ratings, Statuses""#, r#"["DPI2017"]"#],
    },
    Case {
        name: "Freedom House: a renamed sheet",
        setup: |d| source(d, "--fh", "fiw.xlsx", workbook("Country Ratings", &[&["Survey Edition"]])),
        code: 1,
        expect: &[r#"fiw.xlsx: no sheet named "Country Ratings, Statuses""#],
    },
    Case {
        name: "Freedom House: shifted columns",
        setup: |d| {
            let rows: &[&[&str]] = &[
                &["Survey Edition", "2011", "", "", ""],
                &["Year(s) Under Review", "2010", "", "", ""],
                &["", "PR", "", "CL", "Status"],
                &["Germany", "1", "", "1", "F"],
            ];
            source(d, "--fh", "fiw.xlsx", workbook("Country Ratings, Statuses ", rows))
        },
        code: 1,
        expect: &[
            r#"fiw.xlsx, sheet "Country Ratings, Statuses ", row 3, column "C", value "": expected the header "CL""#,
        ],
    },
    Case {
        name: "Freedom House: a rating of 9",
        setup: |d| {
            let rows: &[&[&str]] = &[
                &["Survey Edition", "2011", "", ""],
                &["Year(s) Under Review", "2010", "", ""],
                &["", "PR", "CL", "Status"],
                &["Germany", "1", "9", "F"],
            ];
            source(d, "--fh", "fiw.xlsx", workbook("Country Ratings, Statuses ", rows))
        },
        code: 1,
        expect: &[
            r#"fiw.xlsx, sheet "Country Ratings, Statuses ", row 4, column "CL 2010 (C)", value "9": not a rating from 1 to 7"#,
        ],
    },
    Case {
        name: "DPI: re-encoded as Latin-1",
        setup: |d| {
            let text = real_text(DPI);
            let text = text.trim_start_matches('\u{feff}');
            let latin1: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
            source(d, "--dpi", "dpi.csv", latin1)
        },
        code: 1,
        expect: &[r#"dpi.csv, row 1200, column "opp1me", value "Majorit� Pr�sidentielle": not UTF-8 text"#],
    },
    Case {
        name: "Party Facts DPI import: a ragged row",
        setup: |d| {
            let text = real_text("partyfacts/partyfacts-import-dpi.csv") + "AFG,Afghanistan,XYZ\n";
            source(d, "--partyfacts-dpi", "import.csv", text)
        },
        code: 1,
        expect: &["import.csv, row 1680: malformed CSV"],
    },
    Case {
        name: "DPI: a header only",
        setup: |d| source(d, "--dpi", "dpi.csv", real_text(DPI).lines().next().unwrap().to_string() + "\n"),
        code: 1,
        expect: &["dpi.csv: no data rows, only a header"],
    },
    Case {
        name: "DPI: a country that resolves nowhere",
        setup: |d| source(d, "--dpi", "dpi.csv", edit_line(DPI, 2, "Turk Cyprus", "Atlantis")),
        code: 1,
        expect: &[r#"dpi.csv, row 2, column "countryname", value "Atlantis": country not in reference/countries.csv"#],
    },
    Case {
        name: "DPI: an unclosed quote",
        setup: |d| source(d, "--dpi", "dpi.csv", real_text(DPI).replacen("\nTurk Cyprus,", "\n\"Turk Cyprus,", 1)),
        code: 1,
        expect: &[
            r#"dpi.csv, row 2, column "countryname", value "\"Turk Cyprus,0,1975"#,
            "a stray quote would merge rows",
        ],
    },
    Case {
        name: "Party Facts core: a duplicate id",
        setup: |d| {
            let text = real_text(PF_CORE);
            let second = text.lines().nth(1).unwrap().to_string();
            source(d, "--partyfacts-core", "core.csv", format!("{text}{second}\n"))
        },
        code: 1,
        expect: &["core.csv, row 6940, column \"partyfacts_id\"", "duplicate partyfacts_id, first used at row 2"],
    },
    Case {
        name: "Party Facts core: a renamed column",
        setup: |d| {
            source(d, "--partyfacts-core", "core.csv", real_text(PF_CORE).replacen("name_short", "short_name", 1))
        },
        code: 1,
        expect: &[r#"core.csv, column "name_short": missing required column"#],
    },
    Case {
        name: "Party Facts external: an empty file",
        setup: |d| source(d, "--partyfacts-external", "external.csv", ""),
        code: 1,
        expect: &["external.csv: the file is empty: no header row"],
    },
    Case {
        name: "output: a file where the directory should be",
        setup: |d| {
            write(d, "out", "a file");
            let mut args = contacts(d, &format!("{GOOD_ROW}\n"));
            args.extend(["--out".into(), arg(&d.join("out"))]);
            args
        },
        code: 1,
        expect: &["cannot create output directory"],
    },
];

#[test]
fn every_bad_input_gives_its_error_and_leaves_no_output() {
    assert!(CASES.len() >= 25, "the corpus holds {} kinds", CASES.len());
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .chunks(CASES.len().div_ceil(3))
            .map(|chunk| scope.spawn(move || chunk.iter().filter_map(run_case).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

/// Runs one case; Some(what went wrong) when it does not behave as its row says.
fn run_case(case: &Case) -> Option<String> {
    let dir = tempdir();
    let mut args = (case.setup)(dir.path());
    let out = dir.path().join("outputs");
    if !args.iter().any(|a| a == "--out") {
        args.extend(["--out".into(), arg(&out)]);
    }
    let args: Vec<&str> = std::iter::once("run").chain(args.iter().map(String::as_str)).collect();
    let output = partylink(&args);
    let error = stderr(&output);
    let short = |s: &str| s.chars().take(2000).collect::<String>();
    if output.status.code() != Some(case.code) {
        return Some(format!(
            "{}: exit {:?}, expected {}: {}",
            case.name,
            output.status.code(),
            case.code,
            short(&error)
        ));
    }
    if let Some(missing) = case.expect.iter().find(|e| !error.contains(*e)) {
        return Some(format!("{}: stderr lacks {missing:?}: {}", case.name, short(&error)));
    }
    if error.matches("partylink: error").count() > 1 || error.contains("panicked") {
        return Some(format!("{}: not one clear error: {}", case.name, short(&error)));
    }
    if !files_under(&out).is_empty() {
        return Some(format!("{}: partial outputs {:?}", case.name, files_under(&out)));
    }
    None
}

/// Where a row-level refusal fits, the run goes on and the accounting counts the row: a country
/// that resolves nowhere goes to review, a year outside the sources keeps its row without the
/// sources' values. No row is lost.
#[test]
fn rows_the_sources_cannot_place_are_counted_not_lost() {
    let dir = tempdir();
    let body = format!(
        "{GOOD_ROW}\nc2,2010-01-02,Atlantis,Atlantean Party\nc3,1950-06-01,Germany,SPD\nc4,2030-01-01,Germany,SPD\n"
    );
    let args = contacts(dir.path(), &body);
    let out = dir.path().join("out");
    let mut all: Vec<&str> = vec!["run", "--out", out.to_str().unwrap(), "--quiet"];
    all.extend(args.iter().map(String::as_str));
    let output = partylink(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    let (headers, rows) = read_csv(&out.join("accounting.csv"));
    let count = |outcome: &str| {
        rows.iter()
            .find(|r| cell(&headers, r, "outcome") == outcome)
            .map_or(0, |r| cell(&headers, r, "rows").parse::<i64>().unwrap())
    };
    assert_eq!(count("input_rows"), 4);
    assert_eq!(count("review_country"), 1);
    let (headers, enriched) = read_csv(&out.join("enriched_contacts.csv"));
    let mut ids: Vec<&str> = enriched.iter().map(|r| cell(&headers, r, "contact_id")).collect();
    ids.dedup();
    assert_eq!(ids, ["c1", "c2", "c3", "c4"]);
}
