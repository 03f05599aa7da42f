//! Writes the search records of an archive as the pages Pagefind's own
//! indexer reads (one JSON object a line: `url`, `language`, `content`), so
//! that `tests/browser/same-search.mjs` can index them with Pagefind and
//! compare that index with Protokol's.
//!
//! cargo run --example search-records -- ARCHIVE > records.jsonl

use std::io::Write;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: search-records ARCHIVE");
        std::process::exit(2);
    };
    let options = protokol::build::Options {
        root: root.into(),
        ..Default::default()
    };
    let (content, archive) = match protokol::build::load(&options) {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprintln!("{} errors", errors.0.len());
            std::process::exit(1);
        }
    };
    let theme = match protokol::render::Theme::load(&content.root, &content.config) {
        Ok(theme) => theme,
        Err(errors) => {
            eprintln!("{} errors in the theme", errors.0.len());
            std::process::exit(1);
        }
    };
    let language = archive.site.language;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for r in protokol::render::search::records(&archive, &theme.strings) {
        let line = serde_json::json!({
            "url": r.url,
            "language": language,
            "content": protokol::search::record_page(&r, language),
        });
        if writeln!(out, "{line}").is_err() {
            std::process::exit(1);
        }
    }
}
