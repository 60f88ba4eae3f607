#!/usr/bin/env python3
"""Check reference/dpi_link_corrections.csv, party_successions.csv and dpi_alliances.csv
against the source files. Makes nothing; prints every problem and exits 1 if there is one.

Checks: the exact columns; UTF-8 without BOM, LF line endings; every Party Facts id is in the
core or the external file (the `partyfacts` self-link rows of the external file dropped) and
belongs to the row's country; `none` only where allowed; year_first <= year_last; every
dpi_party label is written by DPI2017 (execme, gov1me-gov3me, opp1me-opp3me) for that country
in year_first and in year_last; correction spans of one label do not overlap; rows are sorted.

Usage: python3 reference/tools/check_dpi_reference.py [DATA_DIR]
DATA_DIR (default $PARTYLINK_DATA or data/) holds dpi/DPI2017_basefile_Jan2018.csv and
partyfacts/partyfacts-core-parties.csv, partyfacts-external-parties.csv. Needs pandas.
"""
import csv
import os
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.dirname(HERE)
DATA = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PARTYLINK_DATA", "data")
SLOTS = ["execme", "gov1me", "gov2me", "gov3me", "opp1me", "opp2me", "opp3me"]
problems = []


def problem(msg):
    problems.append(msg)


core = pd.read_csv(os.path.join(DATA, "partyfacts/partyfacts-core-parties.csv"), dtype=str, keep_default_na=False)
ext = pd.read_csv(os.path.join(DATA, "partyfacts/partyfacts-external-parties.csv"), dtype=str, keep_default_na=False)
ext = ext[(ext.dataset_key != "partyfacts") & (ext.partyfacts_id != "")]
countries = {}
for pid, c in zip(core.partyfacts_id, core.country):
    countries.setdefault(int(pid), set()).add(c)
for pid, c in zip(ext.partyfacts_id, ext.country):
    countries.setdefault(int(float(pid)), set()).add(c)

spell = pd.read_csv(os.path.join(REF, "countries.csv"), dtype=str, keep_default_na=False)
to_iso = {}
for s, i in zip(spell.spelling, spell.iso3):
    to_iso.setdefault(s, i)
dpi = pd.read_csv(os.path.join(DATA, "dpi/DPI2017_basefile_Jan2018.csv"), encoding="utf-8-sig", dtype=str, keep_default_na=False)
dpi["iso3"] = dpi.countryname.map(to_iso)
labels = set()
for s in SLOTS:
    for iso, year, v in zip(dpi.iso3, dpi.year, dpi[s]):
        labels.add((iso, int(year), v))


def read(name, columns):
    path = os.path.join(REF, name)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(f"{name}: byte order mark")
    if b"\r" in raw:
        problem(f"{name}: CR in line endings")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    if rows[0] != columns:
        problem(f"{name}: columns {rows[0]} != {columns}")
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def check_id(name, n, country, value, allow_none=False):
    if value == "none" and allow_none:
        return
    try:
        pid = int(value)
    except ValueError:
        problem(f"{name} row {n}: Party Facts id '{value}' is not a number")
        return
    if pid not in countries:
        problem(f"{name} row {n}: Party Facts id {pid} is in neither the core nor the external file")
    elif country not in countries[pid]:
        problem(f"{name} row {n}: Party Facts id {pid} belongs to {sorted(countries[pid])}, not {country}")


def check_years(name, n, r):
    y0, y1 = int(r["year_first"]), int(r["year_last"])
    if y0 > y1:
        problem(f"{name} row {n}: year_first {y0} > year_last {y1}")
    for y in (y0, y1):
        if (r["country"], y, r["dpi_party"]) not in labels:
            problem(f"{name} row {n}: DPI2017 has no party field '{r['dpi_party']}' for {r['country']} {y}")
    return y0, y1


def check_sorted(name, rows, key):
    keys = [key(r) for r in rows]
    if keys != sorted(keys):
        problem(f"{name}: rows are not sorted")


corr = read("dpi_link_corrections.csv", ["country", "dpi_party", "year_first", "year_last", "partyfacts_id", "evidence", "decided_by"])
spans = {}
for n, r in enumerate(corr, 2):
    check_id("dpi_link_corrections.csv", n, r["country"], r["partyfacts_id"], allow_none=True)
    y0, y1 = check_years("dpi_link_corrections.csv", n, r)
    for a, b in spans.get((r["country"], r["dpi_party"]), []):
        if not (y1 < a or b < y0):
            problem(f"dpi_link_corrections.csv row {n}: years overlap another row of the same label")
    spans.setdefault((r["country"], r["dpi_party"]), []).append((y0, y1))
    if not r["evidence"] or not r["decided_by"]:
        problem(f"dpi_link_corrections.csv row {n}: evidence and decided_by must be filled")
check_sorted("dpi_link_corrections.csv", corr, lambda r: (r["country"], r["dpi_party"], int(r["year_first"])))

succ = read("party_successions.csv", ["country", "predecessor_partyfacts_id", "predecessor_name", "successor_partyfacts_id", "successor_name", "year", "source"])
for n, r in enumerate(succ, 2):
    check_id("party_successions.csv", n, r["country"], r["predecessor_partyfacts_id"])
    check_id("party_successions.csv", n, r["country"], r["successor_partyfacts_id"])
    if r["predecessor_partyfacts_id"] == r["successor_partyfacts_id"]:
        problem(f"party_successions.csv row {n}: predecessor and successor are the same id")
    int(r["year"])
check_sorted("party_successions.csv", succ, lambda r: (r["country"], int(r["predecessor_partyfacts_id"]), int(r["successor_partyfacts_id"])))

alli = read("dpi_alliances.csv", ["country", "dpi_party", "year_first", "year_last", "member_partyfacts_id", "member_name", "source"])
for n, r in enumerate(alli, 2):
    check_id("dpi_alliances.csv", n, r["country"], r["member_partyfacts_id"])
    check_years("dpi_alliances.csv", n, r)
    if not r["source"]:
        problem(f"dpi_alliances.csv row {n}: source must be filled")
check_sorted("dpi_alliances.csv", alli, lambda r: (r["country"], r["dpi_party"], int(r["year_first"]), int(r["year_last"]), int(r["member_partyfacts_id"])))

for p in problems:
    print(p)
print(f"{len(corr)} corrections, {len(succ)} successions, {len(alli)} alliance rows; {len(problems)} problems")
sys.exit(1 if problems else 0)
