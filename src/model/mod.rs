//! The second stage: the archive as facts. Meetings, items, bodies, topics,
//! years and cases, each item's text as its Markdown and its plain words,
//! the links between items as data (item keys), and nothing of closed items
//! or non-public meetings left in it. No HTML and no addresses: render
//! makes those (`crate::render`, `crate::routes`).

mod attachments;
pub mod followup;
pub mod link;
pub mod outcome;

use crate::config::{BaseUrl, Config, Language};
use crate::content::{Content, Kind, MeetingFacts, MeetingSource, SectionKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

pub use attachments::Attachment;
pub use outcome::Outcome;

/// The whole public archive.
#[derive(Debug, Clone, Serialize)]
pub struct Archive {
    pub site: Site,
    pub bodies: Vec<Body>,
    pub topics: Vec<Topic>,
    /// Public meetings, oldest first; ties by body, then agenda before minutes.
    pub meetings: Vec<Meeting>,
    /// Years with meetings, newest first.
    pub years: Vec<Year>,
    /// Every case number of a public item, by number.
    pub cases: Vec<Case>,
}

/// A case (sag): the items with one case number, across meetings and bodies.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// As written: `2024-029219`.
    pub number: String,
    /// For addresses: `2024-029219`; unique in the archive.
    pub slug: String,
    /// Its items, oldest meeting first, then by number.
    pub items: Vec<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub title: String,
    pub description: String,
    /// The address it is published under.
    pub base: BaseUrl,
    pub language: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub slug: String,
    pub name: String,
    pub full_name: Option<String>,
    pub description: String,
    pub aliases: Vec<String>,
    /// Indexes into `Archive::meetings`, newest first.
    pub meetings: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub keywords: Vec<String>,
    /// The items filed under the topic, oldest first.
    pub items: Vec<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub year: i32,
    /// Indexes into `Archive::meetings`, oldest first.
    pub meetings: Vec<usize>,
}

/// Points at one item: the meeting's index and the item's number.
pub use link::ItemKey as ItemRef;
pub use link::{Reason, Reference};

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    /// `das-social/2024-05-27-referat`: body, date and kind, never changing
    /// (see [`meeting_id`]).
    pub id: String,
    /// Index into `Archive::bodies`.
    pub body: usize,
    pub date: NaiveDate,
    pub kind: Kind,
    pub title: Option<String>,
    pub facts: MeetingFacts,
    /// The content file it came from, relative to the archive root.
    pub file: String,
    pub intro: Text,
    pub entries: Vec<Entry>,
    /// Items of later meetings that refer to this meeting as a whole.
    pub referenced_by: Vec<ItemRef>,
    /// The previous and next public meeting of the same body.
    pub previous: Option<usize>,
    pub next: Option<usize>,
    /// Old addresses that lead to this meeting.
    pub aliases: Vec<Alias>,
}

impl Meeting {
    /// How many heading levels its items stand below the page's `<h2>`: one
    /// when its public items come under group headings (`# Sager til
    /// behandling`), else none. The HTML of its texts is made to fit.
    pub fn group_depth(&self) -> u8 {
        u8::from(
            self.entries
                .iter()
                .filter_map(Entry::item)
                .any(|i| i.group.is_some()),
        )
    }
}

/// An old address kept working by a redirect page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// Site-relative: `gammel/side/` or `gammel/side.html`.
    pub path: String,
    /// Where it was written: the content file, line and column.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A place in a meeting's agenda: a public item, or the gap of a closed one.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Entry {
    Item(Box<Item>),
    /// A closed item: only its number is kept, nothing of its title or text.
    Closed {
        number: u32,
    },
}

impl Entry {
    pub fn item(&self) -> Option<&Item> {
        match self {
            Entry::Item(item) => Some(item),
            Entry::Closed { .. } => None,
        }
    }

