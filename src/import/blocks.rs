//! The text of a section turned into Markdown blocks: paragraphs reflowed
//! from hard-wrapped lines, bullet and numbered lists, tab tables, HTML
//! fragments, quotations and sub-headings.

use super::clean::{ends_hyphenated, ends_sentence, first_word, join_lines, Line};
use super::html;
use regex::Regex;
use std::sync::LazyLock;

/// One block of Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph; `lines` counts the source lines it was built from.
    Para {
        text: String,
        line: usize,
        lines: usize,
    },
    /// A list item; `number` for an ordered item.
    Item {
        level: usize,
        number: Option<u32>,
        text: String,
        line: usize,
    },
    /// A table; the first row is the header row.
    Table { rows: Vec<Vec<String>>, line: usize },
    /// A sub-heading inside a section (written as `####`).
    Heading { text: String, line: usize },
    /// A quoted passage.
    Quote { blocks: Vec<Block> },
}

/// A source line as the block builder sees it.
#[derive(Debug, Clone, Copy)]
pub struct Src<'a> {
    pub line: &'a Line,
    /// Inside a quotation.
    pub quoted: bool,
    /// Must become a sub-heading (e.g. a repeated section heading).
    pub heading: bool,
}

/// How the builder treats the text.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The column width the paragraphs were wrapped at, if they were.
    pub width: Option<usize>,
    /// A leading space after a blank line marks a list item whose bullet
    /// glyph was lost in extraction.
    pub lost_bullets: bool,
    /// The indent of the section's text as a whole (a web page indents
    /// everything); only more indent than this counts.
    pub base_indent: usize,
    /// Short stand-alone lines may become sub-headings.
    pub subheadings: bool,
    /// Every entry is a list item (the attachments section).
    pub all_items: bool,
}

static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([•●▪■◦○◘►▸‣∙·\u{F0B7}\u{F0A7}\u{F076}\u{F0D8}\u{F0FC}\u{F0A8}]|[-–*+]|o)\s+(\S.*)$",
    )
    .unwrap()
});
static BULLET_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[•●▪■◦○◘►▸‣∙·\u{F0B7}\u{F0A7}\u{F076}\u{F0D8}\u{F0FC}\u{F0A8}]$").unwrap()
});
static CLOCK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[.:]\d\d").unwrap());
static ORDERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})[.)]\s+(\S.*)$").unwrap());

enum Kind {
    Blank,
    Table(Vec<String>),
    Item {
        number: Option<u32>,
        sub: bool,
        text: String,
    },
    Html,
    Text,
}

/// A line that may be a list item whose bullet glyph was lost: indented by
/// the space that followed the glyph, starting with a capital or digit.
fn lost_bullet_candidate(line: &Line, base_indent: usize) -> bool {
    let first = line.text.chars().next().unwrap_or(' ');
    line.indent > base_indent && (first.is_uppercase() || first.is_ascii_digit())
}

fn classify(
    src: &Src,
    gap: bool,
    ctx: &Ctx,
    prev_hyphen: bool,
    open_prev: Option<&str>,
    in_list: bool,
    ordered_context: bool,
) -> Kind {
    let t = &src.line.text;
    if t.is_empty() || BULLET_ONLY.is_match(t) {
        return Kind::Blank;
    }
    if t.contains('\t') {
        let mut cells: Vec<String> = t.split('\t').map(|c| c.trim().to_string()).collect();
        while cells.len() > 1 && cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if cells.len() >= 2 {
            return Kind::Table(cells);
        }
    }
    if html::has_tag(t) {
        return Kind::Html;
    }
    if let Some(c) = BULLET.captures(t) {
        let marker = &c[1];
        // A dash at the start of a wrapped line may be the sentence's own
        // dash: "… for rammeaftaletilbuddene" + "– omregnet til faste priser".
        if (marker == "-" || marker == "–") && !gap {
            if let Some(prev) = open_prev {
                if is_full(prev, &c[2], ctx.width)
                    && !ends_sentence(prev)
                    && !c[2].starts_with(char::is_uppercase)
                {
                    return Kind::Text;
                }
            }
        }
        return Kind::Item {
            number: None,
            sub: marker == "o" || marker == "◦" || marker == "○",
            text: c[2].to_string(),
        };
    }
    if let Some(c) = ORDERED.captures(t) {
        // "1. stedfortræder på liste V …" alone is a sentence, not a list.
        if c[2].starts_with(char::is_lowercase) && !ordered_context {
            return Kind::Text;
        }
        return Kind::Item {
            number: c[1].parse().ok(),
            sub: false,
            text: c[2].to_string(),
        };
    }
    if ctx.lost_bullets
        && gap
        && !prev_hyphen
        && lost_bullet_candidate(src.line, ctx.base_indent)
        && in_list
    {
        return Kind::Item {
            number: None,
            sub: false,
            text: t.clone(),
        };
    }
    Kind::Text
}

