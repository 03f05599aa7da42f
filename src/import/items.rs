//! Splitting the document into its items (punkter), their group headings
//! and their sections.

use super::blocks::{self, Block, Ctx, Src};
use super::clean::{join_lines, Line};
use super::header::{self, Listed, PAGE_HEADER};
use super::layout::{Layout, PUNKT_HEADER};
use super::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// The sections of the content format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Resume,
    Background,
    Presentation,
    Recommendation,
    Attachments,
    Decision,
}

impl Section {
    pub fn heading(self) -> &'static str {
        match self {
            Section::Resume => "Resumé",
            Section::Background => "Baggrund",
            Section::Presentation => "Sagsfremstilling",
            Section::Recommendation => "Indstilling",
            Section::Attachments => "Bilag",
            Section::Decision => "Beslutning",
        }
    }
}

/// Recognises a section heading line. `referat_is_decision`: the document
/// calls its decisions "Referat" (older minutes).
pub fn section_of(text: &str, referat_is_decision: bool) -> Option<Section> {
    let t = text
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
        .replace('é', "e");
    match t.as_str() {
        "resume" | "summary" => Some(Section::Resume),
        "baggrund" | "background" => Some(Section::Background),
        "sagsfremstilling" | "case presentation" => Some(Section::Presentation),
        "indstilling" | "indstillinger" | "recommendation" => Some(Section::Recommendation),
        "bilag" | "attachments" => Some(Section::Attachments),
        "beslutning" | "decision" => Some(Section::Decision),
        "referat" if referat_is_decision => Some(Section::Decision),
        _ => None,
    }
}

/// One item as found in the document.
#[derive(Debug, Clone)]
pub struct Item {
    pub number: u32,
    pub title: String,
    pub case: Option<String>,
    pub closed: bool,
    pub group: Option<String>,
    pub line: usize,
    /// The introduction (text before the first section).
    pub intro: Vec<Block>,
    pub sections: Vec<(Section, Vec<Block>)>,
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,3})\.\s+(\S.*)$").unwrap());
static CASE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:sagsnr|sag nr|j\.\s?nr)\.?:?\s*)?(\d{4}-\d{3,7})$").unwrap()
});
/// A case number line ("2024-029219", "Sagsnr. 2014-185"), not a range of
/// years ("2021-2022") ending a wrapped title.
fn case_number(text: &str) -> Option<String> {
    let c = CASE_LINE.captures(text)?;
    let n = c[1].to_string();
    let (a, b) = n.split_once('-')?;
    if b.len() == 4 {
        let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
        if b > a && b <= a + 10 {
            return None;
        }
    }
    Some(n)
}

static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(sager?|punkter?|emner) til (behandling|beslutning|drøftelse|orientering|efterretning|forventet efterretning|godkendelse)\b.*|(orienterings|beslutnings|drøftelses|godkendelses)sager|meddelelser|afslutning|velkomst|indledning|lukkede (sager|punkter)|åbne (sager|punkter)|orienteringspunkter)$",
    )
    .unwrap()
});
static QUOTE_OPEN: &[char] = &['”', '“', '„', '"', '»', '«'];

/// Where the items are and what belongs to none of them.
pub struct Segments {
    /// Indices of the lines before the first item (the header), noise removed.
    pub preamble: Vec<usize>,
    pub items: Vec<Item>,
}

struct Start {
    number: u32,
    title: String,
    case: Option<String>,
    closed: bool,
    group: Option<String>,
    line: usize,
    /// First line of the item's header (group heading, page header …).
    header_start: usize,
    /// First line of the item's text.
    content_start: usize,
}

