//! Markdown to safe HTML: pulldown-cmark with tables, footnotes and heading
//! ids, syntect for code blocks (CSS classes, no inline colours), and ammonia
//! to remove scripts, event handlers and `javascript:` addresses.

use crate::nesting;
use crate::slug::slugify;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The CSS class prefix of highlighted code: `<span class="hl-keyword">`.
pub const CODE_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tags(["input"])
            .filter_style_properties(["text-align"].into())
            .url_schemes(["http", "https", "mailto", "tel"].into())
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

/// What a piece of Markdown becomes HTML for: the page at hand.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Makes the ids of headings and footnotes unique on a page that holds
    /// many pieces: `punkt-4`.
    pub id_prefix: &'a str,
    /// The level its first heading gets; the others follow without skipping
    /// a level, so the text fits under the page's own headings.
    pub top: u8,
    /// Words turned into links where they appear in running text (not
    /// inside links or code): `(words, address)`.
    pub links: &'a [(String, String)],
    /// On a page other than the one the text belongs to (an item's own
    /// page): the address of that page, where links to its other parts
    /// (`#punkt-1`) lead, and the anchor whose parts are on this page too
    /// (`punkt-4`: links to `#punkt-4-…` stay).
    pub fragments_to: Option<(&'a str, &'a str)>,
}

impl<'a> Context<'a> {
    pub fn new(id_prefix: &'a str, top: u8) -> Self {
        Context {
            id_prefix,
            top,
            links: &[],
            fragments_to: None,
        }
    }

    pub fn linking(self, links: &'a [(String, String)]) -> Self {
        Context { links, ..self }
    }

    pub fn fragments_to(self, page: &'a str, own: &'a str) -> Self {
        Context {
            fragments_to: Some((page, own)),
            ..self
        }
    }

    /// The address a link to `#fragment` leads to on this page.
    fn fragment<'t>(&self, dest: &'t str) -> Cow<'t, str> {
        match (self.fragments_to, dest.strip_prefix('#')) {
            (Some((page, own)), Some(fragment))
                if !fragment
                    .strip_prefix(own)
                    .is_some_and(|rest| rest.starts_with('-')) =>
            {
                Cow::Owned(format!("{page}#{fragment}"))
            }
            _ => Cow::Borrowed(dest),
        }
    }

    /// Raw HTML of the text with its `href="#…"` set as [`Context::fragment`] says.
    fn raw_html<'t>(&self, html: CowStr<'t>) -> CowStr<'t> {
        if self.fragments_to.is_none() || !html.contains("href=\"#") {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest: &str = &html;
        while let Some(at) = rest.find("href=\"#") {
            out.push_str(&rest[..at + "href=\"".len()]);
            rest = &rest[at + "href=\"".len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push_str(&self.fragment(&rest[..end]));
            rest = &rest[end..];
        }
        out.push_str(rest);
        CowStr::from(out)
    }
}

/// The words of a piece of Markdown without markup, for search, similarity
/// and excerpts: paragraphs, list items and table cells end a line, code
/// keeps its text, raw HTML is left out; whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock,
            ) => text.push('\n'),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders Markdown to sanitized HTML for the page `ctx` describes.
