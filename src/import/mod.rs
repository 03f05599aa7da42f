//! `protokol import`: turns the text of a published agenda or minutes document
//! (as a PDF text extractor gives it) into a meeting file in the content format
//! described in `docs/content-format.md`.
//!
//! The work is done in steps, one module each:
//!
//! - [`clean`]: line splitting, whitespace, noise lines, de-hyphenation;
//! - [`layout`]: which family of documents the text belongs to;
//! - [`header`]: the meeting facts and the agenda lists of the header;
//! - [`items`]: items, group headings and sections;
//! - [`blocks`] and [`html`]: paragraphs, lists, tables and HTML → Markdown;
//! - [`topics`]: a first topic assignment from item titles;
//! - [`write`]: the meeting file.

pub mod blocks;
pub mod clean;
pub mod header;
pub mod html;
pub mod items;
pub mod layout;
pub mod topics;
pub mod write;

pub use layout::Layout;
pub use topics::Topic;

use blocks::Block;

/// A warning about text the importer could not place with certainty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line in the source text.
    pub line: usize,
    pub message: String,
}

/// The result of importing one document.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Suggested file name, e.g. `2024-05-27-referat.md`.
    pub file_name: String,
    /// The complete meeting file (front matter and items).
    pub markdown: String,
    pub warnings: Vec<Warning>,
    /// The layout the text was recognised as.
    pub layout: Layout,
}

/// An error that stops the import of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Options for an import beyond the body.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Topics to assign to items whose title names them.
    pub topics: Vec<Topic>,
    /// Where the text came from, written as `source` in the front matter.
    pub source: Option<String>,
}

/// Imports one document's text for the body with the given slug.
pub fn import_text(text: &str, body: &str) -> Result<Imported, ImportError> {
    import_text_with(text, body, &ImportOptions::default())
}

/// Imports one document's text and assigns the given topics to the items
/// whose titles name them.
pub fn import_text_with_topics(
    text: &str,
    body: &str,
    topics: &[Topic],
) -> Result<Imported, ImportError> {
    import_text_with(
        text,
        body,
        &ImportOptions {
            topics: topics.to_vec(),
            source: None,
        },
    )
}

/// Imports one document's text with options.
pub fn import_text_with(
    text: &str,
    body: &str,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    let lines = clean::split_lines(text);
    let layout = layout::detect(&lines);
    let mut warnings = Vec::new();
    let mut noise = vec![false; lines.len()];

    let (listed, toc_lines) = header::listed_items(&lines);
    for i in toc_lines {
        noise[i] = true;
    }
    let seg = items::segment(&lines, layout, &mut noise, &listed, &mut warnings);
    let mut items = seg.items;
    if items.is_empty() {
        return Err(ImportError {
            line: 1,
            message: "no items (punkter) found in the text".into(),
        });
    }

    // The header: letterhead lines are noise, the rest is parsed.
    let preamble: Vec<&clean::Line> = seg
        .preamble
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| !clean::is_contact_line(&l.text) || l.text.contains('\t'))
        .collect();
    let is_body_name = |t: &str| crate::slug::slugify(t) == body;
    let (meta, unplaced) = header::parse(&preamble, &is_body_name, &mut warnings);

    // Text of the header that is not a fact of the meeting is kept: it goes
    // to the introduction of the first item.
    if !unplaced.is_empty() {
        let mut kept = Vec::new();
        for l in &unplaced {
            warnings.push(Warning {
                line: l.no,
                message: format!(
                    "text before the first item could not be placed and is kept in the introduction of item {}: \"{}\"",
                    items[0].number, l.text
                ),
            });
            kept.push(Block::Para {
                text: l.text.clone(),
                line: l.no,
                lines: 1,
            });
        }
        kept.append(&mut items[0].intro);
        items[0].intro = kept;
    }

    let date = meta
        .date
        .clone()
        .or_else(|| {
            lines.iter().find_map(|l| {
                header::PAGE_HEADER
                    .captures(&l.text)
                    .and_then(|c| header::parse_date(&c[1]))
            })
        })
        .ok_or(ImportError {
            line: 1,
            message: "the date of the meeting was not found".into(),
        })?;

    let has_decisions = items.iter().any(|it| {
        it.sections
            .iter()
            .any(|(s, _)| *s == items::Section::Decision)
    });
    let kind = if has_decisions {
        "referat"
    } else {
        meta.titled_kind.unwrap_or("dagsorden")
    };
    if has_decisions && meta.titled_kind == Some("dagsorden") {
        warnings.push(Warning {
            line: 1,
            message: "the document is titled as an agenda but records decisions; imported as minutes (referat)".into(),
        });
    }

    let mut case_numbers = meta.case_numbers.clone();
    if case_numbers.is_empty() {
        for it in &items {
            if let Some(c) = &it.case {
                if !case_numbers.contains(c) {
                    case_numbers.push(c.clone());
                }
            }
        }
    }

    let mut markdown = write::front_matter(&write::Front {
        body,
        date: &date,
        kind,
        meta: &meta,
        case_numbers: &case_numbers,
        source: options.source.as_deref(),
    });
    let mut group: Option<&str> = None;
    for it in &items {
        if let Some(g) = it.group.as_deref() {
            if group != Some(g) {
                markdown.push_str(&format!("\n# {g}\n"));
                group = Some(g);
            }
        }
        markdown.push('\n');
        let topics = topics::assign(&it.title, &options.topics);
        write::item(&mut markdown, it, &topics);
    }

    warnings.sort_by_key(|w| w.line);
    Ok(Imported {
        file_name: format!("{date}-{kind}.md"),
        markdown,
        warnings,
        layout,
    })
}