/// Marks the lines that are noise everywhere: page numbers, template
/// residue and the page headers of the meeting system.
fn mark_noise(lines: &[Line], layout: Layout, noise: &mut [bool]) {
    for (i, l) in lines.iter().enumerate() {
        let t = &l.text;
        if super::clean::is_page_number(t) || super::clean::is_template_residue(t) {
            noise[i] = true;
        }
        if layout == Layout::Punkt && PAGE_HEADER.is_match(t) {
            noise[i] = true;
            // The body's name on a line of its own after the date.
            let next = (i + 1..lines.len()).find(|&j| !lines[j].is_blank());
            if let Some(j) = next {
                let after = (j + 1..lines.len()).find(|&k| !lines[k].is_blank());
                let nt = &lines[j].text;
                let header_follows = after.is_some_and(|k| {
                    header::status_marker(&lines[k].text).is_some()
                        || PUNKT_HEADER.is_match(&lines[k].text)
                });
                if header_follows
                    && header::status_marker(nt).is_none()
                    && !PUNKT_HEADER.is_match(nt)
                    && nt.chars().count() <= 60
                    && !nt.ends_with('.')
                {
                    noise[j] = true;
                }
            }
        }
    }
}

/// Finds the quotations: a line opening with a quotation mark (and holding
/// no other) up to the next line that ends with one, within some pages.
fn mark_quotes(lines: &[Line], quoted: &mut [bool]) {
    let mut i = 0;
    while i < lines.len() {
        let t = &lines[i].text;
        let opens = t.starts_with(QUOTE_OPEN) && t.matches(QUOTE_OPEN).count() == 1;
        if opens {
            // The quotation may run for some pages, whatever the wrapping.
            let mut budget = 12_000usize;
            let end = (i + 1..lines.len())
                .take_while(|&j| {
                    budget = budget.saturating_sub(lines[j].text.chars().count() + 1);
                    budget > 0
                })
                .find(|&j| {
                    let u = lines[j].text.trim_end();
                    u.ends_with(QUOTE_OPEN) || u.ends_with("”.") || u.ends_with("\".")
                });
            if let Some(end) = end {
                for q in quoted.iter_mut().take(end + 1).skip(i) {
                    *q = true;
                }
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
}

fn next_nonblank(lines: &[Line], noise: &[bool], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].is_blank() && !noise[j])
}

fn prev_nonblank(lines: &[Line], noise: &[bool], before: usize) -> Option<usize> {
    (0..before)
        .rev()
        .find(|&j| !lines[j].is_blank() && !noise[j])
}

/// Reads the title (up to a blank line or a section heading) and an
/// optional case number after it; returns (title, case, content start).
fn read_title(
    lines: &[Line],
    noise: &[bool],
    first: &str,
    from: usize,
    referat_is_decision: bool,
) -> (String, Option<String>, usize) {
    let mut title = first.to_string();
    let mut j = from;
    if title.is_empty() {
        if let Some(k) = next_nonblank(lines, noise, j) {
            if case_number(&lines[k].text).is_some()
                || section_of(&lines[k].text, referat_is_decision).is_some()
            {
                j = k;
            } else {
                title = lines[k].text.clone();
                j = k + 1;
            }
        }
    }
    let mut count = 1;
    while j < lines.len() && !lines[j].is_blank() && !noise[j] && count < 6 {
        let t = &lines[j].text;
        if section_of(t, referat_is_decision).is_some() || case_number(t).is_some() {
            break;
        }
        title = join_lines(&title, t);
        j += 1;
        count += 1;
    }
    let mut case = None;
    if let Some(k) = next_nonblank(lines, noise, j) {
        if let Some(c) = case_number(&lines[k].text) {
            case = Some(c);
            j = k + 1;
        }
    }
    (
        super::clean::normalise_ws(&super::html::strip_tags(&title)),
        case,
        j,
    )
}

fn find_starts(
    lines: &[Line],
    layout: Layout,
    noise: &mut [bool],
    quoted: &[bool],
    listed: &[Listed],
    referat_is_decision: bool,
) -> Vec<Start> {
    let mut starts: Vec<Start> = Vec::new();
    let mut pending_closed: Option<bool> = None;
    let mut in_toc = false;
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text.clone();
        if header::is_toc_heading(&t) {
            in_toc = true;
        }
        if noise[i] || t.is_empty() {
            i += 1;
            continue;
        }
        match layout {
            Layout::Punkt => {
                if let Some(closed) = header::status_marker(&t) {
                    noise[i] = true;
                    if !in_toc {
                        pending_closed = Some(closed);
                    }
                    i += 1;
                    continue;
                }
                if let Some(c) = PUNKT_HEADER.captures(&t) {
                    in_toc = false;
                    let number: u32 = c[1].parse().unwrap_or(0);
                    noise[i] = true;
                    if starts.last().is_some_and(|s| s.number == number) {
                        // The page header repeated on a later page of the item.
                        i += 1;
                        continue;
                    }
                    let header_start = header_start(lines, noise, i);
                    let (title, case, content_start) =
                        read_title(lines, noise, "", i + 1, referat_is_decision);
                    starts.push(Start {
                        number,
                        title,
                        case,
                        closed: pending_closed.take().unwrap_or(false),
                        group: None,
                        line: lines[i].no,
                        header_start,
                        content_start,
                    });
                    i = content_start;
                    continue;
                }
            }
            Layout::Letter | Layout::Web => {
                let closed_marker = header::status_marker(&t);
                if let (Some(c), false) = (NUMBERED.captures(&t), quoted[i]) {
                    let number: u32 = c[1].parse().unwrap_or(0);
                    let rest = c[2].to_string();
                    let last = starts.last().map_or(0, |s| s.number);
                    let capital = rest
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit());
                    let in_list = listed.is_empty() || listed.iter().any(|l| l.number == number);
                    let after_blank = i == 0 || lines[i - 1].is_blank() || noise[i - 1];
                    let prev = prev_nonblank(lines, noise, i);
                    // Not the next entry of a numbered list in the text.
                    let list_continues = prev.is_some_and(|p| {
                        NUMBERED.captures(&lines[p].text).is_some_and(|pc| {
                            pc[1].parse::<u32>().ok() == Some(number.wrapping_sub(1))
                                && !starts.iter().any(|s| s.line == lines[p].no)
                        })
                    });
                    let plausible = number > last && number <= last + 20;
                    if capital && in_list && after_blank && plausible && !list_continues {
                        let header_start = header_start(lines, noise, i);
                        let (title, case, content_start) =
                            read_title(lines, noise, &rest, i + 1, referat_is_decision);
                        starts.push(Start {
                            number,
                            title,
                            case,
                            closed: pending_closed.take().unwrap_or(false),
                            group: None,
                            line: lines[i].no,
                            header_start,
                            content_start,
                        });
                        i = content_start;
                        continue;
                    }
                } else if let Some(closed) = closed_marker {
                    // "Lukket punkt" on a line of its own before an item.
                    let next = next_nonblank(lines, noise, i + 1);
                    if next.is_some_and(|n| NUMBERED.is_match(&lines[n].text)) {
                        noise[i] = true;
                        pending_closed = Some(closed);
                    }
                }
            }
        }
        i += 1;
    }
    // Group headings right before an item's header.
    for s in starts.iter_mut() {
        if let Some(p) = prev_nonblank(lines, noise, s.header_start) {
            let t = &lines[p].text;
            if GROUP.is_match(t) && t.chars().count() <= 60 && !quoted[p] {
                s.group = Some(t.clone());
                s.header_start = p;
                noise[p] = true;
            }
        }
    }
    starts
}

