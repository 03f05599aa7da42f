//! What Pagefind 1.6 reads out of a page, read out of a record's HTML: the
//! words in order with their weights, the text shown in excerpts, the
//! anchors a result can link to, and the word count.
//!
//! Pagefind reads arbitrary HTML with a streaming rewriter and builds the
//! text bottom-up per element. The records are HTML that Protokol makes
//! itself (Markdown rendered by pulldown-cmark, raw HTML only after the
//! sanitizer), so a small scanner does the same in one pass over the text,
//! without a DOM and without a string per element. It keeps Pagefind's
//! rules, which decide what a reader's query finds and how it ranks:
//!
//! - block elements (`h1`–`h6`, `p`, `td`, `div`, `ul`, `li`, `article`,
//!   `section`) are separated by a space, and a block whose text ends in a
//!   letter, digit, quote, `)`, `$` or `*` ends with a full stop, so that
//!   excerpts read as sentences;
//! - headings weigh more: `h1` 7, `h2` 6 … `h6` 2 (inside another heading
//!   the outer weight holds); ordinary text weighs 1;
//! - an element with an `id` is an anchor at the position of its first
//!   word, with its text (what a sub-result links to: the decision);
//! - `head`, `script`, `style`, `noscript`, `label`, `form`, `svg`,
//!   `footer`, `nav`, `iframe` and `template` add no words;
//! - entities are decoded, and any run of white space separates words.

use std::borrow::Cow;

/// The first weight above the default, in Pagefind's units (weight × 24).
pub const DEFAULT_WEIGHT: u8 = 24;

/// One anchor of the page, in the fragment as Pagefind writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Anchor {
    pub element: String,
    pub id: String,
    pub text: String,
    pub location: u32,
}

/// A page's words, as they follow each other.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The words joined by single spaces: the text of the fragment, which
    /// the runtime cuts excerpts from by word position.
    pub content: String,
    /// Each word: where it is in `content`, and its weight (24 = normal text).
    pub words: Vec<(u32, u32, u8)>,
    pub anchors: Vec<Anchor>,
    /// The first `<img>` of the page: its `src` and `alt` (meta `image`).
    pub image: Option<(String, Option<String>)>,
}

impl Digest {
    /// The words with their weights, in order.
    pub fn words(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words
            .iter()
            .map(|&(start, end, w)| (&self.content[start as usize..end as usize], w))
    }

    /// Pagefind's word count: one more than the last word's position, and 1
    /// for a page without words.
    pub fn word_count(&self) -> usize {
        self.words.len().max(1)
    }

    fn push(&mut self, word: &str, weight: u8) {
        if !self.content.is_empty() {
            self.content.push(' ');
        }
        let start = self.content.len() as u32;
        self.content.push_str(word);
        self.words.push((start, self.content.len() as u32, weight));
    }
}

const BLOCK: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var",
];
const SKIPPED: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noscript",
];

const WEIGHT_MARK: &str = "\u{1}w";
const END_WEIGHT_MARK: &str = "\u{1}e";
const ANCHOR_MARK: &str = "\u{1}a";

struct Open<'a> {
    tag: Cow<'a, str>,
    /// Where this element's text starts in the buffer.
    start: usize,
    skipped: bool,
    /// The anchors whose text this element's text belongs to.
    anchors: Vec<usize>,
    heading: Option<u8>,
}

