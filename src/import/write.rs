//! Writing the meeting file: TOML front matter and Markdown items.

use super::blocks::Block;
use super::items::Item;
use crate::content::MeetingFacts;
use regex::Regex;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// A TOML basic string, escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_array(key: &str, values: &[String]) -> String {
    if values.len() <= 1 {
        let inner: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
        return format!("{key} = [{}]\n", inner.join(", "));
    }
    let mut s = format!("{key} = [\n");
    for v in values {
        let _ = writeln!(s, "    {},", toml_string(v));
    }
    s.push_str("]\n");
    s
}

/// The meeting facts as written to the front matter.
pub struct Front<'a> {
    pub body: &'a str,
    pub date: &'a str,
    pub kind: &'a str,
    pub facts: &'a MeetingFacts,
}

pub fn front_matter(f: &Front) -> String {
    let mut s = String::from("+++\n");
    let _ = writeln!(s, "body = {}", toml_string(f.body));
    let _ = writeln!(s, "date = {}", f.date);
    let _ = writeln!(s, "kind = {}", toml_string(f.kind));
    let m = f.facts;
    for (key, v) in [
        ("start", &m.start),
        ("end", &m.end),
        ("location", &m.location),
    ] {
        if let Some(v) = v {
            let _ = writeln!(s, "{key} = {}", toml_string(v));
        }
    }
    for (key, v) in [
        ("present", &m.present),
        ("absent", &m.absent),
        ("others", &m.others),
    ] {
        if !v.is_empty() {
            s.push_str(&toml_array(key, v));
        }
    }
    if let Some(v) = &m.minute_taker {
        let _ = writeln!(s, "minute_taker = {}", toml_string(v));
    }
    if !m.case_numbers.is_empty() {
        s.push_str(&toml_array("case_numbers", &m.case_numbers));
    }
    if let Some(src) = &m.source {
        let _ = writeln!(s, "source = {}", toml_string(src));
    }
    s.push_str("+++\n");
    s
}

static ORDERED_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,9})([.)])(\s|$)").unwrap());
static TAG_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<([A-Za-z/!?])").unwrap());
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-=_*\s]+$").unwrap());

/// Escapes text so that it stays a paragraph (or list item text) in
/// Markdown: no accidental headings, lists, quotes or raw HTML.
pub fn escape_text(text: &str) -> String {
    let text = text.replace('\t', " ");
    let text = TAG_START.replace_all(&text, "\\<$1").into_owned();
    if let Some(c) = ORDERED_START.captures(&text) {
        let n = c[1].len();
        return format!("{}\\{}", &text[..n], &text[n..]);
    }
    if RULE.is_match(&text)
        || text.starts_with(['#', '>', '='])
        || text.starts_with("- ")
        || text.starts_with("+ ")
        || text.starts_with("* ")
        || text == "-"
        || text == "+"
    {
        return format!("\\{text}");
    }
    text
}

fn escape_cell(text: &str) -> String {
    TAG_START
        .replace_all(&text.replace('\t', " "), "\\<$1")
        .replace('|', "\\|")
}

