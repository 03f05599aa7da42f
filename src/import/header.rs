//! The facts about the meeting: date, kind, times, place, attendance,
//! minute taker and case numbers, read from the text before the first item
//! (header blocks, title blocks, tab tables) and from page headers; and the
//! agenda lists a document may carry in its header (a table of contents or
//! an HTML list of items per group).

use super::clean::{join_lines, normalise_ws, Line};
use super::html;
use super::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// The meeting facts found in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `referat` or `dagsorden` as the document's title says.
    pub titled_kind: Option<&'static str>,
    /// Times, place, people and case numbers, as a meeting file has them.
    pub facts: crate::content::MeetingFacts,
    /// Names of the body the header gives (an `Udvalg:` field, the title
    /// line, the `Møde` field), best first, with their lines.
    pub body_names: Vec<(String, usize)>,
    /// Lines of the header that were read.
    pub last_line: usize,
}

/// An item as listed in the header (table of contents or agenda list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub number: u32,
    pub title: String,
    pub group: Option<String>,
}

use crate::content::MONTH_NAMES as MONTHS;

static TEXT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:\.\s*|\s+|\s*-\s*)(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?(?:\s+|\s*-\s*)(\d{4})\b")
        .unwrap()
});
/// An English date as some systems print it: "April 3, 2019".
static ENGLISH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{1,2}),?\s+(\d{4})\b")
        .unwrap()
});
static NUM_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4})\b").unwrap());
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap());
static START_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bkl\.?\s*(\d{1,2})[.:](\d{2})\b").unwrap());
const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
static TIMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bkl\.?\s*(\d{1,2})(?:[.:](\d{2}))?\s*(?:[-–]|til)\s*(?:kl\.?\s*)?(\d{1,2})(?:[.:](\d{2}))?").unwrap()
});
static CASE_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{4}-\d{2,7}\b").unwrap());
/// A page header of the meeting system: `Mødet den 27.05.2024 DAS Social`.
pub static PAGE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:mødet\s+den)\s+(\d{1,2}\.\d{1,2}\.\d{4})\b\s*(.*)$").unwrap()
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i)(mødedato|mødetidspunkt|mødested|møde|starttidspunkt for møde|sluttidspunkt for møde|starttidspunkt|sluttidspunkt|tidspunkt|tid|dato|lokale|sted|udvalg|mødedeltagere|deltagere|til stede|tilstede|fremmødte|fraværende|afbud fra|afbud|øvrige deltagere|øvrige oplysninger|øvrige|oplysninger|referent|udsendelsesdato|sagsnr\./dok\.nr\.|sagsnr\.?|dok\.\s?nr\.?|journalnr\.?)(?:\s*:)?(?:\t+|\s+|$)(.*)$",
    )
    .unwrap()
});
static HEADER_BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[•●▪■◦○►▸‣∙·\u{F0B7}]\s*").unwrap());
/// A line that is only the name of a body: "Økonomiudvalget", "Byrådet".
static BODY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-ZÆØÅ][\wæøåÆØÅ.\- ]{0,60}?(?i:udvalg|udvalget|byråd|byrådet|regionsråd|regionsrådet|råd|rådet|bestyrelse|bestyrelsen|kommunalbestyrelsen|nævn|nævnet|styregruppe|styregruppen|komité|komitéen|forum|forsamling|forsamlingen|kommission|kommissionen)$").unwrap()
});
static BARE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[.:](\d{2})\s*(?:-|–|til)\s*(\d{1,2})[.:](\d{2})\b").unwrap()
});
static BARE_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[.:](\d{2})\b").unwrap());
/// `Byrådet - Referat`, `Økonomiudvalget – Referat – 1. oktober 2018`,
/// `Egebjerg Kommune Kommunalbestyrelsen Referat`.
static NAMED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(.+?)\s*[-–:|]?\s+(?i:(referat|dagsorden|beslutningsprotokol))\b\s*[-–:|,]?\s*(.*)$",
    )
    .unwrap()
});
/// `Referat fra mødet i Socialudvalget den …`.
static TITLE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:referat|dagsorden|beslutningsprotokol)\s+(?i:fra|af|for)\s+(?i:(?:det\s+)?(?:ordinære\s+)?møde[t]?\s+i\s+)?(.+?)(?:\s+(?i:den|d\.)\s+.*)?$").unwrap()
});
static MUNICIPALITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.*\b(?:Kommunes?|Amt|Amtskommune)\s+|Region\s+\S+\s+)").unwrap()
});

/// The name of the body in a title line, without the municipality or
/// region in front ("Egebjerg Kommune Kommunalbestyrelsen" → "Kommunalbestyrelsen").
fn body_in_title(text: &str) -> Option<String> {
    if let Some(c) = NAMED_TITLE.captures(text) {
        let after = c[3].trim();
        if after.is_empty() || parse_date(after).is_some() {
            let name = MUNICIPALITY.replace(c[1].trim(), "");
            let name = name.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
            if !name.is_empty() && name.split_whitespace().count() <= 6 {
                return Some(name.to_string());
            }
        }
    }
    if let Some(c) = TITLE_OF.captures(text) {
        let name = c[1].trim();
        if !name.is_empty() && name.split_whitespace().count() <= 6 && parse_date(name).is_none() {
            return Some(name.to_string());
        }
    }
    None
}

