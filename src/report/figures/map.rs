//! Figure 3: a world map of party interactions by country. Outlines from Natural Earth 1:110m
//! (`reference/world_110m.json`) in the Equal Earth projection (Šavrič, Patterson and Jenny
//! 2018), which keeps areas true; one circle per country at a point inside its largest outline
//! (its pole of inaccessibility), its area proportional to the interactions. Countries without
//! an outline at this scale are placed by `reference/map_points.csv`. plotters draws the
//! outlines as polygons and the circles, in canvas units projected to its pixels.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use anyhow::{Context, Result};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{Area, MARGIN, MUTED, PAPER, count, drawn, font, palette, px, stroke};
use super::text::{TICK_SIZE, WIDTH, Weight};

const WORLD: &str = include_str!("../../../reference/world_110m.json");
const POINTS: &str = include_str!("../../../reference/map_points.csv");

/// The map's latitudes: Antarctica, which no party is from, is left off.
const NORTH: f64 = 84.0;
const SOUTH: f64 = -58.0;
/// The largest circle's radius, in user units.
const MAX_RADIUS: f64 = 16.0;

const LAND: RGBColor = RGBColor(0xE8, 0xE8, 0xE8);
pub const LAND_WITH_CONTACTS: RGBColor = RGBColor(0xC9, 0xC9, 0xC9);
const BORDER: RGBColor = PAPER;

/// Equal Earth: (longitude, latitude) in degrees to plane coordinates (y up).
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    const A1: f64 = 1.340264;
    const A2: f64 = -0.081106;
    const A3: f64 = 0.000893;
    const A4: f64 = 0.003796;
    let m = 3f64.sqrt() / 2.0;
    let (lambda, phi) = (lon.to_radians(), lat.to_radians());
    let theta = (m * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Country outlines: iso3 to rings of (lon, lat).
type Outlines = BTreeMap<String, Vec<Vec<[f64; 2]>>>;

fn outlines() -> &'static Outlines {
    static OUTLINES: OnceLock<Outlines> = OnceLock::new();
    OUTLINES.get_or_init(|| serde_json::from_str(WORLD).expect("reference/world_110m.json parses"))
}

/// Where a country without an outline is drawn: a point, or another country's point.
#[derive(Debug, Clone)]
enum Stand {
    At(f64, f64),
    Like(String),
}

fn stand_ins() -> Result<BTreeMap<String, (Stand, String)>> {
    let mut reader = csv::Reader::from_reader(POINTS.as_bytes());
    let mut points = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("reference/map_points.csv, row {}", i + 2))?;
        let (iso3, lon, lat, like, place) = (&record[0], &record[1], &record[2], &record[3], &record[4]);
        let stand = if like.is_empty() {
            let parse =
                |v: &str| v.parse::<f64>().with_context(|| format!("reference/map_points.csv, row {}: {v}", i + 2));
            Stand::At(parse(lon)?, parse(lat)?)
        } else {
            Stand::Like(like.to_string())
        };
        points.insert(iso3.to_string(), (stand, place.to_string()));
    }
    Ok(points)
}

/// The map's frame: projected bounds to canvas units.
struct Canvas {
    scale: f64,
    x0: f64,
    y_top: f64,
    left: f64,
    top: f64,
}

impl Canvas {
    fn new(left: f64, top: f64, width: f64) -> Canvas {
        let (x_east, _) = equal_earth(180.0, 0.0);
        let (_, y_top) = equal_earth(0.0, NORTH);
        Canvas { scale: width / (2.0 * x_east), x0: -x_east, y_top, left, top }
    }

    fn height(&self) -> f64 {
        (self.y_top - equal_earth(0.0, SOUTH).1) * self.scale
    }

    fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = equal_earth(lon, lat);
        (self.left + (x - self.x0) * self.scale, self.top + (self.y_top - y) * self.scale)
    }
}