/// Writes blocks separated by blank lines; list items of one list by newlines.
pub fn blocks(out: &mut String, blocks: &[Block]) {
    let mut prev_item = false;
    // Marker widths of the open list levels.
    let mut widths: Vec<usize> = Vec::new();
    for b in blocks {
        let is_item = matches!(b, Block::Item { .. });
        let same_list = is_item && prev_item;
        if !(out.is_empty() || out.ends_with("\n\n") || same_list) {
            out.push('\n');
        }
        match b {
            Block::Para { text, .. } => {
                out.push_str(&escape_text(text));
                out.push('\n');
            }
            Block::Heading { text, .. } => {
                let _ = writeln!(out, "#### {}", escape_text(text).trim_start_matches('\\'));
            }
            Block::Item {
                level,
                number,
                text,
                ..
            } => {
                if !prev_item {
                    widths.clear();
                }
                let level = (*level).min(widths.len());
                widths.truncate(level);
                let indent: usize = widths.iter().sum();
                let marker = match number {
                    Some(n) => format!("{n}. "),
                    None => "- ".to_string(),
                };
                widths.push(marker.len());
                let _ = writeln!(out, "{}{}{}", " ".repeat(indent), marker, escape_text(text));
            }
            Block::Table { rows, .. } => {
                let cols = rows.iter().map(|r| r.len()).max().unwrap_or(1);
                for (k, row) in rows.iter().enumerate() {
                    let cells: Vec<String> = (0..cols)
                        .map(|c| row.get(c).map_or(String::new(), |s| escape_cell(s)))
                        .collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                    if k == 0 {
                        let _ = writeln!(out, "|{}", " --- |".repeat(cols));
                    }
                }
            }
            Block::Quote { blocks: inner } => {
                let mut q = String::new();
                self::blocks(&mut q, inner);
                for line in q.trim_end().lines() {
                    if line.is_empty() {
                        out.push_str(">\n");
                    } else {
                        let _ = writeln!(out, "> {line}");
                    }
                }
            }
        }
        prev_item = is_item;
    }
}

/// Writes one item with its small front matter block and sections.
pub fn item(out: &mut String, it: &Item, topics: &[String]) {
    if it.closed {
        // Nothing of a closed item but its number reaches the file.
        let _ = write!(
            out,
            "## {}. Lukket punkt\n\n+++\nclosed = true\n+++\n",
            it.number
        );
        return;
    }
    let _ = writeln!(
        out,
        "## {}. {}",
        it.number,
        TAG_START.replace_all(&it.title, "\\<$1")
    );
    let mut keys = String::new();
    if let Some(c) = &it.case {
        let _ = writeln!(keys, "case = {}", toml_string(c));
    }
    if !topics.is_empty() {
        let inner: Vec<String> = topics.iter().map(|t| toml_string(t)).collect();
        let _ = writeln!(keys, "topics = [{}]", inner.join(", "));
    }
    if it.closed {
        keys.push_str("closed = true\n");
    }
    if !keys.is_empty() {
        let _ = write!(out, "\n+++\n{keys}+++\n");
    }
    if !it.intro.is_empty() {
        out.push('\n');
        let mut s = String::new();
        blocks(&mut s, &it.intro);
        out.push_str(&s);
    }
    for (sec, b) in &it.sections {
        let _ = write!(out, "\n### {}\n", sec.heading());
        if !b.is_empty() {
            out.push('\n');
            let mut s = String::new();
            blocks(&mut s, b);
            out.push_str(&s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_syntax() {
        assert_eq!(escape_text("14. maj 2024 blev"), "14\\. maj 2024 blev");
        assert_eq!(escape_text("- ikke en liste"), "\\- ikke en liste");
        assert_eq!(escape_text("a <b>fed</b>"), "a \\<b>fed\\</b>");
        assert_eq!(
            escape_text("*Udviklingsstrategi* er"),
            "*Udviklingsstrategi* er"
        );
        assert_eq!(escape_text("1 < 2"), "1 < 2");
    }

    #[test]
    fn nested_lists_and_tables() {
        let b = vec![
            Block::Item {
                level: 0,
                number: Some(1),
                text: "En".into(),
                line: 1,
            },
            Block::Item {
                level: 1,
                number: None,
                text: "a".into(),
                line: 2,
            },
            Block::Item {
                level: 0,
                number: Some(2),
                text: "To".into(),
                line: 3,
            },
            Block::Table {
                rows: vec![vec!["A".into(), "B|C".into()], vec!["1".into()]],
                line: 4,
            },
            Block::Quote {
                blocks: vec![Block::Para {
                    text: "Citat".into(),
                    line: 5,
                    lines: 1,
                }],
            },
        ];
        let mut s = String::new();
        blocks(&mut s, &b);
        assert_eq!(
            s,
            "1. En\n   - a\n2. To\n\n| A | B\\|C |\n| --- | --- |\n| 1 |  |\n\n> Citat\n"
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        let parsed: toml::Value =
            toml::from_str(&format!("x = {}", toml_string("a \"b\" \\ c"))).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("a \"b\" \\ c"));
    }
}
