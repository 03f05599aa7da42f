//! The site's full-text search: one record per public item, written as a
//! static, chunked index under `pagefind/` in the format of Pagefind 1.6
//! (`index`), for Pagefind's browser runtime, which is shipped unchanged
//! (`runtime/`). A query downloads only the parts of the index it needs.
//! Danish words are stemmed ("botilbuddene" finds "botilbud"). Closed items
//! are never made into records, so nothing of them can reach the index.

pub mod digest;
pub mod index;
pub mod words;

use crate::content::SectionKind;
use crate::diagnostic::Diagnostics;
use crate::model::{Archive, Entry, Meeting};
use crate::render::labels;
use crate::render::theme::Strings;
use crate::render::Page;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where the index is written, below the site's root.
pub const INDEX_DIR: &str = "pagefind/";

/// Pagefind's browser runtime, release 1.6.0, as that release writes it:
/// the script the page imports, its worker, and the WebAssembly (with the
/// Snowball stemmer) of each language Protokol has strings for. See
/// `src/search/runtime/README.md` for where they come from and how they are
/// checked.
const RUNTIME_JS: &[u8] = include_bytes!("runtime/pagefind.js");
const RUNTIME_WORKER: &[u8] = include_bytes!("runtime/pagefind-worker.js");
const RUNTIME_WASM: &[(&str, &[u8])] = &[
    ("da", include_bytes!("runtime/wasm.da.pagefind")),
    ("en", include_bytes!("runtime/wasm.en.pagefind")),
];

/// Meetings read into records at a time: enough for the threads to share,
/// few enough that the text of a large archive is never all in memory.
const BATCH: usize = 512;

/// One searchable item: what is indexed, how a result is shown, and by what
/// it can be filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The item on its meeting page: `/das-social/2024-05-27-referat/#punkt-4`.
    pub url: String,
    /// The item's title, shown as the result's heading.
    pub title: String,
    /// The indexed text: an HTML fragment whose section headings carry the
    /// anchors of the meeting page, so a hit in the decision links to it.
    pub html: String,
    /// Shown with a result: `label` ("Punkt 4"), `date` ("27. maj 2024"),
    /// `date_iso`, `body`, `meeting` (its title), `meeting_url`, `decision_url`.
    pub meta: BTreeMap<String, String>,
    /// `year`, `body`, `topic`, `decision` ("ja" when it has one) and
    /// `outcome` (its label, "Vedtaget som indstillet", when it has one).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The value of the `decision` filter for items that have a decision.
pub const HAS_DECISION: &str = "ja";

/// The search records of every public item, oldest meeting first.
pub fn records(archive: &Archive, strings: &Strings) -> Vec<Record> {
    archive
        .meetings
        .iter()
        .flat_map(|m| meeting_records(archive, strings, m))
        .collect()
}