/// The first line of an item's header block: the page header lines before
/// `Punkt N.` belong to it.
fn header_start(lines: &[Line], noise: &[bool], i: usize) -> usize {
    let mut h = i;
    while h > 0 && (lines[h - 1].is_blank() || noise[h - 1]) {
        h -= 1;
    }
    // Leave leading blank lines to the previous item.
    while h < i && lines[h].is_blank() {
        h += 1;
    }
    h
}

/// Splits the document into preamble and items.
pub fn segment(
    lines: &[Line],
    layout: Layout,
    noise: &mut [bool],
    listed: &[Listed],
    warnings: &mut Vec<Warning>,
) -> Segments {
    let mut quoted = vec![false; lines.len()];
    mark_quotes(lines, &mut quoted);
    mark_noise(lines, layout, noise);
    let referat_is_decision = !lines
        .iter()
        .zip(&quoted)
        .any(|(l, q)| !q && section_of(&l.text, false) == Some(Section::Decision));
    let starts = find_starts(lines, layout, noise, &quoted, listed, referat_is_decision);
    let width = super::layout::wrap_width(lines);
    let first_header = starts.first().map_or(lines.len(), |s| s.header_start);
    let preamble: Vec<usize> = (0..first_header).filter(|&i| !noise[i]).collect();
    let mut items = Vec::new();
    for (k, s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |n| n.header_start);
        let range = s.content_start.min(end)..end;
        let group = s.group.clone().or_else(|| {
            listed
                .iter()
                .find(|l| l.number == s.number)
                .and_then(|l| l.group.clone())
        });
        if let Some(l) = listed.iter().find(|l| l.number == s.number) {
            let a = super::clean::normalise_ws(&l.title).to_lowercase();
            let b = s.title.to_lowercase();
            if !b.starts_with(&a) && !a.starts_with(&b) {
                warnings.push(Warning {
                    line: s.line,
                    message: format!(
                        "the title of item {} differs from the agenda list in the header (\"{}\"); the title in the text is used",
                        s.number, l.title
                    ),
                });
            }
        }
        let (intro, sections) = split_sections(
            lines,
            noise,
            &quoted,
            range,
            layout,
            width,
            referat_is_decision,
            s.number,
            warnings,
        );
        items.push(Item {
            number: s.number,
            title: s.title.clone(),
            case: s.case.clone(),
            closed: s.closed,
            group,
            line: s.line,
            intro,
            sections,
        });
        if s.title.is_empty() {
            warnings.push(Warning {
                line: s.line,
                message: format!("item {} has no title", s.number),
            });
        }
    }
    // Gaps in the numbering are kept: closed items are left out of
    // published documents.
    for w in starts.windows(2) {
        if w[1].number > w[0].number + 1 {
            let missing: Vec<String> = (w[0].number + 1..w[1].number)
                .map(|n| n.to_string())
                .collect();
            warnings.push(Warning {
                line: w[1].line,
                message: format!(
                    "item number(s) {} missing (closed items left out?); the gap is kept",
                    missing.join(", ")
                ),
            });
        }
    }
    for l in listed {
        if !starts.iter().any(|s| s.number == l.number) {
            warnings.push(Warning {
                line: 1,
                message: format!(
                    "item {} \"{}\" is listed in the header but not found in the text",
                    l.number, l.title
                ),
            });
        }
    }
    Segments { preamble, items }
}

