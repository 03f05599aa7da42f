//! The site's full-text search: the records render makes (one per public
//! item) written as a static, chunked index in the format of Pagefind 1.6
//! (`index`), for Pagefind's browser runtime, which is shipped unchanged
//! (`runtime/`). It knows records, not the archive: render hands them over
//! and puts the files where the site keeps its index. A query downloads only the parts of the index it needs.
//! Danish words are stemmed ("botilbuddene" finds "botilbud"). Closed items
//! are never made into records, so nothing of them can reach the index.

pub mod digest;
pub mod index;
pub mod words;

use crate::diagnostic::Diagnostics;
use crate::markdown::escape;
use rayon::prelude::*;
use std::collections::BTreeMap;

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
/// few enough that the text of a large archive is never all in memory (at
/// 10,000 meetings the index needed about 670 MB more with 512 a batch, 540 MB
/// with 128; the files do not depend on it).
const BATCH: usize = 128;

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

/// The page Pagefind's own indexer would read for a record: the item's
/// text, with its meta and filters as attributes that add no words of their
/// own. Protokol's index is the index of these pages (see `digest`); the
/// comparison with Pagefind's indexer feeds it these pages.
pub fn record_page(r: &Record, language: &str) -> String {
    let mut page = format!("<!DOCTYPE html><html lang=\"{language}\"><head>");
    for (key, value) in &r.meta {
        page.push_str(&format!(
            "<meta data-pagefind-meta=\"{key}[content]\" content=\"{}\">",
            escape(value)
        ));
    }
    for (key, values) in &r.filters {
        for value in values {
            page.push_str(&format!(
                "<meta data-pagefind-filter=\"{key}[content]\" content=\"{}\">",
                escape(value)
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

/// Writes the index of `items` records and hands each file to `emit`:
/// fragments as the records come, the rest at the end, then Pagefind's
/// runtime. `records_of(i)` gives the records of the archive's meeting `i`
/// of `meetings`, asked for in parallel, a batch at a time. The same
/// records give the same bytes. A compressed file that `keep` says the
/// output keeps as it has it is handed on without bytes, marked kept.
pub fn index(
    language: &str,
    meta_fields: Vec<String>,
    items: usize,
    meetings: usize,
    records_of: &(dyn Fn(usize) -> Vec<Record> + Sync),
    keep: index::Keep,
    emit: &mut (dyn FnMut(index::File) -> Result<(), Diagnostics> + Send),
) -> Result<(), Diagnostics> {
    let mut writer = index::Writer::new(language, meta_fields, items);
    let mut hand_on = |files: Vec<index::File>| -> Result<(), Diagnostics> {
        for f in files {
            emit(f)?;
        }
        Ok(())
    };
    let all: Vec<usize> = (0..meetings).collect();
    for batch in all.chunks(BATCH) {
        let docs: Vec<index::Doc> = batch
            .par_iter()
            .flat_map_iter(|&m| records_of(m).into_iter().map(doc))
            .collect();
        hand_on(writer.add(docs, keep))?;
    }
    let wasm = RUNTIME_WASM
        .iter()
        .find(|(l, _)| *l == language.split('-').next().unwrap_or(""));
    hand_on(writer.finish(wasm.map(|w| w.0), keep))?;
    let mut runtime = vec![
        index::File::plain("pagefind.js".into(), RUNTIME_JS.to_vec()),
        index::File::plain("pagefind-worker.js".into(), RUNTIME_WORKER.to_vec()),
    ];
    if let Some((l, bytes)) = wasm {
        runtime.push(index::File::plain(
            format!("wasm.{l}.pagefind"),
            bytes.to_vec(),
        ));
    }
    hand_on(runtime)
}