/// The search records of a meeting's public items, in agenda order.
pub fn meeting_records(archive: &Archive, strings: &Strings, m: &Meeting) -> Vec<Record> {
    let mut records = Vec::new();
    {
        let body = archive.body_of(m);
        let meeting_url = archive.url(&m.path);
        let meeting_title = labels::meeting_title(archive, strings, m);
        for item in m.entries.iter().filter_map(Entry::item) {
            let url = format!("{meeting_url}#{}", item.anchor);
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
            html.push_str(&item.intro.html);
            for s in &item.sections {
                html.push_str(&format!(
                    "<h2 id=\"{}\">{}</h2>",
                    s.anchor,
                    labels::escape_xml(strings.get(&format!("section_{}", s.kind.slug())))
                ));
                if s.kind == SectionKind::Attachments && !item.attachments.is_empty() {
                    html.push_str("<ul>");
                    for a in &item.attachments {
                        html.push_str(&format!("<li>{}</li>", labels::escape_xml(&a.title)));
                    }
                    html.push_str("</ul>");
                }
                html.push_str(&s.content.html);
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
            meta.insert(
                "date_iso".to_string(),
                m.date.format("%Y-%m-%d").to_string(),
            );
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
    records
}

/// The page Pagefind's own indexer would read for a record: the item's
/// text, with its meta and filters as attributes that add no words of their
/// own. Protokol's index is the index of these pages (see `digest`); the
/// comparison with Pagefind's indexer feeds it these pages.
pub fn record_page(r: &Record, language: &str) -> String {
    let mut page = format!("<!DOCTYPE html><html lang=\"{language}\"><head>");
    for (key, value) in &r.meta {
        page.push_str(&format!(
            "<meta data-pagefind-meta=\"{key}[content]\" content=\"{}\">",
            labels::escape_xml(value)
        ));
    }
    for (key, values) in &r.filters {
        for value in values {
            page.push_str(&format!(
                "<meta data-pagefind-filter=\"{key}[content]\" content=\"{}\">",
                labels::escape_xml(value)
            ));
        }
    }
    page.push_str("</head><body>");
    page.push_str(&r.html);
    page.push_str("</body></html>");
    page
}

/// A record as a page of the index: its words read as Pagefind reads them,
/// its meta and filter values cleaned up as Pagefind cleans them.
fn doc(r: Record) -> index::Doc {
    let mut digest = digest::digest(&r.html);
    let mut meta: BTreeMap<String, String> = r
        .meta
        .into_iter()
        .map(|(k, v)| (k, digest::normalise_text(&v)))
        .collect();
    if let Some((src, alt)) = digest.image.take() {
        meta.entry("image".into()).or_insert(src);
        meta.entry("image_alt".into())
            .or_insert(alt.unwrap_or_default());
    }
    let filters = r
        .filters
        .into_iter()
        .map(|(k, vs)| (k, vs.iter().map(|v| digest::normalise_text(v)).collect()))
        .collect();
    index::Doc {
        url: r.url,
        digest,
        meta,
        filters,
    }
}

/// The names of the meta fields of the records, sorted: those every record
/// has, `decision_url` when an item has a decision, and `image` and
/// `image_alt` when an item's text has a picture.
fn meta_fields(archive: &Archive) -> Vec<String> {
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
    let has_picture = items().any(|i| {
        i.intro.html.contains("<img") || i.sections.iter().any(|s| s.content.html.contains("<img"))
    });
    if has_picture {
        fields.extend(["image", "image_alt"]);
    }
    fields.sort_unstable();
    fields.into_iter().map(String::from).collect()
}

/// Writes the index of every public item and hands each file to `emit`:
/// fragments as their meetings are read, the rest at the end, then
/// Pagefind's runtime. The same archive gives the same bytes.
pub fn index(
    archive: &Archive,
    strings: &Strings,
    emit: &mut (dyn FnMut(Page) -> Result<(), Diagnostics> + Send),
) -> Result<(), Diagnostics> {
    let language = archive.site.language;
    let items: usize = archive
        .meetings
        .iter()
        .map(|m| m.entries.iter().filter_map(Entry::item).count())
        .sum();
    let mut writer = index::Writer::new(language, meta_fields(archive), items);
    let mut hand_on = |files: Vec<index::File>| -> Result<(), Diagnostics> {
        for f in files {
            emit(Page {
                path: format!("{INDEX_DIR}{}", f.name),
                bytes: f.bytes,
            })?;
        }
        Ok(())
    };
    for batch in archive.meetings.chunks(BATCH) {
        let docs: Vec<index::Doc> = batch
            .par_iter()
            .flat_map_iter(|m| meeting_records(archive, strings, m).into_iter().map(doc))
            .collect();
        hand_on(writer.add(docs))?;
    }
    let wasm = RUNTIME_WASM
        .iter()
        .find(|(l, _)| *l == language.split('-').next().unwrap_or(""));
    hand_on(writer.finish(wasm.map(|w| w.0)))?;
    let mut runtime = vec![
        index::File {
            name: "pagefind.js".into(),
            bytes: RUNTIME_JS.to_vec(),
        },
        index::File {
            name: "pagefind-worker.js".into(),
            bytes: RUNTIME_WORKER.to_vec(),
        },
    ];
    if let Some((l, bytes)) = wasm {
        runtime.push(index::File {
            name: format!("wasm.{l}.pagefind"),
            bytes: bytes.to_vec(),
        });
    }
    hand_on(runtime)
}
