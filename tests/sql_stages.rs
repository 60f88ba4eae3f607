//! The SQL stages of `sql/`, each run on a few hand-written rows and compared with the rows
//! expected, in the spirit of DataFusion's sqllogictest files and dbt's unit tests. The tests
//! are the files in `tests/sql/`, read as they are written:
//!
//! ```text
//! # A comment.
//!
//! table contact_decisions          <- a table the stage reads: a name,
//! iso3 | year | partyfacts_id      <- its columns,
//! text | int  | bigint             <- their types (text, int, bigint, ubigint, double, boolean, date),
//! AAA  | 2010 | 1                  <- its rows (NULL for a null, '' for an empty text);
//!                                     a table given again replaces the earlier one
//!
//! stage int_party_years_powered    <- the stage that makes this table, run on the tables above,
//! iso3 | year | power_basis        <- the columns compared,
//! AAA  | 2010 | dpi_executive      <- and the rows expected, in the order the stage gives them.
//! ```
//!
//! `stage TABLE (all columns)` says the columns listed are all the stage gives, in its order.
//!
//! A stage runs as a run runs it (the stage's own SQL from `sql/`, its key checked), and its
//! table is registered for the stages after it. A mismatch prints both tables, marked line by
//! line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow::datatypes::{Field, Schema};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use partylink::enrich;

/// One block of a test file, with the line it starts on.
enum Block {
    Table { name: String, columns: Vec<String>, types: Vec<String>, rows: Vec<Vec<String>> },
    Stage { table: String, all_columns: bool, columns: Vec<String>, rows: Vec<Vec<String>> },
}

fn cells(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_string()).collect()
}

/// The blocks of a test file: runs of lines separated by blank lines, comments left out.
fn parse(text: &str) -> Vec<(usize, Block)> {
    let mut blocks = Vec::new();
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for (i, line) in text.lines().enumerate().chain(std::iter::once((usize::MAX, ""))) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if !line.trim().is_empty() {
            lines.push((i + 1, line));
            continue;
        }
        let Some(&(at, head)) = lines.first() else { continue };
        let rest: Vec<Vec<String>> = lines[1..].iter().map(|(_, l)| cells(l)).collect();
        let block = match head.split_once(' ') {
            Some(("table", name)) => Block::Table {
                name: name.trim().to_string(),
                columns: rest[0].clone(),
                types: rest[1].clone(),
                rows: rest[2..].to_vec(),
            },
            Some(("stage", table)) => {
                let (table, all_columns) = match table.trim().strip_suffix("(all columns)") {
                    Some(table) => (table.trim(), true),
                    None => (table.trim(), false),
                };
                Block::Stage {
                    table: table.to_string(),
                    all_columns,
                    columns: rest[0].clone(),
                    rows: rest[1..].to_vec(),
                }
            }
            _ => panic!("line {at}: a block starts with `table NAME` or `stage TABLE`, not {head:?}"),
        };
        blocks.push((at, block));
        lines.clear();
    }
    blocks
}