pub fn to_html(markdown: &str, ctx: &Context) -> String {
    let Context {
        id_prefix,
        top,
        links,
        ..
    } = *ctx;
    let mut levels = Levels::new(top);
    let parser = Parser::new_ext(markdown, OPTIONS);

    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None; // (language, source)
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut heading_start: Option<usize> = None;
    let mut link_depth = 0usize;
    // Only text with raw HTML or odd link addresses needs the sanitizer:
    // everything else pulldown-cmark escapes itself.
    let mut needs_cleaning = false;

    for event in parser {
        if let Some((_, source)) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    source.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, source) = code.take().unwrap_or_default();
                    events.push(Event::Html(highlight(&lang, &source).into()));
                    continue;
                }
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading_start = Some(events.len());
                // `# T {onclick=x}` gives any attribute: the sanitizer
                // keeps only the allowed ones.
                needs_cleaning |= !attrs.is_empty();
                events.push(Event::Start(Tag::Heading {
                    level: levels.open(level),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                // Give the heading an id from its text unless it has one.
                if let Some(start) = heading_start.take() {
                    let heading_text: String = events[start + 1..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let base = match id {
                            Some(given) => slugify(given),
                            None => slugify(&heading_text),
                        };
                        let wanted = format!(
                            "{id_prefix}-{}",
                            if base.is_empty() { "afsnit" } else { &base }
                        );
                        *id = Some(CowStr::from(unique(&mut used_ids, wanted)));
                    }
                }
                let _ = level;
                events.push(Event::End(TagEnd::Heading(levels.current())));
            }
            Event::FootnoteReference(label) => {
                let next = footnotes.len() + 1;
                let n = *footnotes.entry(label.to_string()).or_insert(next);
                let slug = slugify(&label);
                events.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{id_prefix}-fn-{slug}\" id=\"{id_prefix}-fnref-{slug}\">{n}</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let next = footnotes.len() + 1;
                let n = *footnotes.entry(label.to_string()).or_insert(next);
                let slug = slugify(&label);
                events.push(Event::Html(
                    format!(
                        "<div class=\"footnote-definition\" id=\"{id_prefix}-fn-{slug}\"><sup class=\"footnote-definition-label\"><a href=\"#{id_prefix}-fnref-{slug}\">{n}</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                events.push(Event::Html("</div>".into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                needs_cleaning |= !safe_url(&dest_url);
                link_depth += 1;
                let dest_url = match ctx.fragment(&dest_url) {
                    Cow::Borrowed(_) => dest_url,
                    Cow::Owned(to) => CowStr::from(to),
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                needs_cleaning |= !safe_url(dest_url);
                events.push(event);
            }
            Event::Html(html) => {
                needs_cleaning = true;
                events.push(Event::Html(ctx.raw_html(html)));
            }
            Event::InlineHtml(html) => {
                needs_cleaning = true;
                events.push(Event::InlineHtml(ctx.raw_html(html)));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Text(t) => {
                if link_depth == 0 && !links.is_empty() && heading_start.is_none() {
                    push_linked(&mut events, &t, links);
                } else {
                    events.push(Event::Text(t));
                }
            }
            other => events.push(other),
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    // No element nests deeper than the limit, before the sanitizer parses
    // the HTML and after it (see `nesting`).
    let flat = |html: String| match nesting::flatten_html(&html, nesting::MAX_DEPTH) {
        Cow::Borrowed(_) => html,
        Cow::Owned(flat) => flat,
    };
    let raw = flat(raw);
    scrollable(if needs_cleaning {
        flat(sanitizer().clean(&raw).to_string())
    } else {
        raw
    })
}

/// A link address that needs no cleaning: relative, or a plain scheme.
fn safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a path or query character is no scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            ["http", "https", "mailto", "tel"].contains(&&lower[..colon])
        }
    }
}

/// Pushes `text` with every occurrence of a link's words wrapped in a link.
fn push_linked(events: &mut Vec<Event>, text: &str, links: &[(String, String)]) {
    let mut rest = text;
    loop {
        let next = links
            .iter()
            .filter(|(words, _)| !words.is_empty())
            .filter_map(|(words, href)| rest.find(words.as_str()).map(|at| (at, words, href)))
            .min_by_key(|(at, words, _)| (*at, std::cmp::Reverse(words.len())));
        let Some((at, words, href)) = next else {
            break;
        };
        if at > 0 {
            events.push(Event::Text(CowStr::from(rest[..at].to_string())));
        }
        events.push(Event::Html(
            format!("<a class=\"ref\" href=\"{}\">", escape(href)).into(),
        ));
        events.push(Event::Text(CowStr::from(words.clone())));
        events.push(Event::Html("</a>".into()));
        rest = &rest[at + words.len()..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_string())));
    }
}

/// Tables and code blocks scroll sideways in a box of their own on a narrow
/// screen; a keyboard reaches such a box only when it can take the focus.
fn scrollable(html: String) -> String {
    if !html.contains("<table") && !html.contains("<pre") {
        return html;
    }
    static OPEN: OnceLock<regex::Regex> = OnceLock::new();
    let open = OPEN.get_or_init(|| regex::Regex::new(r"<(table|pre)(\s[^>]*)?>").unwrap());
    let html = open.replace_all(&html, |c: &regex::Captures| match &c[1] {
        "table" => format!("<div class=\"table-scroll\" tabindex=\"0\">{}", &c[0]),
        _ => format!(
            "<pre tabindex=\"0\"{}>",
            c.get(2).map_or("", |m| m.as_str())
        ),
    });
    html.replace("</table>", "</table></div>")
}

/// Maps the author's heading levels onto the page's: the first heading
/// becomes `top`, deeper ones go one level down at a time, and none rises
/// above `top`.
struct Levels {
    top: u8,
    /// The last heading: the author's level and the level given.
    last: Option<(u8, u8)>,
}

impl Levels {
    fn new(top: u8) -> Self {
        Levels {
            top: top.clamp(1, 6),
            last: None,
        }
    }

    fn open(&mut self, level: HeadingLevel) -> HeadingLevel {
        let wanted = level as u8;
        let given = match self.last {
            None => self.top,
            Some((prev_in, prev_out)) if wanted > prev_in => (prev_out + 1).min(6),
            Some((prev_in, prev_out)) if wanted == prev_in => prev_out,
            Some((prev_in, prev_out)) => prev_out.saturating_sub(prev_in - wanted).max(self.top),
        };
        self.last = Some((wanted, given));
        Self::level(given)
    }

    fn current(&self) -> HeadingLevel {
        Self::level(self.last.map_or(self.top, |(_, out)| out))
    }

    fn level(n: u8) -> HeadingLevel {
        match n {
            1 => HeadingLevel::H1,
            2 => HeadingLevel::H2,
            3 => HeadingLevel::H3,
            4 => HeadingLevel::H4,
            5 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        }
    }
}

fn unique(used: &mut HashSet<String>, wanted: String) -> String {
    if used.insert(wanted.clone()) {
        return wanted;
    }
    (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(wanted)
}

fn highlight(lang: &str, source: &str) -> String {
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten()
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CODE_CLASS_STYLE);
    for line in LinesWithEndings::from(source) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre><code>{}</code></pre>", escape(source));
        }
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", slugify(lang))
    };
    format!(
        "<pre class=\"code\"><code{class}>{}</code></pre>",
        generator.finalize()
    )
}

