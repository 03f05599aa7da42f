//! Rebuilding only what a change needs, for `protokol serve`.
//!
//! The server keeps the loaded content and the model in memory. When meeting
//! files change, only those files are read again; the model is patched at
//! once with the old links (so the edit shows within a moment), and linked
//! again in full afterwards. [`plan`] says which pages depend on a change, by
//! comparing the old and the new model, and only those are rendered and
//! written.

use crate::content::{self, Content, MeetingSource};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, Archive, Entry, Meeting};
use crate::render::pages::Address;
use crate::render::{self, Page, Theme};
use crate::routes;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The pages to render again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Something every page shows changed (the menu's years or bodies, the
    /// site's title …): render the whole site.
    Everything,
    /// Only these paths.
    Pages(BTreeSet<String>),
}

/// The pages of the new archive that depend on a change: `changed` are the
/// content files (`content/das-social/2024-05-27-referat.md`) that were
/// edited, added or removed between `old` and `new`.
///
/// A meeting's page is rendered again when its file changed, when it is new,
/// when any of its links (related items, references, back-links, previous and
/// next, matters, topics) changed, or when it links to a meeting whose file
/// changed (the link shows that meeting's title and date). The year, body and
/// topic pages that list a changed meeting or its items, the pages of its
/// items' cases, the topic index, the home page, the data file and the part
/// of it that holds the meeting follow, and the redirect pages of its
/// aliases. The outputs that cover the whole archive (feeds, the decisions
/// CSV, the search index, the sitemap) are not planned: they are made again whole,
/// by [`crate::render::render_archive_wide`].
pub fn plan(old: &Archive, new: &Archive, changed: &BTreeSet<String>) -> Plan {
    if nav(old) != nav(new) {
        return Plan::Everything;
    }
    let old_by_id: HashMap<&str, &Meeting> =
        old.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    let new_ids: HashSet<&str> = new.meetings.iter().map(|m| m.id.as_str()).collect();
    // Meetings whose own text changed, under their old and new addresses.
    let mut edited: HashSet<&str> = HashSet::new();
    for m in old.meetings.iter().chain(&new.meetings) {
        if changed.contains(&m.file) {
            edited.insert(&m.id);
        }
    }
    for m in &old.meetings {
        if !new_ids.contains(m.id.as_str()) {
            edited.insert(&m.id);
        }
    }
    for m in &new.meetings {
        if !old_by_id.contains_key(m.id.as_str()) {
            edited.insert(&m.id);
        }
    }

    let mut pages = BTreeSet::new();
    for m in &old.meetings {
        if edited.contains(m.id.as_str()) {
            listed(old, m, &mut pages);
        }
    }
    // Each meeting's links compared on every core (a tenth of a second per
    // thousand meetings on one).
    let relinked: Vec<bool> = {
        use rayon::prelude::*;
        new.meetings
            .par_iter()
            .map(|m| {
                old_by_id
                    .get(m.id.as_str())
                    .is_some_and(|b| signature(old, b) != signature(new, m))
            })
            .collect()
    };
    for (m, &relinked) in new.meetings.iter().zip(&relinked) {
        let before = old_by_id.get(m.id.as_str());
        let own = edited.contains(m.id.as_str());
        let points_at_edited = linked_meetings(new, m)
            .chain(before.into_iter().flat_map(|b| linked_meetings(old, b)))
            .any(|id| edited.contains(id));
        if own || relinked || points_at_edited {
            for meeting in before.into_iter().copied().chain(std::iter::once(m)) {
                own_pages(meeting, &mut pages);
            }
            if let Some(b) = before {
                data_part(old, b, &mut pages);
            }
            data_part(new, m, &mut pages);
        }
        if own {
            listed(new, m, &mut pages);
        }
        if relinked {
            // Its items' topics may have changed too.
            if let Some(b) = before {
                if topics_of(old, b) != topics_of(new, m) {
                    listed(old, b, &mut pages);
                    listed(new, m, &mut pages);
                }
            }
        }
    }
    // A topic that grew past the items one page lists, or fell back below,
    // is laid out anew, with all its pages of years.
    for (t, topic) in new.topics.iter().enumerate() {
        let years = render::pages::topic_years(new, t);
        let before = old.topics.iter().position(|o| o.slug == topic.slug);
        let split_before = before.is_some_and(|o| !render::pages::topic_years(old, o).is_empty());
        if split_before == years.is_empty() {
            pages.insert(routes::file(&topic.page()));
            for (year, _) in years {
                pages.insert(routes::file(&routes::topic_year(&topic.slug, year)));
            }
        }
    }
    if !pages.is_empty() {
        site_pages(&mut pages);
        // The data file and the data page, which say whether the decisions
        // still fit in one CSV.
        pages.insert(render::DATA_FILE.into());
        pages.insert(routes::file(routes::DATA));
    }
    Plan::Pages(pages)
}

