//! `data/archive.json`: the public archive as data, documented in
//! `docs/data.md`. Closed items are not in it at all. The file itself lists
//! the bodies, the topics and the parts; each part holds one body's meetings
//! of one year (`data/archive/das-social/2024.json`), so that no file grows
//! with the whole archive.

use super::pages::{Address, Anchors, Urls};
use super::when;
use crate::content::{Kind, SectionKind};
use crate::model::{Archive, Entry, ItemRef, Reason};
use crate::routes;
use serde::Serialize;

/// Bumped when a field changes meaning or disappears; new fields may be added.
pub const FORMAT_VERSION: u32 = 2;

/// Where the parts of the archive's data are, below the site's root.
pub const PARTS_DIR: &str = routes::ARCHIVE_PARTS;

#[derive(Serialize)]
struct ArchiveData<'a> {
    format_version: u32,
    site: SiteData<'a>,
    bodies: Vec<BodyData<'a>>,
    topics: Vec<TopicData<'a>>,
    parts: Vec<PartRef<'a>>,
    decisions_csv: DecisionsCsv,
}

/// Where the decisions are as CSV.
#[derive(Serialize)]
struct DecisionsCsv {
    /// Every decision in one file, or null when that would pass
    /// [`super::opendata::MAX_DATA_FILE`].
    all: Option<String>,
    /// The decisions of each year, oldest year first.
    years: Vec<CsvPart>,
}

#[derive(Serialize)]
struct CsvPart {
    year: i32,
    url: String,
}

/// One part as the index lists it.
#[derive(Serialize)]
struct PartRef<'a> {
    body: &'a str,
    year: i32,
    meetings: usize,
    url: String,
}

#[derive(Serialize)]
struct PartData<'a> {
    format_version: u32,
    body: &'a str,
    year: i32,
    meetings: Vec<MeetingData<'a>>,
}

/// One body's public meetings of one year, oldest first.
pub struct Part<'a> {
    pub path: String,
    body: &'a str,
    year: i32,
    meetings: Vec<usize>,
}

/// The parts of the archive's data, by body (in the order of the bodies)
/// and year.
pub fn parts(archive: &Archive) -> Vec<Part<'_>> {
    let mut parts: Vec<Part> = Vec::new();
    for b in &archive.bodies {
        let mut meetings: Vec<usize> = b.meetings.clone();
        meetings.sort_by_key(|&m| (archive.meetings[m].date, m));
        for m in meetings {
            let year = chrono::Datelike::year(&archive.meetings[m].date);
            match parts.last_mut() {
                Some(p) if p.body == b.slug && p.year == year => p.meetings.push(m),
                _ => parts.push(Part {
                    path: format!("{PARTS_DIR}{}/{year}.json", b.slug),
                    body: &b.slug,
                    year,
                    meetings: vec![m],
                }),
            }
        }
    }
    parts
}

#[derive(Serialize)]
struct SiteData<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct BodyData<'a> {
    slug: &'a str,
    name: &'a str,
    full_name: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct TopicData<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct MeetingData<'a> {
    id: &'a str,
    body: &'a str,
    date: String,
    kind: Kind,
    start: Option<&'a str>,
    end: Option<&'a str>,
    location: Option<&'a str>,
    url: String,
    items: Vec<ItemData<'a>>,
}

#[derive(Serialize)]
struct ItemData<'a> {
    number: u32,
    title: &'a str,
    case_number: Option<&'a str>,
    topics: Vec<&'a str>,
    url: String,
    decision_url: Option<String>,
    sections: Vec<SectionKind>,
    /// Related items of other meetings, best first, with why.
    related: Vec<LinkData>,
    /// References in the item's text to other meetings, resolved.
    references: Vec<ReferenceData<'a>>,
    /// Later items whose text refers to this one.
    referenced_by: Vec<String>,
    /// The previous and next step of the same matter.
    matter_previous: Option<String>,
    matter_next: Option<String>,
    /// What became of it (OParl `result`): `approved`, `approved_amended`,
    /// `noted`, `discussed`, `postponed`, `rejected` or `none`.
    outcome: crate::model::Outcome,
    /// What the decision promises to come back to.
    follow_ups: Vec<FollowUpData>,
}

#[derive(Serialize)]
struct FollowUpData {
    /// The sentence that makes the promise.
    text: String,
    /// `next_meeting`, a day `2024-05-27`, a month `2024-06`, an interval
    /// of months `2025-01/2025-03`, or null.
    due: Option<String>,
    /// The later item that takes the matter up, or null.
    closed_by: Option<String>,
    /// True when not taken up and its time has passed.
    open: bool,
}

#[derive(Serialize)]
struct LinkData {
    url: String,
    score: f32,
    reasons: Vec<ReasonData>,
}

#[derive(Serialize)]
struct ReasonData {
    /// `same_case`, `refers_to`, `referred_by`, `topic` or `similar`.
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
}

#[derive(Serialize)]
struct ReferenceData<'a> {
    /// The words of the text: "4. april 2024".
    text: &'a str,
    /// The meeting, or the item when known.
    url: String,
}

