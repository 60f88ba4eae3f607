//! Saved web pages (`.html`, `.htm`) and plain-text files (`.txt`) as news items: the visible
//! text, the title, and the posting date from the page's metadata when it has some.
//!
//! HTML is parsed by `scraper` (html5ever, the parser of Servo), which builds the tree a browser
//! would from the broken markup real pages have; a hand-written tag stripper would not.

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};

use super::news::NewsItem;

/// Elements whose text a reader of the page does not see as the item.
const HIDDEN: [&str; 14] = [
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form", "button", "select",
    "iframe", "svg",
];
/// Elements that end a line of text.
const BLOCKS: [&str; 22] = [
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table", "section",
    "article", "blockquote", "dd", "dt", "pre",
];
/// Metadata that names a page's publication date (compared without case).
const DATE_META: [&str; 11] = [
    "article:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "og:published_time",
];
/// A page with less running text than this is not a news item.
const MIN_WORDS: usize = 25;

/// Reads one page. Its problem says why it is no news item, when it is not one.
pub fn read_page(news_id: String, ext: &str, bytes: &[u8]) -> NewsItem {
    let mut item = NewsItem { origin: news_id.clone(), news_id, ..NewsItem::default() };
    let text = match decode(bytes, ext != "txt") {
        Ok(text) => text,
        Err(problem) => {
            item.problem = Some(problem);
            return item;
        }
    };
    if ext == "txt" {
        read_text(&mut item, &text);
    } else {
        read_html(&mut item, &text);
    }
    let words = item.text.split_whitespace().count();
    if item.problem.is_none() && (words < MIN_WORDS || !item.text.lines().any(|l| l.split_whitespace().count() >= 12)) {
        item.problem =
            Some(format!("not a news page: no paragraph of running text ({words} words of visible text)"));
    }
    item
}

/// UTF-8 (a byte order mark dropped), or for HTML the encoding its `<meta charset>` declares.
fn decode(bytes: &[u8], html: bool) -> Result<String, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let not_utf8 = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text.to_string()),
        Err(e) => e.valid_up_to(),
    };
    let declared = if html { declared_charset(bytes) } else { None };
    match declared.and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| (label, e))) {
        Some((_, encoding)) if encoding != encoding_rs::UTF_8 => encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|t| t.into_owned())
            .ok_or_else(|| format!("not valid {} text, as the page declares", encoding.name())),
        _ => Err(format!(
            "not UTF-8 text (byte {} is not) and no other encoding declared: save the file as UTF-8{}",
            not_utf8 + 1,
            if html { " or declare its charset" } else { "" }
        )),
    }
}

/// The charset a page declares in its first kilobytes (`<meta charset="...">` or `content="...;
/// charset=..."`).
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String =
        head[at..].trim_start_matches(['"', '\'']).chars().take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c)).collect();
    (!label.is_empty()).then_some(label)
}

/// A text file: the first line is the title; a `Date: YYYY-MM-DD` line (or a line that is only
/// a date) among the first lines is the posting date; the rest is the text.
fn read_text(item: &mut NewsItem, text: &str) {
    let mut lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if !lines.is_empty() {
        item.title = lines.remove(0).to_string();
    }
    if let Some(i) = lines.iter().take(3).position(|l| date_line(l).is_some()) {
        item.date = date_line(lines[i]);
        lines.remove(i);
    }
    item.text = lines.join("\n");
}

/// A short line that gives a date: "Date: 2012-03-16", "2012-03-16 10:31", "Posted 2012-03-16".
fn date_line(line: &str) -> Option<NaiveDate> {
    if line.len() > 60 {
        return None;
    }
    iso_date_in(line)
}

/// The first YYYY-MM-DD in a text.
fn iso_date_in(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let s = text.get(i..i + 10)?;
        let ok = s.bytes().enumerate().all(|(k, c)| if k == 4 || k == 7 { c == b'-' } else { c.is_ascii_digit() });
        let bounded = i == 0 || !b[i - 1].is_ascii_digit();
        (ok && bounded).then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
    })
}