/// A ring in the canvas's pixels (a pixel is a third of a unit, 0.08 mm in print).
fn ring_pixels(canvas: &Canvas, ring: &[[f64; 2]]) -> Vec<(i32, i32)> {
    let mut points: Vec<(i32, i32)> = ring
        .iter()
        .map(|[lon, lat]| {
            let (x, y) = canvas.point(*lon, lat.max(SOUTH));
            (px(x), px(y))
        })
        .collect();
    points.dedup();
    points
}

/// The pole of inaccessibility of a ring (the inside point farthest from its edge), found to
/// within `precision` by searching ever smaller cells, most promising first (Agafonkin's
/// polylabel, 2016).
pub fn pole_of_inaccessibility(ring: &[(f64, f64)], precision: f64) -> (f64, f64) {
    let (min_x, max_x) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let size = (max_x - min_x).min(max_y - min_y);
    if size <= 0.0 {
        return (min_x, min_y);
    }
    let cell = |x: f64, y: f64, h: f64| {
        let d = signed_distance(ring, x, y);
        Cell { potential: d + h * std::f64::consts::SQRT_2, x, y, h, d }
    };
    let mut queue = std::collections::BinaryHeap::new();
    let mut y = min_y;
    while y < max_y {
        let mut x = min_x;
        while x < max_x {
            queue.push(cell(x + size / 2.0, y + size / 2.0, size / 2.0));
            x += size;
        }
        y += size;
    }
    let centroid = ring_centroid(ring);
    let mut best = cell(centroid.0, centroid.1, 0.0);
    while let Some(c) = queue.pop() {
        if c.d > best.d {
            best = c;
        }
        if c.potential - best.d <= precision {
            continue;
        }
        let h = c.h / 2.0;
        for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
            queue.push(cell(c.x + dx, c.y + dy, h));
        }
    }
    (best.x, best.y)
}

/// A square cell of the search: its centre, half its side, the centre's distance to the edge,
/// and the most any point in it could have.
#[derive(Debug, Clone, Copy)]
struct Cell {
    potential: f64,
    x: f64,
    y: f64,
    h: f64,
    d: f64,
}

impl PartialEq for Cell {
    fn eq(&self, other: &Cell) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Cell {}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Cell) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cell {
    // Ties are broken by position, so the search, and the figure, are the same every time.
    fn cmp(&self, other: &Cell) -> std::cmp::Ordering {
        self.potential.total_cmp(&other.potential).then(other.x.total_cmp(&self.x)).then(other.y.total_cmp(&self.y))
    }
}

/// Distance from a point to a ring's edge, negative outside.
fn signed_distance(ring: &[(f64, f64)], x: f64, y: f64) -> f64 {
    let mut inside = false;
    let mut nearest = f64::MAX;
    for (i, a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        if (a.1 > y) != (b.1 > y) && x < (b.0 - a.0) * (y - a.1) / (b.1 - a.1) + a.0 {
            inside = !inside;
        }
        nearest = nearest.min(segment_distance((x, y), *a, b));
    }
    if inside { nearest } else { -nearest }
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0) };
    let (nx, ny) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    (nx * nx + ny * ny).sqrt()
}

fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let mut area = 0.0;
    for (i, a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        area += a.0 * b.1 - b.0 * a.1;
    }
    area / 2.0
}

fn ring_centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let n = ring.len().max(1) as f64;
    (ring.iter().map(|p| p.0).sum::<f64>() / n, ring.iter().map(|p| p.1).sum::<f64>() / n)
}

/// Where a country's circle goes on the canvas, if anywhere.
fn anchor(canvas: &Canvas, iso3: &str, stand_ins: &BTreeMap<String, (Stand, String)>) -> Option<(f64, f64)> {
    if let Some(rings) = outlines().get(iso3) {
        let projected: Vec<Vec<(f64, f64)>> =
            rings.iter().map(|r| r.iter().map(|[lon, lat]| canvas.point(*lon, *lat)).collect()).collect();
        let largest = projected.iter().max_by(|a, b| ring_area(a).abs().total_cmp(&ring_area(b).abs()))?;
        return Some(pole_of_inaccessibility(largest, 0.5));
    }
    match &stand_ins.get(iso3)?.0 {
        Stand::At(lon, lat) => Some(canvas.point(*lon, *lat)),
        Stand::Like(other) if other != iso3 => anchor(canvas, other, stand_ins),
        Stand::Like(_) => None,
    }
}