/// Would the first word of `next` not have fitted on the line `prev`?
fn is_full(prev: &str, next: &str, width: Option<usize>) -> bool {
    // An unfinished sentence gets more slack: justified or hanging lines
    // end well before the margin.
    let slack = if ends_sentence(prev) { 2 } else { 8 };
    width.is_some_and(|w| {
        prev.chars().count() + 1 + first_word(next).chars().count() > w.saturating_sub(slack)
    })
}

/// Should `next` continue the paragraph whose last physical line is `prev`?
fn continues(prev: &str, next: &str, gap: bool, width: Option<usize>) -> bool {
    if ends_hyphenated(prev) {
        return true;
    }
    let first = next.chars().next().unwrap_or(' ');
    let starts_lower = first.is_lowercase();
    let full = is_full(prev, next, width);
    if !gap {
        return starts_lower || full;
    }
    // Across blank lines (a page break): only an unfinished sentence, one
    // that continues in lowercase or whose last word cannot end it.
    !ends_sentence(prev) && (starts_lower || (full && open_ended(prev)))
}

/// Does the line end in a way no sentence or heading ends: an unclosed
/// parenthesis or a function word ("i", "af", "og", "the" …)?
fn open_ended(line: &str) -> bool {
    const FUNCTION_WORDS: [&str; 30] = [
        "i", "af", "på", "til", "med", "og", "eller", "for", "om", "at", "en", "et", "den", "det",
        "de", "som", "fra", "ved", "under", "over", "samt", "hvor", "der", "the", "of", "and",
        "or", "to", "in", "a",
    ];
    if line.matches('(').count() > line.matches(')').count() {
        return true;
    }
    let last = line.split_whitespace().last().unwrap_or("").to_lowercase();
    FUNCTION_WORDS.contains(&last.as_str())
}

struct Open {
    last_line: String,
    is_item: bool,
}

