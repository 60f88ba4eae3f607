//! Synthetic news items for benchmarks: meetings in China and abroad, messages and other items
//! in the shapes of the labelled fixture items, about real parties (their Party Facts names and
//! short names, their countries, capitals and demonyms), with varied officials, dates, weekdays,
//! cities and filler paragraphs, about 2 KB each.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::resolve::noise::Rng;

/// A party an item can name.
pub struct SynthParty {
    pub name: String,
    pub short: Option<String>,
    pub country: String,
    pub capital: Option<String>,
    pub demonym: Option<String>,
    pub years: Vec<i32>,
}

const SURNAMES: [&str; 24] = [
    "Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo",
    "He", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie", "Song",
];
const GIVEN: [&str; 20] = [
    "Rui", "Ming", "Hua", "Jian", "Wei", "Ping", "Hong", "Jun", "Lei", "Yan", "Guang", "Xin", "Bo", "Tao", "Qiang",
    "Lin", "Feng", "Yu", "Dong", "Hai",
];
const CN_OFFICES: [&str; 5] = [
    "Minister of the International Department of the CPC Central Committee",
    "Vice-minister of the International Department of the CPC Central Committee",
    "Assistant Minister of the International Department of the CPC Central Committee",
    "Member of the Political Bureau of the CPC Central Committee",
    "Secretary of the CPC Provincial Committee",
];
const CN_CITIES: [&str; 12] = [
    "Beijing", "Shanghai", "Kunming", "Nanning", "Chengdu", "Xiamen", "Hangzhou", "Wuhan", "Changsha", "Xi'an",
    "Harbin", "Urumqi",
];
const FOREIGN_NAMES: [&str; 20] = [
    "Tran",
    "Nguyen",
    "Khamphanh",
    "Mokoena",
    "Ortega",
    "Volkov",
    "Petrovic",
    "Mehmood",
    "Diallo",
    "Mwangi",
    "Santos",
    "Kiss",
    "Rojas",
    "Medina",
    "Hoffmann",
    "Tanaka",
    "Silva",
    "Okello",
    "Haddad",
    "Novak",
];
const PARTY_OFFICES: [&str; 8] = [
    "Secretary-General",
    "Vice President",
    "Deputy Chairman",
    "Member of the Political Bureau",
    "Secretary for International Relations",
    "Member of the Central Committee",
    "Head of the International Department",
    "National Executive Secretary",
];
const TOPICS: [&str; 16] = [
    "the two sides exchanged views on party building, the training of cadres and the fight against poverty",
    "the CPC is willing to deepen exchanges of experience in state governance on the basis of the four principles of party-to-party relations",
    "the Belt and Road Initiative opens up new prospects for practical cooperation in infrastructure, trade and energy",
    "the guests hoped to learn from China's experience in reform and opening up and in rural development",
    "both sides agreed to strengthen the exchanges between the think tanks and youth organizations of the two parties",
    "the party firmly adheres to the one-China policy and supports China's position on issues concerning its core interests",
    "the friendship between the two parties and the two countries, fostered by the leaders of the older generation, is a valuable asset",
    "China is ready to work with all parties to build a community with a shared future for mankind",
    "the delegation briefed the hosts on the economic and social situation of its country and on the preparations for the coming elections",
    "the two sides discussed the situation in the region and agreed to keep in close communication on international affairs",
    "the visitors praised the achievements made by China in lifting hundreds of millions of people out of poverty",
    "the hosts introduced the development of special economic zones, ports and industrial parks",
    "the party wishes to send more young cadres to attend seminars organized by the International Department",
    "cooperation in agriculture, health, education and vocational training has brought tangible benefits to both peoples",
    "the two parties should handle their differences through dialogue and consultation",
    "the CPC respects the development path chosen by the people of every country",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn ordinal(day: u32) -> &'static str {
    match day {
        1 | 21 | 31 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    }
}

fn pick<'a, T>(items: &'a [T], rng: &mut Rng) -> &'a T {
    &items[rng.below(items.len())]
}

fn official(rng: &mut Rng) -> String {
    format!("{} {}{}", pick(&SURNAMES, rng), pick(&GIVEN, rng), pick(&GIVEN, rng).to_lowercase())
}

/// The party as an item names it: its name with its abbreviation, or with its country.
fn party_written(p: &SynthParty, rng: &mut Rng) -> String {
    match (rng.below(4), &p.short, &p.demonym) {
        (0, Some(short), _) if short.len() <= 12 => format!("the {} ({short})", p.name),
        (1, _, Some(demonym)) if !p.name.contains(demonym.as_str()) => format!("the {demonym} {}", p.name),
        (2, _, _) if !p.name.contains(&p.country) => format!("the {} of {}", p.name, p.country),
        _ => format!("the {}", p.name),
    }
}