/// A column of typed values from their text.
fn column(kind: &str, values: &[Option<&str>]) -> ArrayRef {
    fn parse<T: std::str::FromStr>(values: &[Option<&str>]) -> Vec<Option<T>> {
        values.iter().map(|v| v.map(|v| v.parse().unwrap_or_else(|_| panic!("not a value: {v}")))).collect()
    }
    match kind {
        "text" => {
            Arc::new(StringArray::from(values.iter().map(|v| v.map(|v| v.trim_matches('\''))).collect::<Vec<_>>()))
        }
        "int" => Arc::new(Int32Array::from(parse::<i32>(values))),
        "bigint" => Arc::new(Int64Array::from(parse::<i64>(values))),
        "ubigint" => Arc::new(UInt64Array::from(parse::<u64>(values))),
        "double" => Arc::new(Float64Array::from(parse::<f64>(values))),
        "boolean" => Arc::new(BooleanArray::from(parse::<bool>(values))),
        "date" => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let days = values.iter().map(|v| {
                v.map(|v| (chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").expect("a date") - epoch).num_days() as i32)
            });
            Arc::new(Date32Array::from(days.collect::<Vec<_>>()))
        }
        other => panic!("unknown type {other}"),
    }
}

fn table(columns: &[String], types: &[String], rows: &[Vec<String>]) -> RecordBatch {
    assert_eq!(columns.len(), types.len(), "a type for every column");
    let arrays: Vec<ArrayRef> = (0..columns.len())
        .map(|c| {
            let values: Vec<Option<&str>> = rows
                .iter()
                .map(|r| Some(r.get(c).expect("a value for every column").as_str()).filter(|v| *v != "NULL"))
                .collect();
            column(&types[c], &values)
        })
        .collect();
    let fields: Vec<Field> =
        columns.iter().zip(&arrays).map(|(n, a)| Field::new(n, a.data_type().clone(), true)).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// The rows of `columns` in a result, as text, as the test files write them.
fn rows_of(batch: &RecordBatch, columns: &[String]) -> Result<Vec<Vec<String>>, String> {
    let options = FormatOptions::default().with_null("NULL");
    let mut formatters = Vec::new();
    for name in columns {
        let array = batch.column_by_name(name).ok_or_else(|| format!("the stage gives no column {name}"))?;
        formatters.push(ArrayFormatter::try_new(array.as_ref(), &options).map_err(|e| e.to_string())?);
    }
    Ok((0..batch.num_rows())
        .map(|r| {
            formatters
                .iter()
                .map(|f| match f.value(r).to_string() {
                    empty if empty.is_empty() => "''".to_string(),
                    text => text,
                })
                .collect()
        })
        .collect())
}

/// Expected and actual rows, aligned, with the lines that differ marked: `-` expected only,
/// `+` given only (a longest common subsequence of the lines).
fn diff(columns: &[String], expected: &[Vec<String>], actual: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = columns.iter().map(String::len).collect();
    for row in expected.iter().chain(actual) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join(" | ").trim_end().to_string()
    };
    let (e, a): (Vec<String>, Vec<String>) =
        (expected.iter().map(|r| line(r)).collect(), actual.iter().map(|r| line(r)).collect());
    let mut common = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            common[i][j] = if e[i] == a[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let mut out = format!("    {}\n", line(columns));
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out += &format!("    {}\n", e[i]);
            (i, j) = (i + 1, j + 1);
        } else if j < a.len() && (i == e.len() || common[i][j + 1] > common[i + 1][j]) {
            out += &format!("  + {}\n", a[j]);
            j += 1;
        } else {
            out += &format!("  - {}\n", e[i]);
            i += 1;
        }
    }
    out
}

/// Runs one test file; returns what failed, described.
async fn run_file(name: &str, text: &str) -> Vec<String> {
    let ctx = enrich::create_context();
    let mut failures = Vec::new();
    for (at, block) in parse(text) {
        match block {
            Block::Table { name: table_name, columns, types, rows } => {
                // A table given again replaces the one before it, for the stages after it.
                ctx.deregister_table(table_name.as_str()).unwrap();
                enrich::register(&ctx, &table_name, table(&columns, &types, &rows)).unwrap();
            }
            Block::Stage { table, all_columns, columns, rows } => {
                let stage = enrich::stage_for(&table).unwrap_or_else(|| panic!("{name}:{at}: no stage makes {table}"));
                ctx.deregister_table(table.as_str()).unwrap();
                let result = match enrich::run_stage(&ctx, stage).await {
                    Ok(()) => {
                        let batch = match enrich::UNORDERED_STAGES.contains(&table.as_str()) {
                            // Made without its final `order by` (nothing reads its order): read
                            // back in that order.
                            true => {
                                let order = &stage.sql[stage.sql_unless_in(enrich::UNORDERED_STAGES).len()..];
                                enrich::query(&ctx, &format!("select * from {table} {order}")).await.unwrap()
                            }
                            false => enrich::table(&ctx, &table).await.unwrap(),
                        };
                        let given: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
                        if all_columns && given != columns {
                            Err(format!("it gives the columns {given:?}, not {columns:?}"))
                        } else {
                            rows_of(&batch, &columns)
                        }
                    }
                    Err(e) => Err(format!("{e:#}")),
                };
                match result {
                    Ok(actual) if actual == rows => {}
                    Ok(actual) => failures.push(format!(
                        "{name}:{at}: sql/{} gave other rows (- expected, + given):\n{}",
                        stage.file,
                        diff(&columns, &rows, &actual)
                    )),
                    Err(e) => {
                        failures.push(format!("{name}:{at}: sql/{} failed: {e}", stage.file));
                        break;
                    }
                }
            }
        }
    }
    failures
}

