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

/// What the importer knows about the document when it reads headings.
#[derive(Debug, Clone, Default)]
pub struct HeadingCtx {
    /// The document calls its decisions "Referat" (older minutes).
    pub referat_is_decision: bool,
    /// The date of the meeting, when the header gives it: a decision
    /// heading with another date quotes an earlier meeting.
    pub meeting_date: Option<String>,
}

/// A heading line inside an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    /// A section of the content format.
    Section(Section),
    /// A heading the content format has no section for ("Økonomi",
    /// "Personale"): a sub-heading where it stands.
    Sub,
}

static DECISION_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:beslutning(?:er)?|afgørelse)\s+(?i:i|på|fra|af)\s+(\S.{1,80}?)\s*:?$")
        .unwrap()
});
static COMMITTEE_DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-ZÆØÅ][^,]{1,60}),\s*([^,]{6,25}),\s*(?i:pkt|punkt)\.?\s*\d{1,3}\.?\s*:?$")
        .unwrap()
});
static UNHEADED_RECOMMENDATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:direktionen|administrationen|forvaltningen|borgmesteren|kommunaldirektøren|sekretariatet|formandskabet|centerchefen|fagchefen|direktøren)\s+indstiller\b").unwrap()
});

fn plain_heading(text: &str) -> String {
    text.trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
        .replace('é', "e")
}

/// Recognises a section heading line. `referat_is_decision`: the document
/// calls its decisions "Referat" (older minutes).
pub fn section_of(text: &str, referat_is_decision: bool) -> Option<Section> {
    let ctx = HeadingCtx {
        referat_is_decision,
        meeting_date: None,
    };
    match heading_of(text, &ctx) {
        Some(Heading::Section(s)) => Some(s),
        _ => None,
    }
}

/// Recognises a heading line inside an item: a section under any of the
/// names councils give it, a decision heading of this meeting ("Beslutning
/// i Økonomiudvalget den 1. oktober 2018", "Byrådet, 29-01-2020, pkt. 5"),
/// or a heading the content format has no section for.
pub fn heading_of(text: &str, ctx: &HeadingCtx) -> Option<Heading> {
    let t = plain_heading(text);
    let section = match t.as_str() {
        "resume" | "summary" | "kort resume" | "sagens kerne" | "sagstema" | "beslutningstema"
        | "sammenfatning" => Some(Section::Resume),
        "baggrund" | "background" | "sagens baggrund" => Some(Section::Background),
        "sagsfremstilling"
        | "case presentation"
        | "beskrivelse af sagen"
        | "sagsbeskrivelse"
        | "redegørelse"
        | "sagens indhold" => Some(Section::Presentation),
        "indstilling"
        | "indstillinger"
        | "recommendation"
        | "forvaltningens indstilling"
        | "administrationens indstilling"
        | "direktionens indstilling" => Some(Section::Recommendation),
        "bilag" | "attachments" | "bilagsfortegnelse" => Some(Section::Attachments),
        "beslutning" | "decision" | "beslutninger" => Some(Section::Decision),
        "referat" if ctx.referat_is_decision => Some(Section::Decision),
        "økonomi"
        | "økonomiske konsekvenser"
        | "økonomi og finansiering"
        | "økonomi og personale"
        | "retsgrundlag"
        | "lovgrundlag"
        | "høring"
        | "høringssvar"
        | "personale"
        | "personalemæssige konsekvenser"
        | "kommunikation"
        | "tidsplan"
        | "vurdering"
        | "konsekvenser"
        | "miljø"
        | "bevillingsmæssige konsekvenser" => return Some(Heading::Sub),
        _ => None,
    };
    if let Some(s) = section {
        return Some(Heading::Section(s));
    }
    if text.chars().count() > 120 {
        return None;
    }
    let this_meeting = |date_text: &str| -> bool {
        match (super::header::parse_date(date_text), &ctx.meeting_date) {
            (Some(d), Some(m)) => &d == m,
            _ => true,
        }
    };
    let trimmed = text.trim();
    if let Some(c) = DECISION_OF.captures(trimmed) {
        let rest = &c[1];
        let has_date = super::header::parse_date(rest).is_some();
        let words = rest.split_whitespace().count();
        if (has_date && this_meeting(rest)) || (!has_date && words <= 4) {
            return Some(Heading::Section(Section::Decision));
        }
        // An earlier meeting's decision quoted in the case: a sub-heading.
        return has_date.then_some(Heading::Sub);
    }
    if let Some(c) = COMMITTEE_DATED.captures(trimmed) {
        if super::header::parse_date(&c[2]).is_some() {
            return Some(if this_meeting(&c[2]) {
                Heading::Section(Section::Decision)
            } else {
                Heading::Sub
            });
        }
    }
    None
}