    pub fn number(&self) -> u32 {
        match self {
            Entry::Item(item) => item.number,
            Entry::Closed { number, .. } => *number,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub number: u32,
    pub title: String,
    pub case: Option<String>,
    pub group: Option<String>,
    /// Indexes into `Archive::topics`.
    pub topics: Vec<usize>,
    pub intro: Text,
    /// Its sections, each with its Markdown; only the decision keeps its
    /// plain text too (see [`Text`]).
    pub sections: Vec<Section>,
    /// The start of its first text that says something (see
    /// [`Item::first_text`]).
    pub lead: String,
    pub attachments: Vec<Attachment>,
    /// Other meetings this item's text refers to, as resolved.
    pub references: Vec<Reference>,
    /// Later items that refer to this one, oldest first.
    pub referenced_by: Vec<ItemRef>,
    /// The related items of other meetings, best first.
    pub related: Vec<RelatedItem>,
    /// The previous and next step of the same matter.
    pub matter_previous: Option<ItemRef>,
    pub matter_next: Option<ItemRef>,
    /// Routine items (approval of the agenda, any other business …) take no
    /// part in similarity.
    pub routine: bool,
    /// Old addresses that lead to this item.
    pub aliases: Vec<Alias>,
    /// What became of it: read from its decision, or set by hand.
    pub outcome: Outcome,
    /// The sentence of the decision the outcome was read from; `None` when
    /// set by hand or when there is no decision.
    pub outcome_phrase: Option<String>,
    /// What its decision promises to come back to.
    pub follow_ups: Vec<FollowUp>,
    /// Earlier items whose promise to return this item takes up.
    pub follows_up: Vec<ItemRef>,
    /// Index into `Archive::cases`, when it has a case number.
    pub case_index: Option<usize>,
    /// Numbers the item had before, from its aliases of the old item page
    /// (`…/punkt-3/`), so that links to the old number still find it.
    pub old_numbers: Vec<u32>,
}

/// A promise to return to a matter, found in a decision.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    /// The sentence that makes it.
    pub text: String,
    /// The time it names, when it names one.
    pub due: Option<followup::Due>,
    /// The later item that takes the matter up: the next step of the matter
    /// (same case number, or a strong similarity) or a later item that
    /// refers to this one.
    pub closed_by: Option<ItemRef>,
    /// Not taken up, and its time (or the body's next meeting, when it names
    /// none) has passed by the body's last meeting in the archive.
    pub open: bool,
}

/// A related item of another meeting, with why it is related.
pub use link::Related as RelatedItem;

impl Item {
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    pub fn decision(&self) -> Option<&Section> {
        self.section(SectionKind::Decision)
    }

    pub fn has_decision(&self) -> bool {
        self.decision().is_some()
    }

    /// The start of the first of its texts that says something, as plain
    /// text (a section's, else the introduction's; empty when none does):
    /// up to [`LEAD_CHARS`] characters, so an excerpt of it of up to that
    /// many is the excerpt of the whole text.
    pub fn first_text(&self) -> &str {
        &self.lead
    }

    /// Its key in the archive.
    pub fn key(&self, meeting: usize) -> ItemRef {
        ItemRef {
            meeting,
            number: self.number,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub content: Text,
}

/// A piece of a meeting's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    /// As written in the meeting file.
    pub markdown: String,
    /// Its words without markup, for excerpts and data: made for
    /// introductions and decisions, empty for an item's other sections.
    /// Their plain text serves only while the item is made (the outcome,
    /// the lead), so it is made there when needed; the pages and the search
    /// index are made from the Markdown, and at 10,000 meetings it would
    /// keep some hundreds of megabytes for the whole build.
    pub text: String,
}

/// The characters of an item's lead (see [`Item::first_text`]): more than
/// the longest excerpt taken of it (300, in the feeds).
pub const LEAD_CHARS: usize = 320;

/// The first `max` characters of `text`, trimmed.
pub(crate) fn lead(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

impl Text {
    pub fn new(markdown: &str) -> Text {
        Text {
            text: markdown::plain_text(markdown),
            markdown: markdown.to_string(),
        }
    }

    /// The Markdown without its plain text (see [`Text::text`]).
    pub fn markdown_only(markdown: &str) -> Text {
        Text {
            text: String::new(),
            markdown: markdown.to_string(),
        }
    }
}

impl Archive {
    /// The years in which cases first came up, newest first, each with its
    /// cases (by the date they first came up, newest first, then by number).
    pub fn case_years(&self) -> Vec<(i32, Vec<usize>)> {
        let mut cases: Vec<(NaiveDate, &str, usize)> = self
            .cases
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let first = c.items.first()?;
                Some((self.meetings[first.meeting].date, c.number.as_str(), i))
            })
            .collect();
        cases.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let mut years: Vec<(i32, Vec<usize>)> = Vec::new();
        for (date, _, i) in cases {
            let year = date.year();
            match years.last_mut() {
                Some((y, list)) if *y == year => list.push(i),
                _ => years.push((year, vec![i])),
            }
        }
        years
    }

