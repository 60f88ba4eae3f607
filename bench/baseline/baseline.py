"""The baseline a user would write instead of partylink: pandas and rapidfuzz for the names,
DuckDB for the joins. It does the same work on the same files: countries to ISO3 through
reference/countries.csv, each distinct (country, partner) to a Party Facts id with
rapidfuzz's process.extractOne over the country's Party Facts names (score cutoff 90), DPI
disaggregated to parties and linked through Party Facts' DPI import, Freedom House's status
of the country-year, and the enriched contacts written as Parquet.

usage: python bench/baseline/baseline.py CONTACTS DATA_DIR OUT.parquet
"""

import re
import sys
import unicodedata

import duckdb
import openpyxl
import pandas as pd
from rapidfuzz import fuzz, process


def fold(text):
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['\u2019]", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def main(contacts_path, data, out):
    if contacts_path.endswith(".parquet"):
        contacts = pd.read_parquet(contacts_path)
    else:
        contacts = pd.read_csv(contacts_path, dtype=str, keep_default_na=False)
    contacts["date"] = pd.to_datetime(contacts["date"])
    contacts["year"] = contacts["date"].dt.year

    spellings = pd.read_csv("reference/countries.csv", dtype=str, keep_default_na=False)
    country_of = dict(zip(spellings["spelling"].map(fold), spellings["iso3"]))
    country_of.update({iso3: iso3 for iso3 in spellings["iso3"]})
    contacts["iso3"] = contacts["country"].map(lambda c: country_of.get(fold(c)))

    core = pd.read_csv(f"{data}/partyfacts/partyfacts-core-parties.csv", dtype=str, keep_default_na=False)
    core = core[core["technical"] == ""]
    ext = pd.read_csv(f"{data}/partyfacts/partyfacts-external-parties.csv", dtype=str, keep_default_na=False)
    ext = ext[~((ext["dataset_key"] == "partyfacts") & (ext["external_id"] == "")) & (ext["partyfacts_id"] != "")]
    frames = []
    for frame in (core, ext):
        for column in ("name", "name_english", "name_short"):
            part = frame[["country", "partyfacts_id", column]].rename(columns={column: "name"})
            frames.append(part[part["name"] != ""])
    names = pd.concat(frames)
    names["country"] = names["country"].map(lambda c: country_of.get(fold(c), c))
    names["folded"] = names["name"].map(fold)
    names = names.drop_duplicates(["country", "folded", "partyfacts_id"])
    by_country = {iso3: (group["folded"].tolist(), group["partyfacts_id"].tolist()) for iso3, group in names.groupby("country")}

    # One fuzzy search per distinct (country, partner), as a careful user would.
    parties = contacts[contacts.get("partner_kind", "party") != "non_party"]
    distinct = parties[["iso3", "partner"]].drop_duplicates()
    found = []
    for iso3, partner in distinct.itertuples(index=False):
        choices, ids = by_country.get(iso3, ([], []))
        match = process.extractOne(fold(partner), choices, scorer=fuzz.WRatio, score_cutoff=90) if choices else None
        found.append((iso3, partner, int(ids[match[2]]) if match else None, match[1] if match else None))
    resolved = pd.DataFrame(found, columns=["iso3", "partner", "partyfacts_id", "match_score"])
    contacts = contacts.merge(resolved, on=["iso3", "partner"], how="left")

    fh_rows = []
    sheet = openpyxl.load_workbook(f"{data}/fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx", read_only=True)[
        "Country Ratings, Statuses "
    ]
    rows = list(sheet.iter_rows(values_only=True))
    years = rows[1]
    for row in rows[3:]:
        if row[0] is None:
            continue
        for col in range(1, len(row), 3):
            if isinstance(years[col], int) and row[col + 2] in ("F", "PF", "NF"):
                fh_rows.append((country_of.get(fold(row[0])), years[col], row[col + 2]))
    fh = pd.DataFrame(fh_rows, columns=["iso3", "year", "fh_status"])

    db = duckdb.connect()
    db.register("contacts", contacts)
    db.register("fh", fh)
    db.register("countries", spellings.assign(folded=spellings["spelling"].map(fold)))
    dpi = pd.read_csv(f"{data}/dpi/DPI2017_basefile_Jan2018.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    dpi["iso3"] = dpi["countryname"].map(lambda c: country_of.get(fold(c)))
    db.register("dpi", dpi)
    db.register("import_", pd.read_csv(f"{data}/partyfacts/partyfacts-import-dpi.csv", dtype=str, keep_default_na=False))
    db.register("ext", ext)
    db.execute(
        """
        create table dpi_parties as
        with slots as (
            select iso3, cast(year as int) as year, party, slot from dpi
            unpivot (party for slot in (execme, gov1me, gov2me, gov3me, opp1me, opp2me, opp3me))
        )
        select iso3, year, party,
            bool_or(slot in ('execme', 'gov1me', 'gov2me', 'gov3me')) as government,
            bool_or(slot like 'opp%') as opposition
        from slots
        where party not in ('', 'NA', '-999', 'independent', 'Appointees', 'No party', '0')
        group by all
        """
    )
    db.execute(
        """
        create table linked as
        select p.*, cast(e.partyfacts_id as bigint) as partyfacts_id
        from dpi_parties p
        join import_ i on i.country = p.iso3 and i.party = p.party
        join ext e on e.dataset_key = 'dpi' and e.dataset_party_id = i.party_id
        """
    )
    db.execute(
        f"""
        copy (
            select c.*, coalesce(fh.fh_status, 'unknown') as fh_status,
                case
                    when l.government then 'government'
                    when l.opposition then 'opposition'
                    else 'unknown'
                end as power_status
            from contacts c
            left join (select iso3, year, partyfacts_id, bool_or(government) as government, bool_or(opposition) as opposition
                       from linked group by all) l
                on l.iso3 = c.iso3 and l.year = c.year and l.partyfacts_id = c.partyfacts_id
            left join fh on fh.iso3 = c.iso3 and fh.year = c.year
            order by c.contact_id
        ) to '{out}' (format parquet)
        """
    )
    matched = int(contacts["partyfacts_id"].notna().sum())
    print(f"baseline: {len(contacts)} contacts, {len(distinct)} distinct partners, {matched} matched", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
