//! The site's full-text search: one record per public item, indexed with
//! Pagefind into a static, chunked index under `pagefind/`, so that a query
//! downloads only the parts of the index it needs. Danish words are stemmed
//! ("botilbuddene" finds "botilbud"). Closed items are never made into
//! records, so nothing of them can reach the index.

use crate::content::SectionKind;
use crate::model::{Archive, Entry};
use crate::render::labels;
use crate::render::theme::Strings;
use crate::render::Page;
use std::collections::BTreeMap;

/// Where the index is written, below the site's root.
pub const INDEX_DIR: &str = "pagefind/";

/// The files of Pagefind's bundle the search page uses. The default UIs,
/// the highlighter and the playground are left out.
fn keep(name: &str) -> bool {
    matches!(
        name,
        "pagefind.js" | "pagefind-worker.js" | "pagefind-entry.json"
    ) || name.ends_with(".pagefind")
        || name.ends_with(".pf_meta")
        || name.starts_with("fragment/")
        || name.starts_with("index/")
        || name.starts_with("filter/")
}

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
    /// `year`, `body`, `topic` and `decision` ("ja" when it has one).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The value of the `decision` filter for items that have a decision.
pub const HAS_DECISION: &str = "ja";

/// The search records of every public item, oldest meeting first.
pub fn records(archive: &Archive, strings: &Strings) -> Vec<Record> {
    let mut records = Vec::new();
    for m in &archive.meetings {
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

/// The page Pagefind reads for a record: the item's text, with its meta and
/// filters as attributes that add no words of their own.
fn record_page(r: &Record, language: &str) -> String {
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

/// Indexes the records with Pagefind and returns the index's files under
/// `pagefind/`. The same records give the same bytes.
pub fn index(records: &[Record], language: &str) -> Result<Vec<Page>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the indexer: {e}"))?;
    runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .keep_index_url(true)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))
            .map_err(|e| format!("cannot start the indexer: {e}"))?;
        let t0 = std::time::Instant::now();
        for r in records {
            index
                .add_html_file(None, Some(r.url.clone()), record_page(r, language))
                .await
                .map_err(|e| format!("cannot index {}: {e}", r.url))?;
        }
        if std::env::var_os("PROTOKOL_TIMINGS").is_some() {
            eprintln!(
                "timing:     search pages added at {:.3} s (peak memory so far: {} MB)",
                t0.elapsed().as_secs_f64(),
                crate::model::peak_memory().unwrap_or(0) / 1000
            );
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("cannot write the index: {e}"))?;
        let mut pages: Vec<Page> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name.trim_start_matches("./").to_string();
                keep(&name).then(|| Page {
                    path: format!("{INDEX_DIR}{name}"),
                    bytes: f.contents,
                })
            })
            .collect();
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(pages)
    })
}
