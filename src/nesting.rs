//! Depth limits for nested text.
//!
//! Text extracted from PDF files can hold thousands of `>` or list markers
//! on one line, and hand-written HTML can nest elements without end. Later
//! stages (the HTML minifier, the sanitizer's tree) walk the element tree
//! and would exhaust the stack, so rendered Markdown never nests elements
//! deeper than [`MAX_DEPTH`]: the elements below that level are left out and
//! their text is kept, in the same order ("flattened"). [`warnings`] names
//! the file and line where a meeting's text goes deeper.

use crate::content::Content;
use crate::diagnostic::{line_column, Diagnostic};
use pulldown_cmark::{Event, Options, Parser};
use std::borrow::Cow;

/// The deepest nesting of elements rendered Markdown keeps: quotes, lists,
/// emphasis, links and HTML elements together.
pub const MAX_DEPTH: usize = 32;

/// Elements without content or end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements inside running text: left out without a space in their place.
const INLINE: [&str; 18] = [
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup",
];

/// One tag found in HTML.
struct Tag<'a> {
    /// The tag's name, in the case written.
    name: &'a str,
    closing: bool,
    /// A void element or one written `<x/>`: it opens no level.
    empty: bool,
    /// Where the tag ends (after its `>`).
    end: usize,
}

/// Reads the tag starting at `at` (a `<`), or `None` when it is no tag.
fn tag_at(html: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &html[name_start..i];
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                let self_closing = i > 0 && bytes[i - 1] == b'/';
                let empty = self_closing || VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
                return Some(Tag {
                    name,
                    closing,
                    empty,
                    end: i + 1,
                });
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// `html` with every element nested deeper than `max` left out, its
/// content kept. Runs in time linear in the length of `html` and needs no
/// stack of its own beyond the list of open elements.
pub fn flatten_html(html: &str, max: usize) -> Cow<'_, str> {
    // Fewer tags than levels cannot go too deep.
    if html.bytes().filter(|&b| b == b'<').count() <= max {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    // The open elements: name and whether it was kept.
    let mut open: Vec<(&str, bool)> = Vec::new();
    let mut dropped = false;
    let mut copied = 0;
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        let Some(tag) = tag_at(html, at) else {
            i = at + 1;
            continue;
        };
        let keep = if tag.empty {
            true
        } else if !tag.closing {
            let keep = open.len() < max;
            open.push((tag.name, keep));
            keep
        } else {
            match open
                .iter()
                .rposition(|(n, _)| n.eq_ignore_ascii_case(tag.name))
            {
                Some(pos) => {
                    // Elements left open inside are closed here too.
                    let keep = open[pos].1;
                    open.truncate(pos);
                    keep
                }
                None => open.len() < max,
            }
        };
        if !keep {
            out.push_str(&html[copied..at]);
            if tag.closing && !INLINE.iter().any(|n| n.eq_ignore_ascii_case(tag.name)) {
                out.push(' ');
            }
            copied = tag.end;
            dropped = true;
        }
        i = tag.end;
    }
    if !dropped {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// How deep the elements of HTML nest at the end of `html`, starting at
/// `depth`; `deepest` is raised to the deepest level reached.
fn html_depth(html: &str, mut depth: usize, deepest: &mut usize) -> usize {
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        match tag_at(html, at) {
            Some(tag) => {
                if !tag.empty {
                    if tag.closing {
                        depth = depth.saturating_sub(1);
                    } else {
                        depth += 1;
                        *deepest = (*deepest).max(depth);
                    }
                }
                i = tag.end;
            }
            None => i = at + 1,
        }
    }
    depth
}

/// The deepest nesting of elements `markdown` renders to, and the byte
/// offset where it first goes deeper than `max` (if it does).
pub fn deepest(markdown: &str, max: usize) -> (usize, Option<usize>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut depth = 0usize;
    let mut html = 0usize;
    let mut deepest = 0usize;
    let mut first = None;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                let mut reached = 0;
                html = html_depth(&h, html, &mut reached);
                deepest = deepest.max(depth + reached);
                if first.is_none() && depth + reached > max {
                    first = Some(range.start);
                }
            }
            _ => {}
        }
        deepest = deepest.max(depth + html);
        if first.is_none() && depth + html > max {
            first = Some(range.start);
        }
    }
    (deepest, first)
}