/// A country's party interactions, as the map draws them.
pub struct CountryCount {
    pub iso3: String,
    pub country: String,
    pub interactions: i64,
}

/// Round values for the size legend: the largest, and about a quarter and a sixteenth of it.
fn legend_values(max: i64) -> Vec<i64> {
    let round = |v: f64| -> i64 {
        if v < 1.0 {
            return 1;
        }
        let magnitude = 10f64.powf(v.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).filter(|s| *s <= v).fold(magnitude, f64::max);
        step as i64
    };
    let mut values = vec![round(max as f64), round(max as f64 / 4.0), round(max as f64 / 16.0)];
    values.dedup();
    values
}

/// The height [`draw`] draws in.
pub fn height() -> f64 {
    Canvas::new(MARGIN, 4.0, WIDTH - 2.0 * MARGIN).height() + 4.0
}

/// A circle for `interactions`, filled translucent so that what lies under it shows through.
fn bubble(area: &Area, (x, y): (f64, f64), radius: f64) -> Result<()> {
    let centre = (px(x), px(y));
    drawn(area.draw(&Circle::new(centre, px(radius), palette::BLUE.mix(0.7).filled())))?;
    drawn(area.draw(&Circle::new(centre, px(radius), BORDER.stroke_width(stroke(0.7)))))
}

/// A country's ring on the map: its code, its points in pixels and its area.
type Ring<'a> = (&'a str, Vec<(i32, i32)>, f64);

/// Draws the map: outlines, then a circle a country.
pub fn draw(area: &Area, countries: &[CountryCount]) -> Result<()> {
    let canvas = Canvas::new(MARGIN, 4.0, WIDTH - 2.0 * MARGIN);
    let with_contacts: std::collections::BTreeSet<&str> = countries.iter().map(|c| c.iso3.as_str()).collect();
    // Rings largest first, so that a country inside another (Lesotho) is drawn over it.
    let mut rings: Vec<Ring> = Vec::new();
    for (iso3, outline) in outlines().iter().filter(|(iso3, _)| *iso3 != "ATA") {
        for ring in outline {
            let pixels = ring_pixels(&canvas, ring);
            let points: Vec<(f64, f64)> = pixels.iter().map(|(x, y)| (f64::from(*x), f64::from(*y))).collect();
            rings.push((iso3.as_str(), pixels, ring_area(&points).abs()));
        }
    }
    rings.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(b.0)));
    for (iso3, mut pixels, _) in rings {
        let fill = if with_contacts.contains(iso3) { LAND_WITH_CONTACTS } else { LAND };
        drawn(area.draw(&Polygon::new(pixels.clone(), fill.filled())))?;
        pixels.push(pixels[0]);
        drawn(area.draw(&PathElement::new(pixels, BORDER.stroke_width(1))))?;
    }
    let max = countries.iter().map(|c| c.interactions).max().unwrap_or(1).max(1);
    let radius = |v: i64| (MAX_RADIUS * (v as f64 / max as f64).sqrt()).max(1.5);
    let (mut placed, _) = place(&canvas, countries)?;
    // Largest first, so that smaller circles stay visible on top of larger neighbours.
    placed.sort_by(|a, b| b.0.interactions.cmp(&a.0.interactions).then(a.0.iso3.cmp(&b.0.iso3)));
    for (c, point) in &placed {
        bubble(area, *point, radius(c.interactions))?;
    }
    let bottom = canvas.top + canvas.height();
    // Size legend in the South Pacific, bottom left: circles side by side, values under them.
    let values = legend_values(max);
    let base_y = bottom - TICK_SIZE - 8.0;
    let label = font(TICK_SIZE, Weight::Regular, MUTED, HPos::Left, VPos::Bottom);
    let title = (px(MARGIN), px(base_y - 2.0 * MAX_RADIUS - 6.0));
    drawn(area.draw(&Text::new("party interactions", title, label)))?;
    let under = font(TICK_SIZE, Weight::Regular, MUTED, HPos::Center, VPos::Top);
    let mut x = MARGIN;
    for value in &values {
        let r = radius(*value);
        let cx = x + r.max(8.0);
        bubble(area, (cx, base_y - r), r)?;
        drawn(area.draw(&Text::new(count(*value as f64), (px(cx), px(base_y + 3.0)), under.clone())))?;
        x = cx + r.max(8.0) + 10.0;
    }
    Ok(())
}