fn read_html(item: &mut NewsItem, text: &str) {
    let page = Html::parse_document(text);
    let select = |css: &str| Selector::parse(css).expect("a valid selector");
    let text_of = |e: ElementRef| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    item.title = page.select(&select("title")).next().map(text_of).filter(|t| !t.is_empty()).unwrap_or_default();
    let h1 = page.select(&select("h1")).next().map(text_of).filter(|t| !t.is_empty());
    if let Some(h1) = &h1 {
        item.title = h1.clone();
    }
    item.date = page
        .select(&select("meta"))
        .find_map(|m| {
            let key = m.attr("property").or(m.attr("name")).or(m.attr("itemprop"))?.to_ascii_lowercase();
            DATE_META.contains(&key.as_str()).then(|| iso_date_in(m.attr("content")?)).flatten()
        })
        .or_else(|| page.select(&select("time")).find_map(|t| iso_date_in(t.attr("datetime")?)));
    let body = page
        .select(&select("article"))
        .next()
        .or_else(|| page.select(&select("body")).next())
        .unwrap_or_else(|| page.root_element());
    let mut visible = String::new();
    collect_visible(body, &mut visible);
    let mut lines: Vec<&str> = visible.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // The headline and a line giving only the date are not the item's text.
    if h1.as_deref().is_some_and(|h| lines.first() == Some(&h)) {
        lines.remove(0);
    }
    if let Some(i) = lines.iter().take(3).position(|l| date_line(l).is_some() && l.split_whitespace().count() <= 4) {
        item.date = item.date.or_else(|| date_line(lines[i]));
        lines.remove(i);
    }
    item.text = lines.join("\n");
}

/// The text a reader sees, a line per block element, white space collapsed.
fn collect_visible(element: ElementRef, out: &mut String) {
    for child in element.children() {
        if let Some(e) = ElementRef::wrap(child) {
            let name = e.value().name();
            if HIDDEN.contains(&name) {
                continue;
            }
            let block = BLOCKS.contains(&name);
            if block {
                out.push('\n');
            }
            collect_visible(e, out);
            if block {
                out.push('\n');
            }
        } else if let Some(text) = child.value().as_text() {
            let mut words = text.split_whitespace().peekable();
            if text.starts_with(char::is_whitespace) && !out.ends_with([' ', '\n']) && words.peek().is_some() {
                out.push(' ');
            }
            let mut first = true;
            for w in words {
                if !first {
                    out.push(' ');
                }
                out.push_str(w);
                first = false;
            }
            if text.ends_with(char::is_whitespace) && !first {
                out.push(' ');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>IDCPC | News</title>
<meta name="PubDate" content="2012-03-16 09:12"><script>var x = "not text";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<h1>Guangxi Party Delegation Visits Vietnam</h1>
<div class="TRS_Editor"><p>Nanning, March 16th—A delegation of the CPC Guangxi Zhuang Autonomous Regional Committee
returned here today from a visit to <b>Vietnam</b>.</p>
<p>On March 12, in Ha Long, the delegation met with the Committee of the Communist Party of Vietnam of Quang Ninh Province.</p></div>
<footer>Copyright</footer></body></html>"#;

    #[test]
    fn a_page_gives_its_headline_date_and_visible_text() {
        let item = read_page("2012/guangxi.html".into(), "html", PAGE.as_bytes());
        assert_eq!(item.problem, None);
        assert_eq!(item.news_id, "2012/guangxi.html");
        assert_eq!(item.title, "Guangxi Party Delegation Visits Vietnam");
        assert_eq!(item.date, NaiveDate::from_ymd_opt(2012, 3, 16));
        assert!(item.text.starts_with("Nanning, March 16th—A delegation of the CPC Guangxi"), "{}", item.text);
        assert!(item.text.contains("from a visit to Vietnam.\nOn March 12, in Ha Long"), "{}", item.text);
        for hidden in ["not text", "Home", "Copyright"] {
            assert!(!item.text.contains(hidden), "{hidden}");
        }
    }

    #[test]
    fn pages_that_are_no_news_items_say_why() {
        let menu = read_page("index.html".into(), "html", b"<html><body><ul><li>Home</li><li>About</li></ul></body></html>");
        assert!(menu.problem.unwrap().starts_with("not a news page"));
        let latin1 = read_page("l.txt".into(), "txt", b"Title\nS\xe3o Paulo");
        assert!(latin1.problem.unwrap().starts_with("not UTF-8 text (byte 8 is not)"));
    }

    #[test]
    fn a_declared_charset_is_honoured() {
        let mut page = PAGE.replace("<head>", "<head><meta charset=\"iso-8859-1\">").replace("Ha Long", "H\u{e0} Long");
        page = page.replace('—', "-");
        let bytes: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
        let item = read_page("p.html".into(), "html", &bytes);
        assert_eq!(item.problem, None);
        assert!(item.text.contains("in H\u{e0} Long"));
    }

    #[test]
    fn text_files_take_a_title_line_and_a_date_line() {
        let item = read_page("a.txt".into(), "txt", "Headline\nDate: 2011-04-20\n\nFirst paragraph.\nSecond.".as_bytes());
        assert_eq!(item.title, "Headline");
        assert_eq!(item.date, NaiveDate::from_ymd_opt(2011, 4, 20));
        assert_eq!(item.text, "First paragraph.\nSecond.");
    }
}