/// Reads the page that Pagefind would read for a record: `html` as the
/// body of a page whose head holds only meta data.
pub fn digest(html: &str) -> Digest {
    let mut buf = String::with_capacity(html.len() + 64);
    let mut stack: Vec<Open> = Vec::new();
    // Per anchor: element, id, raw text.
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    let mut image = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(&mut buf, &stack, &mut anchors, rest);
            break;
        };
        if lt > 0 {
            text(&mut buf, &stack, &mut anchors, &rest[..lt]);
            rest = &rest[lt..];
        }
        // `rest` starts with '<'.
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            rest = after.get(end + 1..).unwrap_or("");
            if let Some(at) = stack.iter().rposition(|o| o.tag == name) {
                while stack.len() > at {
                    let open = stack.pop().expect("the stack holds the element");
                    close(&mut buf, open);
                }
            }
            continue;
        }
        let Some((tag, attrs, self_closing, after)) = start_tag(rest) else {
            // A '<' that starts no tag is text.
            text(&mut buf, &stack, &mut anchors, "<");
            rest = &rest[1..];
            continue;
        };
        rest = after;
        let skipped_here = SKIPPED.contains(&tag.as_ref());
        let parent_skipped = stack.last().is_some_and(|o| o.skipped);
        // An element with an id is an anchor, unless it is inside text that
        // is left out.
        let mut anchor = None;
        if let Some(id) = attribute(attrs, "id") {
            let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
            buf.push(' ');
            buf.push_str(ANCHOR_MARK);
            buf.push_str(&anchors.len().to_string());
            buf.push(' ');
            anchor = Some(anchors.len());
            anchors.push((tag.to_string(), id, String::new()));
        }
        if tag == "br" {
            buf.push(' ');
        }
        if tag == "img" && image.is_none() {
            if let Some(src) = attribute(attrs, "src") {
                image = Some((
                    normalise_text(&src),
                    attribute(attrs, "alt").map(|a| normalise_text(&a)),
                ));
            }
        }
        let is_void = VOID.contains(&tag.as_ref()) || (self_closing && in_foreign(&stack));
        if is_void {
            continue;
        }
        let mut inherited = match stack.last() {
            Some(parent) if INLINE.contains(&tag.as_ref()) => parent.anchors.clone(),
            _ => Vec::new(),
        };
        inherited.extend(anchor);
        // Inside another heading the outer weight holds (see `words`).
        let heading = heading_weight(&tag);
        let block = BLOCK.contains(&tag.as_ref());
        if let Some(w) = heading {
            buf.push(' ');
            buf.push_str(WEIGHT_MARK);
            buf.push((b'0' + w) as char);
            buf.push(' ');
        }
        if block {
            buf.push(' ');
        }
        let raw = RAW_TEXT.contains(&tag.as_ref());
        stack.push(Open {
            start: buf.len(),
            tag: tag.clone(),
            skipped: skipped_here || parent_skipped,
            anchors: inherited,
            heading,
        });
        if raw {
            let close_tag = format!("</{tag}");
            let end = find_ascii_ci(rest, &close_tag).unwrap_or(rest.len());
            text(&mut buf, &stack, &mut anchors, &rest[..end]);
            rest = &rest[end..];
        }
    }
    while let Some(open) = stack.pop() {
        close(&mut buf, open);
    }
    words(&buf, anchors, image)
}

/// Ends an element: its text is dropped if it is left out; a block is
/// closed with a full stop and a space; a heading's weight ends.
fn close(buf: &mut String, open: Open) {
    if open.skipped {
        buf.truncate(open.start);
        if open.heading.is_some() {
            buf.push(' ');
            buf.push_str(END_WEIGHT_MARK);
            buf.push(' ');
        }
        return;
    }
    if BLOCK.contains(&open.tag.as_ref()) {
        if buf[open.start..]
            .chars()
            .next_back()
            .is_some_and(ends_sentence)
        {
            buf.push('.');
        }
        buf.push(' ');
    }
    if open.heading.is_some() {
        buf.push(' ');
        buf.push_str(END_WEIGHT_MARK);
        buf.push(' ');
    }
}

/// Letters, digits and the characters that may end a sentence without a
/// full stop of its own.
fn ends_sentence(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\'' | '"' | ')' | '$' | '*')
        || unicode_word_extra(c)
}

/// The characters besides letters and digits that regular expressions
/// count as word characters: marks and connector punctuation.
fn unicode_word_extra(c: char) -> bool {
    !c.is_ascii()
        && (crate::search::words::WORD_SYMBOLS.contains(&c)
            || unicode_normalization::char::is_combining_mark(c)
            || c == '\u{200C}'
            || c == '\u{200D}')
}

fn heading_weight(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(7),
        "h2" => Some(6),
        "h3" => Some(5),
        "h4" => Some(4),
        "h5" => Some(3),
        "h6" => Some(2),
        _ => None,
    }
}

fn in_foreign(stack: &[Open]) -> bool {
    stack.iter().any(|o| o.tag == "svg" || o.tag == "math")
}

fn text(buf: &mut String, stack: &[Open], anchors: &mut [(String, String, String)], t: &str) {
    let Some(open) = stack.last() else {
        buf.push_str(t);
        return;
    };
    buf.push_str(t);
    if !open.skipped {
        for &a in &open.anchors {
            anchors[a].2.push_str(t);
        }
    }
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// A start tag at the start of `s`: its lowercased name, its attributes'
/// source, whether it ends in `/>`, and the text after it.
fn start_tag(s: &str) -> Option<(Cow<'_, str>, &str, bool, &str)> {
    let body = &s[1..];
    let name_len = body
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(body.len());
    let name = &body[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    // The end of the tag: the first '>' outside a quoted attribute value.
    let bytes = body.as_bytes();
    let mut quote = None;
    let mut end = None;
    for (i, &b) in bytes.iter().enumerate().skip(name_len) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let end = end.unwrap_or(body.len());
    let attrs = &body[name_len..end];
    let self_closing = attrs.trim_end().ends_with('/');
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    Some((name, attrs, self_closing, body.get(end + 1..).unwrap_or("")))
}

/// The raw value of attribute `name` in a tag's attribute source.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let key = &attrs[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vstart = i + 1;
                i = vstart;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = attrs[vstart..i.min(b.len())].to_string();
                i += 1;
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = attrs[vstart..i].to_string();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if key.is_empty() {
            i += 1;
        }
    }
    None
}