/// A cheap upper bound of how deep a text can nest: every `<`, and on its
/// deepest line every character that can open a level, and its indent.
fn may_nest_deeper_than(text: &str, max: usize) -> bool {
    // One look at a table per byte (this runs over every text of the
    // archive at every build).
    const MARKERS: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        while i < 9 {
            t[b"*_-+>[.)~"[i] as usize] = true;
            i += 1;
        }
        t
    };
    let mut tags = 0;
    let mut line_bound = 0;
    for line in text.lines() {
        let mut markers = 0;
        for &b in line.as_bytes() {
            tags += usize::from(b == b'<');
            markers += usize::from(MARKERS[b as usize]);
        }
        let indent = line.len() - line.trim_start().len();
        line_bound = line_bound.max(indent / 2 + markers + 1);
    }
    tags + line_bound > max
}

/// A warning for each meeting whose text nests deeper than [`MAX_DEPTH`],
/// naming the file and the line where it does.
pub fn warnings(content: &Content) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    content
        .meetings
        .par_iter()
        .filter_map(|m| {
            let mut pieces = std::iter::once(&m.intro).chain(m.items.iter().flat_map(|it| {
                std::iter::once(&it.intro).chain(it.sections.iter().map(|s| &s.markdown))
            }));
            if !pieces.any(|p| may_nest_deeper_than(p, MAX_DEPTH)) {
                return None;
            }
            let text = std::fs::read_to_string(content.root.join(&m.path)).ok()?;
            warning(&m.path, &text)
        })
        .collect()
}

/// The warning for one meeting file's text, if it nests too deep.
pub fn warning(path: &std::path::Path, text: &str) -> Option<Diagnostic> {
    // The body starts after the front matter's closing `+++`.
    let body = text
        .match_indices("\n+++")
        .next()
        .map_or(0, |(at, _)| at + 4);
    let (deepest, first) = deepest(&text[body..], MAX_DEPTH);
    let at = body + first?;
    let (line, _) = line_column(text, at);
    Some(
        Diagnostic::new(
            path,
            format!(
                "the text nests {deepest} levels deep (quotes, lists, emphasis, links or HTML elements); \
                 levels below {MAX_DEPTH} are shown flat"
            ),
        )
        .at_line(text, line, 0),
    )
}

/// A warning as printed: `warning: FILE:LINE: message`.
pub fn show(d: &Diagnostic) -> String {
    format!(
        "warning: {}:{}: {}",
        d.path.to_string_lossy().replace('\\', "/"),
        d.line,
        d.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_elements_are_left_out_and_their_text_kept() {
        let html = format!(
            "{}x{}",
            "<blockquote>".repeat(50),
            "</blockquote>".repeat(50)
        );
        let flat = flatten_html(&html, 3);
        assert_eq!(
            flat,
            format!(
                "<blockquote><blockquote><blockquote>x{}</blockquote></blockquote></blockquote>",
                " ".repeat(47)
            )
        );
        // Shallow HTML, void elements and attributes with `>` stay as they are.
        let html = "<p a=\"x>y\"><img src=\"a\"><br/>t</p>";
        assert_eq!(flatten_html(html, 1), html);
        let mut reached = 0;
        assert_eq!(html_depth("<a><b></b>", 0, &mut reached), 1);
        assert_eq!(reached, 2);
    }

    #[test]
    fn a_deep_line_is_found_with_its_line() {
        let text = format!(
            "+++\nbody = \"x\"\n+++\n\n## 1. Punkt\n\n{} dybt\n",
            "> ".repeat(40)
        );
        let d = warning(std::path::Path::new("content/a.md"), &text).unwrap();
        assert_eq!(d.line, 7, "{d:?}");
        assert!(d.message.contains("41 levels"), "{}", d.message);
        assert!(warning(std::path::Path::new("a"), "+++\n+++\n> a\n").is_none());
        assert!(!may_nest_deeper_than("> a\n- b\n", MAX_DEPTH));
    }
}