    /// The year a case first came up in.
    pub fn case_year(&self, case: usize) -> Option<i32> {
        let first = self.cases.get(case)?.items.first()?;
        Some(self.meetings[first.meeting].date.year())
    }

    pub fn body_of(&self, meeting: &Meeting) -> &Body {
        &self.bodies[meeting.body]
    }

    /// How many public items it has.
    pub fn item_count(&self) -> usize {
        self.meetings
            .iter()
            .map(|m| m.entries.iter().filter(|e| e.item().is_some()).count())
            .sum()
    }

    pub fn item(&self, r: ItemRef) -> Option<&Item> {
        let entries = &self.meetings.get(r.meeting)?.entries;
        let i = entries
            .binary_search_by_key(&r.number, Entry::number)
            .ok()?;
        entries[i].item()
    }
}

/// Builds the archive from checked content. Fails on what only shows across
/// files, such as two meetings with the same address.
pub fn build(content: &Content) -> Result<Archive, Diagnostics> {
    let config: &Config = &content.config;
    let body_index: HashMap<&str, usize> = content
        .bodies
        .iter()
        .enumerate()
        .map(|(i, b)| (b.slug.as_str(), i))
        .collect();
    // Public meetings in a stable order.
    let mut sources: Vec<&MeetingSource> = content.meetings.iter().filter(|m| m.public).collect();
    sources.sort_by(|a, b| {
        (a.date, &a.body, a.kind, &a.path).cmp(&(b.date, &b.body, b.kind, &b.path))
    });
    check_unique_addresses(&content.meetings)?;

    // Links across meetings, then each meeting with its links.
    let started = std::time::Instant::now();
    let infos: Vec<link::MeetingInfo> = sources
        .iter()
        .map(|m| link::MeetingInfo {
            body: &m.body,
            date: m.date,
            kind: m.kind,
            source: m,
        })
        .collect();
    let matcher = link::TopicMatcher::new(&content.topics);
    let links = link::run(&infos, &matcher, &config.linking);
    crate::timing::took("linking", started);
    let mut meetings: Vec<Meeting> = sources
        .par_iter()
        .enumerate()
        .map(|(i, m)| {
            let ctx = MeetingLinks {
                index: i,
                links: &links,
            };
            build_meeting(m, body_index[m.body.as_str()], &ctx)
        })
        .collect();
    // The meetings hold their links now.
    drop(links);

    // The sizes of attachments the archive publishes itself.
    for m in &mut meetings {
        attachment_sizes(content, m);
    }

    // Bodies, previous and next.
    let mut bodies: Vec<Body> = content
        .bodies
        .iter()
        .map(|b| Body {
            slug: b.slug.clone(),
            name: b.name.clone(),
            full_name: b.full_name.clone(),
            description: b.description.clone(),
            aliases: b.aliases.clone(),
            meetings: Vec::new(),
        })
        .collect();
    for (i, m) in meetings.iter().enumerate() {
        bodies[m.body].meetings.push(i);
    }
    for body in &mut bodies {
        for pair in body.meetings.windows(2) {
            meetings[pair[0]].next = Some(pair[1]);
            meetings[pair[1]].previous = Some(pair[0]);
        }
        body.meetings.reverse();
    }

    // Years.
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, m) in meetings.iter().enumerate() {
        by_year.entry(m.date.year()).or_default().push(i);
    }
    let years = by_year
        .into_iter()
        .rev()
        .map(|(year, meetings)| Year { year, meetings })
        .collect();