/// Pagefind's clean-up of a text: entities decoded, white space at both
/// ends removed, line breaks and runs of white space as one space.
pub fn normalise_text(raw: &str) -> String {
    let decoded = html_escape::decode_html_entities(raw);
    let trimmed = decoded.trim_matches(char::is_whitespace);
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
            continue;
        }
        // A run of white space, with each run of line breaks as one space.
        let mut run: Vec<char> = Vec::new();
        let mut c = Some(c);
        while let Some(ch) = c {
            if ch == '\n' || (ch == '\r' && chars.peek() == Some(&'\n')) {
                if ch == '\r' {
                    chars.next();
                }
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        chars.next();
                    } else if n == '\r' {
                        let mut ahead = chars.clone();
                        ahead.next();
                        if ahead.peek() == Some(&'\n') {
                            chars.next();
                            chars.next();
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                run.push(' ');
            } else {
                run.push(ch);
            }
            c = chars.next_if(|n| n.is_whitespace());
        }
        if run.len() >= 2 {
            out.push(' ');
        } else {
            out.extend(run);
        }
    }
    out
}

/// The words of the scanned text, with the weights and anchors marked in it.
fn words(
    buf: &str,
    anchors: Vec<(String, String, String)>,
    image: Option<(String, Option<String>)>,
) -> Digest {
    let decoded = html_escape::decode_html_entities(buf);
    let mut digest = Digest {
        image,
        content: String::with_capacity(buf.len()),
        ..Digest::default()
    };
    let mut weights: Vec<u8> = vec![DEFAULT_WEIGHT];
    for token in decoded.split_whitespace() {
        if let Some(mark) = token.strip_prefix('\u{1}') {
            match mark.as_bytes().first() {
                Some(b'w') => {
                    let w = mark[1..].parse::<u8>().unwrap_or(1);
                    let top = *weights.last().unwrap_or(&DEFAULT_WEIGHT);
                    weights.push(if weights.len() == 1 {
                        w.min(10) * 24
                    } else {
                        top
                    });
                }
                Some(b'e') => {
                    weights.pop();
                }
                Some(b'a') => {
                    if let Some((element, id, text)) =
                        mark[1..].parse::<usize>().ok().and_then(|i| anchors.get(i))
                    {
                        digest.anchors.push(Anchor {
                            element: element.clone(),
                            id: id.clone(),
                            text: normalise_text(&normalise_text(text)),
                            location: digest.words.len() as u32,
                        });
                    }
                }
                _ => {}
            }
            continue;
        }
        // A zero-width space is three bytes, the first 0xE2: most words have
        // no such byte, and looking for it is much cheaper than for the
        // character.
        let word: Cow<str> = if token.as_bytes().contains(&0xE2) && token.contains('\u{200B}') {
            Cow::Owned(token.replace('\u{200B}', ""))
        } else {
            Cow::Borrowed(token)
        };
        if word.is_empty() {
            continue;
        }
        let weight = *weights.last().unwrap_or(&DEFAULT_WEIGHT);
        digest.push(&word, weight);
    }
    digest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_as_sentences_and_headings_weigh_more() {
        let d = digest("<h1>Budget 2025</h1><p>Godkendt af <strong>DAS</strong></p>\n<p>Ja!</p>");
        assert_eq!(d.content, "Budget 2025. Godkendt af DAS. Ja!");
        let weights: Vec<u8> = d.words().map(|w| w.1).collect();
        assert_eq!(weights, vec![168, 168, 24, 24, 24, 24]);
        assert_eq!(d.word_count(), 6);
    }

    #[test]
    fn an_element_with_an_id_is_an_anchor_at_its_first_word() {
        let d =
            digest("<h1>Tilsyn</h1><h2 id=\"punkt-4-beslutning\">Beslutning</h2><p>Godkendt.</p>");
        assert_eq!(
            d.anchors,
            vec![Anchor {
                element: "h2".into(),
                id: "punkt-4-beslutning".into(),
                text: "Beslutning".into(),
                location: 1,
            }]
        );
        assert_eq!(d.words().nth(1), Some(("Beslutning.", 144)));
    }

    #[test]
    fn entities_are_decoded_and_a_line_break_separates_words() {
        let d = digest("<p>AT&amp;T&nbsp;og<br />Novo</p>");
        assert_eq!(d.content, "AT&T og Novo.");
    }

    #[test]
    fn scripts_and_styles_add_no_words() {
        let d = digest("<p>a</p><script>var x = '<p>';</script><style>p{}</style><p>b</p>");
        assert_eq!(d.content, "a. b.");
    }

    #[test]
    fn normalising_trims_and_collapses_white_space() {
        assert_eq!(normalise_text("\n Hej  med\n dig \n"), "Hej med dig");
        assert_eq!(normalise_text("a\tb"), "a\tb");
        assert_eq!(normalise_text("a\r\n\r\nb"), "a b");
    }
}
