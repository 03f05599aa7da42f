//! Parsing one meeting file: the `+++` front matter, then items (`## 4. Title`),
//! each with an optional `+++` block and sections (`### Beslutning`).

use crate::diagnostic::{line_column, Diagnostic};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Agenda or minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Dagsorden: the items before the meeting, without decisions.
    Dagsorden,
    /// Referat: the minutes, with decisions.
    Referat,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_lowercase().as_str() {
            "dagsorden" | "agenda" => Some(Kind::Dagsorden),
            "referat" | "minutes" => Some(Kind::Referat),
            _ => None,
        }
    }

    /// The word used in addresses.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Dagsorden => "dagsorden",
            Kind::Referat => "referat",
        }
    }
}

/// The sections of an item, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Summary,
    Background,
    Presentation,
    Recommendation,
    Attachments,
    Decision,
}

impl SectionKind {
    pub const ALL: [SectionKind; 6] = [
        SectionKind::Summary,
        SectionKind::Background,
        SectionKind::Presentation,
        SectionKind::Recommendation,
        SectionKind::Attachments,
        SectionKind::Decision,
    ];

    /// Recognises a section heading in Danish or English, in any case, with
    /// or without accents and a trailing colon.
    pub fn from_heading(heading: &str) -> Option<SectionKind> {
        let folded: String = heading
            .trim()
            .trim_end_matches(':')
            .trim()
            .to_lowercase()
            .replace('é', "e");
        match folded.as_str() {
            "resume" | "summary" => Some(SectionKind::Summary),
            "baggrund" | "background" => Some(SectionKind::Background),
            "sagsfremstilling" | "case presentation" | "presentation" => {
                Some(SectionKind::Presentation)
            }
            "indstilling" | "recommendation" => Some(SectionKind::Recommendation),
            "bilag" | "attachments" => Some(SectionKind::Attachments),
            "beslutning" | "decision" => Some(SectionKind::Decision),
            _ => None,
        }
    }

    /// The name used in anchors and data: `punkt-4-beslutning`.
    pub fn slug(self) -> &'static str {
        match self {
            SectionKind::Summary => "resume",
            SectionKind::Background => "baggrund",
            SectionKind::Presentation => "sagsfremstilling",
            SectionKind::Recommendation => "indstilling",
            SectionKind::Attachments => "bilag",
            SectionKind::Decision => "beslutning",
        }
    }
}

const SECTION_NAMES: &str =
    "Resumé, Baggrund, Sagsfremstilling, Indstilling, Bilag or Beslutning (or their English names)";

/// A position in a file, for messages that come after parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    body: Spanned<String>,
    date: Spanned<toml::Value>,
    kind: Spanned<String>,
    #[serde(default)]
    start: Option<Spanned<String>>,
    #[serde(default)]
    end: Option<Spanned<String>>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    others: Vec<String>,
    #[serde(default)]
    minute_taker: Option<String>,
    #[serde(default)]
    case_numbers: Vec<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default = "yes")]
    public: bool,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ItemFront {
    #[serde(default, alias = "sagsnr")]
    case: Option<String>,
    #[serde(default, alias = "emner")]
    topics: Vec<Spanned<String>>,
    #[serde(default, alias = "ikke_emner")]
    not_topics: Vec<Spanned<String>>,
    #[serde(default, alias = "lukket")]
    closed: bool,
    #[serde(default, alias = "offentlig")]
    public: Option<bool>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default, alias = "udfald")]
    outcome: Option<Spanned<String>>,
}

/// What a meeting file says of its meeting besides its body, date, kind and
/// title: carried whole from the front matter to the model, the pages, the
/// open data, and written by the importer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MeetingFacts {
    /// `HH:MM`
    pub start: Option<String>,
    pub end: Option<String>,
    pub location: Option<String>,
    pub present: Vec<String>,
    pub absent: Vec<String>,
    pub others: Vec<String>,
    pub minute_taker: Option<String>,
    pub case_numbers: Vec<String>,
    /// Where the published original is.
    pub source: Option<String>,
}