fn item_url(archive: &Archive, r: ItemRef) -> Option<String> {
    let item = archive.item(r)?;
    Some(format!(
        "{}#{}",
        archive.permalink(&archive.meetings[r.meeting].page()),
        item.anchor()
    ))
}

fn reason(archive: &Archive, r: Reason) -> ReasonData {
    let (kind, topic) = match r {
        Reason::SameCase => ("same_case", None),
        Reason::RefersTo => ("refers_to", None),
        Reason::ReferredBy => ("referred_by", None),
        Reason::Similar => ("similar", None),
        Reason::Topic(t) => ("topic", Some(archive.topics[t].slug.clone())),
    };
    ReasonData { kind, topic }
}

/// The index of the archive's data; `whole_csv` says whether the CSV of
/// every decision is written.
pub fn archive_json(archive: &Archive, whole_csv: bool) -> serde_json::Result<Vec<u8>> {
    let data = ArchiveData {
        format_version: FORMAT_VERSION,
        site: SiteData {
            title: &archive.site.title,
            base_url: archive.site.base.as_str(),
            language: archive.site.language,
        },
        bodies: archive
            .bodies
            .iter()
            .map(|b| BodyData {
                slug: &b.slug,
                name: &b.name,
                full_name: b.full_name.as_deref(),
                url: archive.permalink(&b.page()),
            })
            .collect(),
        topics: archive
            .topics
            .iter()
            .map(|t| TopicData {
                slug: &t.slug,
                name: &t.name,
                url: archive.permalink(&t.page()),
            })
            .collect(),
        parts: parts(archive)
            .iter()
            .map(|p| PartRef {
                body: p.body,
                year: p.year,
                meetings: p.meetings.len(),
                url: archive.permalink(&p.path),
            })
            .collect(),
        decisions_csv: DecisionsCsv {
            all: whole_csv.then(|| archive.permalink(routes::DECISIONS_CSV)),
            years: super::opendata::decision_years(archive)
                .into_iter()
                .map(|year| CsvPart {
                    year,
                    url: archive.permalink(&routes::decisions_part(year)),
                })
                .collect(),
        },
    };
    to_json(&data)
}

/// One part of the archive's data.
pub fn part_json(archive: &Archive, part: &Part) -> serde_json::Result<Vec<u8>> {
    to_json(&PartData {
        format_version: FORMAT_VERSION,
        body: part.body,
        year: part.year,
        meetings: part
            .meetings
            .iter()
            .map(|&m| meeting_data(archive, &archive.meetings[m]))
            .collect(),
    })
}

/// Compact JSON, one line, ending in a line break.
pub fn to_json(data: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(data)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn meeting_data<'a>(archive: &'a Archive, m: &'a crate::model::Meeting) -> MeetingData<'a> {
    let url = archive.permalink(&m.page());
    MeetingData {
        id: &m.id,
        body: &archive.body_of(m).slug,
        date: when::iso_date(m.date),
        kind: m.kind,
        start: m.facts.start.as_deref(),
        end: m.facts.end.as_deref(),
        location: m.facts.location.as_deref(),
        items: m
            .entries
            .iter()
            .filter_map(Entry::item)
            .map(|item| ItemData {
                number: item.number,
                title: &item.title,
                case_number: item.case.as_deref(),
                topics: item
                    .topics
                    .iter()
                    .map(|&t| archive.topics[t].slug.as_str())
                    .collect(),
                url: format!("{url}#{}", item.anchor()),
                decision_url: item.decision_anchor().map(|a| format!("{url}#{a}")),
                outcome: item.outcome,
                follow_ups: item
                    .follow_ups
                    .iter()
                    .map(|f| FollowUpData {
                        text: f.text.clone(),
                        due: f.due.map(|d| d.code()),
                        closed_by: f.closed_by.and_then(|r| item_url(archive, r)),
                        open: f.open,
                    })
                    .collect(),
                sections: item.sections.iter().map(|s| s.kind).collect(),
                related: item
                    .related
                    .iter()
                    .filter_map(|r| {
                        Some(LinkData {
                            url: item_url(archive, r.target)?,
                            score: r.score,
                            reasons: r.reasons.iter().map(|x| reason(archive, *x)).collect(),
                        })
                    })
                    .collect(),
                references: item
                    .references
                    .iter()
                    .map(|r| ReferenceData {
                        text: &r.text,
                        url: match r.item {
                            Some(n) => format!(
                                "{}#{}",
                                archive.permalink(&archive.meetings[r.meeting].page()),
                                routes::item_anchor(n)
                            ),
                            None => archive.permalink(&archive.meetings[r.meeting].page()),
                        },
                    })
                    .collect(),
                referenced_by: item
                    .referenced_by
                    .iter()
                    .filter_map(|r| item_url(archive, *r))
                    .collect(),
                matter_previous: item.matter_previous.and_then(|r| item_url(archive, r)),
                matter_next: item.matter_next.and_then(|r| item_url(archive, r)),
            })
            .collect(),
        url,
    }
}