/// Escapes text for HTML and XML, in element content and attribute values
/// alike: the one escaper of every output. Control characters that XML 1.0
/// does not allow at all (and HTML does not want) are left out.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_runs(s, |run| {
        out.push_str(run);
        Ok(())
    })
    .ok();
    out
}

/// [`escape`], written to `out`: the escaping of the theme's templates.
pub fn escape_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(s, |run| out.write_all(run.as_bytes()))
}

/// Hands the escaped text of `s` to `put`, run by run.
fn escape_runs(s: &str, mut put: impl FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()> {
    // What each byte becomes, when not itself: every byte that needs it is
    // ASCII, so runs between them are copied whole (pages escape every
    // value they show).
    const SPECIAL: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
            b += 1;
        }
        t[b'&' as usize] = true;
        t[b'<' as usize] = true;
        t[b'>' as usize] = true;
        t[b'"' as usize] = true;
        t[b'\'' as usize] = true;
        t
    };
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !SPECIAL[b as usize] {
            continue;
        }
        put(&s[from..i])?;
        put(match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // Other control characters are dropped.
            _ => "",
        })?;
        from = i + 1;
    }
    put(&s[from..])
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_turns_markup_into_text_and_drops_control_characters() {
        // What the escaper must do, a character at a time.
        fn by_char(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
                    c => out.push(c),
                }
            }
            out
        }
        for s in [
            "",
            "plain",
            "<script>alert('x')</script>",
            "Ældre & børn \"i\" fokus",
            "a\u{0}b\u{1f}c\td\ne\rf\u{7f}",
            "æøå<æøå>€&😀'",
            "&&&<<<>>>",
            "\u{b}",
        ] {
            assert_eq!(escape(s), by_char(s), "{s:?}");
        }
        assert_eq!(escape("a<b"), "a&lt;b");
    }

    struct Rendered {
        html: String,
        text: String,
    }

    fn render(markdown: &str, prefix: &str, top: u8) -> Rendered {
        Rendered {
            html: to_html(markdown, &Context::new(prefix, top)),
            text: plain_text(markdown),
        }
    }

    fn render_t(markdown: &str, prefix: &str) -> Rendered {
        render(markdown, prefix, 4)
    }

    #[test]
    fn heading_levels_start_at_the_top_given_and_never_skip() {
        let r = render("#### A\n\n###### B\n\n# C\n\n## D\n", "p", 3);
        let levels: Vec<&str> = r
            .html
            .match_indices("<h")
            .map(|(i, _)| &r.html[i..i + 3])
            .collect();
        assert_eq!(levels, vec!["<h3", "<h4", "<h3", "<h4"], "{}", r.html);
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let r = render(
            "Tekst <script>alert(1)</script> og <img src=x onerror=\"alert(2)\"> og [klik](javascript:alert(3))\n\n<div onclick=\"x()\">boks</div>",
            "punkt-1",
            4,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("alert"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(r.html.contains("boks"));
        let r = render("# T {onclick=x .k #i}\n", "p", 4);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(
            r.html.contains("<h4 id=\"p-i\" class=\"k\">T</h4>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn markdown_links_with_odd_schemes_are_cleaned_too() {
        let r = render_t("[a](javascript:alert(1)) [b](JaVaScRiPt:x) ![c](data:text/html,x) [d](/ok) [e](https://x.dk)", "p");
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(r.html.contains("href=\"/ok\""));
        assert!(r.html.contains("href=\"https://x.dk\""));
        assert!(
            safe_url("/a:b") && safe_url("#x") && safe_url("bilag.pdf") && !safe_url(" vbscript:x")
        );
    }

    #[test]
    fn tables_and_lists() {
        let r = render_t("| a | b |\n|---|--:|\n| 1 | 2 |\n\n- x\n- y\n", "p");
        assert!(
            r.html
                .contains("<div class=\"table-scroll\" tabindex=\"0\"><table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("</table></div>"));
        assert!(
            r.html.contains("<td style=\"text-align: right\">2</td>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<li>x</li>"));
        // A table written as HTML scrolls in its box the same way.
        let r = render_t("<table class=\"t\"><tr><td>1</td></tr></table>\n", "p");
        assert_eq!(
            r.html.matches("<div class=\"table-scroll\"").count(),
            1,
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("</div>").count(), 1, "{}", r.html);
    }

    #[test]
    fn headings_get_prefixed_unique_ids_and_sit_under_sections() {
        let r = render(
            "#### Drøftelse\n\ntekst\n\n#### Drøftelse\n\n# Stor\n",
            "punkt-4",
            4,
        );
        assert!(
            r.html
                .contains("<h4 id=\"punkt-4-droeftelse\">Drøftelse</h4>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"punkt-4-droeftelse-2\""));
        assert!(r.html.contains("<h4 id=\"punkt-4-stor\">"));
    }

    #[test]
    fn footnotes_are_prefixed() {
        let r = render_t("Se note.[^1]\n\n[^1]: Noten.\n", "punkt-2");
        assert!(r.html.contains("href=\"#punkt-2-fn-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"punkt-2-fn-1\""), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render_t("```json\n{\"a\": 1}\n```\n", "p");
        assert!(
            r.html
                .contains("<pre tabindex=\"0\" class=\"code\"><code class=\"language-json\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style=\"color"), "{}", r.html);
    }

    #[test]
    fn referenced_words_become_links_outside_links_and_code() {
        let links = vec![(
            "4. april 2024".to_string(),
            "/das/2024-04-04-referat/#punkt-4".to_string(),
        )];
        let md = "På mødet den 4. april 2024 og [4. april 2024](/x) og `4. april 2024`.";
        let r = Rendered {
            html: to_html(md, &Context::new("p", 4).linking(&links)),
            text: plain_text(md),
        };
        assert_eq!(
            r.html
                .matches(
                    "<a class=\"ref\" href=\"/das/2024-04-04-referat/#punkt-4\">4. april 2024</a>"
                )
                .count(),
            1,
            "{}",
            r.html
        );
        assert!(r.text.contains("mødet den 4. april 2024 og"));
    }

    #[test]
    fn on_another_page_links_to_other_parts_lead_back() {
        let md = "[1](#punkt-1) [n](#punkt-2-fn-1) [x](/y#z) <a href=\"#punkt-3\">3</a>";
        let html = to_html(
            md,
            &Context::new("punkt-2-beslutning", 3).fragments_to("/m/", "punkt-2"),
        );
        assert!(html.contains("href=\"/m/#punkt-1\""), "{html}");
        assert!(html.contains("href=\"#punkt-2-fn-1\""), "{html}");
        assert!(html.contains("href=\"/y#z\""), "{html}");
        assert!(html.contains("href=\"/m/#punkt-3\""), "{html}");
        let same = to_html(md, &Context::new("punkt-2-beslutning", 3));
        assert!(same.contains("href=\"#punkt-1\""), "{same}");
    }

    #[test]
    fn plain_text_is_extracted() {
        let r = render_t("Første *afsnit*.\n\n- punkt\n", "p");
        assert_eq!(r.text, "Første afsnit. punkt");
    }
}