/// Builds the blocks of one section from its source lines.
pub fn build(srcs: &[Src], ctx: &Ctx) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<Open> = None;
    let mut gap = false;
    // Indents of the open list levels.
    let mut indents: Vec<usize> = Vec::new();
    let mut list_has_main = false;
    let mut ordered_parent = false;
    let mut i = 0;
    while i < srcs.len() {
        let src = &srcs[i];
        if src.quoted {
            let start = i;
            while i < srcs.len() && srcs[i].quoted {
                i += 1;
            }
            let inner: Vec<Src> = srcs[start..i]
                .iter()
                .map(|s| Src {
                    quoted: false,
                    ..*s
                })
                .collect();
            let inner_ctx = Ctx {
                subheadings: false,
                all_items: false,
                ..*ctx
            };
            let inner_blocks = build(&inner, &inner_ctx);
            if !inner_blocks.is_empty() {
                blocks.push(Block::Quote {
                    blocks: inner_blocks,
                });
            }
            open = None;
            gap = true;
            continue;
        }
        i += 1;
        let line = src.line;
        if src.heading {
            blocks.push(Block::Heading {
                text: line.text.trim_end_matches(':').to_string(),
                line: line.no,
            });
            open = None;
            gap = true;
            continue;
        }
        let prev_hyphen = open.as_ref().is_some_and(|o| ends_hyphenated(&o.last_line));
        let open_prev = open.as_ref().map(|o| o.last_line.as_str());
        // A lost bullet shows only in company: after another item, after a
        // lead-in ending with a colon, or before another item.
        let in_list = match blocks.last() {
            Some(Block::Item { .. }) => true,
            Some(Block::Para { text, .. }) if text.ends_with(':') => true,
            _ => srcs[i..]
                .iter()
                .find(|s| !s.line.is_blank())
                .is_some_and(|s| {
                    lost_bullet_candidate(s.line, ctx.base_indent) || BULLET.is_match(&s.line.text)
                }),
        };
        // A numbered entry belongs to a list after a lead-in ("indstiller,",
        // "følgende:"), another entry, or before the next number.
        let ordered_context = match blocks.last() {
            Some(Block::Item { .. }) => true,
            // A lead-in that is not a finished sentence ("Det indstilles, at DAS").
            Some(Block::Para { text, .. }) if !text.ends_with(['.', '!', '?']) => true,
            _ if line.text.trim_end().ends_with(':') => true,
            _ => {
                let n = ORDERED
                    .captures(&line.text)
                    .and_then(|c| c[1].parse::<u32>().ok());
                srcs[i..]
                    .iter()
                    .find(|s| !s.line.is_blank())
                    .and_then(|s| ORDERED.captures(&s.line.text))
                    .and_then(|c| c[1].parse::<u32>().ok())
                    .is_some_and(|m| n.is_some_and(|n| m == n + 1))
            }
        };
        match classify(
            src,
            gap,
            ctx,
            prev_hyphen,
            open_prev,
            in_list,
            ordered_context,
        ) {
            Kind::Blank => {
                gap = true;
                continue;
            }
            Kind::Table(cells) => {
                let cells: Vec<String> = cells.iter().map(|c| html::to_inline(c)).collect();
                match blocks.last_mut() {
                    Some(Block::Table { rows, .. })
                        if rows[0].len() == cells.len() && open.is_none() =>
                    {
                        rows.push(cells)
                    }
                    _ => blocks.push(Block::Table {
                        rows: vec![cells],
                        line: line.no,
                    }),
                }
                open = None;
            }
            Kind::Html => {
                for piece in html::to_pieces(&line.text) {
                    match piece {
                        html::Piece::Para(text) => blocks.push(Block::Para {
                            text,
                            line: line.no,
                            lines: 1,
                        }),
                        html::Piece::Item { depth, text } => blocks.push(Block::Item {
                            level: depth.min(3),
                            number: None,
                            text,
                            line: line.no,
                        }),
                    }
                }
                open = None;
            }
            Kind::Item { number, sub, text } => {
                let prev_item = matches!(blocks.last(), Some(Block::Item { .. }));
                if !prev_item {
                    indents.clear();
                    list_has_main = false;
                    ordered_parent = false;
                }
                let level = if sub && list_has_main {
                    1
                } else if sub {
                    0
                } else if number.is_none()
                    && ordered_parent
                    && indents.first() == Some(&line.indent)
                {
                    // Bullets under a numbered entry at the same indent.
                    1
                } else {
                    while indents.last().is_some_and(|&ind| ind > line.indent) {
                        indents.pop();
                    }
                    let deeper = indents.last().is_some_and(|&ind| ind < line.indent) && prev_item;
                    if deeper || indents.is_empty() {
                        indents.push(line.indent);
                    }
                    indents.len().saturating_sub(1).min(3)
                };
                if !sub {
                    list_has_main = true;
                }
                if level == 0 {
                    ordered_parent = number.is_some();
                }
                let text = html::drop_empty_links(&text);
                blocks.push(Block::Item {
                    level,
                    number,
                    text: text.clone(),
                    line: line.no,
                });
                open = Some(Open {
                    last_line: text,
                    is_item: true,
                });
            }
            Kind::Text => {
                let text = html::drop_empty_links(&line.text);
                let joined = match (&open, blocks.last_mut()) {
                    (Some(o), Some(Block::Para { text: t, lines, .. }))
                        if !o.is_item && continues(&o.last_line, &text, gap, ctx.width) =>
                    {
                        *t = join_lines(t, &text);
                        *lines += 1;
                        true
                    }
                    (Some(o), Some(Block::Item { text: t, .. })) if o.is_item => {
                        // A hanging indent shortens the lines of an item: an
                        // unfinished sentence continues on the next line.
                        let hanging =
                            !gap && line.indent <= ctx.base_indent && !ends_sentence(&o.last_line);
                        if hanging || continues(&o.last_line, &text, gap, ctx.width) {
                            *t = join_lines(t, &text);
                            true
                        } else {
                            false
                        }
                    }
                    _ => false,
                };
                if joined {
                    if let Some(o) = open.as_mut() {
                        o.last_line = text;
                    }
                } else {
                    blocks.push(Block::Para {
                        text: text.clone(),
                        line: line.no,
                        lines: 1,
                    });
                    open = Some(Open {
                        last_line: text,
                        is_item: false,
                    });
                }
            }
        }
        gap = false;
    }
    if ctx.subheadings {
        mark_subheadings(&mut blocks);
    }
    if ctx.all_items {
        blocks = blocks
            .into_iter()
            .map(|b| match b {
                Block::Para { text, line, .. } => Block::Item {
                    level: 0,
                    number: None,
                    text,
                    line,
                },
                Block::Item { text, line, .. } => Block::Item {
                    level: 0,
                    number: None,
                    text,
                    line,
                },
                Block::Heading { text, line } => Block::Item {
                    level: 0,
                    number: None,
                    text,
                    line,
                },
                other => other,
            })
            .collect();
    }
    blocks
}

fn heading_candidate(b: &Block) -> bool {
    match b {
        Block::Para { text, lines: 1, .. } => {
            let n = text.chars().count();
            let first = text.chars().next().unwrap_or(' ');
            let last = text.chars().last().unwrap_or('.');
            n <= 70
                && first.is_uppercase()
                && !CLOCK.is_match(text)
                && !matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '-' | '–')
                && !text.contains("  ")
        }
        _ => false,
    }
}