/// A meeting as written in its file, checked for form but not yet against
/// the rest of the archive.
#[derive(Debug, Clone)]
pub struct MeetingSource {
    /// The file, relative to the archive root.
    pub path: PathBuf,
    pub body: String,
    pub body_pos: Pos,
    pub date: NaiveDate,
    pub date_pos: Pos,
    pub kind: Kind,
    pub facts: MeetingFacts,
    pub title: Option<String>,
    pub public: bool,
    /// Old addresses that lead here, normalised (see [`alias_path`]).
    pub aliases: Vec<(String, Pos)>,
    /// Markdown between the front matter and the first item.
    pub intro: String,
    pub items: Vec<ItemSource>,
}

/// An item as written in its meeting file.
#[derive(Debug, Clone)]
pub struct ItemSource {
    pub number: u32,
    pub title: String,
    pub pos: Pos,
    pub case: Option<String>,
    /// Topic slugs with their positions, as written.
    pub topics: Vec<(String, Pos)>,
    pub not_topics: Vec<(String, Pos)>,
    pub closed: bool,
    /// Old addresses that lead to this item, normalised (see [`alias_path`]).
    pub aliases: Vec<(String, Pos)>,
    /// The group heading (`# Sager til behandling`) the item stands under.
    pub group: Option<String>,
    /// The outcome set by hand (`udfald`), instead of the one read from the text.
    pub outcome: Option<super::Outcome>,
    /// Markdown before the first section.
    pub intro: String,
    pub sections: Vec<SectionSource>,
}

#[derive(Debug, Clone)]
pub struct SectionSource {
    pub kind: SectionKind,
    pub markdown: String,
    pub pos: Pos,
}