/// The pages that show a meeting's own text and links: its page, the
/// pages of its items, and its `meeting.json`.
pub fn own_pages(m: &Meeting, pages: &mut BTreeSet<String>) {
    pages.insert(routes::file(&m.page()));
    pages.insert(routes::meeting_json(&m.id));
    for item in m.entries.iter().filter_map(Entry::item) {
        pages.insert(routes::file(&routes::item_page(&m.id, item.number)));
    }
}

/// The part of the archive's data that holds a meeting (its body's year),
/// which shows its items and their links.
fn data_part(archive: &Archive, m: &Meeting, pages: &mut BTreeSet<String>) {
    let year = chrono::Datelike::year(&m.date);
    pages.insert(routes::archive_part(&archive.bodies[m.body].slug, year));
}

/// The pages that list a meeting or its items: its year, body and open
/// follow-ups, its items' topics and cases, its part of the archive's data,
/// and the redirect pages of its old addresses.
pub fn listed(archive: &Archive, m: &Meeting, pages: &mut BTreeSet<String>) {
    let body = &archive.bodies[m.body];
    data_part(archive, m, pages);
    pages.insert(routes::file(&routes::year(chrono::Datelike::year(&m.date))));
    pages.insert(routes::file(&body.page()));
    pages.insert(routes::file(&routes::follow_ups(&body.slug)));
    for item in m.entries.iter().filter_map(Entry::item) {
        for &t in &item.topics {
            let topic = &archive.topics[t];
            pages.insert(routes::file(&topic.page()));
            let year = chrono::Datelike::year(&m.date);
            pages.insert(routes::file(&routes::topic_year(&topic.slug, year)));
        }
        if let Some(c) = item.case_index.and_then(|c| archive.cases.get(c)) {
            pages.insert(routes::file(&c.page()));
        }
        if let Some(year) = item.case_index.and_then(|c| archive.case_year(c)) {
            pages.insert(routes::file(&routes::cases_year(year)));
        }
        // The old item pages that come with the meeting's old addresses.
        for a in m.aliases.iter().filter(|a| a.path.ends_with('/')) {
            let old = routes::item_page(a.path.trim_end_matches('/'), item.number);
            pages.insert(routes::file(&old));
        }
    }
    for a in aliases(m) {
        pages.insert(routes::alias_file(&a.path));
    }
}

/// The pages any change of a meeting shows on: the home page, the topic
/// and case indexes and the search page.
pub fn site_pages(pages: &mut BTreeSet<String>) {
    for page in [routes::HOME, routes::TOPICS, routes::CASES, routes::SEARCH] {
        pages.insert(routes::file(page));
    }
}

/// What every page shows of the archive: its menu and the site itself.
fn nav(a: &Archive) -> String {
    use std::fmt::Write;
    let mut s = format!(
        "{}\n{}\n{}\n",
        a.site.title,
        a.site.base.as_str(),
        a.site.description
    );
    for y in &a.years {
        let _ = write!(s, "{} ", y.year);
    }
    for b in &a.bodies {
        let _ = write!(s, "\n{} {}", b.name, b.meetings.is_empty());
    }
    for t in &a.topics {
        let _ = write!(s, "\n{} {}", t.slug, t.name);
    }
    // The menu links to the index of cases when there are any.
    let _ = write!(s, "\ncases {}", a.cases.is_empty());
    s
}

fn aliases(m: &Meeting) -> impl Iterator<Item = &model::Alias> {
    m.aliases.iter().chain(
        m.entries
            .iter()
            .filter_map(Entry::item)
            .flat_map(|i| &i.aliases),
    )
}

