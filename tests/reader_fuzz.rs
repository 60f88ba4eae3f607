//! Every reader on random bytes and on good files with bytes flipped, inserted, deleted or cut
//! off: it returns the data or an error naming the file, and never panics. Bounded to a few
//! hundred cases a reader, so that the debug build runs them in seconds.

mod common;

use std::path::Path;

use partylink::extract::read_news;
use partylink::load::paths::Source;
use partylink::load::read::{contacts, dpi, fh, partyfacts};
use proptest::prelude::*;

/// A byte edit: at a position (taken modulo the length), one of flip, insert, delete, cut.
type Edit = (usize, u8, u8);

fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for &(at, op, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let at = at % bytes.len();
        match op % 4 {
            0 => bytes[at] ^= byte | 1,
            1 => bytes.insert(at, byte),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Bytes that matter to the formats, more often than chance gives them.
fn special_byte() -> impl Strategy<Value = u8> {
    prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(0u8), Just(0xe9u8), Just(b'{'), any::<u8>()]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), special_byte()), 1..8)
}

/// The reader's answer on `bytes` written to `name`: Ok, or an error that names the file.
fn check<T>(name: &str, bytes: &[u8], read: impl FnOnce(&Path) -> anyhow::Result<T>) -> Result<(), TestCaseError> {
    let dir = common::tempdir();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Err(e) = read(&path) {
        let message = format!("{e:#}");
        prop_assert!(message.contains(name), "the error does not name the file: {}", message);
    }
    Ok(())
}

const CONTACTS_CSV: &str = "contact_id,date,country,partner,venue,note\n\
    c1,2010-01-02,Germany,SPD,china,\"a note, with a comma\"\n\
    c2,2011-03-04,Japan,\"Liberal Democratic Party (LDP)\",abroad,\"two\nlines\"\n\
    c3,2012-05-06,France,Parti socialiste,,\"\"\"quoted\"\"\"\n";

const CONTACTS_JSONL: &str = "{\"contact_id\":\"c1\",\"date\":\"2010-01-02\",\"country\":\"Germany\",\"partner\":\"SPD\"}\n\
    {\"contact_id\":\"c2\",\"date\":\"2011-03-04\",\"country\":\"Japan\",\"partner\":\"LDP\",\"n\":3}\n";

fn contacts_parquet() -> Vec<u8> {
    common::parquet_of(&[
        ("contact_id", vec!["c1", "c2"]),
        ("date", vec!["2010-01-02", "2011-03-04"]),
        ("country", vec!["Germany", "Japan"]),
        ("partner", vec!["SPD", "LDP"]),
    ])
}

const NEWS_JSONL: &str = "{\"news_id\":\"n1\",\"date\":\"2010-01-02\",\"title\":\"Wang meets SPD delegation\",\"text\":\"BEIJING, Jan. 2 -- ...\"}\n\
    {\"news_id\":\"n2\",\"date\":null,\"title\":\"Message\",\"text\":\"A message, \\\"quoted\\\".\"}\n";

fn news_parquet() -> Vec<u8> {
    common::parquet_of(&[
        ("news_id", vec!["n1", "n2"]),
        ("date", vec!["2010-01-02", "2011-03-04"]),
        ("title", vec!["Wang meets SPD delegation", "Li meets LDP"]),
        ("text", vec!["BEIJING, Jan. 2 -- Wang met ...", "TOKYO, March 4 -- Li met ..."]),
    ])
}

/// The header and first `rows` lines of a real source file.
fn head(relative: &str, rows: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(common::data(relative)).unwrap();
    text.lines().take(rows + 1).collect::<Vec<_>>().join("\n").into_bytes()
}

