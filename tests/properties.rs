//! Property tests over every reader of user input: the meeting-file parser,
//! the Markdown renderer with its sanitizer, the date references, the slug
//! and alias rules and the importer. Random and hostile inputs never panic,
//! stay within bounds, and never give an executable element, an event
//! handler or a `javascript:` address.
//!
//! Each property runs 256 cases; `PROPTEST_CASES=5000 cargo test --test
//! properties` runs more. Inputs large enough to hang a quadratic step run
//! once each, at the end.

use chrono::NaiveDate;
use proptest::prelude::*;
use protokol::content::meeting;
use protokol::import;
use protokol::markdown;
use protokol::model::link::dates;
use protokol::slug::{is_slug, slugify};
use std::path::{Component, Path};

/// Pieces of hostile HTML and Markdown.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.dk/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" ONERROR=\"alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\" javascript:x\">x</a>",
    "<a href=\"vbscript:x\">x</a>",
    "<a href=\"data:text/html,<script>x</script>\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![i](javascript:x)",
    "![i](data:image/svg+xml,<svg onload=x>)",
    "[r]: javascript:x\n\n[r]",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>x</script></svg>",
    "<math><mi xlink:href=\"javascript:x\">m</mi></math>",
    "<iframe src=\"x\"></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "<base href=\"javascript:x\">",
    "<form action=\"javascript:x\"><button>b</button></form>",
    "<style>body{background:url(javascript:x)}</style>",
    "<div style=\"background:url(javascript:x)\">d</div>",
    "<td style=\"text-align:right;background:url(x)\">t</td>",
    "<input type=checkbox onfocus=x autofocus>",
    "<details open ontoggle=x>d</details>",
    "<video><source onerror=x></video>",
    "<a href=\"#x\" onmouseover=x>x</a>",
    "<img srcset=\"javascript:x 1x\">",
    "<meta http-equiv=refresh content=\"0;url=javascript:x\">",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!-- <script>x</script> -->",
    "<![CDATA[<script>x</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><script>x</script></textarea>",
    "```html\n<script>x</script>\n```",
    "`<script>`",
    "{#x onclick=y}",
    "# T {onclick=x}",
    "<p onclick=x>p</p>",
    "<div>",
    "</div>",
    "<em>",
    "<b>",
    "> ",
    "- ",
    "1. ",
    "* ",
    "**",
    "_",
    "~~",
    "[",
    "](",
    ")",
    "|a|b|\n|-|-:|\n|1|2|\n",
    "[^1]",
    "[^1]: note",
    "# ",
    "### ",
    "    code",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "\u{0}",
    "\u{1b}",
    "\u{202e}",
    "\r\n",
    "\u{feff}",
    "\n",
    "\n\n",
    "ææ øø åå",
    "4. april 2024",
];

fn hostile_markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            1 => any::<String>(),
            1 => "[ -~]{0,12}",
            1 => (prop::sample::select(&["> ", "- ", "*", "<div>", "[", "1. "][..]), 1usize..200)
                .prop_map(|(s, n)| s.repeat(n)),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// The attributes of every tag a browser would see in `html`.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            i += 1;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"/>=".contains(&b[i]) {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_string();
                        i = (end + 1).min(b.len());
                    }
                    _ => {
                        let start = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = html[start..i].to_string();
                    }
                }
            }
            attrs.push((attr, value));
        }
        found.push((name, attrs));
    }
    found
}

/// An attribute value as a browser reads it: character references decoded,
/// whitespace and control characters (which browsers skip in a scheme)
/// removed, lowercase.
fn as_browser_reads(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let decoded = if let Some(hex) = entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

const EXECUTABLE: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "svg", "math", "form", "template", "noscript",
];

/// Fails when `html` could run anything in a browser.
fn assert_safe(html: &str) -> Result<(), TestCaseError> {
    for (name, attrs) in tags(html) {
        prop_assert!(!EXECUTABLE.contains(&name.as_str()), "<{name}> in {html}");
        for (attr, value) in attrs {
            prop_assert!(!attr.starts_with("on"), "{attr} on <{name}> in {html}");
            prop_assert!(attr != "srcdoc" && attr != "formaction", "{attr} in {html}");
            let v = as_browser_reads(&value);
            for scheme in ["javascript:", "vbscript:", "data:"] {
                prop_assert!(!v.starts_with(scheme), "{attr}=\"{value}\" in {html}");
            }
            if attr == "style" {
                prop_assert!(!v.contains("url(") && !v.contains("expression"), "{html}");
            }
        }
    }
    Ok(())
}

