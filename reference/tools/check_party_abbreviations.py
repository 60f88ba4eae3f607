#!/usr/bin/env python3
"""Checks reference/party_abbreviations.csv against the Party Facts core parties.

Run from the repository root (Python 3, standard library only):

    python3 reference/tools/check_party_abbreviations.py [DATA_DIR]

DATA_DIR is the directory that holds partyfacts/partyfacts-core-parties.csv; it defaults to
$PARTYLINK_DATA, else data/. The script prints every problem and exits with status 1 if there
is one. It checks that:

- the header is exactly partyfacts_id,country,abbreviation,name_english,source;
- every cell is filled and has no surrounding spaces;
- each partyfacts_id is a whole number that occurs once in the table;
- each partyfacts_id exists in the Party Facts core file, is not a technical placeholder
  ("unknown", "independent", ...), and its Party Facts country equals the row's country;
- each country is an iso3 of reference/countries.csv;
- rows are sorted by country, then abbreviation (case-insensitively), then partyfacts_id;
- no two rows of one country share an abbreviation, except where both are listed in
  SAME_ABBREVIATION below (two Party Facts records of one party's name, e.g. Forza Italia).
"""

import csv
import os
import sys
from pathlib import Path

HEADER = ["partyfacts_id", "country", "abbreviation", "name_english", "source"]
# Country and abbreviation pairs that name more than one Party Facts record on purpose.
SAME_ABBREVIATION = {("ITA", "FI")}  # Forza Italia 1994-2009 (1626) and 2013- (8058)


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    data = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PARTYLINK_DATA", root / "data"))
    core_path = data / "partyfacts" / "partyfacts-core-parties.csv"
    with open(core_path, newline="", encoding="utf-8") as f:
        core = {row["partyfacts_id"]: row for row in csv.DictReader(f)}
    with open(root / "reference" / "countries.csv", newline="", encoding="utf-8") as f:
        iso3s = {row["iso3"] for row in csv.DictReader(f)}

    problems = []
    with open(root / "reference" / "party_abbreviations.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    if header != HEADER:
        problems.append(f"header is {header}, expected {HEADER}")
        rows = []

    seen_ids = {}
    seen_abbr = {}
    keys = []
    for line, cells in enumerate(rows, start=2):
        where = f"row {line}"
        if len(cells) != len(HEADER):
            problems.append(f"{where}: {len(cells)} cells, expected {len(HEADER)}")
            continue
        row = dict(zip(HEADER, cells))
        for column, value in row.items():
            if not value or value != value.strip():
                problems.append(f"{where}: {column} {value!r} is empty or has surrounding spaces")
        pid, country, abbr = row["partyfacts_id"], row["country"], row["abbreviation"]
        if not pid.isdigit():
            problems.append(f"{where}: partyfacts_id {pid!r} is not a whole number")
            continue
        if pid in seen_ids:
            problems.append(f"{where}: partyfacts_id {pid} already on row {seen_ids[pid]}")
        seen_ids[pid] = line
        party = core.get(pid)
        if party is None:
            problems.append(f"{where}: partyfacts_id {pid} is not in {core_path.name}")
        else:
            if party["technical"].strip():
                problems.append(f"{where}: partyfacts_id {pid} is a technical entry ({party['name']})")
            if party["country"] != country:
                problems.append(f"{where}: partyfacts_id {pid} is a party of {party['country']}, not {country}")
        if country not in iso3s:
            problems.append(f"{where}: country {country} is not an iso3 of reference/countries.csv")
        key = (country, abbr)
        if key in seen_abbr and key not in SAME_ABBREVIATION:
            problems.append(f"{where}: {country} {abbr} already on row {seen_abbr[key]}")
        seen_abbr.setdefault(key, line)
        keys.append((country, abbr.lower(), int(pid)))
    if keys != sorted(keys):
        first = next(i for i, (a, b) in enumerate(zip(keys, sorted(keys))) if a != b)
        problems.append(f"rows are not sorted by country, abbreviation, partyfacts_id (first at row {first + 2})")

    for p in problems:
        print(p)
    print(f"{len(rows)} rows checked against {core_path}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