/// Does the line open a recommendation without a heading ("Direktionen
/// indstiller, at …")?
pub fn is_unheaded_recommendation(text: &str) -> bool {
    UNHEADED_RECOMMENDATION.is_match(text)
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
/// A bullet glyph before an item's number (" • 159. Dagsorden").
static BULLET_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[•●▪■◦○►▸‣∙·\u{F0B7}]\s*").unwrap());
/// `12 Title`: a number without a full stop.
static BARE_NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}) +(\S.*)$").unwrap());
/// `Punkt 4 Title`, `Pkt. 4. Title`, `Pkt. 4`.
static PKT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:punkt|pkt\.?)\s*(\d{1,3})\s*[.:]?(?:\s*[-–:]?\s+(\S.*))?$").unwrap()
});
/// `Nr. 4 Title` or `Nr. 4` with a case reference.
static NR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:nr\.?)\s*(\d{1,3})\s*\.?(?:\s+(\S.*))?$").unwrap());
/// `Sag nr. 4` on the line below the title.
static SAG_NR_BELOW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:sag\s*nr\.?|sag)\s*(\d{1,3})\s*\.?$").unwrap());
static CASE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:sagsnr|sag nr|j\.\s?nr)\.?:?\s*)?(\d{4}-\d{3,7})$").unwrap()
});
/// A labelled case reference: `Sagsnr.: 330-2018-3619`, `Sag: 15/1234`,
/// `J.nr.: 00.01.00-A00-1-18`, `Sagsid.:` (empty).
static CASE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:sagsnummer|sagsnr|sags nr|sag nr|sagnr|sagsid|sags id|j\.\s?nr|journalnummer|journalnr|journal nr|sag)(?:\.|\b)\s*:?\s*\.?\s*(.*)$").unwrap()
});
static CASE_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9][0-9A-Za-z./-]*[0-9A-Za-z]$|^[0-9]+$").unwrap());
/// Labels that carry nothing when empty (`Initialer:`, `Dok.nr.:`).
static EMPTY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:initialer|sagsid|j\.\s?nr|sagsnr|sagnr|dok\.\s?nr|journalnr)\.?\s*:?\s*\.?$")
        .unwrap()
});
static DOC_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdok\.\s?nr\.?\s*:?\s*\S+").unwrap());
static STATUS_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s*\b(åbent|åben|lukket)\s*$").unwrap());
static CLOSED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*lukket(?: punkt| sag)?\s*\)\s*$|\s[-–]\s*lukket (?:punkt|sag)\s*$|^lukket (?:sag|punkt)\s*:|^lukket\s*[-–:]\s+").unwrap()
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

/// A line of an item's header that gives its case: the case number (none
/// for an empty label), what else the line says (`Dok.nr.: …`) and the
/// status word at its end (`Åbent`: open, `Lukket`: closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLine {
    pub case: Option<String>,
    pub rest: Option<String>,
    pub closed: Option<bool>,
}

/// Reads a case line of any of the forms councils print.
pub fn case_line(text: &str) -> Option<CaseLine> {
    if let Some(n) = case_number(text) {
        return Some(CaseLine {
            case: Some(n),
            rest: None,
            closed: None,
        });
    }
    if EMPTY_LABEL.is_match(text) {
        return Some(CaseLine {
            case: None,
            rest: None,
            closed: None,
        });
    }
    let c = CASE_LABEL.captures(text)?;
    let mut value = c[1].trim().to_string();
    let mut closed = None;
    if let Some(m) = STATUS_END.captures(&value) {
        closed = Some(m[1].eq_ignore_ascii_case("lukket"));
        let at = m.get(0).unwrap().start();
        value.truncate(at);
    }
    let first = value.split_whitespace().next().unwrap_or("");
    let token = first.trim_end_matches([',', '.', ';']);
    let case = if CASE_TOKEN.is_match(token) {
        Some(token.to_string())
    } else if value.is_empty()
        || EMPTY_LABEL.is_match(&value)
        || CASE_LABEL.is_match(&value)
        || DOC_LABEL.find(&value).is_some_and(|m| m.start() == 0)
    {
        None
    } else {
        // "Sag: Lukning af …" is text, not a case label.
        return None;
    };
    let rest = if case.is_some() {
        value[value.find(first).unwrap_or(0) + first.len()..].trim()
    } else {
        value.trim()
    };
    // Another empty label after this one ("J.nr.:. Sagsid.: Initialer:").
    let rest = (!rest.is_empty() && !EMPTY_LABEL.is_match(rest)).then(|| rest.to_string());
    Some(CaseLine { case, rest, closed })
}

/// Does the printed title mark the item as closed: `… (Lukket)`,
/// `… - Lukket punkt`, `Lukket sag: …`, `Lukket - …`?
pub fn is_closed_title(title: &str) -> bool {
    CLOSED_TITLE.is_match(title.trim())
}

/// A group heading that closes the items under it: `Til behandling - for
/// lukkede døre`, `Lukkede punkter`.
pub fn is_closed_group(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("for lukkede døre")
        || t.starts_with("lukkede punkter")
        || t.starts_with("lukkede sager")
        || t.starts_with("lukket dagsorden")
        || t == "lukket"
}