static TOC_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\.?\t+(.+?)(?:\t+\d{1,4})?$").unwrap());
static NEW_ENTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.(\s|$)").unwrap());
static TOC_PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\t+\d{1,4}$").unwrap());
static HTML_GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^\t<]+?)\t+(.*<(?:ol|ul)\b.*)$").unwrap());
static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{4} [A-ZÆØÅ][a-zæøå]+").unwrap());

/// Parses a date as Danish documents print it ("6. marts 2014",
/// "27.05.2024", "23-03-2015", "15-maj-2002", "Onsdag, April 3, 2019")
/// into `YYYY-MM-DD`: the first date in the text.
pub fn parse_date(s: &str) -> Option<String> {
    find_date(s).map(|(d, _)| d)
}

/// The first date in the text and the byte offset it starts at.
pub fn find_date(s: &str) -> Option<(String, usize)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for c in TEXT_DATE.captures_iter(s) {
        let Some(day) = c[1].parse().ok() else {
            continue;
        };
        let m = c[2].to_lowercase();
        let Some(month) = MONTHS.iter().position(|name| name.starts_with(m.as_str())) else {
            continue;
        };
        if let Some(d) = c[3]
            .parse()
            .ok()
            .and_then(|y| valid(y, month as u32 + 1, day))
        {
            found.push((c.get(0).unwrap().start(), d));
            break;
        }
    }
    for c in ENGLISH_DATE.captures_iter(s) {
        let m = c[1].to_lowercase();
        let month = ENGLISH_MONTHS.iter().position(|n| *n == m).unwrap_or(0) as u32 + 1;
        if let (Some(day), Some(y)) = (c[2].parse().ok(), c[3].parse().ok()) {
            if let Some(d) = valid(y, month, day) {
                found.push((c.get(0).unwrap().start(), d));
                break;
            }
        }
    }
    for c in NUM_DATE.captures_iter(s) {
        // The same separator twice: "23-03-2015", "05.02.2004".
        if c[2] != c[4] {
            continue;
        }
        if let (Some(y), Some(m), Some(d)) =
            (c[5].parse().ok(), c[3].parse().ok(), c[1].parse().ok())
        {
            if let Some(d) = valid(y, m, d) {
                found.push((c.get(0).unwrap().start(), d));
                break;
            }
        }
    }
    for c in ISO_DATE.captures_iter(s) {
        if let (Some(y), Some(m), Some(d)) =
            (c[1].parse().ok(), c[2].parse().ok(), c[3].parse().ok())
        {
            if let Some(d) = valid(y, m, d) {
                found.push((c.get(0).unwrap().start(), d));
                break;
            }
        }
    }
    found.into_iter().min().map(|(at, d)| (d, at))
}

/// The first date in the first lines of the text: the date of the meeting
/// as the header gives it, before the items are read.
pub fn early_date(lines: &[Line]) -> Option<String> {
    lines
        .iter()
        .filter(|l| !l.is_blank())
        .take(12)
        .find_map(|l| parse_date(&l.text))
}