/// A short stand-alone line followed by running text (or a table) is a
/// sub-heading: "Drøftelse", "Fokusområde 1: Sammen om …".
fn mark_subheadings(blocks: &mut [Block]) {
    let n = blocks.len();
    let mut marks = vec![false; n];
    for i in 0..n {
        if !heading_candidate(&blocks[i]) || i + 1 >= n {
            continue;
        }
        let next = &blocks[i + 1];
        let Block::Para { text, .. } = &blocks[i] else {
            continue;
        };
        let ok = match next {
            Block::Table { .. } => true,
            Block::Para { .. } => !heading_candidate(next) && !text.contains(": "),
            _ => false,
        };
        marks[i] = ok;
    }
    for (i, m) in marks.into_iter().enumerate() {
        if m {
            if let Block::Para { text, line, .. } = &blocks[i] {
                blocks[i] = Block::Heading {
                    text: text.clone(),
                    line: *line,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::split_lines;

    fn run(text: &str, ctx: Ctx) -> Vec<Block> {
        let lines = split_lines(text);
        let srcs: Vec<Src> = lines
            .iter()
            .map(|l| Src {
                line: l,
                quoted: false,
                heading: false,
            })
            .collect();
        build(&srcs, &ctx)
    }

    const WRAPPED: Ctx = Ctx {
        width: Some(60),
        lost_bullets: false,
        base_indent: 0,
        subheadings: true,
        all_items: false,
    };

    #[test]
    fn reflows_wrapped_paragraphs_and_hyphenation() {
        let b = run(
            "Den Administrative Styregruppe behandlede de kommunale og regi-\nonale indmeldinger og udviklingstendenser i forbindelse med\ndisse.\n\nNy sætning.",
            WRAPPED,
        );
        assert_eq!(b.len(), 2);
        let Block::Para { text, .. } = &b[0] else {
            panic!()
        };
        assert_eq!(text, "Den Administrative Styregruppe behandlede de kommunale og regionale indmeldinger og udviklingstendenser i forbindelse med disse.");
    }

    #[test]
    fn joins_across_page_break_when_sentence_unfinished() {
        let b = run("• Går i dialog med anbringende myndighed, hvis de ikke har en plan, eller at planen\n\ner forældet.\n• Næste", WRAPPED);
        assert_eq!(b.len(), 2, "{b:?}");
        let Block::Item { text, .. } = &b[0] else {
            panic!()
        };
        assert!(text.ends_with("eller at planen er forældet."));
    }

    #[test]
    fn lists_and_nesting() {
        let b = run("- Underskud op til 500.000 kr.\n- Underskud over:\n - i. Region\n - ii. Kommunerne\n\n1. Godkender\n2. Drøfter", WRAPPED);
        let levels: Vec<(usize, Option<u32>)> = b
            .iter()
            .map(|b| match b {
                Block::Item { level, number, .. } => (*level, *number),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            levels,
            [
                (0, None),
                (0, None),
                (1, None),
                (1, None),
                (0, Some(1)),
                (0, Some(2))
            ]
        );
    }

    #[test]
    fn lost_bullets_in_letter_layout() {
        let ctx = Ctx {
            lost_bullets: true,
            ..WRAPPED
        };
        let b = run(
            "Bilag\n\n Udkast til Udviklingsstrategi 2015\n\no Underpunkt",
            ctx,
        );
        assert!(
            matches!(&b[1], Block::Item { level: 0, text, .. } if text == "Udkast til Udviklingsstrategi 2015")
        );
        assert!(matches!(&b[2], Block::Item { level: 1, .. }));
    }

    #[test]
    fn tab_tables_with_html_cells() {
        let b = run(
            "<i>Region Nordjylland:</i>\t<i>6</i>\n<i>I alt:</i>\t<i>95</i>",
            WRAPPED,
        );
        assert_eq!(
            b,
            vec![Block::Table {
                rows: vec![
                    vec!["*Region Nordjylland:*".into(), "*6*".into()],
                    vec!["*I alt:*".into(), "*95*".into()]
                ],
                line: 1
            }]
        );
    }

    #[test]
    fn subheadings() {
        let b = run("Drøftelse\nÅrsrapporten 2023 indeholder Socialtilsyn Nords generelle overvejelser.\n\nGodkendt", WRAPPED);
        assert!(matches!(&b[0], Block::Heading { text, .. } if text == "Drøftelse"));
        assert!(matches!(&b[2], Block::Para { .. }));
    }
}