/// A small workbook in Freedom House's layout: two editions, three countries.
fn fh_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("Country Ratings, Statuses ").unwrap();
    let rows: [[&str; 7]; 6] = [
        ["Survey Edition", "2010", "", "", "2011", "", ""],
        ["Year(s) Under Review", "2009", "", "", "2010", "", ""],
        ["", "PR", "CL", "Status", "PR", "CL", "Status"],
        ["Germany", "1", "1", "F", "1", "1", "F"],
        ["China", "7", "6", "NF", "7", "6", "NF"],
        ["South Africa", "2(5)", "3(6)", "F (NF)", "-", "-", "-"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write(r as u32, c as u16, *text).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// 96 cases a reader from a fixed seed, so that `make test` tries the same inputs every time;
/// `PROPTEST_CASES` and `PROPTEST_RNG_SEED` widen the search (`make fuzz` draws a new seed).
fn config() -> ProptestConfig {
    let given = |name: &str| std::env::var_os(name).is_some();
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if given("PROPTEST_CASES") { default.cases } else { 96 },
        rng_seed: if given("PROPTEST_RNG_SEED") {
            default.rng_seed
        } else {
            proptest::test_runner::RngSeed::Fixed(20021)
        },
        failure_persistence: None,
        ..default
    }
}

/// Found by the search below: a flipped byte in the footer gave a column chunk a negative
/// offset, and the parquet crate's page reader panicked on it.
#[test]
fn parquet_footer_with_a_negative_chunk_offset() {
    let bytes = mutate(&contacts_parquet(), &[(13089232861574750546, 56, 34)]);
    let dir = common::tempdir();
    let path = dir.path().join("c.parquet");
    std::fs::write(&path, bytes).unwrap();
    let message = format!("{:#}", contacts::read(&path).unwrap_err());
    assert!(message.contains("c.parquet") && message.contains("outside the file"), "{message}");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn contacts_csv(edits in edits()) {
        check("c.csv", &mutate(CONTACTS_CSV.as_bytes(), &edits), contacts::read)?;
    }

    /// Quotes put anywhere in plain contacts rows never merge rows: the file is read with every
    /// row, or refused.
    #[test]
    fn stray_quotes_never_merge_contacts(
        rows in prop::collection::vec(("[a-z]{1,6}", "[A-Za-z ]{1,12}"), 2..8),
        quotes in prop::collection::vec(any::<usize>(), 1..4),
    ) {
        let mut text = String::from("contact_id,date,country,partner\n");
        for (i, (country, partner)) in rows.iter().enumerate() {
            text.push_str(&format!("c{i},2010-01-02,{country},{partner}\n"));
        }
        let header_end = text.find('\n').unwrap() + 1;
        for at in quotes {
            let at = header_end + at % (text.len() - header_end);
            text.insert(at, '"');
        }
        let dir = common::tempdir();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, &text).unwrap();
        if let Ok(read) = contacts::read(&path) {
            prop_assert_eq!(read.len(), rows.len(), "rows merged in {:?}", text);
        }
    }

    #[test]
    fn contacts_json_lines(edits in edits()) {
        check("c.jsonl", &mutate(CONTACTS_JSONL.as_bytes(), &edits), contacts::read)?;
    }

    #[test]
    fn contacts_parquet_mutated(edits in edits()) {
        check("c.parquet", &mutate(&contacts_parquet(), &edits), contacts::read)?;
    }

    #[test]
    fn news_items_mutated(edits in edits()) {
        check("n.jsonl", &mutate(NEWS_JSONL.as_bytes(), &edits), read_news)?;
        check("n.parquet", &mutate(&news_parquet(), &edits), read_news)?;
    }

    #[test]
    fn random_bytes_as_any_reader(bytes in prop::collection::vec(special_byte(), 0..300)) {
        for name in ["c.csv", "c.jsonl", "c.parquet"] {
            check(name, &bytes, contacts::read)?;
        }
        for name in ["n.csv", "n.jsonl", "n.parquet"] {
            check(name, &bytes, read_news)?;
        }
        check("fiw.xlsx", &bytes, |p| fh::read_ratings(&Source::file(p)))?;
        check("dpi.csv", &bytes, |p| dpi::read(&Source::file(p)))?;
        check("core.csv", &bytes, |p| partyfacts::read_core(&Source::file(p)))?;
    }

    #[test]
    fn freedom_house_workbook(edits in edits()) {
        check("fiw.xlsx", &mutate(&fh_workbook(), &edits), |p| fh::read_ratings(&Source::file(p)))?;
    }

    #[test]
    fn dpi_csv(edits in edits()) {
        let seed = head("dpi/DPI2017_basefile_Jan2018.csv", 4);
        check("dpi.csv", &mutate(&seed, &edits), |p| dpi::read(&Source::file(p)))?;
    }

    #[test]
    fn party_facts_files(edits in edits()) {
        let core = head("partyfacts/partyfacts-core-parties.csv", 4);
        check("core.csv", &mutate(&core, &edits), |p| partyfacts::read_core(&Source::file(p)))?;
        let external = head("partyfacts/partyfacts-external-parties.csv", 4);
        check("external.csv", &mutate(&external, &edits), |p| partyfacts::read_external(&Source::file(p)))?;
        let import = head("partyfacts/partyfacts-import-dpi.csv", 4);
        check("import.csv", &mutate(&import, &edits), |p| partyfacts::read_dpi_import(&Source::file(p)))?;
    }
}

/// The seeds themselves are good files, so the edits above start from data the readers accept.
#[test]
fn the_seeds_read() {
    let dir = common::tempdir();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    assert_eq!(contacts::read(&write("c.csv", CONTACTS_CSV.as_bytes())).unwrap().len(), 3);
    assert_eq!(contacts::read(&write("c.jsonl", CONTACTS_JSONL.as_bytes())).unwrap().len(), 2);
    assert_eq!(contacts::read(&write("c.parquet", &contacts_parquet())).unwrap().len(), 2);
    assert_eq!(read_news(&write("n.jsonl", NEWS_JSONL.as_bytes())).unwrap().len(), 2);
    assert_eq!(read_news(&write("n.parquet", &news_parquet())).unwrap().len(), 2);
    let ratings = fh::read_ratings(&Source::file(write("fiw.xlsx", &fh_workbook()))).unwrap();
    assert_eq!(ratings.len(), 5);
    let dpi = dpi::read(&Source::file(write("dpi.csv", &head("dpi/DPI2017_basefile_Jan2018.csv", 4)))).unwrap();
    assert_eq!(dpi.len(), 4);
    let core = write("core.csv", &head("partyfacts/partyfacts-core-parties.csv", 4));
    assert!(!partyfacts::read_core(&Source::file(core)).unwrap().is_empty());
}