    // Topics: the items filed under each, oldest first.
    let mut topics: Vec<Topic> = content
        .topics
        .iter()
        .map(|t| Topic {
            slug: t.slug.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            aliases: t.aliases.clone(),
            keywords: t.keywords.clone(),
            items: Vec::new(),
        })
        .collect();
    for (mi, m) in meetings.iter().enumerate() {
        for item in m.entries.iter().filter_map(Entry::item) {
            for &t in &item.topics {
                topics[t].items.push(ItemRef {
                    meeting: mi,
                    number: item.number,
                });
            }
        }
    }

    let cases = cases(&mut meetings);
    let all: Vec<usize> = (0..meetings.len()).collect();
    follow_ups(&mut meetings, &bodies, &all);

    Ok(Archive {
        cases,
        site: Site {
            title: config.title.clone(),
            description: config.description.clone(),
            base: config.base.clone(),
            language: match config.language {
                Language::Da => "da",
                Language::En => "en",
            },
        },
        bodies,
        topics,
        meetings,
        years,
    })
}

/// The promises to return in the decisions of the meetings `which`, with
/// the items that take them up (and those items' `follows_up`).
fn follow_ups(meetings: &mut [Meeting], bodies: &[Body], which: &[usize]) {
    let mut found: Vec<(ItemRef, Vec<FollowUp>)> = Vec::new();
    for &mi in which {
        let m = &meetings[mi];
        // The body's last meeting in the archive: the time a promise is
        // judged by (never the clock, so that builds repeat).
        let last = bodies[m.body]
            .meetings
            .first()
            .map_or(m.date, |&j| meetings[j].date);
        for item in m.entries.iter().filter_map(Entry::item) {
            let Some(decision) = item.section(SectionKind::Decision) else {
                continue;
            };
            let promises = followup::find(&decision.content.text, m.date);
            if promises.is_empty() {
                continue;
            }
            let closed_by = item.matter_next.or(item.referenced_by.first().copied());
            let list = promises
                .into_iter()
                .map(|p| {
                    let passed = match p.due {
                        Some(followup::Due::Period(_, end)) => end < last,
                        Some(followup::Due::NextMeeting) | None => m.next.is_some(),
                    };
                    FollowUp {
                        text: p.text,
                        due: p.due,
                        closed_by,
                        open: closed_by.is_none() && passed,
                    }
                })
                .collect();
            found.push((
                ItemRef {
                    meeting: mi,
                    number: item.number,
                },
                list,
            ));
        }
    }
    for (key, list) in found {
        let closers: Vec<ItemRef> = list.iter().filter_map(|f| f.closed_by).collect();
        if let Some(item) = item_mut(meetings, key) {
            item.follow_ups = list;
        }
        for c in closers {
            if let Some(later) = item_mut(meetings, c) {
                if !later.follows_up.contains(&key) {
                    later.follows_up.push(key);
                }
            }
        }
    }
}

fn item_mut(meetings: &mut [Meeting], r: ItemRef) -> Option<&mut Item> {
    let entries = &mut meetings.get_mut(r.meeting)?.entries;
    let i = entries
        .binary_search_by_key(&r.number, Entry::number)
        .ok()?;
    match &mut entries[i] {
        Entry::Item(item) => Some(item),
        Entry::Closed { .. } => None,
    }
}

