//! `protokol import`: turns the text of a published agenda or minutes document
//! (as a PDF text extractor gives it) into a meeting file in the content format
//! described in `docs/content-format.md`.
//!
//! The work is done in steps, one module each:
//!
//! - [`clean`]: line splitting, whitespace, noise lines, web page labels,
//!   de-hyphenation;
//! - [`pages`]: text with one line per page split into lines again;
//! - [`pdf`]: the layout text of a PDF: table cells, two columns;
//! - [`layout`]: which family of documents the text belongs to;
//! - [`header`]: the meeting facts and the agenda lists of the header;
//! - [`items`]: items, group headings and sections;
//! - [`blocks`] and [`html`]: paragraphs, lists, tables and HTML → Markdown;
//! - [`topics`]: a first topic assignment from item titles;
//! - [`mod@write`]: the meeting file.

pub mod blocks;
pub mod clean;
pub mod header;
pub mod html;
pub mod items;
pub mod layout;
pub mod pages;
pub mod pdf;
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
    /// The slug of the body the meeting was imported for.
    pub body: String,
    /// A body named in the document that is not among the known bodies:
    /// (slug, name), to be added to `data/bodies.toml`.
    pub new_body: Option<(String, String)>,
}

/// A body the importer may find named in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBody {
    pub slug: String,
    /// The name, full name and aliases.
    pub names: Vec<String>,
}

impl KnownBody {
    fn matches(&self, name: &str) -> bool {
        let s = crate::slug::slugify(name);
        !s.is_empty() && (self.slug == s || self.names.iter().any(|n| crate::slug::slugify(n) == s))
    }
}

/// Reads the bodies of a `data/bodies.toml` (table name = slug; `name`,
/// `full_name` and `aliases` identify the body in a document).
pub fn bodies_from_toml(text: &str) -> Result<Vec<KnownBody>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut bodies = Vec::new();
    for (slug, v) in value {
        let Some(t) = v.as_table() else {
            return Err(format!("body `{slug}` is not a table"));
        };
        let mut names = Vec::new();
        for key in ["name", "full_name"] {
            if let Some(n) = t.get(key).and_then(|n| n.as_str()) {
                names.push(n.to_string());
            }
        }
        if let Some(a) = t.get("aliases").and_then(|a| a.as_array()) {
            names.extend(a.iter().filter_map(|x| x.as_str()).map(str::to_string));
        }
        bodies.push(KnownBody { slug, names });
    }
    Ok(bodies)
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
    /// The bodies a document may name, when no body is given.
    pub bodies: Vec<KnownBody>,
    /// The text comes from a PDF extractor that prints no blank lines
    /// between paragraphs (pdftotext).
    pub from_pdf: bool,
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
            ..ImportOptions::default()
        },
    )
}

/// Imports one document's text with options.
pub fn import_text_with(
    text: &str,
    body: &str,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    import_document(text, Some(body), options)
}

/// A date in running text with its line: "for ØU den 22. oktober 2018".
static NAMED_MEETING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:for|i)\s+([A-ZÆØÅ][\wæøåÆØÅ-]*)\s+(?:den|d\.)\s+\d").unwrap()
});

static PAGE_SUFFIX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\s*(?:side\s+)?\d{1,4}(?:\s*(?:/|af)\s*\d{1,4})?$").unwrap()
});