type Placed<'a> = Vec<(&'a CountryCount, (f64, f64))>;

/// Where each country's circle goes, and notes on the countries drawn at another's point or
/// not drawn at all.
fn place<'a>(canvas: &Canvas, countries: &'a [CountryCount]) -> Result<(Placed<'a>, Vec<String>)> {
    let stand_ins = stand_ins()?;
    let mut notes = Vec::new();
    let mut placed = Vec::new();
    let mut not_drawn = Vec::new();
    for c in countries {
        match anchor(canvas, &c.iso3, &stand_ins) {
            Some(point) => {
                placed.push((c, point));
                if let Some((Stand::Like(other), place)) =
                    stand_ins.get(&c.iso3).filter(|_| !outlines().contains_key(&c.iso3))
                {
                    notes.push(format!("{place} ({}) is drawn at the point of {other}.", c.iso3));
                }
            }
            None => not_drawn.push(format!("{} ({})", c.country, count(c.interactions as f64))),
        }
    }
    if !not_drawn.is_empty() {
        notes.push(format!("Not on the map (no outline or point in reference/): {}.", not_drawn.join(", ")));
    }
    Ok((placed, notes))
}

/// The map's notes: the countries drawn at another's point, and those not drawn.
pub fn notes(countries: &[CountryCount]) -> Result<Vec<String>> {
    Ok(place(&Canvas::new(MARGIN, 4.0, WIDTH - 2.0 * MARGIN), countries)?.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_matches_the_published_extent() {
        let (_, y) = equal_earth(180.0, 90.0);
        assert!((y - 1.3173).abs() < 0.001, "{y}");
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        let (x, _) = equal_earth(180.0, 0.0);
        assert!((x - 2.7066).abs() < 0.001, "{x}");
    }

    #[test]
    fn the_pole_of_inaccessibility_is_inside_a_concave_ring() {
        // An L shape whose centroid lies outside it.
        let ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 2.0), (2.0, 2.0), (2.0, 10.0), (0.0, 10.0)];
        let (x, y) = pole_of_inaccessibility(&ring, 0.01);
        assert!(signed_distance(&ring, x, y) > 0.9, "{x} {y}");
    }

    #[test]
    fn every_country_with_an_outline_or_a_point_is_placed() {
        let stand_ins = stand_ins().unwrap();
        let canvas = Canvas::new(0.0, 0.0, 600.0);
        for iso3 in ["VNM", "LAO", "CHL", "SGP", "CPV", "SYC", "SUN", "XEU", "FJI", "RUS", "USA"] {
            let (x, y) = anchor(&canvas, iso3, &stand_ins).unwrap_or_else(|| panic!("{iso3}"));
            assert!((0.0..=600.0).contains(&x) && (0.0..=canvas.height()).contains(&y), "{iso3}: {x} {y}");
        }
        // Vietnam's point lies within its own outline, not in Laos or the sea.
        let vnm = anchor(&canvas, "VNM", &stand_ins).unwrap();
        let rings: Vec<(f64, f64)> = outlines()["VNM"][0].iter().map(|[lon, lat]| canvas.point(*lon, *lat)).collect();
        assert!(signed_distance(&rings, vnm.0, vnm.1) > 0.0);
        for like in stand_ins.values().filter_map(|(s, _)| if let Stand::Like(o) = s { Some(o) } else { None }) {
            assert!(outlines().contains_key(like), "{like} has an outline");
        }
    }

    #[test]
    fn size_legend_values_are_round() {
        assert_eq!(legend_values(47), [20, 10, 2]);
        assert_eq!(legend_values(1), [1]);
        assert_eq!(legend_values(230), [200, 50, 10]);
    }
}