/// Parses a meeting file. `path` is used in messages only.
pub fn parse(path: &Path, text: &str) -> Result<MeetingSource, Diagnostic> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let lines = split_lines(text, text_start);
    let err_at = |line: usize, col: usize, msg: String| -> Diagnostic {
        Diagnostic::new(path, msg).at_line(text, line, col)
    };

    // Front matter.
    let first = lines.first();
    if first.map(|l| l.content.trim_end()) != Some("+++") {
        return Err(err_at(
            1,
            1,
            "the file does not start with the meeting's front matter".into(),
        )
        .expected("a first line +++, then the meeting's keys (body, date, kind …), then +++"));
    }
    let close = lines[1..]
        .iter()
        .position(|l| l.content.trim_end() == "+++")
        .map(|i| i + 1)
        .ok_or_else(|| {
            err_at(1, 1, "the front matter is not closed".into())
                .expected("a line +++ after the meeting's keys")
        })?;
    let fm_start = lines[1].start;
    let fm_end = lines[close].start;
    let front: FrontMatter =
        crate::toml_file::parse(path, text, &text[fm_start..fm_end], fm_start, "the meeting")?;

    let pos_of = |span: std::ops::Range<usize>| -> Pos {
        let (line, column) = line_column(text, fm_start + span.start);
        Pos { line, column }
    };
    let at_span = |span: std::ops::Range<usize>, msg: String| -> Diagnostic {
        Diagnostic::new(path, msg).at_offset(text, fm_start + span.start)
    };

    let date = parse_date(front.date.get_ref()).ok_or_else(|| {
        at_span(
            front.date.span(),
            format!("{} is not a date", show_value(front.date.get_ref())),
        )
        .expected("the meeting day as YYYY-MM-DD, e.g. date = 2024-05-27")
    })?;
    let kind = Kind::parse(front.kind.get_ref()).ok_or_else(|| {
        at_span(
            front.kind.span(),
            format!("unknown kind of document \"{}\"", front.kind.get_ref()),
        )
        .expected("kind = \"referat\" (minutes) or kind = \"dagsorden\" (agenda)")
    })?;
    let mut times = [None, None];
    for (slot, value) in times.iter_mut().zip([&front.start, &front.end]) {
        if let Some(v) = value {
            *slot = Some(parse_time(v.get_ref()).ok_or_else(|| {
                at_span(
                    v.span(),
                    format!("\"{}\" is not a time of day", v.get_ref()),
                )
                .expected("a time as \"HH:MM\", e.g. \"13:00\"")
            })?);
        }
    }
    let [start, end] = times;
    let body_pos = pos_of(front.body.span());
    let date_pos = pos_of(front.date.span());
    let mut aliases = Vec::with_capacity(front.aliases.len());
    for a in front.aliases {
        let normal = alias_path(a.get_ref()).map_err(|why| {
            at_span(a.span(), format!("\"{}\" {why}", a.get_ref())).expected(ALIAS_EXPECTED)
        })?;
        aliases.push((normal, pos_of(a.span())));
    }

    let mut meeting = MeetingSource {
        path: path.to_path_buf(),
        body: front.body.into_inner(),
        body_pos,
        date,
        date_pos,
        kind,
        facts: MeetingFacts {
            start,
            end,
            location: front.location,
            present: front.present,
            absent: front.absent,
            others: front.others,
            minute_taker: front.minute_taker,
            case_numbers: front.case_numbers,
            source: front.source,
        },
        title: front.title,
        public: front.public,
        aliases,
        intro: String::new(),
        items: Vec::new(),
    };

    // The items.
    let mut group: Option<String> = None;
    let mut fence: Option<(char, usize)> = None;
    let mut in_group_heading = false;
    let mut numbers: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut i = close + 1;
    while i < lines.len() {
        let line = &lines[i];
        let content = line.content;
        if let Some(f) = fence {
            if closes_fence(content, f) {
                fence = None;
            }
            push_line(&mut meeting, content);
            i += 1;
            continue;
        }
        if let Some(f) = opens_fence(content) {
            fence = Some(f);
            push_line(&mut meeting, content);
            i += 1;
            continue;
        }
        match heading(content) {
            Some((1, group_text)) => {
                group = Some(group_text.to_string()).filter(|g| !g.is_empty());
                in_group_heading = true;
            }
            Some((2, heading_text)) => {
                in_group_heading = false;
                let (number, title) = parse_item_heading(heading_text).ok_or_else(|| {
                    err_at(
                        line.number,
                        1,
                        format!("\"{}\" is not an item heading", content.trim()),
                    )
                    .expected(
                        "an item heading such as \"## 4. Årsrapport fra Socialtilsyn Nord 2023\"",
                    )
                })?;
                if title.is_empty() {
                    return Err(err_at(line.number, 1, format!("item {number} has no title"))
                        .expected("the item's title after its number, e.g. \"## 4. Godkendelse af dagsorden\""));
                }
                // A map, not a search of the items: a file may hold many.
                if let Some(prev_line) = numbers.insert(number, line.number) {
                    return Err(err_at(
                        line.number,
                        1,
                        format!("item number {number} is used twice in this meeting"),
                    )
                    .expected(format!(
                        "every item in a meeting has its own number (the first item {number} is at line {prev_line})"
                    )));
                }
                let mut item = ItemSource {
                    number,
                    title: title.to_string(),
                    pos: Pos {
                        line: line.number,
                        column: 1,
                    },
                    case: None,
                    topics: Vec::new(),
                    not_topics: Vec::new(),
                    closed: false,
                    aliases: Vec::new(),
                    group: group.clone(),
                    outcome: None,
                    intro: String::new(),
                    sections: Vec::new(),
                };
                // An optional +++ block right after the heading.
                let mut j = i + 1;
                while j < lines.len() && lines[j].content.trim().is_empty() {
                    j += 1;
                }
                if j < lines.len() && lines[j].content.trim_end() == "+++" {
                    let open = j;
                    let close = lines[open + 1..]
                        .iter()
                        .position(|l| l.content.trim_end() == "+++")
                        .map(|k| k + open + 1)
                        .ok_or_else(|| {
                            err_at(
                                lines[open].number,
                                1,
                                format!("the key block of item {number} is not closed"),
                            )
                            .expected("a line +++ after the item's keys")
                        })?;
                    let start = lines[open].end;
                    let end = lines[close].start;
                    let what = format!("item {number}");
                    let front: ItemFront = crate::toml_file::parse(
                        path,
                        text,
                        &text[start.min(end)..end],
                        start.min(end),
                        &what,
                    )?;
                    let spanned = |v: Vec<Spanned<String>>| -> Vec<(String, Pos)> {
                        v.into_iter()
                            .map(|s| {
                                let (line, column) = line_column(text, start + s.span().start);
                                (s.into_inner(), Pos { line, column })
                            })
                            .collect()
                    };
                    item.case = front
                        .case
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty());
                    item.topics = spanned(front.topics);
                    item.not_topics = spanned(front.not_topics);
                    item.closed = front.closed || front.public == Some(false);
                    for a in front.aliases {
                        let normal = alias_path(a.get_ref()).map_err(|why| {
                            Diagnostic::new(path, format!("\"{}\" {why}", a.get_ref()))
                                .at_offset(text, start + a.span().start)
                                .expected(ALIAS_EXPECTED)
                        })?;
                        let (line, column) = line_column(text, start + a.span().start);
                        item.aliases.push((normal, Pos { line, column }));
                    }
                    if let Some(o) = front.outcome {
                        let value = super::Outcome::parse(o.get_ref()).ok_or_else(|| {
                            Diagnostic::new(
                                path,
                                format!("unknown outcome \"{}\" of item {number}", o.get_ref()),
                            )
                            .at_offset(text, start + o.span().start)
                            .expected(OUTCOME_EXPECTED)
                        })?;
                        item.outcome = Some(value);
                    }
                    i = close;
                }
                meeting.items.push(item);
            }
            Some((3, heading_text)) => {
                let kind = SectionKind::from_heading(heading_text).ok_or_else(|| {
                    err_at(
                        line.number,
                        1,
                        format!("\"{}\" is not a section of an item", heading_text.trim()),
                    )
                    .expected(format!(
                        "a section heading {SECTION_NAMES}; use #### for a sub-heading inside a section"
                    ))
                })?;
                let Some(item) = meeting.items.last_mut().filter(|_| !in_group_heading) else {
                    return Err(err_at(
                        line.number,
                        1,
                        format!("the section \"{}\" comes before the first item", heading_text.trim()),
                    )
                    .expected("an item heading such as \"## 1. Godkendelse af dagsorden\" before its sections"));
                };
                if let Some(prev) = item.sections.iter().find(|s| s.kind == kind) {
                    return Err(err_at(
                        line.number,
                        1,
                        format!(
                            "item {} has the section \"{}\" twice",
                            item.number,
                            heading_text.trim()
                        ),
                    )
                    .expected(format!(
                        "each section once per item (the first is at line {})",
                        prev.pos.line
                    )));
                }
                item.sections.push(SectionSource {
                    kind,
                    markdown: String::new(),
                    pos: Pos {
                        line: line.number,
                        column: 1,
                    },
                });
            }
            _ => {
                if in_group_heading && !content.trim().is_empty() {
                    return Err(err_at(
                        line.number,
                        1,
                        "text between a group heading and the group's first item".into(),
                    )
                    .expected(
                        "an item heading such as \"## 3. Title\" right after a group heading (# …)",
                    ));
                }
                push_line(&mut meeting, content);
            }
        }
        i += 1;
    }
    for item in &mut meeting.items {
        item.intro = tidy(&item.intro);
        for s in &mut item.sections {
            s.markdown = tidy(&s.markdown);
        }
    }
    meeting.intro = tidy(&meeting.intro);
    Ok(meeting)
}

