//! HTML fragments and link residue in extracted text, turned into Markdown.
//! Nothing is passed through as raw HTML: known inline tags become Markdown
//! emphasis, paragraphs and list items become separate blocks, and every
//! other tag is dropped while its text is kept.

use regex::Regex;
use std::sync::LazyLock;

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"</?([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*/?>"#).unwrap()
});

static EMPTY_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\[]+)\]\(\s*(?:#[^)\s]*)?\s*\)").unwrap());

static HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)href\s*=\s*["']([^"']*)["']"#).unwrap());

/// Does the text contain an HTML tag?
pub fn has_tag(s: &str) -> bool {
    TAG.is_match(s)
}

/// One piece of converted HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A paragraph of inline Markdown.
    Para(String),
    /// A list item with its nesting depth (0 = top level) and its number if
    /// it belongs to an ordered list whose items carry no visible marker.
    Item { depth: usize, text: String },
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Replaces Markdown links without a real target (`[her](#)`) by their text.
pub fn drop_empty_links(s: &str) -> String {
    EMPTY_LINK.replace_all(s, "$1").into_owned()
}

/// Converts a fragment of HTML into paragraphs and list items.
pub fn to_pieces(s: &str) -> Vec<Piece> {
    let s = drop_empty_links(s);
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut cur_is_item: Option<usize> = None;
    let mut depth: usize = 0;
    let mut emphasis: Vec<(String, usize)> = Vec::new();
    let mut link_target: Option<String> = None;
    let mut link_text_start = 0usize;
    let mut pos = 0;

    fn flush(pieces: &mut Vec<Piece>, cur: &mut String, item: Option<usize>) {
        let text = super::clean::normalise_ws(cur);
        if !text.trim_matches(['*', ' ']).is_empty() {
            match item {
                Some(depth) => pieces.push(Piece::Item { depth, text }),
                None => pieces.push(Piece::Para(text)),
            }
        }
        cur.clear();
    }

    for m in TAG.find_iter(&s) {
        cur.push_str(&decode_entities(&s[pos..m.start()]));
        pos = m.end();
        let tag = m.as_str();
        let closing = tag.starts_with("</");
        let name = TAG.captures(tag).unwrap()[1].to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "br" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "table", _) => {
                flush(&mut pieces, &mut cur, cur_is_item);
                emphasis.clear();
                if name != "br" {
                    cur_is_item = None;
                }
            }
            ("ul" | "ol", false) => {
                flush(&mut pieces, &mut cur, cur_is_item);
                emphasis.clear();
                cur_is_item = None;
                depth += 1;
            }
            ("ul" | "ol", true) => {
                flush(&mut pieces, &mut cur, cur_is_item);
                emphasis.clear();
                cur_is_item = None;
                depth = depth.saturating_sub(1);
            }
            ("li", false) => {
                flush(&mut pieces, &mut cur, cur_is_item);
                emphasis.clear();
                cur_is_item = Some(depth.saturating_sub(1));
            }
            ("li", true) => {
                flush(&mut pieces, &mut cur, cur_is_item);
                emphasis.clear();
                cur_is_item = None;
            }
            ("i" | "em" | "b" | "strong", false) => {
                let marker = if name == "i" || name == "em" {
                    "*"
                } else {
                    "**"
                };
                emphasis.push((marker.to_string(), cur.len()));
            }
            ("i" | "em" | "b" | "strong", true) => {
                let marker = if name == "i" || name == "em" {
                    "*"
                } else {
                    "**"
                };
                if let Some(idx) = emphasis.iter().rposition(|(m, _)| m == marker) {
                    let (_, start) = emphasis.remove(idx);
                    if start <= cur.len() {
                        let segment = cur[start..].to_string();
                        let inner = segment.trim();
                        cur.truncate(start);
                        if !inner.is_empty() {
                            if segment.starts_with(char::is_whitespace) {
                                cur.push(' ');
                            }
                            cur.push_str(&format!("{marker}{inner}{marker}"));
                            if segment.ends_with(char::is_whitespace) {
                                cur.push(' ');
                            }
                        }
                    }
                }
            }
            ("a", false) => {
                link_target = HREF
                    .captures(tag)
                    .map(|c| c[1].trim().to_string())
                    .filter(|t| {
                        !t.is_empty()
                            && !t.starts_with('#')
                            && !t.to_ascii_lowercase().starts_with("javascript:")
                    });
                link_text_start = cur.len();
            }
            ("a", true) => {
                if let Some(target) = link_target.take() {
                    let text = cur[link_text_start..].to_string();
                    cur.truncate(link_text_start);
                    cur.push_str(&format!("[{}]({})", text.trim(), target));
                }
            }
            _ => {}
        }
    }
    cur.push_str(&decode_entities(&s[pos..]));
    flush(&mut pieces, &mut cur, cur_is_item);
    pieces
}

/// Converts HTML to one line of inline Markdown, e.g. for a table cell:
/// paragraphs and list items are separated by spaces.
pub fn to_inline(s: &str) -> String {
    to_pieces(s)
        .into_iter()
        .map(|p| match p {
            Piece::Para(t) => t,
            Piece::Item { text, .. } => text,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes all tags, keeping the text (used for plain values like titles).
pub fn strip_tags(s: &str) -> String {
    super::clean::normalise_ws(&decode_entities(
        &TAG.replace_all(&drop_empty_links(s), " "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_links_become_text() {
        assert_eq!(
            drop_empty_links("Referatet kan findes [her](#)"),
            "Referatet kan findes her"
        );
        assert_eq!(drop_empty_links("[a](https://x.dk)"), "[a](https://x.dk)");
    }

    #[test]
    fn paragraphs_and_emphasis() {
        let p = to_pieces("<p><i>Fælles kompetenceudvikling</i></p> <p>Der afholdes kurser.</p>");
        assert_eq!(
            p,
            vec![
                Piece::Para("*Fælles kompetenceudvikling*".into()),
                Piece::Para("Der afholdes kurser.".into())
            ]
        );
    }

    #[test]
    fn lists_and_unknown_tags() {
        let p = to_pieces("<ul><li>En</li><li><u>To</u></li></ul><span>tre</span>");
        assert_eq!(
            p,
            vec![
                Piece::Item {
                    depth: 0,
                    text: "En".into()
                },
                Piece::Item {
                    depth: 0,
                    text: "To".into()
                },
                Piece::Para("tre".into())
            ]
        );
        assert_eq!(to_inline("<i>Region Syd:</i>"), "*Region Syd:*");
        assert_eq!(
            strip_tags("<ol style=\"list-style-type: none\">1. A"),
            "1. A"
        );
    }

    #[test]
    fn real_links_survive() {
        assert_eq!(
            to_inline("se <a href=\"https://x.dk/a.pdf\">bilaget</a>"),
            "se [bilaget](https://x.dk/a.pdf)"
        );
        assert_eq!(
            to_inline("se <a href=\"javascript:alert(1)\">her</a>"),
            "se her"
        );
    }
}
