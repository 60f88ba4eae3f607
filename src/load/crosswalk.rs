//! Reviewed knowledge of the DPI-Party Facts crosswalk, from three reference tables:
//! `dpi_link_corrections.csv` (a DPI label's party in a span of years, or none),
//! `party_successions.csv` (mergers and renamings: whose DPI label counts for whom, from when)
//! and `dpi_alliances.csv` (the member parties of a label DPI uses for an alliance).

use anyhow::Result;
use arrow::array::RecordBatch;

use crate::load::countries::Countries;
use crate::load::read::text_table::{TextRow, TextTable};
use crate::load::reference::{int, iso3, required, year};
use crate::shared::batch::BatchBuilder;

/// A reviewed decision about the party a DPI label stands for in a span of years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCorrection {
    pub iso3: String,
    pub dpi_party: String,
    pub year_first: i32,
    pub year_last: i32,
    /// The party, or None: the label stays unlinked.
    pub partyfacts_id: Option<i64>,
    pub evidence: String,
    pub decided_by: String,
    /// 1-based line in the table.
    pub row: usize,
}

/// A party that merged into, or was renamed as, another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succession {
    pub iso3: String,
    pub predecessor: i64,
    pub successor: i64,
    /// From this year on, DPI's label for the predecessor counts for the successor too.
    pub year: i32,
}

/// A member party of an alliance that DPI names by one label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllianceMember {
    pub iso3: String,
    pub dpi_party: String,
    pub year_first: i32,
    pub year_last: i32,
    pub member_partyfacts_id: i64,
    pub member_name: String,
}

fn span(t: &TextTable, r: &TextRow, first: usize, last: usize) -> Result<(i32, i32)> {
    let (a, b) = (year(t, r, first)?, year(t, r, last)?);
    let a = a.ok_or_else(|| t.cell_error(r, first, "empty year_first"))?;
    let b = b.ok_or_else(|| t.cell_error(r, last, "empty year_last"))?;
    if a > b {
        return Err(t.cell_error(r, last, format!("year_last comes before year_first {a}")).into());
    }
    Ok((a, b))
}

fn id(t: &TextTable, r: &TextRow, col: usize) -> Result<i64> {
    int(t, r, col)?.ok_or_else(|| t.cell_error(r, col, "empty, but every row needs a Party Facts id").into())
}

pub fn parse_corrections(t: &TextTable, countries: &Countries) -> Result<Vec<LinkCorrection>> {
    let [country, party, first, last, pf, evidence, by] =
        t.columns(["country", "dpi_party", "year_first", "year_last", "partyfacts_id", "evidence", "decided_by"])?;
    let mut rows: Vec<LinkCorrection> = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        let (year_first, year_last) = span(t, r, first, last)?;
        let partyfacts_id = match r.cells[pf].trim() {
            "none" => None,
            text => Some(text.parse::<i64>().map_err(|_| t.cell_error(r, pf, "must be a Party Facts id or none"))?),
        };
        let row = LinkCorrection {
            iso3: iso3(t, r, country, countries)?,
            dpi_party: required(t, r, party)?,
            year_first,
            year_last,
            partyfacts_id,
            evidence: required(t, r, evidence)?,
            decided_by: required(t, r, by)?,
            row: r.line,
        };
        // Two decisions for one label-year would make the outcome depend on row order.
        if let Some(other) = rows.iter().find(|o| {
            o.iso3 == row.iso3 && o.dpi_party == row.dpi_party && o.year_first <= year_last && year_first <= o.year_last
        }) {
            let problem = format!("the years overlap those of row {} for the same label", other.row);
            return Err(t.cell_error(r, first, problem).into());
        }
        rows.push(row);
    }
    Ok(rows)
}

pub fn parse_successions(t: &TextTable, countries: &Countries) -> Result<Vec<Succession>> {
    let [country, predecessor, _, successor, _, when, source] = t.columns([
        "country",
        "predecessor_partyfacts_id",
        "predecessor_name",
        "successor_partyfacts_id",
        "successor_name",
        "year",
        "source",
    ])?;
    t.rows
        .iter()
        .map(|r| {
            required(t, r, source)?;
            let row = Succession {
                iso3: iso3(t, r, country, countries)?,
                predecessor: id(t, r, predecessor)?,
                successor: id(t, r, successor)?,
                year: year(t, r, when)?.ok_or_else(|| t.cell_error(r, when, "empty year"))?,
            };
            if row.predecessor == row.successor {
                return Err(t.cell_error(r, successor, "a party cannot succeed itself").into());
            }
            Ok(row)
        })
        .collect()
}

pub fn parse_alliances(t: &TextTable, countries: &Countries) -> Result<Vec<AllianceMember>> {
    let [country, party, first, last, member, name, source] = t.columns([
        "country",
        "dpi_party",
        "year_first",
        "year_last",
        "member_partyfacts_id",
        "member_name",
        "source",
    ])?;
    t.rows
        .iter()
        .map(|r| {
            required(t, r, source)?;
            let (year_first, year_last) = span(t, r, first, last)?;
            Ok(AllianceMember {
                iso3: iso3(t, r, country, countries)?,
                dpi_party: required(t, r, party)?,
                year_first,
                year_last,
                member_partyfacts_id: id(t, r, member)?,
                member_name: required(t, r, name)?,
            })
        })
        .collect()
}

