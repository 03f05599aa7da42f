//! Atom feeds (RFC 4287) of new meetings and of new decisions, for the whole
//! site, for each body and for each topic, and one feed per case of its
//! steps: each of its items as it comes up, on an agenda or decided (one
//! file per case rather than two: a case's meetings and its decisions are
//! the same few items, and at 10,000 meetings the cases' feeds were a
//! third of all files). An entry's `updated` is its meeting's date and
//! start time, never the build's clock, so the same content gives the same
//! feeds.

use super::labels::{self, escape_xml};
use super::pages::{Address, Anchors, Urls};
use super::theme::Strings;
use super::{when, Page};
use crate::content::SectionKind;
use crate::model::{Archive, Entry, Item, Meeting};
use crate::render::text::Texts;
use crate::routes;
use rayon::prelude::*;

/// How many entries a feed holds, newest first.
pub const MEETINGS_PER_FEED: usize = 50;
pub const DECISIONS_PER_FEED: usize = 100;

/// What a feed follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Site,
    Body(usize),
    Topic(usize),
    Case(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Meetings,
    Decisions,
    /// A case's items, decided or not.
    Steps,
}

impl Kind {
    /// The feeds of a scope: a case has one, of its steps.
    pub fn of(scope: Scope) -> &'static [Kind] {
        match scope {
            Scope::Case(_) => &[Kind::Steps],
            _ => &[Kind::Meetings, Kind::Decisions],
        }
    }

    fn string_key(self) -> &'static str {
        match self {
            Kind::Meetings => "feed_meetings",
            Kind::Decisions => "feed_decisions",
            Kind::Steps => "feed_steps",
        }
    }
}

/// The site-relative path of a feed: `moeder.atom`, `das-social/moeder.atom`,
/// `emner/socialtilsyn-nord/beslutninger.atom`.
pub fn path(archive: &Archive, scope: Scope, kind: Kind) -> String {
    let kind = match kind {
        Kind::Meetings => routes::FeedKind::Meetings,
        Kind::Decisions => routes::FeedKind::Decisions,
        Kind::Steps => routes::FeedKind::Steps,
    };
    routes::feed(&scope_page(archive, scope), kind)
}

fn scope_name(archive: &Archive, scope: Scope) -> &str {
    match scope {
        Scope::Site => &archive.site.title,
        Scope::Body(b) => &archive.bodies[b].name,
        Scope::Topic(t) => &archive.topics[t].name,
        Scope::Case(c) => &archive.cases[c].number,
    }
}

fn scope_page(archive: &Archive, scope: Scope) -> String {
    match scope {
        Scope::Site => routes::HOME.into(),
        Scope::Body(b) => archive.bodies[b].page(),
        Scope::Topic(t) => archive.topics[t].page(),
        Scope::Case(c) => routes::case(&archive.cases[c].slug),
    }
}

/// A feed's title: "DAS Social: nye beslutninger".
pub fn title(archive: &Archive, strings: &Strings, scope: Scope, kind: Kind) -> String {
    strings
        .get("feed_title")
        .replace("{scope}", scope_name(archive, scope))
        .replace("{what}", strings.get(kind.string_key()))
}

/// Every feed of the site.
pub fn all(archive: &Archive, strings: &Strings, texts: &Texts) -> Vec<Page> {
    let mut scopes = vec![Scope::Site];
    scopes.extend((0..archive.bodies.len()).map(Scope::Body));
    scopes.extend((0..archive.topics.len()).map(Scope::Topic));
    scopes.extend((0..archive.cases.len()).map(Scope::Case));
    // Each feed on its own, on every core; in the same order every time.
    let jobs: Vec<(Scope, Kind)> = scopes
        .into_iter()
        .flat_map(|scope| Kind::of(scope).iter().map(move |&kind| (scope, kind)))
        .collect();
    jobs.into_par_iter()
        .map(|(scope, kind)| Page {
            path: path(archive, scope, kind),
            bytes: feed(archive, strings, texts, scope, kind).into_bytes(),
        })
        .collect()
}

fn in_scope(scope: Scope, m: &Meeting, item: Option<&Item>) -> bool {
    match scope {
        Scope::Site => true,
        Scope::Body(b) => m.body == b,
        Scope::Topic(t) => match item {
            Some(item) => item.topics.contains(&t),
            None => m
                .entries
                .iter()
                .filter_map(Entry::item)
                .any(|i| i.topics.contains(&t)),
        },
        Scope::Case(c) => match item {
            Some(item) => item.case_index == Some(c),
            None => m
                .entries
                .iter()
                .filter_map(Entry::item)
                .any(|i| i.case_index == Some(c)),
        },
    }
}

/// A case's item that has no decision (yet): on an agenda, or discussed.
/// `meeting_url` is its meeting page's permanent address.
fn step(
    archive: &Archive,
    strings: &Strings,
    m: &Meeting,
    item: &Item,
    meeting_url: &str,
    meeting_title: &str,
    updated: &str,
) -> AtomEntry {
    let url = format!("{meeting_url}#{}", item.anchor());
    let label = labels::item_label(strings, item);
    AtomEntry {
        title: format!("{} ({meeting_title})", item.title),
        id: url.clone(),
        content_html: format!(
            "<p><a href=\"{}\">{} {}</a></p>",
            escape_xml(&url),
            escape_xml(&label),
            escape_xml(&item.title)
        ),
        link: url,
        updated: updated.to_string(),
        summary: super::views::excerpt(item.first_text(), 300),
        categories: vec![archive.body_of(m).name.clone()],
    }
}

struct AtomEntry {
    title: String,
    id: String,
    link: String,
    updated: String,
    summary: String,
    content_html: String,
    categories: Vec<String>,
}