/// Imports one document's text. Without a body, the body is the one the
/// document names, matched against `options.bodies`; a body named but not
/// known is returned in `Imported::new_body`.
pub fn import_document(
    text: &str,
    body: Option<&str>,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut lines = clean::split_lines(text);
    let mut warnings = Vec::new();
    clean::strip_web_labels(&mut lines);
    if options.from_pdf {
        lines = items::open_up(lines);
    }
    let mut flat = None;
    if pages::is_flattened(&lines) {
        let u = pages::unflatten(&lines);
        let mut message = "the text has one line per page; it was split into lines at the headings, items and labels".to_string();
        if let Some((w, n)) = &u.footer {
            message.push_str(&format!(
                " and the page footer \"{w}\" removed from {n} pages"
            ));
        }
        warnings.push(Warning { line: 1, message });
        lines = u.lines;
        flat = Some((u.listed, u.toc));
    }
    let layout = layout::detect(&lines);
    let mut noise = vec![false; lines.len()];

    let (listed, toc_lines) = match flat {
        Some(f) => f,
        None => header::listed_items(&lines),
    };
    for i in toc_lines {
        noise[i] = true;
    }
    let early = header::early_date(&lines);
    let seg = items::segment(
        &lines,
        layout,
        &mut noise,
        &listed,
        early.as_deref(),
        &mut warnings,
    );
    let mut items = seg.items;
    let last_line = lines.last().map_or(1, |l| l.no);

    // The header: letterhead lines are noise, the rest is parsed.
    let preamble: Vec<&clean::Line> = seg
        .preamble
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| !clean::is_contact_line(&l.text) || l.text.contains('\t'))
        .collect();
    let header_end = seg.preamble.last().map_or(1, |&i| lines[i].no).max(1);
    let is_body_name = |t: &str| {
        let s = crate::slug::slugify(t);
        body.is_some_and(|b| s == b)
            || options
                .bodies
                .iter()
                .any(|kb| body.is_none_or(|b| b == kb.slug) && kb.matches(t))
    };
    let (meta, unplaced) = header::parse(&preamble, &is_body_name, &mut warnings);

    let date = meta.date.clone().or_else(|| {
        lines.iter().find_map(|l| {
            header::PAGE_HEADER
                .captures(&l.text)
                .and_then(|c| header::parse_date(&c[1]))
        })
    });
    // No date in the header: the date the items' text names most often.
    let date = date.or_else(|| {
        let mut counts: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (i, l) in lines.iter().enumerate() {
            if noise[i] {
                continue;
            }
            if let Some(d) = header::parse_date(&l.text) {
                let e = counts.entry(d).or_insert((0, l.no));
                e.0 += 1;
            }
        }
        let (d, (_, line)) = counts
            .into_iter()
            .max_by_key(|(_, (n, line))| (*n, std::cmp::Reverse(*line)))?;
        warnings.push(Warning {
            line,
            message: format!(
                "the header gives no date; the meeting is dated {d}, the date the text names most often (first on line {line})"
            ),
        });
        Some(d)
    });

    // The body: given, or named in the document.
    let mut new_body = None;
    let slug = match body {
        Some(b) => Some(b.to_string()),
        None => {
            let mut names = meta.body_names.clone();
            // A page header of a meeting system: "Mødet den 04.04.2024 Socialudvalget".
            if names.is_empty() {
                if let Some((n, line)) = lines.iter().find_map(|l| {
                    let c = header::PAGE_HEADER.captures(&l.text)?;
                    let rest = PAGE_SUFFIX.replace(c[2].trim(), "");
                    let rest = rest.trim();
                    (!rest.is_empty() && rest.split_whitespace().count() <= 6)
                        .then(|| (rest.to_string(), l.no))
                }) {
                    names.push((n, line));
                }
            }
            if names.is_empty() {
                if let Some((n, line)) = lines.iter().enumerate().find_map(|(i, l)| {
                    (!noise[i])
                        .then(|| NAMED_MEETING.captures(&l.text))
                        .flatten()
                        .map(|c| (c[1].to_string(), l.no))
                }) {
                    names.push((n, line));
                }
            }
            let known = names.iter().find_map(|(n, _)| {
                options
                    .bodies
                    .iter()
                    .find(|kb| kb.matches(n))
                    .map(|kb| kb.slug.clone())
            });
            match (known, names.first()) {
                (Some(k), _) => Some(k),
                (None, Some((name, line))) => {
                    let slug = crate::slug::slugify(name);
                    warnings.push(Warning {
                        line: *line,
                        message: format!(
                            "the body \"{name}\" named here is not in data/bodies.toml; it is added there as `{slug}`"
                        ),
                    });
                    new_body = Some((slug.clone(), name.clone()));
                    Some(slug)
                }
                (None, None) => None,
            }
        }
    };

    let mut missing = Vec::new();
    if items.is_empty() {
        missing.push(format!(
            "the items (punkter): no line like `1. Title`, `Punkt 1`, `Pkt. 1 Title` or `• 1. Title` in lines 1–{last_line}"
        ));
    }
    if date.is_none() {
        missing.push(format!(
            "the date of the meeting: no date in the header (lines 1–{header_end}) nor in the text (lines 1–{last_line})"
        ));
    }
    if slug.is_none() {
        missing.push(format!(
            "the body (udvalg): no committee named in the header (lines 1–{header_end}); give it with --body SLUG"
        ));
    }
    if !missing.is_empty() {
        return Err(ImportError {
            line: 1,
            message: format!("could not find {}", missing.join("; ")),
        });
    }
    let (Some(date), Some(body)) = (date, slug) else {
        unreachable!("checked above");
    };

    // Text of the header that is not a fact of the meeting is kept: it goes
    // to the introduction of the first open item.
    if !unplaced.is_empty() {
        let first_open = items.iter().position(|it| !it.closed);
        let mut kept = Vec::new();
        for l in &unplaced {
            let to = first_open.map_or("a warning only (every item is closed)".to_string(), |k| {
                format!("the introduction of item {}", items[k].number)
            });
            warnings.push(Warning {
                line: l.no,
                message: format!(
                    "text before the first item could not be placed and is kept in {to}: \"{}\"",
                    l.text
                ),
            });
            kept.push(Block::Para {
                text: l.text.clone(),
                line: l.no,
                lines: 1,
            });
        }
        if let Some(k) = first_open {
            kept.append(&mut items[k].intro);
            items[k].intro = kept;
        }
    }

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

    let mut facts = meta.facts.clone();
    if facts.case_numbers.is_empty() {
        for it in &items {
            if let Some(c) = &it.case {
                if !facts.case_numbers.contains(c) {
                    facts.case_numbers.push(c.clone());
                }
            }
        }
    }
    facts.source = options.source.clone();

    let mut markdown = write::front_matter(&write::Front {
        body: &body,
        date: &date,
        kind,
        facts: &facts,
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
        body,
        new_body,
    })
}
