//! The theme made small once, when it is loaded, instead of every page after
//! it is rendered: templates through minify-html with their Tera syntax left
//! alone, the stylesheet and scripts as assets. The text of meetings is not
//! touched, so whitespace in `<pre>` and between inline elements stays as the
//! Markdown renderer made it.
//!
//! minify-html leaves template syntax alone only where it stands in text.
//! A template is therefore kept as it is when its syntax stands inside a tag
//! other than in a quoted attribute value (`<h{{ level }}>`,
//! `<li{% if x %} class="x"{% endif %}>`), or when minifying changed, moved
//! or dropped any of it; then only the line breaks next to block elements go.

/// The template's text made small, or the template as it is where that is
/// not safe.
pub fn template(text: &str) -> String {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: false,
        minify_css: false,
        minify_js: false,
        minify_doctype: false,
        preserve_brace_template_syntax: true,
        ..minify_html::Cfg::default()
    };
    let before = scan(text);
    if before.safe && !text.contains("{% raw") {
        let minified = minify_html::minify(text.as_bytes(), &cfg);
        if let Ok(minified) = String::from_utf8(minified) {
            let after = scan(&minified);
            if after.safe && after.tokens == before.tokens && after.tags == before.tags {
                return minified;
            }
        }
    }
    line_breaks(text)
}

/// What a template holds: its Tera tags and its HTML tags, in order, and
/// whether every Tera tag stands in text or in a quoted attribute value.
#[derive(Debug, PartialEq)]
struct Scan<'a> {
    tokens: Vec<&'a str>,
    tags: Vec<String>,
    safe: bool,
}