/// One feed as Atom XML.
pub fn feed(
    archive: &Archive,
    strings: &Strings,
    texts: &Texts,
    scope: Scope,
    kind: Kind,
) -> String {
    let mut entries = Vec::new();
    // Newest meeting first; within a meeting, items in order. A case's
    // feed looks at the case's meetings only.
    let meetings: Vec<usize> = match scope {
        Scope::Case(c) => {
            let mut at: Vec<usize> = archive.cases[c].items.iter().map(|r| r.meeting).collect();
            at.dedup();
            at.into_iter().rev().collect()
        }
        _ => (0..archive.meetings.len()).rev().collect(),
    };
    let limit = match kind {
        Kind::Meetings => MEETINGS_PER_FEED,
        Kind::Decisions | Kind::Steps => DECISIONS_PER_FEED,
    };
    for mi in meetings {
        // Newest first: a full feed takes no older meeting, and a meeting
        // with nothing in scope adds nothing. Both are known before the
        // meeting's address, time and title are made (a feed of a topic or
        // a body looked at every meeting of the archive so, each time).
        if entries.len() >= limit {
            break;
        }
        let m: &Meeting = &archive.meetings[mi];
        if !in_scope(scope, m, None) {
            continue;
        }
        let meeting_url = archive.permalink(&m.page());
        let updated = when::rfc3339(m.date, m.facts.start.as_deref());
        let meeting_title = labels::meeting_title(archive, strings, m);
        match kind {
            Kind::Meetings => {
                let mut list = String::from("<ol>");
                let mut titles = Vec::new();
                for e in &m.entries {
                    let Some(item) = e.item() else { continue };
                    if let Scope::Topic(t) = scope {
                        if !item.topics.contains(&t) {
                            continue;
                        }
                    }
                    if let Scope::Case(c) = scope {
                        if item.case_index != Some(c) {
                            continue;
                        }
                    }
                    list.push_str(&format!(
                        "<li><a href=\"{}#{}\">{} {}</a></li>",
                        escape_xml(&meeting_url),
                        item.anchor(),
                        escape_xml(&labels::item_label(strings, item)),
                        escape_xml(&item.title)
                    ));
                    titles.push(item.title.as_str());
                }
                list.push_str("</ol>");
                entries.push(AtomEntry {
                    title: meeting_title,
                    id: meeting_url.clone(),
                    link: meeting_url,
                    updated,
                    summary: titles.join(" · "),
                    content_html: list,
                    categories: vec![archive.body_of(m).name.clone()],
                });
            }
            Kind::Decisions | Kind::Steps => {
                for item in m.entries.iter().filter_map(Entry::item) {
                    if entries.len() >= DECISIONS_PER_FEED {
                        break;
                    }
                    if !in_scope(scope, m, Some(item)) {
                        continue;
                    }
                    let Some(di) = item
                        .sections
                        .iter()
                        .position(|s| s.kind == SectionKind::Decision)
                    else {
                        if kind == Kind::Steps {
                            entries.push(step(
                                archive,
                                strings,
                                m,
                                item,
                                &meeting_url,
                                &meeting_title,
                                &updated,
                            ));
                        }
                        continue;
                    };
                    let decision = &item.sections[di];
                    let url = format!("{meeting_url}#{}", routes::decision_anchor(item.number));
                    let mut categories = vec![archive.body_of(m).name.clone()];
                    categories.extend(item.topics.iter().map(|&t| archive.topics[t].name.clone()));
                    let mut summary = super::views::excerpt(&decision.content.text, 300);
                    let mut content_html = texts.section(mi, item, di);
                    if item.outcome != crate::model::Outcome::None {
                        // What became of it: a category, and first in the text.
                        let label = strings
                            .get(&format!("outcome_{}", item.outcome.slug()))
                            .to_string();
                        content_html = format!(
                            "<p><strong>{}: {}</strong></p>{content_html}",
                            escape_xml(strings.get("outcome")),
                            escape_xml(&label)
                        );
                        summary = format!("{label}. {summary}");
                        categories.push(label);
                    }
                    entries.push(AtomEntry {
                        title: format!("{} ({meeting_title})", item.title),
                        id: url.clone(),
                        link: url,
                        updated: updated.clone(),
                        summary,
                        content_html,
                        categories,
                    });
                }
            }
        }
    }

    let self_url = archive.permalink(&path(archive, scope, kind));
    let feed_updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone());
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        archive.site.language
    ));
    x.push_str(&format!(
        "<title>{}</title>\n",
        escape_xml(&title(archive, strings, scope, kind))
    ));
    x.push_str(&format!("<id>{}</id>\n", escape_xml(&self_url)));
    x.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&self_url)
    ));
    x.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(&archive.permalink(&scope_page(archive, scope)))
    ));
    x.push_str(&format!("<updated>{feed_updated}</updated>\n"));
    x.push_str(&format!(
        "<author><name>{}</name><uri>{}</uri></author>\n",
        escape_xml(&archive.site.title),
        escape_xml(archive.site.base.as_str())
    ));
    x.push_str("<generator>Protokol</generator>\n");
    for e in &entries {
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", escape_xml(&e.title)));
        x.push_str(&format!("<id>{}</id>\n", escape_xml(&e.id)));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&e.link)
        ));
        x.push_str(&format!("<updated>{}</updated>\n", e.updated));
        for c in &e.categories {
            x.push_str(&format!("<category term=\"{}\"/>\n", escape_xml(c)));
        }
        if !e.summary.is_empty() {
            x.push_str(&format!("<summary>{}</summary>\n", escape_xml(&e.summary)));
        }
        x.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            escape_xml(&e.content_html)
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}