/// How deep the elements of `html` nest.
fn depth(html: &str) -> usize {
    const VOID: &[&str] = &["br", "hr", "img", "input", "wbr", "col", "source"];
    let (mut d, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let at = i + at;
        let rest = &html[at + 1..];
        if let Some(name) = rest.strip_prefix('/') {
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                d = d.saturating_sub(1);
            }
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !VOID.contains(&name.as_str()) {
                d += 1;
                deepest = deepest.max(d);
            }
        }
        i = at + 1;
    }
    deepest
}

fn meeting_line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "+++",
                "## 1. Godkendelse af dagsorden",
                "## Punkt 2. Orientering",
                "## 99999999999999999999. Stort tal",
                "## 0. Nul",
                "## 3.",
                "# Sager til behandling",
                "### Indstilling",
                "### Beslutning",
                "### Bilag",
                "### Ukendt afsnit",
                "#### Underafsnit",
                "case = \"12.34.56\"",
                "lukket = true",
                "closed = \"ja\"",
                "topics = [\"ukendt\"]",
                "aliases = [\"../../etc/passwd\"]",
                "aliases = [\"gammel/side.html\", \"/x/\"]",
                "aliases = [\"C:\\\\x\"]",
                "body = \"das-social\"",
                "date = 2024-05-27",
                "date = 2024-02-31",
                "date = 99999-01-01",
                "kind = \"referat\"",
                "start = \"25:99\"",
                "```",
                "~~~",
                "- [Bilag](../../../etc/passwd)",
                "- [Bilag](/bilag/a.pdf)",
                "\u{feff}",
                "",
            ][..]
        )
        .prop_map(str::to_string),
        hostile_markdown(),
    ]
}

fn meeting_file() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(meeting_line(), 0..30),
    )
        .prop_map(|(front, crlf, lines)| {
            let mut text = String::new();
            if front {
                text.push_str(
                    "+++\nbody = \"das-social\"\ndate = 2024-05-27\nkind = \"referat\"\n+++\n",
                );
            }
            text.push_str(&lines.join("\n"));
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        })
}

fn import_line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "Referat",
                "Dagsorden",
                "DAS Social",
                "Mødedato: 27. maj 2024",
                "Dato: 2024-05-27",
                "Tid: 13:00-16:00",
                "Sted: Rådhuset",
                "Deltagere: Anne, Bo og Carl",
                "Fraværende:",
                "1. Godkendelse af dagsorden",
                "Punkt 2. Orientering",
                "99999999999999999999. Stort",
                "Sagsnr.: 12.34.56-A00-1-24",
                "Indstilling",
                "Beslutning",
                "Bilag",
                "Side 1 af 3",
                "<b>fed <i>og kursiv</b></i>",
                "<ul><li>a<li>b</ul>",
                "<a href=\"javascript:x\">x</a>",
                "<table><tr><td>1</td></tr></table>",
                "\u{c}",
                "hyphen-",
                "\t",
                "",
            ][..]
        )
        .prop_map(str::to_string),
        hostile_markdown(),
    ]
}

