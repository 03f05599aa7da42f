//! The search records: one per public item, its text as the meeting page
//! shows it, its address, what a result shows and its filters. Render makes
//! them; `crate::search` writes the index of them.

use super::labels;
use super::pages::{Address, Anchors, Urls};
use super::text::Texts;
use super::theme::Strings;
use super::when;
use crate::content::SectionKind;
use crate::model::{Archive, Entry, Meeting};
use crate::search::Record;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The value of the `decision` filter for items that have a decision.
pub const HAS_DECISION: &str = "ja";

/// The search records of every public item, oldest meeting first.
pub fn records(archive: &Archive, strings: &Strings) -> Vec<Record> {
    let texts = Texts::new(archive);
    (0..archive.meetings.len())
        .flat_map(|i| meeting_records(archive, strings, i, &texts))
        .collect()
}

/// The search records of a meeting's public items, in agenda order.
pub fn meeting_records(
    archive: &Archive,
    strings: &Strings,
    mi: usize,
    texts: &Texts,
) -> Vec<Record> {
    let mut records = Vec::new();
    {
        let m: &Meeting = &archive.meetings[mi];
        let texts = texts.shared(mi);
        let body = archive.body_of(m);
        let meeting_url = archive.url(&m.page());
        let meeting_title = labels::meeting_title(archive, strings, m);
        for item in m.entries.iter().filter_map(Entry::item) {
            let Some(text) = texts.item(m, item.number) else {
                continue;
            };
            let url = format!("{meeting_url}#{}", item.anchor());
            let label = labels::item_label(strings, item);
            let mut html = String::new();
            html.push_str(&format!("<h1>{}</h1>", labels::escape_xml(&item.title)));
            if let Some(case) = &item.case {
                html.push_str(&format!(
                    "<p>{} {}</p>",
                    labels::escape_xml(strings.get("case_number")),
                    labels::escape_xml(case)
                ));
            }
            html.push_str(&text.intro);
            for (s, section_html) in item.sections.iter().zip(&text.sections) {
                html.push_str(&format!(
                    "<h2 id=\"{}\">{}</h2>",
                    item.section_anchor(s.kind),
                    labels::escape_xml(strings.get(&format!("section_{}", s.kind.slug())))
                ));
                if s.kind == SectionKind::Attachments && !item.attachments.is_empty() {
                    html.push_str("<ul>");
                    for a in &item.attachments {
                        html.push_str(&format!("<li>{}</li>", labels::escape_xml(&a.title)));
                    }
                    html.push_str("</ul>");
                }
                html.push_str(section_html);
            }
            let topics: Vec<String> = item
                .topics
                .iter()
                .map(|&t| archive.topics[t].name.clone())
                .collect();
            let decision_url = item.decision_anchor().map(|a| format!("{meeting_url}#{a}"));

            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), item.title.clone());
            meta.insert("label".to_string(), label);
            meta.insert("date".to_string(), strings.date_long(m.date));
            meta.insert("date_iso".to_string(), when::iso_date(m.date));
            meta.insert("body".to_string(), body.name.clone());
            meta.insert("meeting".to_string(), meeting_title.clone());
            meta.insert("meeting_url".to_string(), meeting_url.clone());
            if let Some(d) = &decision_url {
                meta.insert("decision_url".to_string(), d.clone());
            }
            let mut filters = BTreeMap::new();
            filters.insert(
                "year".to_string(),
                vec![chrono::Datelike::year(&m.date).to_string()],
            );
            filters.insert("body".to_string(), vec![body.name.clone()]);
            if !topics.is_empty() {
                filters.insert("topic".to_string(), topics);
            }
            if decision_url.is_some() {
                filters.insert("decision".to_string(), vec![HAS_DECISION.to_string()]);
            }
            if item.outcome != crate::model::Outcome::None {
                filters.insert(
                    "outcome".to_string(),
                    vec![strings
                        .get(&format!("outcome_{}", item.outcome.slug()))
                        .to_string()],
                );
            }
            records.push(Record {
                url,
                title: item.title.clone(),
                html,
                meta,
                filters,
            });
        }
    }
    texts.done(mi);
    records
}

/// The names of the meta fields of the records, sorted: those every record
/// has, `decision_url` when an item has a decision, and `image` and
/// `image_alt` when an item's text has a picture.
pub fn meta_fields(archive: &Archive, texts: &Texts) -> Vec<String> {
    let mut fields: Vec<&str> = vec![
        "body",
        "date",
        "date_iso",
        "label",
        "meeting",
        "meeting_url",
        "title",
    ];
    let items = || {
        archive
            .meetings
            .iter()
            .flat_map(|m| m.entries.iter().filter_map(Entry::item))
    };
    if items().any(|i| i.decision_anchor().is_some()) {
        fields.push("decision_url");
    }
    // Only a meeting whose Markdown could make a picture (an image or raw
    // `<img>`) is looked at as HTML: made for all, the HTML of every
    // meeting would be held from the start of the render.
    let may_have_picture = |markdown: &str| {
        let bytes = markdown.as_bytes();
        markdown.contains("![")
            || memchr::memchr_iter(b'<', bytes).any(|at| {
                bytes
                    .get(at + 1..at + 4)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"img"))
            })
    };
    let has_picture =
        (0..archive.meetings.len()).into_par_iter().any(|i| {
            let m = &archive.meetings[i];
            let candidate = m.entries.iter().filter_map(Entry::item).any(|it| {
                may_have_picture(&it.intro.markdown)
                    || it
                        .sections
                        .iter()
                        .any(|s| may_have_picture(&s.content.markdown))
            });
            candidate
                && texts.shared(i).items.iter().flatten().any(|h| {
                    h.intro.contains("<img") || h.sections.iter().any(|s| s.contains("<img"))
                })
        });
    if has_picture {
        fields.extend(["image", "image_alt"]);
    }
    fields.sort_unstable();
    fields.into_iter().map(String::from).collect()
}
