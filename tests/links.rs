//! The built site holds together: every link to the site leads to a file and
//! every `#fragment` to an id on its page; and a meeting page stays light.
//! Run over the example archive, and over a copy of it with a long meeting
//! added (tables, lists, footnotes, code, groups, a closed item, attachments).

mod common;

use common::*;
use std::io::Write;
use std::path::Path;

const BASE_URL: &str = "https://moeder.example.dk/arkiv/";

/// The example archive, with the long meeting and its attachment files when
/// `long` is set, built under a base URL with a sub-path.
fn built(long: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let archive = example_archive();
    if long {
        write(
            archive
                .path()
                .join("content/das-social/2019-03-14-referat.md"),
            &read(repo().join("tests/fixtures/lang-moede.md")),
        );
        write(
            archive.path().join("static/bilag/2019/kapacitet-2018.pdf"),
            &"%".repeat(1_500_000),
        );
        write(archive.path().join("static/bilag/2019/takster.xlsx"), "PK");
    }
    let out = archive.path().join("out");
    let result = protokol(
        archive.path(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            BASE_URL,
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));
    (archive, out)
}

fn assert_no_broken_links(out: &Path) {
    let broken = protokol::links::check_dir(out, BASE_URL).unwrap();
    let list: Vec<String> = broken.iter().map(ToString::to_string).collect();
    assert!(list.is_empty(), "broken links:\n{}", list.join("\n"));
}

#[test]
fn every_link_of_the_example_site_leads_somewhere() {
    let (_archive, out) = built(false);
    assert_no_broken_links(&out);
}

#[test]
fn every_link_of_a_long_meeting_leads_somewhere() {
    let (_archive, out) = built(true);
    let page = read(out.join("das-social/2019-03-14-referat/index.html"));
    // The checker sees what it must: footnotes, the agenda, decisions.
    let anchors = protokol::links::scan(&page);
    assert!(
        anchors.links.iter().any(|l| l.contains("-fn-")),
        "footnotes"
    );
    assert!(anchors.links.iter().any(|l| l.ends_with("#punkt-14")));
    assert!(anchors.ids.contains("punkt-2-beslutning"));
    // Attachments the archive publishes itself show their type and size.
    assert!(
        page.contains("Opgørelse af kapacitet 2018</a> <span class=meta>(PDF, 1,5\u{a0}MB)</span>"),
        "{page}"
    );
    assert!(page.contains("Takstoversigt</a> <span class=meta>(XLSX, 2\u{a0}B)</span>"));
    assert_no_broken_links(&out);
}

#[test]
fn a_broken_link_in_a_template_is_found() {
    let archive = example_archive();
    write(
        archive.path().join("templates/year.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ year }}</h1><a href=\"{{ site.home_url }}findes-ikke/\">x</a><a href=\"#intet\">y</a>{% endblock content %}",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let broken = protokol::links::check_dir(&out, "https://moeder.example.dk/").unwrap();
    let list: Vec<String> = broken
        .iter()
        .map(ToString::to_string)
        .filter(|b| b.starts_with("2024/"))
        .collect();
    let years = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("20")
        })
        .count();
    assert_eq!(
        broken.len(),
        2 * years,
        "each year page has the two broken links"
    );
    assert_eq!(
        list,
        [
            "2024/index.html: /findes-ikke/: no file findes-ikke/index.html in the site",
            "2024/index.html: #intet: 2024/index.html has no id \"intet\"",
        ]
    );
}

fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// A meeting page's HTML and the stylesheet, compressed as a server sends
/// them, stay under 100 KB together; and the page asks for one stylesheet
/// and no script that blocks rendering.
#[test]
fn a_meeting_page_and_its_css_stay_under_100_kb_compressed() {
    let (_archive, out) = built(true);
    let css = std::fs::read(out.join("static/style.css")).unwrap();
    let mut largest = (String::new(), 0);
    for (path, bytes) in snapshot(&out) {
        let is_meeting = path.ends_with("/index.html") && path.split('/').count() == 3;
        if !is_meeting {
            continue;
        }
        let html = normal_html(&String::from_utf8(bytes.clone()).unwrap());
        let total = gzip(&bytes) + gzip(&css);
        assert!(
            total < 100_000,
            "{path}: {total} bytes compressed with the CSS"
        );
        assert_eq!(html.matches("rel=stylesheet").count(), 1, "{path}");
        for script in html.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap_or("");
            // Structured data (JSON-LD) is not run, so it blocks nothing.
            assert!(
                tag.contains("defer") || tag.contains("type=application/ld+json"),
                "{path}: <script{tag}> blocks rendering"
            );
        }
        if total > largest.1 {
            largest = (path, total);
        }
    }
    assert!(largest.1 > 0, "no meeting page found");
    eprintln!(
        "largest meeting page with CSS: {} bytes compressed ({})",
        largest.1, largest.0
    );
}

/// No file is written that nothing links to: every file of the site is the
/// target of a link on a page, in a feed, a calendar, the sitemap or a data
/// file, except the entry points (the front page, `robots.txt`, the page for
/// unknown addresses) and the search index, whose files its runtime loads
/// by the names its entry file gives.
#[test]
fn every_file_of_the_site_is_linked_from_another() {
    let (_archive, out) = built(true);
    let base_path = "/arkiv/";
    let files = snapshot(&out);
    let mut linked = std::collections::BTreeSet::new();
    let mut add = |from: &str, link: &str| {
        let link = link.split(['#', '?']).next().unwrap_or_default();
        let target = if let Some(rest) = link.strip_prefix(BASE_URL) {
            rest.to_string()
        } else if let Some(rest) = link.strip_prefix(base_path) {
            rest.to_string()
        } else if link.contains(':') || link.starts_with('/') || link.is_empty() {
            return;
        } else {
            // Relative to the page's folder.
            let mut parts: Vec<&str> = from.split('/').collect();
            parts.pop();
            for part in link.split('/') {
                match part {
                    ".." => {
                        parts.pop();
                    }
                    "." => {}
                    p => parts.push(p),
                }
            }
            parts.join("/")
        };
        let target = if target.is_empty() || target.ends_with('/') {
            format!("{target}index.html")
        } else {
            target
        };
        linked.insert(target);
    };
    for (path, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if path.ends_with(".html") {
            for link in protokol::links::scan(text).links {
                add(path, &link);
            }
        } else {
            // Feeds, calendars, the sitemap and data: absolute addresses.
            for (at, _) in text.match_indices(BASE_URL) {
                let rest = &text[at..];
                let end = rest
                    .find(|c: char| c == '"' || c == '<' || c == ',' || c.is_whitespace())
                    .unwrap_or(rest.len());
                add(path, &rest[..end]);
            }
        }
    }
    let unlinked: Vec<&String> = files
        .keys()
        .filter(|p| !linked.contains(p.as_str()))
        .filter(|p| !matches!(p.as_str(), "index.html" | "robots.txt" | "404.html"))
        .filter(|p| !p.starts_with("pagefind/"))
        .collect();
    assert!(unlinked.is_empty(), "nothing links to {unlinked:?}");
}
