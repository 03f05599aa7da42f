//! Open data beside the pages: a JSON file per meeting (`…/meeting.json`,
//! made with the meeting's page), a CSV of the decisions of each year
//! (`data/beslutninger/2024.csv`) and of all of them while that fits in
//! [`MAX_DATA_FILE`] (`data/beslutninger.csv`), and the JSON Schemas of the
//! JSON files (`data/*.schema.json`). Documented in `docs/data.md`, with
//! field names mapped to OParl's AgendaItem and Open Civic Data's Event.
//! Closed items are not in any of it.

use super::labels;
use super::pages::{Address, Anchors, Urls};
use super::theme::Strings;
use super::{when, Page};
use crate::content::{Kind, SectionKind};
use crate::model::{Archive, Entry, Meeting};
use crate::render::text::MeetingHtml;
use crate::routes;
use serde::Serialize;

/// The file beside each meeting page.
pub const MEETING_FILE: &str = routes::MEETING_JSON;
pub const DECISIONS_CSV: &str = routes::DECISIONS_CSV;

/// The schemas, published with the data they describe.
pub const SCHEMAS: &[(&str, &[u8])] = &[
    (
        routes::ARCHIVE_SCHEMA,
        include_bytes!("../../docs/archive.schema.json"),
    ),
    (
        routes::MEETING_SCHEMA,
        include_bytes!("../../docs/meeting.schema.json"),
    ),
];

/// `das-social/2024-05-27-referat/meeting.json`.
pub fn meeting_path(m: &Meeting) -> String {
    routes::meeting_json(&m.id)
}

#[derive(Serialize)]
struct MeetingFile<'a> {
    format_version: u32,
    id: &'a str,
    /// Open Civic Data: `name`.
    name: String,
    body: BodyRef<'a>,
    date: String,
    kind: Kind,
    start: Option<&'a str>,
    end: Option<&'a str>,
    /// Open Civic Data: `start_date`, RFC 3339 with the Copenhagen offset, or
    /// the date alone for a meeting without a time.
    start_date: String,
    end_date: Option<String>,
    all_day: bool,
    timezone: &'static str,
    /// Open Civic Data: `passed` for minutes, `confirmed` for an agenda.
    status: &'static str,
    location: Option<&'a str>,
    present: &'a [String],
    absent: &'a [String],
    others: &'a [String],
    minute_taker: Option<&'a str>,
    case_numbers: &'a [String],
    source: Option<&'a str>,
    url: String,
    items: Vec<ItemFile<'a>>,
}

#[derive(Serialize)]
struct BodyRef<'a> {
    slug: &'a str,
    name: &'a str,
    full_name: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct ItemFile<'a> {
    number: u32,
    /// The item's place in the published list, from 1 (OParl `order`).
    order: usize,
    title: &'a str,
    /// Always `true`: closed items are left out (OParl `public`).
    public: bool,
    case_number: Option<&'a str>,
    group: Option<&'a str>,
    topics: Vec<&'a str>,
    url: String,
    intro: &'a str,
    sections: Vec<SectionFile<'a>>,
    attachments: Vec<AttachmentFile>,
    /// The decision's text, or null (OParl `resolutionText`).
    resolution: Option<&'a str>,
    resolution_url: Option<String>,
    /// What became of it (OParl `result`), as in `archive.json`.
    outcome: crate::model::Outcome,
}

/// A section as sanitized HTML; its plain text is the HTML without tags
/// (the decision's is also `resolution`), so it is not there twice.
#[derive(Serialize)]
struct SectionFile<'a> {
    kind: SectionKind,
    url: String,
    html: &'a str,
}

#[derive(Serialize)]
struct AttachmentFile {
    title: String,
    url: Option<String>,
    format: Option<String>,
}

fn absolute(archive: &Archive, href: &str) -> String {
    match href.strip_prefix('/') {
        Some(rest) if !href.starts_with("//") => archive.permalink(rest),
        _ => href.to_string(),
    }
}