/// Parses a start time without an end ("Kl. 19:00") into "19:00".
pub fn parse_start(s: &str) -> Option<String> {
    let c = START_TIME.captures(s)?;
    let (h, m): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

fn valid(year: i32, month: u32, day: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(year, month, day).map(|d| d.format("%Y-%m-%d").to_string())
}

/// Parses "kl. 13.00-15.00" into ("13:00", "15:00").
pub fn parse_times(s: &str) -> Option<(String, String)> {
    let c = TIMES.captures(s)?;
    let fmt = |h: &str, m: Option<regex::Match>| -> Option<String> {
        let h: u32 = h.parse().ok()?;
        let m: u32 = m.map_or(Some(0), |m| m.as_str().parse().ok())?;
        (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
    };
    Some((fmt(&c[1], c.get(2))?, fmt(&c[3], c.get(4))?))
}

/// Is the line a table-of-contents heading?
pub fn is_toc_heading(text: &str) -> bool {
    let t = text.trim_end_matches(':').to_lowercase();
    t == "indholdsfortegnelse" || t == "indhold" || t == "dagsordenspunkter" || t == "punkter"
}

/// Is the line a status marker of the meeting system ("Åben", "Lukket")?
pub fn status_marker(text: &str) -> Option<bool> {
    match text.to_lowercase().trim_end_matches(':') {
        "åben" | "åbent" | "åbent punkt" | "åben sag" | "åben dagsorden" | "åbne punkter" => {
            Some(false)
        }
        "lukket" | "lukket punkt" | "lukket sag" | "lukket dagsorden" | "lukkede punkter"
        | "fortrolig" => Some(true),
        _ => None,
    }
}

/// Finds the item lists of the header: a table of contents
/// (`N.<TAB>Title<TAB>page`) and agenda lists per group
/// (`Group<TAB><ol>1. Title2. Title`). Returns the items and the indices of
/// the lines they were read from (those lines are not text of the meeting).
pub fn listed_items(lines: &[Line]) -> (Vec<Listed>, Vec<usize>) {
    let mut items = Vec::new();
    let mut used = Vec::new();
    // Table of contents.
    if let Some(start) = lines.iter().position(|l| is_toc_heading(&l.text)) {
        used.push(start);
        let mut i = start + 1;
        while i < lines.len() {
            let t = &lines[i].text;
            if t.is_empty() || status_marker(t).is_some() {
                used.push(i);
            } else if let Some(c) = TOC_ENTRY.captures(t) {
                items.push(Listed {
                    number: c[1].parse().unwrap_or(0),
                    title: normalise_ws(&c[2]),
                    group: None,
                });
                used.push(i);
            } else if !items.is_empty()
                && !NEW_ENTRY.is_match(t)
                && !LABEL.is_match(t)
                && !is_title(t)
                && !PAGE_HEADER.is_match(t)
            {
                // A wrapped continuation of the last entry.
                if let Some(last) = items.last_mut() {
                    let rest = TOC_PAGE.replace(t, "");
                    last.title = join_lines(&last.title, &normalise_ws(&rest));
                }
                used.push(i);
            } else {
                break;
            }
            i += 1;
        }
    }
    // A contents list without tabs: a run of numbered lines whose entries
    // come again later as the items' headings.
    if items.is_empty() {
        let mut k = 0;
        while k < lines.len() {
            let Some((first, _)) = untabbed_entry(&lines[k].text) else {
                k += 1;
                continue;
            };
            let mut run = vec![k];
            let mut last = first;
            let mut j = k + 1;
            while j < lines.len() {
                if lines[j].is_blank() && j + 1 < lines.len() && !lines[j + 1].is_blank() {
                    j += 1;
                    continue;
                }
                match untabbed_entry(&lines[j].text) {
                    Some((n, _)) if n == last + 1 => {
                        run.push(j);
                        last = n;
                        j += 1;
                    }
                    _ => break,
                }
            }
            let end = *run.last().unwrap();
            let entries: Vec<(u32, String)> = run
                .iter()
                .filter_map(|&r| untabbed_entry(&lines[r].text))
                .collect();
            let confirmed = run.len() >= 2
                && entries.iter().any(|(n, t)| {
                    lines[end + 1..].iter().any(|l| {
                        untabbed_entry(&l.text).is_some_and(|(m, u)| {
                            let (a, b) = (u.to_lowercase(), t.to_lowercase());
                            m == *n && (a.starts_with(&b) || b.starts_with(&a))
                        })
                    })
                });
            if confirmed {
                for (number, title) in entries {
                    items.push(Listed {
                        number,
                        title,
                        group: None,
                    });
                }
                used.extend(k..=end);
                break;
            }
            k = j.max(k + 1);
        }
    }
    // HTML agenda lists per group.
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = HTML_GROUP.captures(&l.text) {
            let group = normalise_ws(&c[1]);
            let text = html::strip_tags(&c[2]);
            let found = split_numbered(&text, items.last().map_or(1, |it: &Listed| it.number + 1));
            if !found.is_empty() {
                used.push(i);
                for (number, title) in found {
                    items.push(Listed {
                        number,
                        title,
                        group: Some(group.clone()),
                    });
                }
            }
        }
    }
    (items, used)
}

static UNTABBED_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[•●▪■◦○►▸‣∙·]\s*)?(?:(?i:punkt|pkt\.?)\s*)?(\d{1,3})\.?\s+(\S.*?)(?:\s*\.{2,}\s*\d{0,4})?$").unwrap()
});

/// An entry of a contents list printed without tabs: `3. Title`.
fn untabbed_entry(text: &str) -> Option<(u32, String)> {
    let c = UNTABBED_ENTRY.captures(text)?;
    let title = normalise_ws(&c[2]);
    title
        .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        .then(|| Some((c[1].parse().ok()?, title)))
        .flatten()
}

/// Splits "1. Godkendelse af dagsorden2. Godkendelse af referat" into its
/// numbered titles, looking for the numbers in sequence from `first`.
fn split_numbered(text: &str, first: u32) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let find = |n: u32, from: usize| -> Option<(usize, usize)> {
        let pat = format!("{n}. ");
        let mut start = from;
        while let Some(p) = text[start..].find(&pat) {
            let at = start + p;
            let after = &text[at + pat.len()..];
            // The number may be glued to the end of the previous title
            // ("2021-20224. Organisering"); the title after it is capitalised.
            let upper = after
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            if upper {
                return Some((at, at + pat.len()));
            }
            start = at + pat.len();
        }
        None
    };
    // The list says where it starts; `first` is only a fallback.
    let n = Regex::new(r"^\s*(\d{1,3})\. ")
        .unwrap()
        .captures(text)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(first);
    let mut n = n;
    let Some((_, mut body_start)) = find(n, 0) else {
        return out;
    };
    loop {
        match find(n + 1, body_start) {
            Some((at, next_start)) => {
                out.push((n, normalise_ws(&text[body_start..at])));
                n += 1;
                body_start = next_start;
            }
            None => {
                out.push((n, normalise_ws(&text[body_start..])));
                break;
            }
        }
    }
    out
}