/// The ids of the meetings a meeting's page links to.
fn linked_meetings<'a>(a: &'a Archive, m: &'a Meeting) -> impl Iterator<Item = &'a str> + 'a {
    let id = move |i: usize| a.meetings[i].id.as_str();
    let items = m
        .entries
        .iter()
        .filter_map(Entry::item)
        .flat_map(move |item| {
            item.related
                .iter()
                .map(|r| r.target.meeting)
                .chain(item.referenced_by.iter().map(|r| r.meeting))
                .chain(item.references.iter().map(|r| r.meeting))
                .chain(item.matter_previous.map(|r| r.meeting))
                .chain(item.matter_next.map(|r| r.meeting))
        });
    m.referenced_by
        .iter()
        .map(|r| r.meeting)
        .chain(m.previous)
        .chain(m.next)
        .chain(items)
        .map(id)
}

/// A meeting's links, by the ids of what they point at, so that two models
/// with meetings in other places compare.
fn signature(a: &Archive, m: &Meeting) -> String {
    use std::fmt::Write;
    let id = |i: usize| a.meetings[i].id.as_str();
    let mut s = String::new();
    let _ = write!(
        s,
        "{:?} {:?} {:?};",
        m.previous.map(id),
        m.next.map(id),
        m.referenced_by
            .iter()
            .map(|r| (id(r.meeting), r.number))
            .collect::<Vec<_>>()
    );
    for item in m.entries.iter().filter_map(Entry::item) {
        let _ = write!(
            s,
            "{} {:?} {:?} {:?} {:?} {:?} {:?};",
            item.number,
            item.topics
                .iter()
                .map(|&t| &a.topics[t].slug)
                .collect::<Vec<_>>(),
            item.related
                .iter()
                .map(|r| (id(r.target.meeting), r.target.number, &r.reasons))
                .collect::<Vec<_>>(),
            item.referenced_by
                .iter()
                .map(|r| (id(r.meeting), r.number))
                .collect::<Vec<_>>(),
            item.references
                .iter()
                .map(|r| (&r.text, id(r.meeting), r.item))
                .collect::<Vec<_>>(),
            item.matter_previous.map(|r| (id(r.meeting), r.number)),
            item.matter_next.map(|r| (id(r.meeting), r.number)),
        );
    }
    s
}

fn topics_of(a: &Archive, m: &Meeting) -> Vec<Vec<String>> {
    m.entries
        .iter()
        .filter_map(Entry::item)
        .map(|i| i.topics.iter().map(|&t| a.topics[t].slug.clone()).collect())
        .collect()
}

/// Reads the changed meeting files again and puts them into `content` in
/// place of their old versions; a file that is gone is dropped. On any error
/// `content` is left as it was. Returns the new versions.
pub fn reload_meetings(
    content: &mut Content,
    files: &BTreeSet<String>,
) -> Result<Vec<MeetingSource>, Diagnostics> {
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    for rel in files {
        let abs = content.root.join(rel);
        if !abs.is_file() {
            continue;
        }
        let result = std::fs::read_to_string(&abs)
            .map_err(|e| {
                Diagnostic::new(rel, format!("cannot read the file: {e}"))
                    .expected("a readable text file in UTF-8")
            })
            .and_then(|text| content::meeting::parse(Path::new(rel), &text))
            .and_then(|m| {
                content::check_references(&m, &content.bodies, &content.topics)?;
                Ok(m)
            });
        match result {
            Ok(m) => fresh.push(m),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    content
        .meetings
        .retain(|m| !files.contains(&m.path.to_string_lossy().replace('\\', "/")));
    content.meetings.extend(fresh.iter().cloned());
    content.meetings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(fresh)
}

/// Renders the planned pages of `archive`, or all of them.
pub fn render_plan(
    archive: &Archive,
    theme: &Theme,
    plan: &Plan,
) -> Result<Vec<Page>, Diagnostics> {
    match plan {
        Plan::Everything => render::render(archive, theme),
        Plan::Pages(paths) => render::render_only(archive, theme, |p| paths.contains(p)),
    }
}