/// An item start in any of the printed forms: the number, the rest of the
/// line (the title, or empty when it follows) and whether the number was
/// printed bare (no full stop, no label).
fn item_start(text: &str) -> Option<(u32, String, bool)> {
    let t = BULLET_PREFIX.replace(text, "");
    let t = t.as_ref();
    if let Some(c) = NUMBERED.captures(t) {
        return Some((c[1].parse().ok()?, c[2].to_string(), false));
    }
    if let Some(c) = PKT_START.captures(t) {
        let rest = c.get(2).map_or("", |m| m.as_str()).to_string();
        return Some((c[1].parse().ok()?, rest, false));
    }
    if let Some(c) = NR_START.captures(t) {
        let rest = c.get(2).map_or("", |m| m.as_str()).to_string();
        return Some((c[1].parse().ok()?, rest, false));
    }
    if let Some(c) = BARE_NUMBERED.captures(t) {
        return Some((c[1].parse().ok()?, c[2].to_string(), true));
    }
    None
}

/// Does the rest of a line that starts like an item read as a sentence of
/// running text rather than a title ("Punkt 28. Beslutning om … blev
/// vedtaget.")?
fn reads_as_sentence(rest: &str) -> bool {
    let n = rest.chars().count();
    (n > 90 && rest.ends_with('.')) || n > 250
}

static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(sager?|punkter?|emner) til (behandling|beslutning|drøftelse|orientering|efterretning|forventet efterretning|godkendelse)\b.*|til (behandling|beslutning|drøftelse|orientering|efterretning|godkendelse)\s*[-–]\s*for (åbne|lukkede) døre|(sager|punkter) (behandlet )?for (åbne|lukkede) døre|(orienterings|beslutnings|drøftelses|godkendelses)sager|meddelelser|afslutning|velkomst|indledning|lukkede (sager|punkter)|åbne (sager|punkter)|lukket dagsorden|åben dagsorden|orienteringspunkter)$",
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
    /// Text of the item's header kept for the introduction (`Dok.nr.: …`).
    extra: Vec<(usize, String)>,
}

/// Text from a PDF extractor that prints no blank lines between
/// paragraphs: a blank line is put before every line that starts an item
/// and around every section heading, so that they stand as they do on the
/// page.
pub fn open_up(lines: Vec<Line>) -> Vec<Line> {
    let ctx = HeadingCtx::default();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let blank = |no: usize| Line {
        no,
        text: String::new(),
        indent: 0,
    };
    let mut after_heading = false;
    for l in lines {
        let starts_item = item_start(&l.text).is_some_and(|(_, rest, bare)| {
            !bare && rest.chars().next().is_some_and(|c| c.is_uppercase())
        });
        let heading = matches!(heading_of(&l.text, &ctx), Some(Heading::Section(_)));
        let prev_blank = out.last().is_none_or(|p| p.is_blank());
        if (starts_item || heading || after_heading) && !prev_blank && !l.is_blank() {
            out.push(blank(l.no));
        }
        after_heading = heading;
        out.push(l);
    }
    out
}