const OUTCOME_EXPECTED: &str = "udfald = one of \"approved\", \"approved_amended\", \"noted\", \"discussed\", \"postponed\", \"rejected\", \"none\" (or in Danish: \"vedtaget\", \"vedtaget med ændringer\", \"taget til efterretning\", \"drøftet\", \"udsat\", \"forkastet\", \"intet\")";

const ALIAS_EXPECTED: &str = "an old address of the site without the host, e.g. aliases = [\"das-social/2024-05-26-referat/\"] or [\"gamle-sider/moede-12.html\"]";

/// An old address as the site writes it: relative to the site's root, without
/// a leading `/`; a folder ends in `/` (its page is `index.html` inside), a
/// file keeps its name (`moede-12.html`).
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    let a = alias.trim().trim_start_matches('/');
    if alias.contains("://") || alias.trim().starts_with("//") {
        return Err("is a full address; an alias is a path on this site");
    }
    if a.is_empty() {
        return Err("is the home page; an alias must be another address");
    }
    if a.contains(['#', '?']) {
        return Err(
            "has a # or ?; an alias is a path, and item aliases lead to the item by themselves",
        );
    }
    if a.contains(|c: char| c.is_whitespace() || c == '\\' || c.is_control()) {
        return Err("has a space or backslash");
    }
    let segments: Vec<&str> = a.trim_end_matches('/').split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err("has an empty, . or .. part");
    }
    let last = segments[segments.len() - 1];
    if a.ends_with('/') || !last.contains('.') {
        Ok(format!("{}/", segments.join("/")))
    } else {
        Ok(a.to_string())
    }
}