/// The cases of the archive, by number, each with its items in date order;
/// sets each item's `case_index`.
fn cases(meetings: &mut [Meeting]) -> Vec<Case> {
    let mut by_number: BTreeMap<String, Vec<ItemRef>> = BTreeMap::new();
    for (mi, m) in meetings.iter().enumerate() {
        for item in m.entries.iter().filter_map(Entry::item) {
            if let Some(case) = &item.case {
                by_number.entry(case.clone()).or_default().push(ItemRef {
                    meeting: mi,
                    number: item.number,
                });
            }
        }
    }
    let mut taken = std::collections::HashSet::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let cases: Vec<Case> = by_number
        .into_iter()
        .enumerate()
        .map(|(i, (number, items))| {
            let base = match crate::slug::slugify(&number) {
                s if s.is_empty() => "sag".to_string(),
                // The years of cases have their pages there.
                s if crate::routes::is_cases_year_slug(&s) => format!("sag-{s}"),
                s => s,
            };
            let mut slug = base.clone();
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            index.insert(number.clone(), i);
            Case {
                number,
                slug,
                items,
            }
        })
        .collect();
    for m in meetings.iter_mut() {
        for e in &mut m.entries {
            if let Entry::Item(item) = e {
                item.case_index = item.case.as_ref().and_then(|c| index.get(c).copied());
            }
        }
    }
    cases
}

/// The sizes of the attachments the archive publishes itself.
fn attachment_sizes(content: &Content, m: &mut Meeting) {
    let static_dir = content.root.join("static");
    for e in &mut m.entries {
        if let Entry::Item(item) = e {
            for a in &mut item.attachments {
                a.size = a
                    .href
                    .as_deref()
                    .and_then(|h| attachments::local_size(&static_dir, h));
            }
        }
    }
}

/// Replaces one meeting of `archive` with a new version of its file, keeping
/// the links across meetings as they were: a provisional model for live
/// editing, until a full [`build`] links everything again. Returns the
/// meeting it replaced, or `None` when the new version has another address,
/// is not public or is not in the archive: then only a full build will do.
pub fn patch_meeting(
    archive: &mut Archive,
    content: &Content,
    source: &MeetingSource,
) -> Option<Meeting> {
    if !source.public {
        return None;
    }
    let id = meeting_id(&source.body, source.date, source.kind);
    let i = archive.meetings.iter().position(|m| m.id == id)?;
    let old = &archive.meetings[i];
    if old.file != source.path.to_string_lossy().replace('\\', "/") {
        return None;
    }
    let body = archive.bodies.iter().position(|b| b.slug == source.body)?;
    let topic_index: HashMap<&str, usize> = archive
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    // The old links of the meeting, for the items it still has.
    let mut links = link::Links::default();
    for item in old.entries.iter().filter_map(Entry::item) {
        let key = ItemRef {
            meeting: i,
            number: item.number,
        };
        links.topics.insert(key, item.topics.clone());
        links.references.insert(key, item.references.clone());
        links.referenced_by.insert(key, item.referenced_by.clone());
        links.related.insert(key, item.related.clone());
        links
            .matter
            .insert(key, (item.matter_previous, item.matter_next));
    }
    links
        .meeting_referenced_by
        .insert(i, old.referenced_by.clone());
    // New items get their explicit topics.
    for item in source.items.iter().filter(|it| !it.closed) {
        let key = ItemRef {
            meeting: i,
            number: item.number,
        };
        links.topics.entry(key).or_insert_with(|| {
            item.topics
                .iter()
                .filter(|(slug, _)| !item.not_topics.iter().any(|(n, _)| n == slug))
                .filter_map(|(slug, _)| topic_index.get(slug.as_str()).copied())
                .collect()
        });
    }
    let ctx = MeetingLinks {
        index: i,
        links: &links,
    };
    let mut meeting = build_meeting(source, body, &ctx);
    attachment_sizes(content, &mut meeting);
    // Items keep to the cases the archive has until it is built again.
    for e in &mut meeting.entries {
        if let Entry::Item(item) = e {
            item.case_index = item
                .case
                .as_ref()
                .and_then(|c| archive.cases.iter().position(|k| &k.number == c));
        }
    }
    meeting.previous = old.previous;
    meeting.next = old.next;
    let old = std::mem::replace(&mut archive.meetings[i], meeting);
    follow_ups(&mut archive.meetings, &archive.bodies, &[i]);
    for topic in &mut archive.topics {
        topic.items.retain(|r| r.meeting != i);
    }
    for item in archive.meetings[i].entries.iter().filter_map(Entry::item) {
        for &t in &item.topics {
            archive.topics[t].items.push(ItemRef {
                meeting: i,
                number: item.number,
            });
        }
    }
    for topic in &mut archive.topics {
        topic.items.sort();
    }
    Some(old)
}