/// One item (a JSON object on one line) with id `id`.
pub fn item(id: usize, parties: &[SynthParty], rng: &mut Rng) -> String {
    let p = &parties[rng.below(parties.len())];
    let year = p.years[rng.below(p.years.len())];
    let posted = NaiveDate::from_yo_opt(year, 1 + rng.below(365) as u32).expect("a day of the year");
    let kind = rng.below(20);
    let (title, mut text) = match kind {
        // Messages: about 15% of items.
        0..=2 => message(p, parties, posted, rng),
        3 => other(posted, rng),
        _ => meeting(p, parties, posted, rng),
    };
    // Filler paragraphs: what the two sides said, to about 2 KB.
    while text.len() < 1900 {
        let speaker = if rng.below(2) == 0 { official(rng) } else { pick(&FOREIGN_NAMES, rng).to_string() };
        let _ = write!(text, "\n{speaker} said that {}, and that {}.", pick(&TOPICS, rng), pick(&TOPICS, rng));
    }
    let value = serde_json::json!({
        "news_id": format!("s{id:09}"),
        "date": posted.to_string(),
        "title": title,
        "text": text,
        "url": format!("https://idcpc.example.org/english/news/{}/t{}_{id:09}.html", posted.format("%Y%m"), posted.format("%Y%m%d")),
    });
    value.to_string()
}

fn dateline(city: &str, day: NaiveDate) -> String {
    format!("{city}, {} {}{}—", MONTHS[day.month0() as usize], day.day(), ordinal(day.day()))
}

fn meeting(p: &SynthParty, parties: &[SynthParty], posted: NaiveDate, rng: &mut Rng) -> (String, String) {
    let host = official(rng);
    let guest = format!("{} {}", pick(&FOREIGN_NAMES, rng), pick(&FOREIGN_NAMES, rng));
    let written = party_written(p, rng);
    let mut text = String::new();
    let title;
    match rng.below(4) {
        0 => {
            let city = pick(&CN_CITIES, rng);
            title = format!("{host} Meets Delegation of {}", written.trim_start_matches("the "));
            let _ = write!(
                text,
                "{}{host}, {}, met here today with a delegation of {written} led by {guest}, {} of the party.",
                dateline(city, posted),
                pick(&CN_OFFICES, rng),
                pick(&PARTY_OFFICES, rng)
            );
        }
        1 => {
            let weekday = posted - Days::new(1 + rng.below(5) as u64);
            title = format!("{host} Holds Talks with {}", written.trim_start_matches("the "));
            let _ = write!(
                text,
                "{host}, {}, held talks in Beijing on {} with a delegation of {written} led by {guest}. The delegation is visiting China at the invitation of the International Department of the CPC Central Committee.",
                pick(&CN_OFFICES, rng),
                weekday.format("%A")
            );
        }
        2 => {
            let city = p.capital.clone().unwrap_or_else(|| p.country.clone());
            title = format!("CPC Delegation Visits {}", p.country);
            let _ = write!(
                text,
                "{}A delegation of the Communist Party of China led by {host}, {}, held talks here today with {guest}, {} of {written}.",
                dateline(&city, posted),
                pick(&CN_OFFICES, rng),
                pick(&PARTY_OFFICES, rng)
            );
            let _ = write!(
                text,
                "\nOn the same day, the delegation also met with the Speaker of the National Assembly of {}.",
                p.country
            );
        }
        _ => {
            let q = &parties[rng.below(parties.len())];
            title = format!("{host} Meets Leaders of Two Parties");
            let day = posted - Days::new(rng.below(3) as u64);
            let _ = write!(
                text,
                "{}On {} {}, {host}, {}, met in Beijing separately with delegations of {written} and {}.",
                dateline("Beijing", posted),
                MONTHS[day.month0() as usize],
                day.day(),
                pick(&CN_OFFICES, rng),
                party_written(q, rng)
            );
        }
    }
    (title, text)
}

fn message(p: &SynthParty, parties: &[SynthParty], posted: NaiveDate, rng: &mut Rng) -> (String, String) {
    let names: Vec<String> =
        (0..4 + rng.below(6)).map(|_| party_written(&parties[rng.below(parties.len())], rng)).collect();
    let (title, what) = match rng.below(3) {
        0 => (format!("IDCPC Sends Message of Condolence to {}", p.name), "a message of condolence"),
        1 => (format!("IDCPC Congratulates {} on Its Anniversary", p.name), "a message of congratulations"),
        _ => ("Foreign Parties Send New Year Greetings to the CPC".to_string(), "New Year greetings"),
    };
    let text = format!(
        "{}The International Department of the CPC Central Committee today sent {what} to {}.\nMessages were also exchanged with {}.",
        dateline("Beijing", posted),
        party_written(p, rng),
        names.join(", ")
    );
    (title, text)
}

fn other(posted: NaiveDate, rng: &mut Rng) -> (String, String) {
    let text = format!(
        "{}The International Department of the CPC Central Committee held a briefing here today for diplomats of foreign embassies in China. {}, Minister of the IDCPC, introduced the main contents of the recent plenary session.",
        dateline("Beijing", posted),
        official(rng)
    );
    ("IDCPC Briefs Foreign Diplomats".into(), text)
}