fn push_line(meeting: &mut MeetingSource, line: &str) {
    let target = match meeting.items.last_mut() {
        None => &mut meeting.intro,
        Some(item) => match item.sections.last_mut() {
            Some(section) => &mut section.markdown,
            None => &mut item.intro,
        },
    };
    target.push_str(line);
    target.push('\n');
}

/// Trims blank lines at both ends and trailing spaces at the end.
fn tidy(markdown: &str) -> String {
    let trimmed = markdown.trim_matches('\n').trim_end();
    let start = trimmed.len() - trimmed.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    // Keep leading indentation of the first line (it may be code), drop leading blank lines.
    let first_nonblank = trimmed[..start].rfind('\n').map_or(0, |i| i + 1);
    // Sized for the newline: a string grown by one byte doubles its
    // capacity, and the texts of an archive would take twice their size.
    let text = &trimmed[first_nonblank..];
    let mut out = String::with_capacity(text.len() + 1);
    out.push_str(text);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

struct Line<'a> {
    /// 1-based line number.
    number: usize,
    /// Byte offset of the line's start.
    start: usize,
    /// Byte offset just past the line's end, including its newline.
    end: usize,
    /// The line without its line ending.
    content: &'a str,
}

fn split_lines(text: &str, from: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = from;
    let mut number = 1;
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let content = text[start..end]
            .trim_end_matches('\n')
            .trim_end_matches('\r');
        out.push(Line {
            number,
            start,
            end,
            content,
        });
        number += 1;
        start = end;
    }
    out
}

/// An ATX heading of level 1 to 6 outside code: `## Title` → (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = &rest[level..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    let text = after.trim();
    // A closing sequence of #s is not part of the heading.
    let text = match text.trim_end_matches('#') {
        t if t.ends_with(' ') || t.is_empty() => t.trim_end(),
        _ => text,
    };
    Some((level, text))
}

/// `4. Title`, `Punkt 4. Title`, `4 Title` → (4, "Title").
fn parse_item_heading(text: &str) -> Option<(u32, &str)> {
    let text = text.trim();
    let text = strip_prefix_ci(text, "punkt ")
        .or_else(|| strip_prefix_ci(text, "item "))
        .unwrap_or(text)
        .trim_start();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return None;
    }
    let number: u32 = text[..digits].parse().ok()?;
    let rest = &text[digits..];
    let rest = rest.strip_prefix(['.', ':']).unwrap_or(rest);
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(['–', '-'])
        .map(str::trim_start)
        .unwrap_or(rest);
    Some((number, rest.trim()))
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    for c in ['`', '~'] {
        let n = t.len() - t.trim_start_matches(c).len();
        if n >= 3 {
            return Some((c, n));
        }
    }
    None
}

fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.len() >= n && t.chars().all(|x| x == c)
}

fn parse_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::Datetime(dt) => {
            if dt.time.is_some() || dt.offset.is_some() {
                return None;
            }
            let d = dt.date?;
            NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn show_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// `13:00`, `13.00`, `9:5`? no: hours 0-23 and two-digit minutes.
fn parse_time(s: &str) -> Option<String> {
    let s = s.trim();
    let (h, m) = s.split_once([':', '.'])?;
    let h: u32 = h.parse().ok()?;
    if m.len() != 2 {
        return None;
    }
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++
body = \"das-social\"
date = 2024-05-27
kind = \"referat\"
start = \"12.00\"
present = [\"A\", \"B\"]
+++

Mødet blev holdt på Teams.

# Sager til behandling

## 1. Godkendelse af dagsorden

### Indstilling

Det indstilles, at DAS godkender dagsordenen.

### Beslutning:

Godkendt

## Punkt 4. Årsrapport fra Socialtilsyn Nord 2023

+++
sagsnr = \"2024-029219\"
emner = [\"socialtilsyn-nord\"]
+++

Indledning.

### Resumé

Tekst.

```md
### not a heading
```

#### Drøftelse

Mere.

### Bilag

- Årsrapport

## 10. Lukket punkt

+++
lukket = true
+++

Hemmeligt.
";

    fn parse_str(text: &str) -> Result<MeetingSource, Diagnostic> {
        parse(Path::new("content/m.md"), text)
    }

    #[test]
    fn parses_meeting_items_and_sections() {
        let m = parse_str(GOOD).unwrap();
        assert_eq!(m.body, "das-social");
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2024, 5, 27).unwrap());
        assert_eq!(m.kind, Kind::Referat);
        assert_eq!(m.facts.start.as_deref(), Some("12:00"));
        assert_eq!(m.intro, "Mødet blev holdt på Teams.\n");
        assert_eq!(m.items.len(), 3);
        let one = &m.items[0];
        assert_eq!(
            (one.number, one.title.as_str()),
            (1, "Godkendelse af dagsorden")
        );
        assert_eq!(one.group.as_deref(), Some("Sager til behandling"));
        assert_eq!(one.pos.line, 13);
        let kinds: Vec<_> = one.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![SectionKind::Recommendation, SectionKind::Decision]
        );
        assert_eq!(one.sections[1].markdown, "Godkendt\n");

        let four = &m.items[1];
        assert_eq!(four.number, 4);
        assert_eq!(four.case.as_deref(), Some("2024-029219"));
        assert_eq!(four.topics[0].0, "socialtilsyn-nord");
        assert_eq!(four.topics[0].1.line, 27);
        assert_eq!(four.intro, "Indledning.\n");
        assert!(four.sections[0].markdown.contains("### not a heading"));
        assert!(four.sections[0].markdown.contains("#### Drøftelse"));
        assert_eq!(four.sections[1].kind, SectionKind::Attachments);

        assert!(m.items[2].closed);
    }

    #[test]
    fn windows_line_endings_and_bom_are_accepted() {
        let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        let m = parse_str(&text).unwrap();
        assert_eq!(m.items.len(), 3);
        assert_eq!(m.items[0].sections[1].markdown.trim(), "Godkendt");
    }

    fn error(text: &str) -> Diagnostic {
        parse_str(text).unwrap_err()
    }

    #[test]
    fn missing_front_matter() {
        let e = error("## 1. Punkt\n");
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.expected.unwrap().contains("+++"));
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let e = error("+++\nbody = \"x\"\ndate = \"27-05-2024\"\nkind = \"referat\"\n+++\n");
        assert_eq!((e.line, e.column), (3, 8));
        assert!(e.message.contains("is not a date"));
        assert!(e.expected.unwrap().contains("YYYY-MM-DD"));
    }

    #[test]
    fn impossible_date_is_a_toml_error_with_position() {
        let e = error("+++\nbody = \"x\"\ndate = 2024-02-30\nkind = \"referat\"\n+++\n");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn unknown_kind() {
        let e = error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"protokol\"\n+++\n");
        assert_eq!((e.line, e.column), (4, 8));
        assert!(e.expected.unwrap().contains("referat"));
    }

    #[test]
    fn unknown_meeting_key() {
        let e =
            error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\nsted = \"x\"\n+++\n");
        assert_eq!((e.line, e.column), (5, 1));
        assert!(e.message.contains("unknown key `sted`"), "{}", e.message);
    }

    #[test]
    fn duplicate_item_number() {
        let e = error(
            "+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n\n## 1. B\n",
        );
        assert_eq!((e.line, e.column), (8, 1));
        assert!(e.message.contains("item number 1 is used twice"));
        assert!(e.expected.unwrap().contains("line 6"));
    }

    #[test]
    fn unknown_section_heading() {
        let e = error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n### Drøftelse\n");
        assert_eq!(e.line, 7);
        assert!(e.message.contains("\"Drøftelse\" is not a section"));
        assert!(e.expected.unwrap().contains("####"));
    }

    #[test]
    fn item_heading_without_number() {
        let e = error(
            "+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## Godkendelse\n",
        );
        assert_eq!(e.line, 6);
        assert!(e.message.contains("is not an item heading"));
    }

    #[test]
    fn bad_item_key_points_into_the_item_block() {
        let e = error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n\n+++\ncase = \"1\"\ntopic = [\"a\"]\n+++\n");
        assert_eq!((e.line, e.column), (10, 1));
        assert!(
            e.message.contains("unknown key `topic` in item 1"),
            "{}",
            e.message
        );
    }

    #[test]
    fn outcome_set_by_hand() {
        let m = parse_str("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n\n+++\nudfald = \"Vedtaget med ændringer\"\n+++\n")
            .unwrap();
        assert_eq!(
            m.items[0].outcome,
            Some(crate::content::Outcome::ApprovedAmended)
        );
        let e = error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n\n+++\ncase = \"1\"\nudfald = \"godkendt\"\n+++\n");
        assert_eq!((e.line, e.column), (10, 10));
        assert!(
            e.message.contains("unknown outcome \"godkendt\" of item 1"),
            "{}",
            e.message
        );
        assert!(e.expected.unwrap().contains("approved_amended"));
    }

    #[test]
    fn unclosed_blocks() {
        let e = error("+++\nbody = \"x\"\n");
        assert!(e.message.contains("not closed"));
        let e = error("+++\nbody = \"x\"\ndate = 2024-01-01\nkind = \"referat\"\n+++\n## 1. A\n+++\ncase = \"1\"\n");
        assert_eq!(e.line, 7);
    }

    #[test]
    fn item_heading_forms() {
        assert_eq!(parse_item_heading("4. Titel"), Some((4, "Titel")));
        assert_eq!(parse_item_heading("Punkt 12: Titel"), Some((12, "Titel")));
        assert_eq!(parse_item_heading("3 – Titel"), Some((3, "Titel")));
        assert_eq!(parse_item_heading("2024-plan"), None);
        assert_eq!(parse_item_heading("Titel"), None);
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("9.00").as_deref(), Some("09:00"));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("12:5"), None);
    }

    #[test]
    fn sections_in_any_language_and_case() {
        assert_eq!(
            SectionKind::from_heading("RESUMÉ:"),
            Some(SectionKind::Summary)
        );
        assert_eq!(
            SectionKind::from_heading("Decision"),
            Some(SectionKind::Decision)
        );
        assert_eq!(
            SectionKind::from_heading("Case presentation"),
            Some(SectionKind::Presentation)
        );
        assert_eq!(SectionKind::from_heading("Drøftelse"), None);
    }
}