fn test_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slt"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_stage_test_gives_the_rows_it_expects() {
    let mut failures = Vec::new();
    for path in test_files() {
        let name = format!("tests/sql/{}", path.file_name().unwrap().to_string_lossy());
        failures.extend(run_file(&name, &std::fs::read_to_string(&path).unwrap()).await);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_stages_the_issue_names_first_have_tests() {
    let tested: String = test_files().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    for table in [
        "int_dpi_country_years",
        "int_party_year_ids",
        "int_party_years_powered",
        "int_party_cabinets_powered",
        "enriched_decisions",
        "int_interaction_groups",
        "interactions",
    ] {
        assert!(tested.contains(&format!("\nstage {table}\n")), "no test runs the stage that makes {table}");
    }
    // The content analysis's table has exactly the columns its issue names.
    let columns = tested.split("\nstage topics_by_year (all columns)\n").nth(1).and_then(|rest| rest.lines().next());
    assert_eq!(
        columns.map(cells),
        Some(["year", "topic", "items", "mentions", "share_of_items"].map(String::from).to_vec())
    );
}

#[tokio::test]
async fn a_stage_with_other_columns_than_all_those_listed_fails() {
    let text = "table run_settings\nperiod_from | period_to\nint | int\nNULL | NULL\n\n\
                table contact_decisions\noutcome | contacts | party_seq | year\ntext | bigint | int | int\nmatched | 2 | 1 | 2010\n\n\
                stage accounting (all columns)\noutcome\nmatched\ninput_rows\n";
    let failures = run_file("inline", text).await;
    assert_eq!(failures.len(), 1, "{failures:?}");
    let expected = "inline:11: sql/32_accounting.sql failed: it gives the columns \
                    [\"outcome\", \"rows\", \"meaning\"], not [\"outcome\"]";
    assert_eq!(failures[0], expected);
}

/// Every value of a README table's first column (from the row after `header`, while rows start
/// with one of `prefixes`) ends a row that `file` expects of the stage making `table`; there are
/// `count` of them.
fn every_value_is_expected(header: &str, prefixes: &[&str], count: usize, file: &str, table: &str) {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let listed = readme.split(header).nth(1).unwrap_or_else(|| panic!("README.md has no table {header}"));
    let values: Vec<&str> = listed
        .lines()
        .skip(2)
        .take_while(|l| prefixes.iter().any(|p| l.starts_with(p)))
        .map(|l| l.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(values.len(), count, "{values:?}");
    let test = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql").join(file)).unwrap();
    let expected = test.split(&format!("stage {table}\n")).nth(1).unwrap().split("\n\n").next().unwrap();
    for value in values {
        assert!(
            expected.lines().any(|l| l.trim_end().ends_with(&format!("| {value}"))),
            "tests/sql/{file} expects no {value}"
        );
    }
}

#[test]
fn every_power_basis_of_the_readme_is_asserted() {
    let header = "| power_basis | power_status | rule |";
    every_value_is_expected(header, &["| `dpi_", "| `outside_"], 14, "power_basis.slt", "int_party_years_powered");
}

#[test]
fn every_power_basis_on_date_of_the_readme_is_asserted() {
    let header = "| power_basis_on_date | power_status_on_date | rule |";
    every_value_is_expected(header, &["| `dpi_", "| `parlgov_"], 10, "power_on_date.slt", "enriched_decisions");
}

#[tokio::test]
async fn a_wrong_expectation_shows_the_rows_side_by_side() {
    let text = "table run_settings\nperiod_from | period_to\nint | int\nNULL | NULL\n\n\
                table contact_decisions\noutcome | contacts | party_seq | year\ntext | bigint | int | int\nmatched | 2 | 1 | 2010\n\n\
                stage accounting\noutcome | rows\nmatched | 3\ninput_rows | 2\n";
    let failures = run_file("inline", text).await;
    assert_eq!(failures.len(), 1, "{failures:?}");
    let expected = "inline:11: sql/32_accounting.sql gave other rows (- expected, + given):\n    \
                    outcome    | rows\n  - matched    | 3\n  + matched    | 2\n    input_rows | 2\n";
    assert_eq!(failures[0], expected);
}