fn import_text() -> impl Strategy<Value = String> {
    prop::collection::vec(import_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

/// A path below a folder that stays there.
fn stays_inside(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

/// Markdown as the meeting page shows it.
fn html(markdown: &str, top: u8) -> String {
    markdown::to_html(markdown, &markdown::Context::new("p", top))
}

proptest! {
    // `default()` reads PROPTEST_CASES; failures are shown, not stored.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn markdown_is_always_safe_and_shallow(md in hostile_markdown()) {
        let r = html(&md, 4);
        assert_safe(&r)?;
        prop_assert!(depth(&r) <= protokol::nesting::MAX_DEPTH + 4, "{}", r);
        prop_assert!(r.len() <= 64 * md.len() + 256);
        let links = vec![("april".to_string(), "/a/\"onclick=x".to_string())];
        let r = markdown::to_html(&md, &markdown::Context::new("p", 2).linking(&links));
        assert_safe(&r)?;
        let r = markdown::to_html(&md, &markdown::Context::new("p", 2).fragments_to("/m/\"x", "p"));
        assert_safe(&r)?;
    }

    #[test]
    fn meeting_files_parse_or_fail_with_a_position(text in meeting_file()) {
        match meeting::parse(Path::new("content/a.md"), &text) {
            Ok(m) => {
                for (alias, _) in m.aliases.iter().chain(m.items.iter().flat_map(|i| &i.aliases)) {
                    prop_assert!(stays_inside(&protokol::routes::alias_file(alias)), "{alias}");
                }
            }
            Err(e) => {
                prop_assert_eq!(e.path, Path::new("content/a.md"));
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn date_references_are_found_inside_the_text(text in hostile_markdown(), day in 0i32..40_000) {
        let written = NaiveDate::from_num_days_from_ce_opt(day + 700_000).unwrap();
        for m in dates::find(&text, written) {
            prop_assert!(m.span.start <= m.span.end && m.span.end <= text.len());
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        }
    }

    #[test]
    fn slugs_are_slugs(text in any::<String>()) {
        let s = slugify(&text);
        prop_assert!(s.is_empty() || is_slug(&s), "{s:?}");
        prop_assert_eq!(slugify(&s), s.clone());
        prop_assert!(s.len() <= 2 * text.len());
    }

    #[test]
    fn aliases_never_lead_out_of_the_site(alias in prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(&["..", ".", "/", "\\", "a", "%2e%2e", "C:", "x.html", "//", "\u{0}", " "][..]), 0..8)
            .prop_map(|p| p.concat()),
    ]) {
        if let Ok(path) = meeting::alias_path(&alias) {
            let file = protokol::routes::alias_file(&path);
            prop_assert!(stays_inside(&file), "{alias:?} → {file:?}");
            prop_assert!(!file.contains('\\'), "{alias:?} → {file:?}");
        }
    }

    #[test]
    fn the_importer_never_panics_and_writes_meeting_files(text in import_text()) {
        if let Ok(imported) = import::import_text(&text, "das-social") {
            prop_assert!(!imported.file_name.contains('/') && !imported.file_name.contains(".."));
            let parsed = meeting::parse(Path::new("content/x.md"), &imported.markdown);
            prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), imported.markdown);
            if let Ok(m) = &parsed {
                for item in &m.items {
                    for s in &item.sections {
                        assert_safe(&html(&s.markdown, 4))?;
                    }
                }
            }
        }
    }
}

#[test]
fn the_checker_sees_what_a_browser_would_run() {
    for html in [
        "<img src=x onerror=alert(1)>",
        "<a href=\"&#106;ava&#x09;script:x\">",
        "<A HREF='JAVASCRIPT:x'>",
        "<p><script>x</script>",
        "<div style=\"background:url(x)\">",
    ] {
        assert!(assert_safe(html).is_err(), "{html}");
    }
    assert!(assert_safe("<a href=\"/javascript:ok\">javascript: is text</a>").is_ok());
}

/// Inputs that a quadratic step would not finish: each runs once.
#[test]
fn large_inputs_finish() {
    let nested = format!(
        "{}x\n\n{}y\n\n{}z{}\n",
        "> ".repeat(100_000),
        "- ".repeat(100_000),
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let r = html(&nested, 4);
    assert!(depth(&r) <= protokol::nesting::MAX_DEPTH + 4);
    let hostile: String = HOSTILE.iter().cycle().take(20_000).copied().collect();
    let r = html(&hostile, 4);
    assert!(r.len() < 4 * hostile.len());
    let long_line = "ord ".repeat(2_000_000);
    assert!(markdown::plain_text(&long_line).len() >= long_line.len() - 1);
    assert!(html(&long_line, 4).len() >= long_line.len() - 1);

    // A meeting file of 50 MB: many items, and one very long line.
    let mut file = String::from("\u{feff}+++\r\nbody = \"das-social\"\r\ndate = 2024-05-27\r\nkind = \"referat\"\r\n+++\r\n");
    let mut n = 1;
    while file.len() < 40_000_000 {
        file.push_str(&format!("## {n}. Punkt {n}\r\n\r\n### Indstilling\r\n\r\nDet indstilles, at mødet den 4. april 2024 godkendes.\r\n\r\n"));
        n += 1;
    }
    file.push_str(&"langt ".repeat(2_000_000));
    let m = meeting::parse(Path::new("content/stor.md"), &file).unwrap();
    assert_eq!(m.items.len(), n - 1);
    let written = NaiveDate::from_ymd_opt(2024, 5, 27).unwrap();
    assert!(dates::find(&file[..4_000_000], written).len() > 1000);
    assert!(slugify(&file[..10_000_000]).len() < 10_000_000);

    let import: String = (1..20_000)
        .map(|i| format!("{i}. Punkt om sag {i}\nIndstilling\nDet indstilles at godkende.\n<b><i>tekst</i></b>\n"))
        .collect();
    let text = format!("Referat\nDAS Social\nMødedato: 27. maj 2024\n\n{import}");
    assert!(import::import_text(&text, "das-social").is_ok());
}