/// The JSON file of one meeting.
pub fn meeting_json(
    archive: &Archive,
    strings: &Strings,
    m: &Meeting,
    html: &MeetingHtml,
) -> serde_json::Result<Vec<u8>> {
    let body = archive.body_of(m);
    let url = archive.permalink(&m.page());
    let start = m.facts.start.as_deref().and_then(when::parse_time);
    let data = MeetingFile {
        format_version: super::data::FORMAT_VERSION,
        id: &m.id,
        name: labels::meeting_title(archive, strings, m),
        body: BodyRef {
            slug: &body.slug,
            name: &body.name,
            full_name: body.full_name.as_deref(),
            url: archive.permalink(&body.page()),
        },
        date: when::iso_date(m.date),
        kind: m.kind,
        start: m.facts.start.as_deref(),
        end: m.facts.end.as_deref(),
        start_date: match start {
            Some(_) => when::rfc3339(m.date, m.facts.start.as_deref()),
            None => when::iso_date(m.date),
        },
        end_date: m
            .facts
            .end
            .as_deref()
            .filter(|_| start.is_some())
            .map(|e| when::rfc3339(m.date, Some(e))),
        all_day: start.is_none(),
        timezone: when::TZID,
        status: match m.kind {
            Kind::Referat => "passed",
            Kind::Dagsorden => "confirmed",
        },
        location: m.facts.location.as_deref(),
        present: &m.facts.present,
        absent: &m.facts.absent,
        others: &m.facts.others,
        minute_taker: m.facts.minute_taker.as_deref(),
        case_numbers: &m.facts.case_numbers,
        source: m.facts.source.as_deref(),
        items: m
            .entries
            .iter()
            .filter_map(Entry::item)
            .enumerate()
            .map(|(i, item)| {
                let decision = item.section(SectionKind::Decision);
                let item_html = html.item(m, item.number);
                ItemFile {
                    number: item.number,
                    order: i + 1,
                    title: &item.title,
                    public: true,
                    case_number: item.case.as_deref(),
                    group: item.group.as_deref(),
                    topics: item
                        .topics
                        .iter()
                        .map(|&t| archive.topics[t].slug.as_str())
                        .collect(),
                    url: format!("{url}#{}", item.anchor()),
                    intro: &item.intro.text,
                    sections: item
                        .sections
                        .iter()
                        .enumerate()
                        .map(|(si, s)| SectionFile {
                            kind: s.kind,
                            url: format!("{url}#{}", item.section_anchor(s.kind)),
                            html: item_html
                                .and_then(|h| h.sections.get(si))
                                .map_or("", |h| h.as_str()),
                        })
                        .collect(),
                    attachments: item
                        .attachments
                        .iter()
                        .map(|a| AttachmentFile {
                            title: a.title.clone(),
                            url: a.href.as_deref().map(|h| absolute(archive, h)),
                            format: a.format.clone(),
                        })
                        .collect(),
                    resolution: decision.map(|d| d.content.text.trim_end()),
                    resolution_url: decision
                        .map(|_| format!("{url}#{}", routes::decision_anchor(item.number))),
                    outcome: item.outcome,
                }
            })
            .collect(),
        url,
    };
    super::data::to_json(&data)
}

/// The columns of the decisions CSV (`data/beslutninger.csv` and its parts
/// by year), in order.
pub const CSV_COLUMNS: [&str; 10] = [
    "date",
    "body",
    "body_name",
    "kind",
    "item_number",
    "title",
    "case_number",
    "decision",
    "url",
    "outcome",
];

/// The largest data file Protokol writes (20 MB): what common static hosts
/// and spreadsheet programs take without trouble. The CSV of every decision
/// is written whole only while it fits; its parts by year always are.
pub const MAX_DATA_FILE: u64 = 20_000_000;

/// One row of the decisions CSV for each public item with a decision of
/// a meeting of `year` (or of any year), oldest meeting first, items by
/// number.
fn for_each_decision(archive: &Archive, year: Option<i32>, mut row: impl FnMut([&str; 10])) {
    for m in &archive.meetings {
        if year.is_some_and(|year| year != chrono::Datelike::year(&m.date)) {
            continue;
        }
        let body = archive.body_of(m);
        let date = when::iso_date(m.date);
        let url = archive.permalink(&m.page());
        for item in m.entries.iter().filter_map(Entry::item) {
            let Some(decision) = item.section(SectionKind::Decision) else {
                continue;
            };
            row([
                date.as_str(),
                &body.slug,
                &body.name,
                m.kind.slug(),
                &item.number.to_string(),
                &item.title,
                item.case.as_deref().unwrap_or(""),
                decision.content.text.trim_end(),
                &format!("{url}#{}", routes::decision_anchor(item.number)),
                item.outcome.slug(),
            ]);
        }
    }
}