/// Successions closed over chains (Thai Rak Thai, then the People's Power Party, then Pheu
/// Thai): a label of the first counts for the last from the latest year of the chain.
pub fn closed(successions: &[Succession]) -> Vec<Succession> {
    let mut all: Vec<Succession> = successions.to_vec();
    loop {
        let mut added = false;
        let snapshot = all.clone();
        for a in &snapshot {
            for b in snapshot.iter().filter(|b| b.iso3 == a.iso3 && b.predecessor == a.successor) {
                let chained = Succession {
                    iso3: a.iso3.clone(),
                    predecessor: a.predecessor,
                    successor: b.successor,
                    year: a.year.max(b.year),
                };
                if chained.predecessor != chained.successor
                    && !all.iter().any(|s| {
                        s.iso3 == chained.iso3
                            && s.predecessor == chained.predecessor
                            && s.successor == chained.successor
                    })
                {
                    all.push(chained);
                    added = true;
                }
            }
        }
        if !added {
            return all;
        }
    }
}

pub fn corrections_table(rows: &[LinkCorrection]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|r| Some(r.iso3.as_str())))
        .utf8("dpi_party", rows.iter().map(|r| Some(r.dpi_party.as_str())))
        .int32("year_first", rows.iter().map(|r| Some(r.year_first)))
        .int32("year_last", rows.iter().map(|r| Some(r.year_last)))
        .int64("partyfacts_id", rows.iter().map(|r| r.partyfacts_id))
        .utf8("evidence", rows.iter().map(|r| Some(r.evidence.as_str())))
        .utf8("decided_by", rows.iter().map(|r| Some(r.decided_by.as_str())))
        .build()
}

pub fn successions_table(rows: &[Succession]) -> Result<RecordBatch> {
    let rows = closed(rows);
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|r| Some(r.iso3.as_str())))
        .int64("predecessor_partyfacts_id", rows.iter().map(|r| Some(r.predecessor)))
        .int64("successor_partyfacts_id", rows.iter().map(|r| Some(r.successor)))
        .int32("year", rows.iter().map(|r| Some(r.year)))
        .build()
}

pub fn alliances_table(rows: &[AllianceMember]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|r| Some(r.iso3.as_str())))
        .utf8("dpi_party", rows.iter().map(|r| Some(r.dpi_party.as_str())))
        .int32("year_first", rows.iter().map(|r| Some(r.year_first)))
        .int32("year_last", rows.iter().map(|r| Some(r.year_last)))
        .int64("member_partyfacts_id", rows.iter().map(|r| Some(r.member_partyfacts_id)))
        .utf8("member_name", rows.iter().map(|r| Some(r.member_name.as_str())))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn table(text: &str) -> TextTable {
        TextTable::parse_csv(Path::new("t.csv"), text.as_bytes()).unwrap()
    }

    const CORRECTIONS: &str = "country,dpi_party,year_first,year_last,partyfacts_id,evidence,decided_by\n";

    #[test]
    fn corrections_take_an_id_or_none_and_refuse_overlaps() {
        let c = Countries::embedded().unwrap();
        let rows = parse_corrections(
            &table(&format!("{CORRECTIONS}FRA,Communists,1982,2002,1251,e,me\nJPN,X,2000,2001,none,e,me\n")),
            &c,
        )
        .unwrap();
        assert_eq!((rows[0].partyfacts_id, rows[1].partyfacts_id), (Some(1251), None));
        let e = parse_corrections(&table(&format!("{CORRECTIONS}FRA,C,1982,2002,maybe,e,me\n")), &c).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv, row 2, column \"partyfacts_id\", value \"maybe\": must be a Party Facts id or none"
        );
        let e =
            parse_corrections(&table(&format!("{CORRECTIONS}FRA,C,1982,2002,1,e,me\nFRA,C,2002,2003,2,e,me\n")), &c)
                .unwrap_err();
        assert!(
            e.to_string().contains("row 3, column \"year_first\", value \"2002\": the years overlap those of row 2"),
            "{e}"
        );
        let e = parse_corrections(&table(&format!("{CORRECTIONS}FRA,C,2003,2002,1,e,me\n")), &c).unwrap_err();
        assert!(e.to_string().contains("year_last comes before year_first 2003"), "{e}");
    }

    #[test]
    fn successions_chain() {
        let s = |p, n, y| Succession { iso3: "THA".into(), predecessor: p, successor: n, year: y };
        let all = closed(&[s(5397, 2376, 2007), s(2376, 5398, 2008)]);
        assert!(all.contains(&s(5397, 5398, 2008)), "{all:?}");
        assert_eq!(all.len(), 3);
    }
}