fn check_unique_addresses(meetings: &[MeetingSource]) -> Result<(), Diagnostics> {
    let mut seen: HashMap<(String, NaiveDate, Kind), &MeetingSource> = HashMap::new();
    let mut errors = Vec::new();
    let mut sorted: Vec<&MeetingSource> = meetings.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for m in sorted {
        if let Some(first) = seen.insert((m.body.clone(), m.date, m.kind), m) {
            let mut d = Diagnostic::new(
                &m.path,
                format!(
                    "a second {} of {} on {}",
                    m.kind.slug(),
                    m.body,
                    m.date.format("%Y-%m-%d")
                ),
            )
            .expected(format!(
                "one file per meeting: {} has the same body, date and kind",
                first.path.display()
            ));
            d.line = m.date_pos.line;
            d.column = m.date_pos.column;
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

pub use crate::timing::peak_memory;

/// The key of a meeting: `das-social/2024-05-27-referat`, from its body,
/// date and kind. Its page's address is made from it (`routes::meeting`).
pub fn meeting_id(body: &str, date: NaiveDate, kind: Kind) -> String {
    format!("{body}/{}-{}", date.format("%Y-%m-%d"), kind.slug())
}

/// What one meeting needs of the links.
struct MeetingLinks<'a> {
    index: usize,
    links: &'a link::Links,
}

/// The number of an alias of an old item page of a meeting: 3 for
/// `das-social/2024-05-27-referat/punkt-3/`, when the rest is the meeting's
/// address or one of its old addresses.
pub fn old_number(
    alias: &str,
    id: &str,
    meeting_aliases: &[(String, crate::content::Pos)],
) -> Option<u32> {
    let rest = alias.strip_suffix('/')?;
    let (page, last) = rest.rsplit_once('/')?;
    let n = crate::routes::item_page_number(&format!("{last}/"))?;
    (page == id
        || meeting_aliases
            .iter()
            .any(|(a, _)| a.strip_suffix('/') == Some(page)))
    .then_some(n)
}

fn aliases(m: &MeetingSource, list: &[(String, crate::content::Pos)]) -> Vec<Alias> {
    list.iter()
        .map(|(path, pos)| Alias {
            path: path.clone(),
            file: m.path.to_string_lossy().replace('\\', "/"),
            line: pos.line,
            column: pos.column,
        })
        .collect()
}

fn build_meeting(m: &MeetingSource, body: usize, ctx: &MeetingLinks) -> Meeting {
    let id = meeting_id(&m.body, m.date, m.kind);
    let mut entries: Vec<Entry> = m
        .items
        .iter()
        .map(|src| {
            if src.closed {
                return Entry::Closed { number: src.number };
            }
            let key = ItemRef {
                meeting: ctx.index,
                number: src.number,
            };
            let references = ctx.links.references.get(&key).cloned().unwrap_or_default();
            let mut attachments = Vec::new();
            let sections: Vec<Section> = src
                .sections
                .iter()
                .filter(|s| !s.markdown.trim().is_empty() || s.kind == SectionKind::Decision)
                .map(|s| {
                    // Only the decision keeps its plain text (see `Text`).
                    let content = if s.kind == SectionKind::Attachments {
                        // The list becomes data; any remark stays text.
                        let (list, rest) = attachments::parse_list(&s.markdown);
                        attachments = list;
                        Text::markdown_only(&rest)
                    } else if s.kind == SectionKind::Decision {
                        Text::new(&s.markdown)
                    } else {
                        Text::markdown_only(&s.markdown)
                    };
                    Section {
                        kind: s.kind,
                        content,
                    }
                })
                .collect();
            let (matter_previous, matter_next) =
                ctx.links.matter.get(&key).copied().unwrap_or_default();
            let reading = match src.outcome {
                Some(outcome) => outcome::Reading {
                    outcome,
                    phrase: None,
                },
                None => {
                    let section = |kind| sections.iter().find(|s: &&Section| s.kind == kind);
                    let recommendation = section(SectionKind::Recommendation)
                        .map(|s| markdown::plain_text(&s.content.markdown));
                    outcome::read(
                        recommendation.as_deref().unwrap_or(""),
                        section(SectionKind::Decision).map(|s| s.content.text.as_str()),
                    )
                }
            };
            let intro = Text::new(&src.intro);
            // The plain text of the sections up to the first that says
            // something, and no further.
            let first = sections
                .iter()
                .map(|s| match s.kind {
                    SectionKind::Decision => Cow::Borrowed(s.content.text.as_str()),
                    _ => Cow::Owned(markdown::plain_text(&s.content.markdown)),
                })
                .chain(std::iter::once(Cow::Borrowed(intro.text.as_str())))
                .find(|t| !t.trim().is_empty());
            let lead = lead(first.as_deref().unwrap_or(""), LEAD_CHARS);
            Entry::Item(Box::new(Item {
                number: src.number,
                title: src.title.clone(),
                case: src.case.clone(),
                group: src.group.clone(),
                topics: ctx.links.topics.get(&key).cloned().unwrap_or_default(),
                intro,
                sections,
                lead,
                attachments,
                references,
                referenced_by: ctx
                    .links
                    .referenced_by
                    .get(&key)
                    .cloned()
                    .unwrap_or_default(),
                related: ctx.links.related.get(&key).cloned().unwrap_or_default(),
                matter_previous,
                matter_next,
                routine: link::is_routine(&src.title),
                aliases: aliases(m, &src.aliases),
                outcome: reading.outcome,
                outcome_phrase: reading.phrase,
                follow_ups: Vec::new(),
                follows_up: Vec::new(),
                case_index: None,
                old_numbers: Vec::new(),
            }))
        })
        .collect();
    entries.sort_by_key(Entry::number);
    // An item's alias of an old item page of this meeting (`…/punkt-3/`, at
    // its address or an old one) names a number it had before.
    let numbers: Vec<u32> = entries.iter().map(Entry::number).collect();
    let mut renumbered = Vec::new();
    for e in &mut entries {
        if let Entry::Item(item) = e {
            for a in &item.aliases {
                let Some(n) = old_number(&a.path, &id, &m.aliases) else {
                    continue;
                };
                if numbers.contains(&n) || renumbered.contains(&n) {
                    continue;
                }
                renumbered.push(n);
                item.old_numbers.push(n);
            }
        }
    }
    // A number missing between items is an item left out before publication:
    // shown as the gap of a closed item, so no one wonders where it went.
    // A number an item had before is no gap.
    for pair in numbers.windows(2) {
        for number in (pair[0] + 1..pair[1]).filter(|n| !renumbered.contains(n)) {
            entries.push(Entry::Closed { number });
        }
    }
    entries.sort_by_key(Entry::number);
    Meeting {
        id,
        body,
        date: m.date,
        kind: m.kind,
        title: m.title.clone(),
        facts: m.facts.clone(),
        file: m.path.to_string_lossy().replace('\\', "/"),
        intro: Text::new(&m.intro),
        entries,
        referenced_by: ctx
            .links
            .meeting_referenced_by
            .get(&ctx.index)
            .cloned()
            .unwrap_or_default(),
        previous: None,
        next: None,
        aliases: aliases(m, &m.aliases),
    }
}