/// The years that have a decision, oldest first: one part of the decisions
/// CSV each (`data/beslutninger/2024.csv`).
pub fn decision_years(archive: &Archive) -> Vec<i32> {
    let mut years = std::collections::BTreeSet::new();
    for m in &archive.meetings {
        let decided = m
            .entries
            .iter()
            .filter_map(Entry::item)
            .any(|i| i.section(SectionKind::Decision).is_some());
        if decided {
            years.insert(chrono::Datelike::year(&m.date));
        }
    }
    years.into_iter().collect()
}

/// True when the CSV of every decision is at most `limit` bytes. Reckoned
/// from the fields without writing the file, as every field quoted: the
/// file as written is never larger (a field is quoted only when it holds a
/// comma, a quote or a line break), so the whole file is left out a little
/// before it would pass the limit, never after.
pub fn whole_decisions_fit(archive: &Archive, limit: u64) -> bool {
    // The byte order mark, the header and its line end.
    let mut bytes = 3 + CSV_COLUMNS.iter().map(|c| c.len() as u64 + 1).sum::<u64>() + 1;
    for_each_decision(archive, None, |fields| {
        for f in fields {
            let quotes = f.bytes().filter(|&b| b == b'"').count();
            // The field, its doubled quotes, the quotes around it and the
            // comma after it (the last one's place is the CR of CRLF).
            bytes += (f.len() + quotes + 3) as u64;
        }
        bytes += 1;
    });
    bytes <= limit
}

/// The decisions as CSV, all of them or those of one year: RFC 4180
/// (commas, double quotes, CRLF), UTF-8 with a byte order mark so that
/// spreadsheet programs read the Danish letters right. Oldest meeting
/// first, items by number.
pub fn decisions_csv(archive: &Archive, year: Option<i32>) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(CSV_COLUMNS)?;
        let mut failed = None;
        for_each_decision(archive, year, |fields| {
            if failed.is_none() {
                failed = w.write_record(fields).err();
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        w.flush()?;
    }
    Ok(out)
}

/// The JSON file beside a meeting's page, made with the page (see
/// `units::Pages`) from the same HTML.
pub fn meeting_file(
    archive: &Archive,
    strings: &Strings,
    m: &Meeting,
    html: &MeetingHtml,
) -> Result<Page, String> {
    Ok(Page {
        path: meeting_path(m),
        bytes: meeting_json(archive, strings, m, html)
            .map_err(|e| format!("cannot write {}: {e}", meeting_path(m)))?,
    })
}

/// [`archive_files`] with the whole decisions CSV left out above `limit`
/// bytes.
pub fn archive_files_within(archive: &Archive, limit: u64) -> Result<Vec<Page>, String> {
    archive_files(archive, whole_decisions_fit(archive, limit))
}

/// The files that cover the whole archive: the CSV of decisions (of all of
/// them when `whole`, as [`whole_decisions_fit`] says) and the JSON Schemas.
pub fn archive_files(archive: &Archive, whole: bool) -> Result<Vec<Page>, String> {
    let csv = |path: String, year: Option<i32>| -> Result<Page, String> {
        let bytes =
            decisions_csv(archive, year).map_err(|e| format!("cannot write {path}: {e}"))?;
        Ok(Page { path, bytes })
    };
    let mut pages = Vec::new();
    if whole {
        pages.push(csv(DECISIONS_CSV.into(), None)?);
    }
    for year in decision_years(archive) {
        pages.push(csv(routes::decisions_part(year), Some(year))?);
    }
    for (path, bytes) in SCHEMAS {
        pages.push(Page {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        });
    }
    Ok(pages)
}
