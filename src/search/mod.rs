//! The site's full-text search: one record per public item, indexed with
//! Pagefind into a static, chunked index under `pagefind/`, so that a query
//! downloads only the parts of the index it needs. Danish words are stemmed
//! ("botilbuddene" finds "botilbud"). Closed items are never made into
//! records, so nothing of them can reach the index.

use crate::content::SectionKind;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Archive, Entry};
use crate::render::labels;
use crate::render::theme::Strings;
use crate::render::Page;
use std::collections::BTreeMap;
use std::ops::Range;

/// Where the index is written, below the site's root.
pub const INDEX_DIR: &str = "pagefind/";

/// The files of Pagefind's bundle the search page uses. The default UIs,
/// the highlighter, the playground and the code for other languages are
/// left out; the scripts are kept only with the first part of the index,
/// which loads the others.
fn keep(name: &str, first: bool, language: &str) -> bool {
    (first && matches!(name, "pagefind.js" | "pagefind-worker.js"))
        || name == "pagefind-entry.json"
        || name == format!("wasm.{language}.pagefind")
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

/// One part of the index: the items of a run of consecutive meetings,
/// written below `dir`. The first part is the one the search page loads;
/// the browser merges the others into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// `pagefind/`, then `pagefind/2/`, `pagefind/3/` …
    pub dir: String,
    /// Indexes into `Archive::meetings` (oldest first).
    pub meetings: Range<usize>,
}

/// The parts of the index, oldest meetings first, each of at most
/// `records_per_index` items (a single larger meeting gets a part of its
/// own). A new meeting changes only the last part, so the files of the
/// others stay the same from build to build.
pub fn shards(archive: &Archive) -> Vec<Shard> {
    let counts: Vec<usize> = archive
        .meetings
        .iter()
        .map(|m| m.entries.iter().filter_map(Entry::item).count())
        .collect();
    group(&counts, archive.site.search_records_per_index)
        .into_iter()
        .enumerate()
        .map(|(i, meetings)| Shard {
            dir: if i == 0 {
                INDEX_DIR.to_string()
            } else {
                format!("{INDEX_DIR}{}/", i + 1)
            },
            meetings,
        })
        .collect()
}

/// Consecutive runs of `counts` whose sums stay within `max`; always at
/// least one run.
fn group(counts: &[usize], max: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, &n) in counts.iter().enumerate() {
        if sum > 0 && sum + n > max {
            runs.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += n;
    }
    runs.push(start..counts.len());
    runs
}

/// The search records of the public items of some meetings, oldest first.
pub fn records_of(archive: &Archive, strings: &Strings, meetings: Range<usize>) -> Vec<Record> {
    let mut records = Vec::new();
    for m in &archive.meetings[meetings] {
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

/// Indexes every public item with Pagefind, part by part (see [`shards`]),
/// and hands each file of the index to `emit` as soon as its part is done.
/// The same archive gives the same bytes.
///
/// Pagefind runs in an async runtime and uses rayon for its parallel steps.
/// Both run here on a thread and a small thread pool of their own, which
/// the caller waits for without taking other work: one thread cannot run two
/// runtimes (a thread of the shared pool that helps with other work while it
/// waits could be handed a second index), and the indexer never waits for a
/// shared pool that is busy with pages or with another build's index.
pub fn index(
    archive: &Archive,
    strings: &Strings,
    emit: &mut (dyn FnMut(Page) -> Result<(), Diagnostics> + Send),
) -> Result<(), Diagnostics> {
    let fail = |e: String| Diagnostics::from(Diagnostic::new("pagefind", e));
    let timings = std::env::var_os("PROTOKOL_TIMINGS").is_some();
    let language = archive.site.language;
    let parts = shards(archive);
    let run = || -> Result<(), Diagnostics> {
        for (i, shard) in parts.iter().enumerate() {
            let records = records_of(archive, strings, shard.meetings.clone());
            for (name, bytes) in index_part(&records, language).map_err(fail)? {
                if keep(&name, i == 0, language) {
                    emit(Page {
                        path: format!("{}{name}", shard.dir),
                        bytes,
                    })?;
                }
            }
            if timings {
                eprintln!(
                    "timing:     search index part {} ({} items; peak memory so far: {} MB)",
                    i + 1,
                    records.len(),
                    crate::model::peak_memory().unwrap_or(0) / 1024
                );
            }
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let indexer = scope.spawn(|| {
            let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| fail(format!("cannot start the indexer: {e}")))?;
            pool.install(run)
        });
        indexer
            .join()
            .unwrap_or_else(|_| Err(fail("the search indexer stopped unexpectedly".into())))
    })
}

/// One Pagefind index of `records`: its files by name.
fn index_part(records: &[Record], language: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
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
        for r in records {
            index
                .add_html_file(None, Some(r.url.clone()), record_page(r, language))
                .await
                .map_err(|e| format!("cannot index {}: {e}", r.url))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("cannot write the index: {e}"))?;
        Ok(files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (name.trim_start_matches("./").to_string(), f.contents)
            })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hold_whole_meetings_within_the_limit() {
        assert_eq!(group(&[4, 4, 4, 4], 8), vec![0..2, 2..4]);
        assert_eq!(group(&[4, 4, 4], 9), vec![0..2, 2..3]);
        assert_eq!(group(&[3, 3, 3], 100), vec![0..3]);
    }

    #[test]
    fn a_meeting_larger_than_the_limit_gets_a_part_of_its_own() {
        assert_eq!(group(&[2, 12, 2], 8), vec![0..1, 1..2, 2..3]);
        assert_eq!(group(&[12], 8), vec![0..1]);
    }

    #[test]
    fn an_empty_archive_has_one_empty_part() {
        assert_eq!(group(&[], 8), vec![0..0]);
    }

    #[test]
    fn later_parts_keep_their_bounds_when_meetings_are_added() {
        let before = group(&[5, 5, 5, 5, 5], 10);
        let after = group(&[5, 5, 5, 5, 5, 5, 5], 10);
        assert_eq!(before[..2], after[..2]);
    }
}