/// Marks the lines that are noise everywhere: page numbers, template
/// residue and the page headers of the meeting system.
fn mark_noise(lines: &[Line], layout: Layout, noise: &mut [bool]) {
    // A page header `Mødet den 04.04.2024 …` repeated on every page.
    let page_headers = lines
        .iter()
        .filter(|l| PAGE_HEADER.is_match(&l.text))
        .count();
    for (i, l) in lines.iter().enumerate() {
        let t = &l.text;
        if super::clean::is_page_number(t) || super::clean::is_template_residue(t) {
            noise[i] = true;
        }
        if layout != Layout::Punkt && page_headers >= 2 && PAGE_HEADER.is_match(t) {
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

/// The header of an item after its title: case lines, status words.
struct ItemMeta {
    case: Option<String>,
    closed: Option<bool>,
    extra: Vec<(usize, String)>,
    /// First line after the header.
    next: usize,
}

/// Is the line at `k` followed by the start of an item numbered above
/// `after` (so that it belongs to that item's header)?
fn item_follows(lines: &[Line], noise: &[bool], k: usize, after: u32) -> bool {
    next_nonblank(lines, noise, k + 1).is_some_and(|n| {
        let t = &lines[n].text;
        let number = PUNKT_HEADER
            .captures(t)
            .and_then(|c| c[1].parse::<u32>().ok())
            .or_else(|| {
                item_start(t)
                    .filter(|(_, rest, bare)| {
                        !bare && rest.chars().next().is_none_or(|c| c.is_uppercase())
                    })
                    .map(|(n, _, _)| n)
            });
        number.is_some_and(|n| n > after)
    })
}

/// Reads the case lines and status words below an item's title.
fn read_meta(lines: &[Line], noise: &[bool], from: usize, number: u32) -> ItemMeta {
    let mut meta = ItemMeta {
        case: None,
        closed: None,
        extra: Vec::new(),
        next: from,
    };
    while let Some(k) = next_nonblank(lines, noise, meta.next) {
        let t = &lines[k].text;
        if let Some(cl) = case_line(t) {
            if (meta.case.is_some() && cl.case.is_some()) || item_follows(lines, noise, k, number) {
                break;
            }
            if cl.case.is_some() {
                meta.case = cl.case;
            }
            if cl.closed.is_some() {
                meta.closed = cl.closed;
            }
            if let Some(r) = cl.rest {
                meta.extra.push((lines[k].no, r));
            }
            meta.next = k + 1;
            continue;
        }
        if let Some(st) = header::status_marker(t) {
            if item_follows(lines, noise, k, number) {
                break;
            }
            meta.closed = Some(st);
            meta.next = k + 1;
            continue;
        }
        break;
    }
    meta
}

/// Reads the title (up to a blank line or a section heading) and an
/// optional case number after it; returns (title, header, content start).
fn read_title(
    lines: &[Line],
    noise: &[bool],
    first: &str,
    from: usize,
    number: u32,
    hctx: &HeadingCtx,
) -> (String, ItemMeta) {
    let mut title = first.to_string();
    let mut j = from;
    let stops = |t: &str| {
        heading_of(t, hctx).is_some_and(|h| h != Heading::Sub)
            || case_line(t).is_some()
            || header::status_marker(t).is_some()
            || item_start(t).is_some_and(|(_, _, bare)| !bare)
    };
    if title.is_empty() {
        if let Some(k) = next_nonblank(lines, noise, j) {
            if stops(&lines[k].text) {
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
        if stops(t) {
            break;
        }
        title = join_lines(&title, t);
        j += 1;
        count += 1;
    }
    let meta = read_meta(lines, noise, j, number);
    (
        super::clean::normalise_ws(&super::html::strip_tags(&title)),
        meta,
    )
}

fn same_title(a: &str, b: &str) -> bool {
    let a = super::clean::normalise_ws(a).to_lowercase();
    let b = super::clean::normalise_ws(b).to_lowercase();
    !a.is_empty() && (a.starts_with(&b) || b.starts_with(&a))
}

/// Is there a later item start numbered `number`?
fn later_start(lines: &[Line], from: usize, number: u32) -> bool {
    lines[from..].iter().any(|l| {
        item_start(&l.text).is_some_and(|(n, rest, _)| {
            n == number && rest.chars().next().is_none_or(|c| c.is_uppercase())
        })
    })
}

fn find_starts(
    lines: &[Line],
    layout: Layout,
    noise: &mut [bool],
    quoted: &[bool],
    listed: &[Listed],
    hctx: &HeadingCtx,
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
                    let (title, meta) = read_title(lines, noise, "", i + 1, number, hctx);
                    starts.push(Start {
                        number,
                        closed: pending_closed.take().unwrap_or(false)
                            || meta.closed == Some(true)
                            || is_closed_title(&title),
                        title,
                        case: meta.case,
                        group: None,
                        line: lines[i].no,
                        header_start,
                        content_start: meta.next,
                        extra: meta.extra,
                    });
                    i = starts.last().unwrap().content_start;
                    continue;
                }
            }
            Layout::Letter | Layout::Web => {
                let closed_marker = header::status_marker(&t);
                if let (Some((number, rest, bare)), false) = (item_start(&t), quoted[i]) {
                    let last = starts.last().map_or(0, |s| s.number);
                    // The same heading printed twice (for the screen and for print).
                    if let Some(prev) = starts.last_mut() {
                        let nothing_between =
                            (prev.content_start..i).all(|k| lines[k].is_blank() || noise[k]);
                        if prev.number == number
                            && nothing_between
                            && same_title(&prev.title, &rest)
                        {
                            noise[i] = true;
                            let meta = read_meta(lines, noise, i + 1, number);
                            if prev.case.is_none() {
                                prev.case = meta.case;
                            }
                            prev.closed |= meta.closed == Some(true);
                            prev.extra.extend(meta.extra);
                            prev.content_start = meta.next;
                            i = meta.next;
                            continue;
                        }
                    }
                    let capital = match rest.chars().next() {
                        Some(ch) => ch.is_uppercase() || ch.is_ascii_digit(),
                        None => !bare,
                    };
                    let listed_entry = listed.iter().find(|l| l.number == number);
                    let in_list = listed.is_empty() || listed_entry.is_some();
                    let prev = prev_nonblank(lines, noise, i);
                    // A case line printed before the heading.
                    let case_before = prev.filter(|&p| {
                        p + 1 == i
                            && starts.last().is_none_or(|s| p >= s.content_start)
                            && case_line(&lines[p].text).is_some_and(|c| c.case.is_some())
                    });
                    let after_blank =
                        i == 0 || lines[i - 1].is_blank() || noise[i - 1] || case_before.is_some();
                    // Not the next entry of a numbered list in the text.
                    let list_continues = prev.is_some_and(|p| {
                        item_start(&lines[p].text).is_some_and(|(n, _, _)| {
                            n == number.wrapping_sub(1)
                                && !starts.iter().any(|s| s.line == lines[p].no)
                        })
                    });
                    let plausible = if starts.is_empty() && number > 20 {
                        listed_entry.is_some() || later_start(lines, i + 1, number + 1)
                    } else {
                        number > last && number <= last + 20
                    };
                    let next_continues = lines
                        .get(i + 1)
                        .is_some_and(|n| n.text.starts_with(char::is_lowercase) && !noise[i + 1]);
                    let bare_ok = !bare
                        || listed_entry.is_some_and(|l| same_title(&l.title, &rest))
                        || (rest.chars().count() <= 100
                            && (!rest.ends_with('.') || rest.chars().count() <= 20)
                            && !next_continues
                            && (number == last + 1 || starts.is_empty()));
                    if capital
                        && in_list
                        && after_blank
                        && plausible
                        && !list_continues
                        && bare_ok
                        && !reads_as_sentence(&rest)
                    {
                        let header_start = header_start(lines, noise, case_before.unwrap_or(i));
                        // `Nr. 4 Sag: 15/1234`: a case reference, the title below.
                        let (first, rest_case) = match case_line(&rest) {
                            Some(cl) if cl.case.is_some() => (String::new(), cl.case),
                            _ => (rest.clone(), None),
                        };
                        let (title, meta) = read_title(lines, noise, &first, i + 1, number, hctx);
                        let case = rest_case.or(meta.case).or_else(|| {
                            case_before.and_then(|p| case_line(&lines[p].text).and_then(|c| c.case))
                        });
                        let mut extra = meta.extra;
                        if let Some(p) = case_before {
                            if let Some(r) = case_line(&lines[p].text).and_then(|c| c.rest) {
                                extra.insert(0, (lines[p].no, r));
                            }
                        }
                        starts.push(Start {
                            number,
                            closed: pending_closed.take().unwrap_or(false)
                                || meta.closed == Some(true)
                                || is_closed_title(&title),
                            title,
                            case,
                            group: None,
                            line: lines[i].no,
                            header_start,
                            content_start: meta.next,
                            extra,
                        });
                        i = meta.next;
                        continue;
                    }
                } else if let Some(c) = SAG_NR_BELOW.captures(&t) {
                    // `Sag nr. 4` below the title line.
                    let number: u32 = c[1].parse().unwrap_or(0);
                    let last = starts.last().map_or(0, |s| s.number);
                    if let Some(p) = prev_nonblank(lines, noise, i) {
                        let title = lines[p].text.clone();
                        let fresh = starts.last().is_none_or(|s| p >= s.content_start);
                        let after_blank = p == 0 || lines[p - 1].is_blank() || noise[p - 1];
                        let capital = title.starts_with(char::is_uppercase);
                        let plausible = (number > last && number <= last + 20)
                            || (starts.is_empty() && later_start(lines, i + 1, number + 1));
                        if fresh
                            && after_blank
                            && capital
                            && plausible
                            && !reads_as_sentence(&title)
                        {
                            let meta = read_meta(lines, noise, i + 1, number);
                            starts.push(Start {
                                number,
                                closed: pending_closed.take().unwrap_or(false)
                                    || meta.closed == Some(true)
                                    || is_closed_title(&title),
                                title: super::clean::normalise_ws(&title),
                                case: meta.case,
                                group: None,
                                line: lines[p].no,
                                header_start: header_start(lines, noise, p),
                                content_start: meta.next,
                                extra: meta.extra,
                            });
                            i = meta.next;
                            continue;
                        }
                    }
                } else if let Some(closed) = closed_marker {
                    // "Lukket punkt" on a line of its own before an item;
                    // after another such label it is a navigation.
                    let nav = prev_nonblank(lines, noise, i).filter(|&p| {
                        starts.last().is_none_or(|s| p >= s.content_start)
                            && (header::status_marker(&lines[p].text).is_some()
                                || GROUP.is_match(&lines[p].text))
                    });
                    if let Some(p) = nav {
                        noise[p] = true;
                        noise[i] = true;
                    } else if item_follows(lines, noise, i, starts.last().map_or(0, |s| s.number)) {
                        noise[i] = true;
                        pending_closed = Some(closed);
                    }
                }
            }
        }
        i += 1;
    }
    // Group headings right before an item's header.
    for k in 0..starts.len() {
        let Some(p) = prev_nonblank(lines, noise, starts[k].header_start) else {
            continue;
        };
        let t = &lines[p].text;
        if !(GROUP.is_match(t) && t.chars().count() <= 60 && !quoted[p]) {
            continue;
        }
        // Two group headings in a row are a navigation ("Åbne punkter",
        // "Lukkede punkter"), not the group of the item.
        let before = prev_nonblank(lines, noise, p);
        let fresh = |q: usize| k == 0 || q >= starts[k - 1].content_start;
        if let Some(q) = before.filter(|&q| fresh(q) && GROUP.is_match(&lines[q].text)) {
            noise[p] = true;
            noise[q] = true;
            continue;
        }
        if !fresh(p) {
            continue;
        }
        starts[k].group = Some(t.clone());
        starts[k].header_start = p;
        noise[p] = true;
    }
    // A closed group heading with no item under it is a navigation label.
    for (i, l) in lines.iter().enumerate() {
        if !noise[i] && !quoted[i] && is_closed_group(&l.text) && GROUP.is_match(&l.text) {
            noise[i] = true;
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

/// Marks the footers that repeat the status of the document on every page
/// (a line `åben` of its own).
fn mark_footers(lines: &[Line], noise: &mut [bool]) {
    let is_footer = |t: &str| matches!(t.to_lowercase().as_str(), "åben" | "åbent");
    let count = lines.iter().filter(|l| is_footer(&l.text)).count();
    if count >= 2 {
        for (i, l) in lines.iter().enumerate() {
            if is_footer(&l.text) {
                noise[i] = true;
            }
        }
    }
}

/// Splits the document into preamble and items. `meeting_date` is the date
/// the header gives, when it was found before the items were read.
pub fn segment(
    lines: &[Line],
    layout: Layout,
    noise: &mut [bool],
    listed: &[Listed],
    meeting_date: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Segments {
    let mut quoted = vec![false; lines.len()];
    mark_quotes(lines, &mut quoted);
    mark_noise(lines, layout, noise);
    if layout != Layout::Punkt {
        mark_footers(lines, noise);
    }
    let referat_is_decision = !lines
        .iter()
        .zip(&quoted)
        .any(|(l, q)| !q && section_of(&l.text, false) == Some(Section::Decision));
    let hctx = HeadingCtx {
        referat_is_decision,
        meeting_date: meeting_date.map(str::to_string),
    };
    let starts = find_starts(lines, layout, noise, &quoted, listed, &hctx);
    let width = super::layout::wrap_width(lines);
    let first_header = starts.first().map_or(lines.len(), |s| s.header_start);
    let preamble: Vec<usize> = (0..first_header).filter(|&i| !noise[i]).collect();
    let mut items = Vec::new();
    let mut closed_group = false;
    for (k, s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |n| n.header_start);
        let range = s.content_start.min(end)..end;
        let listed_entry = listed.iter().find(|l| l.number == s.number);
        let group = s
            .group
            .clone()
            .or_else(|| listed_entry.and_then(|l| l.group.clone()));
        if let Some(g) = &group {
            closed_group = is_closed_group(g);
        }
        let closed =
            s.closed || closed_group || listed_entry.is_some_and(|l| is_closed_title(&l.title));
        if closed {
            // Nothing of a closed item is read: only its number is kept.
            warnings.push(Warning {
                line: s.line,
                message: format!(
                    "item {} is closed (lukket); only its number is imported",
                    s.number
                ),
            });
            items.push(Item {
                number: s.number,
                title: String::new(),
                case: None,
                closed: true,
                group,
                line: s.line,
                intro: Vec::new(),
                sections: Vec::new(),
            });
            continue;
        }
        if let Some(l) = listed_entry {
            if !same_title(&l.title, &s.title) {
                warnings.push(Warning {
                    line: s.line,
                    message: format!(
                        "the title of item {} differs from the agenda list in the header (\"{}\"); the title in the text is used",
                        s.number, l.title
                    ),
                });
            }
        }
        let (mut intro, sections) = split_sections(
            lines, noise, &quoted, range, layout, width, &hctx, s.number, warnings,
        );
        if !s.extra.is_empty() {
            let mut kept: Vec<Block> = s
                .extra
                .iter()
                .map(|(line, text)| Block::Para {
                    text: text.clone(),
                    line: *line,
                    lines: 1,
                })
                .collect();
            kept.append(&mut intro);
            intro = kept;
        }
        items.push(Item {
            number: s.number,
            title: s.title.clone(),
            case: s.case.clone(),
            closed: false,
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
            let title = if is_closed_title(&l.title) {
                "lukket punkt"
            } else {
                l.title.as_str()
            };
            warnings.push(Warning {
                line: 1,
                message: format!(
                    "item {} \"{}\" is listed in the header but not found in the text",
                    l.number, title
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
    hctx: &HeadingCtx,
    number: u32,
    warnings: &mut Vec<Warning>,
) -> (Vec<Block>, Vec<(Section, Vec<Block>)>) {
    let base_indent = range
        .clone()
        .filter(|&i| !noise[i] && !lines[i].is_blank())
        .map(|i| lines[i].indent)
        .min()
        .unwrap_or(0);
    let mut parts: Vec<(Option<Section>, Vec<Src>)> = vec![(None, Vec::new())];
    for i in range {
        if noise[i] {
            continue;
        }
        let l = &lines[i];
        let current = parts.last().unwrap().0;
        if !quoted[i] {
            match heading_of(&l.text, hctx) {
                Some(Heading::Section(sec)) => {
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
                Some(Heading::Sub)
                    if matches!(
                        current,
                        None | Some(Section::Resume | Section::Background | Section::Presentation)
                    ) =>
                {
                    parts.last_mut().unwrap().1.push(Src {
                        line: l,
                        quoted: false,
                        heading: true,
                    });
                    continue;
                }
                _ => {}
            }
            if is_unheaded_recommendation(&l.text)
                && !parts
                    .iter()
                    .any(|(s, _)| matches!(s, Some(Section::Recommendation | Section::Decision)))
            {
                parts.push((Some(Section::Recommendation), Vec::new()));
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
            base_indent,
            subheadings: !matches!(
                sec,
                Some(Section::Decision | Section::Recommendation | Section::Attachments)
            ),
            all_items: sec == Some(Section::Attachments),
        };
        let b = blocks::build(&srcs, &ctx);
        match sec {
            None => intro = b,
            // An empty section heading (a web page prints them all) is left out.
            Some(_) if b.is_empty() => {}
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
        let seg = segment(&lines, Layout::Letter, &mut noise, &[], None, &mut w);
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
        let seg = segment(&lines, Layout::Punkt, &mut noise, &[], None, &mut w);
        assert_eq!(seg.items.len(), 2);
        assert_eq!(seg.items[0].title, "Godkendelse af dagsorden");
        assert_eq!(seg.items[0].case.as_deref(), Some("2025-000001"));
        assert!(!seg.items[0].closed);
        assert_eq!(seg.items[1].number, 3);
        assert!(seg.items[1].closed);
        assert!(w.iter().any(|w| w.message.contains("missing")));
        assert!(seg.preamble.is_empty());
    }
    fn items_of(text: &str) -> Vec<Item> {
        let lines = split_lines(text);
        let mut noise = vec![false; lines.len()];
        let mut w = Vec::new();
        let date = header::early_date(&lines);
        segment(
            &lines,
            Layout::Letter,
            &mut noise,
            &[],
            date.as_deref(),
            &mut w,
        )
        .items
    }

    fn numbers_titles(items: &[Item]) -> Vec<(u32, String, bool)> {
        items
            .iter()
            .map(|i| (i.number, i.title.clone(), i.closed))
            .collect()
    }

    #[test]
    fn item_starts_in_many_forms() {
        let forms = [
            "1. Godkendelse af dagsorden\n\nTekst.\n\n2. Evt.\n",
            "1.   Godkendelse af dagsorden\n\nTekst.\n\n2.   Evt.\n",
            "Pkt. 1 Godkendelse af dagsorden\n\nTekst.\n\nPkt. 2 Evt.\n",
            "Punkt 1: Godkendelse af dagsorden\n\nTekst.\n\nPunkt 2 Evt.\n",
            " • 1. Godkendelse af dagsorden\n\nTekst.\n\n • 2. Evt.\n",
            "1 Godkendelse af dagsorden\n\nTekst.\n\n2 Evt.\n",
            "Godkendelse af dagsorden\nSag nr. 1\n\nTekst.\n\nEvt.\nSag nr. 2\n",
            "Nr. 1 Sag: 15/1234\nGodkendelse af dagsorden\n\nTekst.\n\nNr. 2\nEvt.\n",
        ];
        for text in forms {
            let items = items_of(text);
            let got: Vec<(u32, &str)> =
                items.iter().map(|i| (i.number, i.title.as_str())).collect();
            assert_eq!(
                got,
                [(1, "Godkendelse af dagsorden"), (2, "Evt.")],
                "{text:?}"
            );
        }
        let items = items_of("Nr. 1 Sag: 15/1234\nGodkendelse af dagsorden\n\nTekst.\n");
        assert_eq!(items[0].case.as_deref(), Some("15/1234"));
    }

    #[test]
    fn look_alike_item_starts_stay_text() {
        let text = "Referat\n\n3. Godkendelse af stedfortrædere\n\nSagsfremstilling\n\nByrådet godkender, at\n\n1. stedfortræder på liste V indkaldes.\n\nBorgmesteren indstiller,\n1.    at dagsordenen godkendes\n\nForslaget blev forkastet med\n43 stemmer imod 5.\n\nPunkt 28. Beslutning om anlægsbevilling til skolen blev vedtaget af byrådet på mødet i marts, og sagen er afsluttet.\n\nBeslutning\n\nGodkendt.\n\n4. Eventuelt\n";
        let items = items_of(text);
        let nums: Vec<u32> = items.iter().map(|i| i.number).collect();
        assert_eq!(nums, [3, 4]);
        assert!(items[0]
            .sections
            .iter()
            .any(|(s, _)| *s == Section::Decision));
    }

    #[test]
    fn same_heading_twice_and_case_beside_it() {
        let text = "Økonomiudvalget – Referat – 1. oktober 2018\n\n1. Godkendelse af dagsorden (B)\n\n1.     Godkendelse af dagsorden (B)\n\nSagsnr.: 330-2018-3619       Dok.nr.: 330-2018-500301      Åbent\nBeslutningstema\nGodkendelse.\nBeslutning i Økonomiudvalget den 1. oktober 2018:\nGodkendt.\n\nSagsnr. 11/171\n2. Orientering\nResume\n\nTekst.\n";
        let items = items_of(text);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].case.as_deref(), Some("330-2018-3619"));
        assert!(items[0]
            .sections
            .iter()
            .any(|(s, _)| *s == Section::Decision));
        assert!(items[0].sections.iter().any(|(s, _)| *s == Section::Resume));
        assert_eq!(items[1].case.as_deref(), Some("11/171"));
    }

    #[test]
    fn case_lines() {
        let c = case_line("Sagsnr.: 330-2018-3619   Dok.nr.: 330-2018-500301   Åbent").unwrap();
        assert_eq!(c.case.as_deref(), Some("330-2018-3619"));
        assert_eq!(c.rest.as_deref(), Some("Dok.nr.: 330-2018-500301"));
        assert_eq!(c.closed, Some(false));
        for (line, case) in [
            ("Sagsnr. 11/171", Some("11/171")),
            ("Sag: 15/1234", Some("15/1234")),
            ("J.nr.: 00.01.00-A00-1-18", Some("00.01.00-A00-1-18")),
            ("Sagnr.: 2019-0042", Some("2019-0042")),
            ("Sagsid. 12345", Some("12345")),
            ("J.nr.:.", None),
            ("Sagsid.:", None),
            ("Sagsnr.:", None),
        ] {
            assert_eq!(
                case_line(line).map(|c| c.case),
                Some(case.map(String::from)),
                "{line}"
            );
        }
        assert_eq!(case_line("Sag: Lukning af skolen"), None);
        assert_eq!(case_line("Sagen blev drøftet"), None);
    }

    #[test]
    fn closed_items_and_look_alikes() {
        for t in [
            "Diverse orienteringer (Lukket)",
            "Personalesag - Lukket punkt",
            "Lukket sag: Tandpleje for børn",
            "Lukket - Køb af ejendom",
        ] {
            assert!(is_closed_title(t), "{t}");
        }
        for t in [
            "Lukning af Solsikken børnehave",
            "Åben sag",
            "Åbent punkt om lukkede institutioner",
        ] {
            assert!(!is_closed_title(t), "{t}");
        }
        let text = "Referat den 1. marts 2020\n\n1. Lukning af Solsikken børnehave\n\nÅben sag\n\nBeslutning\n\nGodkendt.\n\nÅbent punkt\n\n2. Åbent punkt om budget\n\nTekst.\n\nSager for lukkede døre\n\n3. Køb af ejendom\n\nHemmeligt.\n\n4. Salg af grund\n\nHemmeligt.\n";
        let items = items_of(text);
        assert_eq!(
            numbers_titles(&items),
            [
                (1, "Lukning af Solsikken børnehave".into(), false),
                (2, "Åbent punkt om budget".into(), false),
                (3, String::new(), true),
                (4, String::new(), true),
            ]
        );
        assert!(items[2].intro.is_empty() && items[3].sections.is_empty());
        // An empty navigation heading closes nothing.
        let nav = "Referat\n\nÅbne Punkter\nLukkede Punkter\n\n1. Godkendelse af dagsorden\n\nTekst.\n\n2. Evt.\n\nTekst.\n\nLukkede Punkter\n";
        let items = items_of(nav);
        assert_eq!(
            numbers_titles(&items),
            [
                (1, "Godkendelse af dagsorden".into(), false),
                (2, "Evt.".into(), false)
            ]
        );
    }

    #[test]
    fn section_names_and_decisions_of_this_meeting() {
        let ctx = HeadingCtx {
            referat_is_decision: false,
            meeting_date: Some("2018-10-01".into()),
        };
        for (t, s) in [
            ("Resumé", Section::Resume),
            ("Sagens kerne", Section::Resume),
            ("Sagstema", Section::Resume),
            ("Beskrivelse af sagen", Section::Presentation),
            ("Redegørelse", Section::Presentation),
            ("Baggrund", Section::Background),
            ("Indstilling:", Section::Recommendation),
            ("Bilag", Section::Attachments),
            (
                "Beslutning i Økonomiudvalget den 1. oktober 2018:",
                Section::Decision,
            ),
            ("Økonomiudvalget, 01-10-2018, pkt. 5", Section::Decision),
        ] {
            assert_eq!(heading_of(t, &ctx), Some(Heading::Section(s)), "{t}");
        }
        assert_eq!(heading_of("Økonomi", &ctx), Some(Heading::Sub));
        assert_eq!(heading_of("Retsgrundlag", &ctx), Some(Heading::Sub));
        // An earlier committee's decision quoted in the case presentation
        // is a sub-heading there, not the decision of this meeting.
        assert_eq!(
            heading_of("Beslutning i Socialudvalget den 3. marts 2018:", &ctx),
            Some(Heading::Sub)
        );
        assert_eq!(
            heading_of("Socialudvalget, 05-03-2018, pkt. 2", &ctx),
            Some(Heading::Sub)
        );
        let text = "Referat 1. oktober 2018\n\n1. Sag\n\nSagsfremstilling\n\nTekst.\n\nBeslutning i Socialudvalget den 3. marts 2018:\nAnbefalet.\n\nØkonomi\n\nIngen udgifter.\n\nDirektionen indstiller, at sagen godkendes.\n\nBeslutning i Økonomiudvalget den 1. oktober 2018:\nGodkendt.\n";
        let items = items_of(text);
        let secs: Vec<Section> = items[0].sections.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            secs,
            [
                Section::Presentation,
                Section::Recommendation,
                Section::Decision
            ]
        );
    }
}