#[allow(clippy::too_many_arguments)]
fn split_sections(
    lines: &[Line],
    noise: &[bool],
    quoted: &[bool],
    range: std::ops::Range<usize>,
    layout: Layout,
    width: Option<usize>,
    referat_is_decision: bool,
    number: u32,
    warnings: &mut Vec<Warning>,
) -> (Vec<Block>, Vec<(Section, Vec<Block>)>) {
    let mut parts: Vec<(Option<Section>, Vec<Src>)> = vec![(None, Vec::new())];
    for i in range {
        if noise[i] {
            continue;
        }
        let l = &lines[i];
        if !quoted[i] {
            if let Some(sec) = section_of(&l.text, referat_is_decision) {
                if parts.iter().any(|(s, _)| *s == Some(sec)) {
                    warnings.push(Warning {
                        line: l.no,
                        message: format!(
                            "section \"{}\" appears twice in item {number}; the second heading is kept as a sub-heading",
                            l.text
                        ),
                    });
                    parts.last_mut().unwrap().1.push(Src {
                        line: l,
                        quoted: false,
                        heading: true,
                    });
                } else {
                    parts.push((Some(sec), Vec::new()));
                }
                continue;
            }
        }
        parts.last_mut().unwrap().1.push(Src {
            line: l,
            quoted: quoted[i],
            heading: false,
        });
    }
    let mut intro = Vec::new();
    let mut sections = Vec::new();
    for (sec, srcs) in parts {
        let ctx = Ctx {
            width,
            lost_bullets: layout == Layout::Letter,
            subheadings: !matches!(
                sec,
                Some(Section::Decision | Section::Recommendation | Section::Attachments)
            ),
            all_items: sec == Some(Section::Attachments),
        };
        let b = blocks::build(&srcs, &ctx);
        match sec {
            None => intro = b,
            Some(s) => sections.push((s, b)),
        }
    }
    (intro, sections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::split_lines;

    #[test]
    fn section_headings() {
        assert_eq!(section_of("Resumé", false), Some(Section::Resume));
        assert_eq!(section_of("Bilag:", false), Some(Section::Attachments));
        assert_eq!(section_of(" Beslutning: ", false), Some(Section::Decision));
        assert_eq!(section_of("Referat", true), Some(Section::Decision));
        assert_eq!(section_of("Referat", false), None);
        assert_eq!(section_of("Drøftelse", false), None);
    }

    #[test]
    fn numbered_items_skip_lists_and_quotes() {
        let text = "1. Godkendelse af dagsorden\n\nReferat\nGodkendt\n\nSager til behandling\n\n2. Sag om noget\n\nTekst:\n\n1. Første\n2. Anden\n\n”3. Citeret punkt\n\nReferat\n\nTekst.”\n\nReferat\nBesluttet\n\n4. Evt.\n";
        let lines = split_lines(text);
        let mut noise = vec![false; lines.len()];
        let mut w = Vec::new();
        let seg = segment(&lines, Layout::Letter, &mut noise, &[], &mut w);
        let nums: Vec<(u32, &str)> = seg
            .items
            .iter()
            .map(|i| (i.number, i.title.as_str()))
            .collect();
        assert_eq!(
            nums,
            [
                (1, "Godkendelse af dagsorden"),
                (2, "Sag om noget"),
                (4, "Evt.")
            ]
        );
        assert_eq!(seg.items[1].group.as_deref(), Some("Sager til behandling"));
        assert_eq!(
            seg.items[1].sections.len(),
            1,
            "{:?}",
            seg.items[1].sections
        );
        assert!(seg.items[1]
            .intro
            .iter()
            .any(|b| matches!(b, Block::Quote { .. })));
    }

    #[test]
    fn punkt_items_closed_and_gaps() {
        let text = "Mødet den 09.01.2025 DAS Social\n\nÅben\n\nPunkt 1.\n\nGodkendelse af\ndagsorden\n\n2025-000001\n\nBeslutning:\n\nGodkendt\nMødet den 09.01.2025 DAS Social\n\nLukket\n\nPunkt 3.\n\nEn lukket sag\n\nBeslutning:\n\nBesluttet\n";
        let lines = split_lines(text);
        let mut noise = vec![false; lines.len()];
        let mut w = Vec::new();
        let seg = segment(&lines, Layout::Punkt, &mut noise, &[], &mut w);
        assert_eq!(seg.items.len(), 2);
        assert_eq!(seg.items[0].title, "Godkendelse af dagsorden");
        assert_eq!(seg.items[0].case.as_deref(), Some("2025-000001"));
        assert!(!seg.items[0].closed);
        assert_eq!(seg.items[1].number, 3);
        assert!(seg.items[1].closed);
        assert!(w.iter().any(|w| w.message.contains("missing")));
        assert!(seg.preamble.is_empty());
    }
}
