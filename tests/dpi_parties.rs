//! DPI disaggregated to the party level, on the real DPI2017 basefile, and the DPI reader on
//! the same table as a workbook.

mod common;

use arrow::array::{AsArray, RecordBatch};
use common::{data, tempdir};
use partylink::enrich;
use partylink::load::Sources;
use partylink::load::paths::{Source, SourcePaths};
use partylink::load::read::dpi;
use partylink::load::reference::Reference;
use partylink::pipeline;
use partylink::resolve::ResolverConfig;
use partylink::resolve::link_cache::LinkCache;

fn strings(batch: &RecordBatch, column: &str) -> Vec<String> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    (0..batch.num_rows()).map(|i| array.value(i).to_string()).collect()
}

async fn context() -> datafusion::prelude::SessionContext {
    let reference = Reference::load(None).unwrap();
    let paths = SourcePaths::locate(Some(&common::data_dir()), None, None, None, None, None, None).unwrap();
    let sources = Sources::read(&paths, &reference.countries).unwrap();
    pipeline::prepare(&sources, &reference, ResolverConfig::default(), &LinkCache::disabled()).await.unwrap().0
}

async fn dpi_parties(iso3: &str, year: i32) -> Vec<(String, String)> {
    dpi_parties_in(&context().await, iso3, year).await
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[tokio::test]
async fn germany_2010_cdu_csu_and_fdp_govern_spd_opposes() {
    assert_eq!(
        dpi_parties("DEU", 2010).await,
        pairs(&[
            ("Alliance90/Greens", "opposition"),
            ("CDU", "government"),
            ("CDU/CSU", "government"),
            ("FDP", "government"),
            ("Left", "opposition"),
            ("SPD", "opposition"),
        ])
    );
}

#[tokio::test]
async fn japan_2010_dpj_governs_ldp_opposes() {
    let parties = dpi_parties("JPN", 2010).await;
    assert!(parties.contains(&("DPJ".into(), "government".into())), "{parties:?}");
    assert!(parties.contains(&("LDP".into(), "opposition".into())), "{parties:?}");
    assert!(parties.contains(&("New Komeito".into(), "opposition".into())), "{parties:?}");
}

#[tokio::test]
async fn placeholders_never_leak_through_as_parties() {
    let ctx = context().await;
    let sql = "select count(*) as n from stg_dpi_parties \
               where lower(dpi_party) in ('na', '-999', 'independent', '', 'appointees', 'no party', '0')";
    let batch = enrich::query(&ctx, sql).await.unwrap();
    assert_eq!(batch.column(0).as_primitive::<arrow::datatypes::Int64Type>().value(0), 0);
    // Vietnam has one party: the CPV, executive and government, every year.
    assert_eq!(dpi_parties_in(&ctx, "VNM", 2016).await, pairs(&[("CPV", "government")]));
}

async fn dpi_parties_in(ctx: &datafusion::prelude::SessionContext, iso3: &str, year: i32) -> Vec<(String, String)> {
    let sql = format!(
        "select dpi_party, role from stg_dpi_parties where iso3 = '{iso3}' and year = {year} order by dpi_party"
    );
    let batch = enrich::query(ctx, &sql).await.unwrap();
    strings(&batch, "dpi_party").into_iter().zip(strings(&batch, "role")).collect()
}

#[test]
fn the_basefile_as_a_workbook_reads_like_the_csv() {
    let csv_path = data("dpi/DPI2017_basefile_Jan2018.csv");
    let from_csv = dpi::read(&Source::file(&csv_path)).unwrap();
    assert_eq!(from_csv.len(), 7661);

    let dir = tempdir();
    let xlsx_path = dir.path().join("DPI2017_basefile_Jan2018.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    for (c, h) in headers.iter().enumerate() {
        sheet.write(0, c as u16, h.trim_start_matches('\u{feff}')).unwrap();
    }
    for (r, record) in reader.records().enumerate() {
        for (c, value) in record.unwrap().iter().enumerate() {
            // Numbers as numbers, as Excel would store them.
            match value.parse::<f64>() {
                Ok(n) => sheet.write(r as u32 + 1, c as u16, n).unwrap(),
                Err(_) if value.is_empty() => sheet,
                Err(_) => sheet.write(r as u32 + 1, c as u16, value).unwrap(),
            };
        }
    }
    workbook.save(&xlsx_path).unwrap();
    let from_xlsx = dpi::read(&Source::file(&xlsx_path)).unwrap();
    assert_eq!(from_xlsx, from_csv);
}