fn scan(text: &str) -> Scan<'_> {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Text,
        Tag,
        Quoted(u8),
        /// Inside `<script>` or `<style>`, up to its end tag.
        Raw,
    }
    let bytes = text.as_bytes();
    let mut scan = Scan {
        tokens: Vec::new(),
        tags: Vec::new(),
        safe: true,
    };
    let mut at = At::Text;
    let mut raw_end = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("{{") || rest.starts_with("{%") || rest.starts_with("{#") {
            let close = match &rest[..2] {
                "{{" => "}}",
                "{%" => "%}",
                _ => "#}",
            };
            let len = rest[2..].find(close).map_or(rest.len(), |e| e + 4);
            let token = &rest[..len];
            // Comments may go; what renders must stay.
            if !token.starts_with("{#") {
                scan.tokens.push(token);
                if at == At::Tag {
                    scan.safe = false;
                }
            }
            i += len;
            continue;
        }
        let b = bytes[i];
        match at {
            At::Text if b == b'<' => {
                if rest.starts_with("<!--") {
                    i += rest.find("-->").map_or(rest.len(), |e| e + 3);
                    continue;
                }
                let closing = rest.starts_with("</");
                let name: String = rest[if closing { 2 } else { 1 }..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !name.is_empty() {
                    scan.tags
                        .push(format!("{}{name}", if closing { "/" } else { "" }));
                    at = At::Tag;
                    if !closing && (name == "script" || name == "style") {
                        raw_end = format!("</{name}");
                    }
                }
            }
            At::Tag if b == b'>' => {
                at = if raw_end.is_empty() {
                    At::Text
                } else {
                    At::Raw
                }
            }
            At::Tag if b == b'"' || b == b'\'' => at = At::Quoted(b),
            At::Quoted(q) if b == q => at = At::Tag,
            At::Raw
                if rest.len() >= raw_end.len()
                    && rest[..raw_end.len()].eq_ignore_ascii_case(&raw_end) =>
            {
                raw_end.clear();
                at = At::Text;
                continue;
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    scan
}

/// Elements whose start and end tags may lose the line breaks beside them
/// without changing how the page reads.
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "meta",
    "link",
    "title",
    "script",
    "style",
    "header",
    "footer",
    "nav",
    "main",
    "section",
    "article",
    "aside",
    "div",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "h",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "details",
    "summary",
    "blockquote",
    "form",
    "fieldset",
    "figure",
    "!doctype",
];

/// The safe part of minifying: a line break between two tags goes when one
/// of them is a block element's.
fn line_breaks(text: &str) -> String {
    let tag_name = |tag: &str| -> String {
        tag.trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        let Some(next) = lines.get(n + 1) else {
            break;
        };
        let joinable = line.ends_with('>') && next.starts_with('<') && {
            let last = &line[line.rfind('<').unwrap_or(0)..];
            BLOCKS.contains(&tag_name(last).as_str()) || BLOCKS.contains(&tag_name(next).as_str())
        };
        if !joinable {
            out.push('\n');
        }
    }
    out
}

/// A stylesheet made small, or as it is if the minifier cannot read it.
pub fn css(text: &[u8]) -> Vec<u8> {
    wrapped(text, "style", true, false)
}

/// A script made small, or as it is if the minifier cannot read it.
pub fn js(text: &[u8]) -> Vec<u8> {
    wrapped(text, "script", false, true)
}

fn wrapped(text: &[u8], element: &str, css: bool, js: bool) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        minify_css: css,
        minify_js: js,
        ..minify_html::Cfg::default()
    };
    let (open, close) = (format!("<{element}>"), format!("</{element}>"));
    let mut input = open.clone().into_bytes();
    input.extend_from_slice(text);
    input.extend_from_slice(close.as_bytes());
    let out = minify_html::minify(&input, &cfg);
    match out
        .strip_prefix(open.as_bytes())
        .and_then(|o| o.strip_suffix(close.as_bytes()))
    {
        Some(inner) if !inner.is_empty() || text.iter().all(u8::is_ascii_whitespace) => {
            let mut inner = inner.to_vec();
            inner.push(b'\n');
            inner
        }
        _ => text.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_syntax_in_text_and_quoted_values_is_kept() {
        let t = "<ul>\n{% for b in bodies %}<li><a href=\"{{ b.url }}\">{{ b.label }}</a></li>\n{% endfor %}\n</ul>\n";
        let small = template(t);
        assert!(small.len() < t.len(), "{small}");
        assert!(small.contains("href=\"{{ b.url }}\""), "{small}");
        assert!(small.contains("{% for b in bodies %}"), "{small}");
        assert!(small.contains("{% endfor %}"), "{small}");
    }

    #[test]
    fn inline_elements_keep_the_space_between_them() {
        let t = "<p><a href=\"{{ u }}\">{{ a }}</a>\n<span class=\"meta\">{{ b }}</span></p>";
        let small = template(t);
        assert!(small.contains("</a> <span"), "{small}");
    }

    #[test]
    fn template_syntax_inside_a_tag_keeps_the_template_as_it_is() {
        let t = "<section>\n<h{{ hi }} class=\"item-heading\">{{ title }}</h{{ hi }}>\n<li{% if closed %} class=\"closed\"{% endif %}>x</li>\n</section>";
        let small = template(t);
        assert!(small.contains("<h{{ hi }} class=\"item-heading\">{{ title }}</h{{ hi }}>"));
        assert!(small.contains("<li{% if closed %} class=\"closed\"{% endif %}>"));
        assert!(!small.contains("<section>\n"), "{small}");
    }

    #[test]
    fn line_breaks_between_inline_tags_stay() {
        assert_eq!(
            line_breaks("<a>x</a>\n<span>y</span>"),
            "<a>x</a>\n<span>y</span>"
        );
        assert_eq!(
            line_breaks("<li>x</li>\n<li>y</li>"),
            "<li>x</li><li>y</li>"
        );
    }

    #[test]
    fn script_bodies_are_not_read_as_markup() {
        let s = scan("<script>if (a < b) { x = \"{{ y }}\" }</script><p>{{ z }}</p>");
        assert!(s.safe);
        assert_eq!(s.tokens, vec!["{{ y }}", "{{ z }}"]);
        assert_eq!(s.tags, vec!["script", "/script", "p", "/p"]);
    }

    #[test]
    fn stylesheets_get_smaller_and_stay_whole() {
        let css = b"body {\n  color: #ff0000;\n}\n\n.a  .b { margin: 0px; }\n";
        let small = super::css(css);
        assert!(small.len() < css.len());
        let text = String::from_utf8(small).unwrap();
        assert!(text.contains(".a .b"), "{text}");
    }

    #[test]
    fn the_same_text_gives_the_same_bytes() {
        let t = "<main>\n<p>{{ a }}</p>\n</main>\n";
        assert_eq!(template(t), template(t));
    }
}