/// Is the line a document title ("Referat", "Dagsorden til DAS den …")?
pub fn is_title(text: &str) -> bool {
    titled_kind(text).is_some()
}

fn titled_kind(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    let first = t.split_whitespace().next().unwrap_or("");
    let words = t.split_whitespace().count();
    // "Referat fra mødet i Teknik- og Miljøudvalget den 3. maj 2023" is
    // longer than a plain title.
    let short =
        words <= 8 || (words <= 16 && TITLE_OF.is_match(text) && parse_date(text).is_some());
    match first {
        "referat" | "beslutningsprotokol" | "protokol" if short => Some("referat"),
        "dagsorden" if short => Some("dagsorden"),
        _ => {
            let c = NAMED_TITLE.captures(text)?;
            body_in_title(text)?;
            if c[2].eq_ignore_ascii_case("dagsorden") {
                Some("dagsorden")
            } else {
                Some("referat")
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Meeting,
    Body,
    Time,
    Start,
    End,
    Place,
    Present,
    Absent,
    Others,
    Other,
    MinuteTaker,
    Case,
}

fn field(label: &str) -> Field {
    match label.to_lowercase().as_str() {
        "møde" => Field::Meeting,
        "udvalg" => Field::Body,
        "tid" | "tidspunkt" | "dato" | "mødedato" | "mødetidspunkt" => Field::Time,
        "starttidspunkt" | "starttidspunkt for møde" => Field::Start,
        "sluttidspunkt" | "sluttidspunkt for møde" => Field::End,
        "sted" | "mødested" | "lokale" => Field::Place,
        "til stede" | "tilstede" | "fremmødte" | "mødedeltagere" => Field::Present,
        "fraværende" | "afbud" | "afbud fra" => Field::Absent,
        "udsendelsesdato" => Field::Other,
        "øvrige deltagere" => Field::Others,
        "øvrige oplysninger" | "oplysninger" | "øvrige" => Field::Other,
        "referent" => Field::MinuteTaker,
        l if l.starts_with("sagsnr") || l.starts_with("dok") || l.starts_with("journal") => {
            Field::Case
        }
        // "Deltagere" on its own lists those present; written in lowercase
        // it is the wrapped tail of the label "Øvrige deltagere".
        _ => Field::Present,
    }
}

/// Parses the preamble lines (those before the first item, without noise).
/// `body_name` lines (the body's own name, e.g. "DAS Social") are skipped.
/// Returns the facts and the lines that could not be placed.
pub fn parse(
    lines: &[&Line],
    is_body_name: &dyn Fn(&str) -> bool,
    warnings: &mut Vec<Warning>,
) -> (Meta, Vec<Line>) {
    let mut meta = Meta::default();
    let mut unplaced = Vec::new();
    let mut fields: Vec<(Field, String, usize)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut i = 0;
    // A title split over the first lines ("Økonomiudvalget" / "Referat" /
    // "1. oktober 2018"): read as one line when no line is a title alone.
    let firsts: Vec<usize> = (0..lines.len())
        .filter(|&k| !lines[k].text.is_empty())
        .take(3)
        .collect();
    for n in (2..=firsts.len()).rev() {
        let part = &firsts[..n];
        let short = part
            .iter()
            .all(|&k| lines[k].text.chars().count() <= 60 && !LABEL.is_match(&lines[k].text));
        let alone = part
            .iter()
            .any(|&k| body_in_title(&lines[k].text).is_some());
        let joined = part
            .iter()
            .map(|&k| lines[k].text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if short && !alone {
            if let (Some(kind), Some(b)) = (titled_kind(&joined), body_in_title(&joined)) {
                meta.titled_kind = Some(kind);
                meta.body_names.push((b, lines[part[0]].no));
                meta.date = parse_date(&joined);
                i = part[n - 1] + 1;
                meta.last_line = lines[part[n - 1]].no;
                break;
            }
        }
    }
    while i < lines.len() {
        let l = lines[i];
        i += 1;
        meta.last_line = meta.last_line.max(l.no);
        let bulleted = HEADER_BULLET.is_match(&l.text);
        let stripped = HEADER_BULLET.replace(&l.text, "");
        let t = stripped.as_ref();
        if t.is_empty() {
            continue;
        }
        if let Some(kind) = titled_kind(t) {
            meta.titled_kind.get_or_insert(kind);
            if let Some(b) = body_in_title(t) {
                meta.body_names.push((b, l.no));
            }
            if meta.date.is_none() {
                meta.date = parse_date(t);
            }
            current = None;
            continue;
        }
        if let Some(c) = LABEL.captures(t) {
            let label = c[1].to_string();
            let mut value = normalise_ws(&c[2]);
            let mut f = if label == "deltagere" {
                Field::Others
            } else {
                field(&label)
            };
            // "Øvrige" + "deltagere"/"oplysninger" on the next line.
            if label.eq_ignore_ascii_case("øvrige") && value.is_empty() {
                if let Some(next) = lines[i..].iter().find(|l| !l.text.is_empty()) {
                    let n = next.text.to_lowercase();
                    if n == "deltagere" || n == "oplysninger" {
                        f = if n == "deltagere" {
                            Field::Others
                        } else {
                            Field::Other
                        };
                        i += lines[i..].iter().position(|l| !l.text.is_empty()).unwrap() + 1;
                    }
                }
            }
            if label.eq_ignore_ascii_case("oplysninger") {
                f = Field::Other;
            }
            value = html::strip_tags(&value);
            fields.push((f, value, l.no));
            current = Some(fields.len() - 1);
            continue;
        }
        if is_body_name(t) {
            meta.body_names.push((t.to_string(), l.no));
            continue;
        }
        if BODY_NAME.is_match(t) && t.split_whitespace().count() <= 5 {
            meta.body_names.push((t.to_string(), l.no));
            current = None;
            continue;
        }
        if let Some(c) = PAGE_HEADER.captures(t) {
            if meta.date.is_none() {
                meta.date = parse_date(&c[1]);
            }
            continue;
        }
        // Multi-line values: lists of people, the place, the minute taker.
        let open = current.filter(|&idx| {
            !matches!(
                fields[idx].0,
                Field::Time
                    | Field::Meeting
                    | Field::Case
                    | Field::Start
                    | Field::End
                    | Field::Body
            ) || fields[idx].1.is_empty()
        });
        if let Some(idx) = open {
            let v = &mut fields[idx].1;
            let t = html::strip_tags(t);
            *v = if bulleted && !v.is_empty() {
                format!("{v}, {t}")
            } else {
                join_lines(v, &t)
            };
            continue;
        }
        // A title block: "Mødet den 4. april 2024, kl. 12.00 - 16.00", an address.
        if let Some(d) = parse_date(t) {
            if meta.date.is_none() {
                meta.date = Some(d);
            }
            if let Some((s, e)) = parse_times(t) {
                meta.facts.start.get_or_insert(s);
                meta.facts.end.get_or_insert(e);
            }
            continue;
        }
        if POSTCODE.is_match(t) && t.chars().count() < 120 && meta.facts.location.is_none() {
            meta.facts.location = Some(t.to_string());
            continue;
        }
        unplaced.push(l.clone());
    }
    let mut body_fields = Vec::new();
    for (f, value, line) in fields {
        let value = value.trim().to_string();
        // A list of people that holds a date: the columns of a table were
        // read one after the other, and labels and values do not pair up.
        if matches!(f, Field::Present | Field::Absent | Field::Others) {
            if let Some(d) = parse_date(&value) {
                meta.date.get_or_insert(d);
                unplaced.push(Line {
                    no: line,
                    text: value,
                    indent: 0,
                });
                continue;
            }
        }
        match f {
            Field::Body => {
                if !value.is_empty() {
                    body_fields.push((value, line, true));
                }
            }
            Field::Meeting => {
                if !value.is_empty() && value.split_whitespace().count() <= 6 {
                    body_fields.push((value, line, false));
                }
            }
            Field::Start | Field::End => {
                if meta.date.is_none() {
                    meta.date = parse_date(&value);
                }
                // The time beside the date: "23-03-2015 17:00".
                let undated = match find_date(&value) {
                    Some((_, at)) => {
                        let rest = &value[at..];
                        let skip = rest.find(' ').unwrap_or(rest.len());
                        format!("{} {}", &value[..at], &rest[skip..])
                    }
                    None => value.clone(),
                };
                let time = parse_start(&undated).or_else(|| {
                    let c = BARE_TIME.captures(&undated)?;
                    let (h, m): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
                    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
                });
                if let Some(t) = time {
                    if f == Field::Start {
                        meta.facts.start = Some(t);
                    } else {
                        meta.facts.end = Some(t);
                    }
                }
            }
            Field::Other => {
                if !value.is_empty() {
                    unplaced.push(Line {
                        no: line,
                        text: value,
                        indent: 0,
                    });
                }
            }
            Field::Time => {
                if let Some(d) = parse_date(&value) {
                    meta.date = Some(d);
                }
                if let Some((s, e)) = parse_times(&value).or_else(|| {
                    let c = BARE_RANGE.captures(&value)?;
                    let fmt = |h: &str, m: &str| -> Option<String> {
                        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
                        (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
                    };
                    Some((fmt(&c[1], &c[2])?, fmt(&c[3], &c[4])?))
                }) {
                    meta.facts.start = Some(s);
                    meta.facts.end = Some(e);
                } else if let Some(s) = parse_start(&value) {
                    meta.facts.start.get_or_insert(s);
                }
            }
            Field::Place => {
                if !value.is_empty() {
                    meta.facts.location = Some(value.trim_end_matches('.').to_string());
                }
            }
            Field::Present => meta
                .facts
                .present
                .extend(split_people(&value, line, warnings)),
            Field::Absent => meta
                .facts
                .absent
                .extend(split_people(&value, line, warnings)),
            Field::Others => meta
                .facts
                .others
                .extend(split_people(&value, line, warnings)),
            Field::MinuteTaker => {
                if !value.is_empty() {
                    meta.facts.minute_taker = Some(value);
                }
            }
            Field::Case => {
                for m in CASE_NUMBER.find_iter(&value) {
                    if !meta.facts.case_numbers.contains(&m.as_str().to_string()) {
                        meta.facts.case_numbers.push(m.as_str().to_string());
                    }
                }
            }
        }
    }
    // Those with a notice of absence are not present.
    let absent = meta.facts.absent.clone();
    meta.facts.present.retain(|p| !absent.contains(p));
    // An `Udvalg:` field first, then the title line, then the `Møde` field.
    let from_title = std::mem::take(&mut meta.body_names);
    let (udvalg, moede): (Vec<_>, Vec<_>) = body_fields.into_iter().partition(|(_, _, u)| *u);
    let mut names: Vec<(String, usize)> = udvalg.into_iter().map(|(n, l, _)| (n, l)).collect();
    names.extend(from_title);
    names.extend(moede.into_iter().map(|(n, l, _)| (n, l)));
    meta.body_names = names;
    (meta, unplaced)
}

const ORG_WORDS: [&str; 22] = [
    "sekretariat",
    "region",
    "kommune",
    "rammeaftale",
    "insight",
    "styrelse",
    "ministeri",
    "kkr",
    "kl",
    "ucn",
    "forvaltning",
    "center",
    "tilsyn",
    "fælleskommunal",
    "socialaftale",
    "psykiatri",
    "universitet",
    "vive",
    "sundhedssekretariat",
    "forening",
    "råd",
    "udvalg",
];

/// Does the entry (outside parentheses) name only an organisation?
fn is_organisation(entry: &str) -> bool {
    let mut outside = String::new();
    let mut depth = 0;
    for c in entry.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let words: Vec<String> = outside
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    let org = |w: &String| ORG_WORDS.iter().any(|k| w.starts_with(k));
    org(first)
        || (words.len() <= 3
            && words
                .iter()
                .any(|w| ORG_WORDS.iter().any(|k| w.contains(k))))
}

/// Splits a list of people ("A (X), B (Y) og C (Z).") into its entries,
/// keeping commas inside parentheses; an organisation written after a name
/// ("Nanna Hjørringgaard, Rammeaftalesekretariat") stays with the name.
pub fn split_people(s: &str, line: usize, warnings: &mut Vec<Warning>) -> Vec<String> {
    let s = normalise_ws(s);
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() || s.eq_ignore_ascii_case("ingen") {
        return Vec::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut chunks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut repaired = false;
    for (k, &c) in chars.iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                chunks.push(std::mem::take(&mut cur));
                depth = 0;
                continue;
            }
            ',' if depth == 1 => {
                // An unclosed parenthesis: "A (X, B (Y)" – a new name with its
                // own parenthesis follows before this one closes.
                let rest: String = chars[k + 1..].iter().collect();
                let open = rest.find('(');
                let close = rest.find(')');
                if let (Some(o), Some(cl)) = (open, close) {
                    if o < cl {
                        cur.push(')');
                        chunks.push(std::mem::take(&mut cur));
                        depth = 0;
                        repaired = true;
                        continue;
                    }
                }
            }
            _ => {}
        }
        cur.push(c);
    }
    chunks.push(cur);
    // " og " before the last entry.
    if let Some(last) = chunks.pop() {
        let mut depth = 0i32;
        let mut split_at = None;
        let b: Vec<char> = last.chars().collect();
        for k in 0..b.len() {
            match b[k] {
                '(' => depth += 1,
                ')' => depth -= 1,
                ' ' if depth == 0 && b[k..].iter().collect::<String>().starts_with(" og ") => {
                    split_at = Some(k)
                }
                _ => {}
            }
        }
        match split_at {
            Some(k) => {
                chunks.push(b[..k].iter().collect());
                chunks.push(b[k + 4..].iter().collect());
            }
            None => chunks.push(last),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for c in chunks {
        let mut c = c.trim().trim_end_matches([',', '.', ' ']).to_string();
        // Balance stray parentheses left by the source.
        while c.matches(')').count() > c.matches('(').count() && c.ends_with(')') {
            c.pop();
            c = c.trim_end_matches([',', ' ']).to_string();
            repaired = true;
        }
        if c.is_empty() {
            continue;
        }
        if is_organisation(&c) && !out.is_empty() {
            let last = out.last_mut().unwrap();
            last.push_str(", ");
            last.push_str(&c);
        } else {
            out.push(c);
        }
    }
    if repaired {
        warnings.push(Warning {
            line,
            message:
                "unbalanced parentheses in a list of participants were repaired; check the names"
                    .into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_councils_print_them() {
        for (text, date) in [
            ("Dato: 29. januar 2020", "2020-01-29"),
            ("STARTTIDSPUNKT 23-03-2015 17:00", "2015-03-23"),
            ("Mødedato 05.02.2004", "2004-02-05"),
            ("Onsdag, April 3, 2019", "2019-04-03"),
            ("Onsdag den 15-maj-2002", "2002-05-15"),
            ("Socialudvalget - referat 10-02-2011", "2011-02-10"),
            ("den 3. sept. 2019", "2019-09-03"),
        ] {
            assert_eq!(parse_date(text).as_deref(), Some(date), "{text}");
        }
        assert_eq!(parse_date("Sagsnr. 330-2018-3619"), None);
        assert_eq!(
            parse_start("Tidspunkt: Kl. 19:00").as_deref(),
            Some("19:00")
        );
    }

    fn header(text: &str) -> (Meta, Vec<Line>) {
        let lines = crate::import::clean::split_lines(text);
        let refs: Vec<&Line> = lines.iter().collect();
        let mut w = Vec::new();
        parse(&refs, &|_| false, &mut w)
    }

    #[test]
    fn header_blocks_of_other_publishers() {
        let (m, rest) = header("Byrådet - Referat\n\nDato: 29. januar 2020\nLokale: Byrådssalen, Brønderslev Rådhus\nTidspunkt: Kl. 19:00\n");
        assert_eq!(m.date.as_deref(), Some("2020-01-29"));
        assert_eq!(m.titled_kind, Some("referat"));
        assert_eq!(m.facts.start.as_deref(), Some("19:00"));
        assert_eq!(
            m.facts.location.as_deref(),
            Some("Byrådssalen, Brønderslev Rådhus")
        );
        assert_eq!(m.body_names[0].0, "Byrådet");
        assert!(rest.is_empty(), "{rest:?}");

        let (m, rest) = header("UDVALG\nØkonomiudvalget\nMØDE\nOrdinært møde\nSTED\nRådhuset, mødelokale 1\nSTARTTIDSPUNKT\n23-03-2015 17:00\nSLUTTIDSPUNKT\n23-03-2015 19:30\n");
        assert_eq!(m.date.as_deref(), Some("2015-03-23"));
        assert_eq!(
            (m.facts.start.as_deref(), m.facts.end.as_deref()),
            (Some("17:00"), Some("19:30"))
        );
        assert_eq!(m.facts.location.as_deref(), Some("Rådhuset, mødelokale 1"));
        assert_eq!(m.body_names[0].0, "Økonomiudvalget");
        assert!(rest.is_empty(), "{rest:?}");

        let (m, rest) = header(
            "Referat\nØkonomiudvalget\nMødedato: 12. marts 2024\nMødetidspunkt: 15:00 - 17:30\n",
        );
        assert_eq!(m.body_names[0].0, "Økonomiudvalget");
        assert_eq!(
            (m.facts.start.as_deref(), m.facts.end.as_deref()),
            (Some("15:00"), Some("17:30"))
        );
        assert!(rest.is_empty(), "{rest:?}");

        let (m, _) = header("Økonomiudvalget\nReferat\n1. oktober 2018\n\nMødested: Rådhuset\n");
        assert_eq!(m.date.as_deref(), Some("2018-10-01"));
        assert_eq!(m.titled_kind, Some("referat"));
        assert_eq!(m.body_names[0].0, "Økonomiudvalget");

        let (m, _) = header("Socialudvalget - referat 10-02-2011\n\nMødedato\n10-02-2011 kl. 10:00 - 12:00\n\nDeltagere\n\n  • Bente Gertz (A)\n  • Jette Jensen (A)\n\n  • Afbud\n\n  • Jette Jensen (A)\n\n  •\n\nFraværende: Ingen.\n");
        assert_eq!(m.facts.present, ["Bente Gertz (A)"]);
        assert_eq!(m.facts.absent, ["Jette Jensen (A)"]);
        assert_eq!(
            (m.facts.start.as_deref(), m.facts.end.as_deref()),
            (Some("10:00"), Some("12:00"))
        );
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            parse_date("6. marts 2014, kl. 13.00-15.00").as_deref(),
            Some("2014-03-06")
        );
        assert_eq!(
            parse_date("Mødet den 27.05.2024").as_deref(),
            Some("2024-05-27")
        );
        assert_eq!(parse_date("31.02.2024"), None);
        assert_eq!(
            parse_times("kl. 12.00 - 16.00"),
            Some(("12:00".into(), "16:00".into()))
        );
        assert_eq!(
            parse_times("kl. 13.00-15.00"),
            Some(("13:00".into(), "15:00".into()))
        );
    }

    #[test]
    fn people() {
        let mut w = Vec::new();
        assert_eq!(
            split_people("Alice Hagemann (Aalborg Kommune ÆH), Britta Bruun-Schmidt (Vesthimmerlands Kommune) og Lone Møller (Sekretariat for Rammeaftaler).", 1, &mut w),
            ["Alice Hagemann (Aalborg Kommune ÆH)", "Britta Bruun-Schmidt (Vesthimmerlands Kommune)", "Lone Møller (Sekretariat for Rammeaftaler)"]
        );
        assert_eq!(
            split_people("Nanna Bang Hjørringgaard, Rammeaftalesekretariat, Martin Bjørn Jensen, Region Nordjylland (suppleant for Dorte Juul Hansen), Lars Larsen, LG Insight (deltager under pkt. 1)", 1, &mut w),
            ["Nanna Bang Hjørringgaard, Rammeaftalesekretariat", "Martin Bjørn Jensen, Region Nordjylland (suppleant for Dorte Juul Hansen)", "Lars Larsen, LG Insight (deltager under pkt. 1)"]
        );
        assert!(w.is_empty());
        assert_eq!(
            split_people("Leif Serup (Hjørring Kommune), Lotte Keller Christensen (Læsø Kommune, Rikke Albrektsen (Frederikshavn Kommune),), Søren Aalund (Mariagerfjord Kommune)", 1, &mut w),
            ["Leif Serup (Hjørring Kommune)", "Lotte Keller Christensen (Læsø Kommune)", "Rikke Albrektsen (Frederikshavn Kommune)", "Søren Aalund (Mariagerfjord Kommune)"]
        );
        assert_eq!(w.len(), 1);
        assert_eq!(
            split_people("Specialkonsulent i KKR Nordjylland Haukur S. Thorsteinsson, Chef for Handicap og Socialpsykiatri i Thisted Kommune Nikolaj Bilgram og Myndighedschef i Jammerbugt Kommune Mia Riise", 1, &mut w),
            ["Specialkonsulent i KKR Nordjylland Haukur S. Thorsteinsson", "Chef for Handicap og Socialpsykiatri i Thisted Kommune Nikolaj Bilgram", "Myndighedschef i Jammerbugt Kommune Mia Riise"]
        );
    }

    #[test]
    fn html_agenda_lists() {
        let text = "x\nVelkomst\t<ol style=\"list-style-type: none\">1. Godkendelse af dagsorden2. Godkendelse af referat fra mødet den 17. august 2020\nSager til behandling\t<ol style=\"list-style-type: none\">3. Udmøntning af fokusområde 1 og 2 i Nordjysk Socialaftale 2021-20224. Organisering i regi af DAS\n";
        let lines = crate::import::clean::split_lines(text);
        let (items, used) = listed_items(&lines);
        let titles: Vec<(u32, &str, &str)> = items
            .iter()
            .map(|i| (i.number, i.title.as_str(), i.group.as_deref().unwrap()))
            .collect();
        assert_eq!(
            titles,
            [
                (1, "Godkendelse af dagsorden", "Velkomst"),
                (
                    2,
                    "Godkendelse af referat fra mødet den 17. august 2020",
                    "Velkomst"
                ),
                (
                    3,
                    "Udmøntning af fokusområde 1 og 2 i Nordjysk Socialaftale 2021-2022",
                    "Sager til behandling"
                ),
                (4, "Organisering i regi af DAS", "Sager til behandling"),
            ]
        );
        assert_eq!(used, [1, 2]);
    }

    #[test]
    fn contents_lists_without_tabs() {
        let text = "PUNKTER\nPunkt 1 Godkendelse af dagsorden\nPunkt 2 Skolestruktur\n\nPunkt 1 Godkendelse af dagsorden\n\nTekst.\n";
        let lines = crate::import::clean::split_lines(text);
        let (items, used) = listed_items(&lines);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].title, "Skolestruktur");
        assert_eq!(used, [0, 1, 2]);
        // A numbered list that does not come again is no contents list.
        let text = "Indholdsfortegnelse\n\n1. Fraværende\n\nResume\n\n2. Evt.\n";
        let (items, _) = listed_items(&crate::import::clean::split_lines(text));
        assert!(items.is_empty());
    }

    #[test]
    fn table_of_contents() {
        let text = "Indholdsfortegnelse\n\nÅben\n\n1.\tTemadrøftelse\t4\n2.\tGodkendelse af dagsorden\t6\n\nReferat\n";
        let lines = crate::import::clean::split_lines(text);
        let (items, used) = listed_items(&lines);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].title, "Godkendelse af dagsorden");
        assert_eq!(used, [0, 1, 2, 3, 4, 5, 6]);
    }
}
