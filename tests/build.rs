//! The generator end to end: the `protokol` binary on the example archive and
//! on copies of it with good and bad files added.

mod common;

use common::*;

const MEETING_HEAD: &str = "+++
body = \"das-social\"
date = 2023-11-20
kind = \"referat\"
+++
";

#[test]
fn init_makes_an_archive_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nyt-arkiv");
    let out = protokol(&root, &["init", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = protokol(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(root.join("public/das-social/2024-05-27-referat/index.html"));
    assert!(page.contains("id=punkt-1"));
    assert!(page.contains("id=punkt-2-beslutning"));
    // init refuses a folder that has files in it.
    let again = protokol(&root, &["init", root.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("not empty"));
}

#[test]
fn every_page_has_title_language_description_and_canonical_link() {
    let archive = example_archive();
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let pages: Vec<_> = snapshot(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .collect();
    assert!(pages.len() >= 6);
    let mut titles = std::collections::BTreeSet::new();
    for (path, bytes) in &pages {
        let html = normal_html(&String::from_utf8(bytes.clone()).unwrap());
        assert!(html.starts_with("<!doctype html><html lang=da>"), "{path}");
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next());
        let title = title.unwrap_or_else(|| panic!("{path} has no title"));
        assert!(
            titles.insert(title.to_string()),
            "{path}: title {title} is used twice"
        );
        assert!(html.contains("<meta content="), "{path} has no description");
        assert!(
            html.contains("rel=canonical"),
            "{path} has no canonical link"
        );
    }
}

#[test]
fn addresses_follow_a_base_url_with_a_subpath() {
    let archive = example_archive();
    let out = archive.path().join("out");
    let result = protokol(
        archive.path(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://kommune.example/arkiv",
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));
    let home = read(out.join("index.html"));
    assert!(home.contains("href=/arkiv/static/style.css"), "{home}");
    assert!(home.contains("href=/arkiv/das-social/"));
    assert!(home.contains("href=https://kommune.example/arkiv/ rel=canonical"));
    assert!(!home.contains("href=/das-social/"));
    let json = read(out.join("data/archive.json"));
    assert!(json.contains("\"url\":\"https://kommune.example/arkiv/das-social/"));
}

#[test]
fn english_sites_speak_english() {
    let archive = example_archive();
    let config =
        read(archive.path().join("config.toml")).replace("language = \"da\"", "language = \"en\"");
    write(archive.path().join("config.toml"), &config);
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("das-social/2024-05-27-referat/index.html"));
    assert!(page.contains("<html lang=en>"));
    assert!(page.contains("27 May 2024"), "dates in English");
    assert!(page.contains(">Decision</h3>"));
}

#[test]
fn the_archives_own_templates_replace_the_themes() {
    let archive = example_archive();
    write(
        archive.path().join("templates/year.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Eget år {{ year }}</p>{% endblock content %}",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    assert!(read(out.join("2024/index.html")).contains("<p>Eget år 2024</p>"));
}

#[test]
fn a_template_error_names_the_template_line_and_column() {
    let archive = example_archive();
    write(
        archive.path().join("templates/year.html"),
        "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}",
    );
    let out = protokol(archive.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: templates/year.html:2:26: template error"),
        "{err}"
    );
    // The line as the author wrote it, not as it was made small.
    assert!(err.contains(" 2 | {% block content %}{% if %}"), "{err}");
}

#[test]
fn an_archives_template_uses_the_themes_components() {
    let archive = example_archive();
    write(
        archive.path().join("templates/year.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ site.title }}: {{ year }}</h1>\
         {{ <meeting_list meetings={meetings} t={t} /> }}{% endblock content %}",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("2024/index.html"));
    assert!(page.contains("class=meeting-list"), "{page}");
    assert!(page.contains(": 2024</h1>"), "{page}");
}

#[test]
fn builds_are_byte_for_byte_deterministic() {
    let archive = example_archive();
    let first = archive.path().join("first");
    let second = archive.path().join("second");
    build(archive.path(), &first);
    build(archive.path(), &second);
    let a = snapshot(&first);
    let b = snapshot(&second);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

/// What a build kept of what the build before the previous one wrote.
#[derive(Debug, Clone, Copy)]
struct Kept {
    /// The search index's compressed files kept, and all of its files.
    search: usize,
    search_of: usize,
    /// Pages kept without being rendered.
    pages: usize,
}

/// Builds with timings into `out` and says what was kept as made before.
fn build_keeping(root: &std::path::Path, out: &std::path::Path) -> Kept {
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .env("PROTOKOL_TIMINGS", "1")
        .arg("--root")
        .arg(root)
        .args(["build", "--output", out.to_str().unwrap()])
        .output()
        .expect("the protokol binary runs");
    assert!(result.status.success(), "{}", stderr(&result));
    let err = stderr(&result);
    let timing = |what: &str| {
        err.lines()
            .filter_map(|l| l.strip_prefix("timing:"))
            .find_map(|l| l.trim_start().strip_prefix(what))
            .unwrap_or_else(|| panic!("no line of {what}: {err}"))
            .to_string()
    };
    let search = timing("search files kept as made before: ");
    let (kept, of) = search.split_once(" of ").unwrap();
    Kept {
        search: kept.parse().unwrap(),
        search_of: of.parse().unwrap(),
        pages: timing("pages kept as made before, not rendered: ")
            .parse()
            .unwrap(),
    }
}

/// The site's pages (its HTML files but the redirect pages of aliases).
fn html_pages(out: &std::path::Path) -> usize {
    snapshot(out)
        .iter()
        .filter(|(p, b)| p.ends_with(".html") && !String::from_utf8_lossy(b).contains("http-equiv"))
        .count()
}

#[test]
fn a_build_into_the_spare_keeps_the_files_it_made_and_gives_a_fresh_builds_bytes() {
    let archive = example_archive();
    let root = archive.path();
    let out = root.join("out");
    // The third build is the first to write into a spare (the first site).
    for _ in 0..2 {
        let kept = build_keeping(root, &out);
        assert_eq!((kept.search, kept.pages), (0, 0));
    }
    let kept = build_keeping(root, &out);
    // Every compressed file is kept; the entry and the runtime are not
    // compressed, and are written (or left) as any other file. Every page
    // is kept without being rendered.
    assert!(
        kept.search > 0 && kept.search + 4 >= kept.search_of,
        "{kept:?}"
    );
    let pages = html_pages(&out);
    assert_eq!(kept.pages, pages, "{kept:?}");
    let fresh = root.join("fresh");
    build(root, &fresh);
    assert!(snapshot(&out) == snapshot(&fresh), "kept files differ");
    // A decision changed: the files that hold its words are made again,
    // and the site is again what a fresh build makes.
    let meeting = root.join("content/das-social/2024-04-04-referat.md");
    let text = read(&meeting).replace(
        "Oplægget fra Povl Skov og Lars Larsen blev drøftet.",
        "Oplægget fra Povl Skov og Lars Larsen blev drøftet grundigt i plenum.",
    );
    write(&meeting, &text);
    let changed = build_keeping(root, &out);
    assert!(changed.search < kept.search, "{changed:?} after a change");
    assert!(changed.pages < kept.pages, "{changed:?} after a change");
    let fresh = root.join("fresh-again");
    build(root, &fresh);
    let site = snapshot(&out);
    assert!(
        site == snapshot(&fresh),
        "the site differs from a fresh build"
    );
    assert!(site.values().any(|b| {
        let text = String::from_utf8_lossy(b);
        text.contains("grundigt i plenum")
    }));
}

/// After a change to the theme: the next two builds make every page again
/// (each writes over the site before the previous; a page is told by its
/// view and the whole theme, not its template alone), and the third keeps
/// them all. Returns the site, checked to be what a fresh build into
/// `fresh` makes.
fn made_again_twice_then_kept(
    root: &std::path::Path,
    out: &std::path::Path,
    fresh: &str,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    for _ in 0..2 {
        assert_eq!(build_keeping(root, out).pages, 0);
    }
    assert_eq!(build_keeping(root, out).pages, html_pages(out));
    let site = snapshot(out);
    let fresh = root.join(fresh);
    build(root, &fresh);
    assert!(
        site == snapshot(&fresh),
        "the site differs from a fresh build"
    );
    site
}

#[test]
fn a_page_is_made_again_when_its_template_or_the_strings_change() {
    let archive = example_archive();
    let root = archive.path();
    let out = root.join("out");
    for _ in 0..3 {
        build_keeping(root, &out);
    }
    // The archive's own item template.
    let theme = repo().join("themes/default");
    let item = read(theme.join("templates/item.html"));
    let marked = item.replacen(
        "{% block content %}",
        "{% block content %}<p>Egen skabelon</p>",
        1,
    );
    assert_ne!(marked, item, "the item template has a content block");
    write(root.join("templates/item.html"), &marked);
    let site = made_again_twice_then_kept(root, &out, "fresh");
    let items: Vec<&Vec<u8>> = site
        .iter()
        .filter(|(p, _)| p.contains("/punkt-") && p.ends_with("index.html"))
        .map(|(_, b)| b)
        .collect();
    assert!(items.len() > 20, "{} item pages", items.len());
    assert!(items
        .iter()
        .all(|b| String::from_utf8_lossy(b).contains("<p>Egen skabelon</p>")));
    // A string of the interface changed (the archive's copy of the
    // theme's strings).
    let strings = read(theme.join("i18n/da.toml"));
    let changed = strings.replacen("home = \"Forside\"", "home = \"Til forsiden\"", 1);
    assert_ne!(changed, strings, "the strings name the front page");
    write(root.join("themes/default/i18n/da.toml"), &changed);
    let site = made_again_twice_then_kept(root, &out, "fresh-strings");
    assert!(String::from_utf8_lossy(&site["404.html"]).contains("Til forsiden"));
}

#[test]
fn closed_items_reach_no_output_at_all() {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &format!(
            "{MEETING_HEAD}
## 1. Godkendelse af dagsorden

### Beslutning

Godkendt

## 2. Salg af ejendommen Xyzzyvej 7

+++
sagsnr = \"2023-777777\"
lukket = true
emner = [\"socialtilsyn-nord\"]
+++

### Sagsfremstilling

Fortrolige oplysninger om Quuxbakken.

### Beslutning

Tiltrådt med forbehold om Plughfonden.

## 3. Eventuelt

Intet.
"
        ),
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let mut index_text = String::new();
    for (path, bytes) in snapshot(&out) {
        // The search index is compressed: read what it really holds, in
        // lower case as it indexes words.
        let bytes = if path.starts_with("pagefind/") && path.contains(".pf_") {
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut plain)
                .unwrap_or_else(|e| panic!("{path} is not gzip: {e}"));
            index_text.push_str(&String::from_utf8_lossy(&plain).to_lowercase());
            plain
        } else {
            bytes
        };
        let text = String::from_utf8_lossy(&bytes);
        let lower = text.to_lowercase();
        for secret in [
            "Xyzzy",
            "Quuxbakken",
            "Plughfonden",
            "2023-777777",
            "Salg af ejendommen",
        ] {
            assert!(
                !text.contains(secret) && !lower.contains(&secret.to_lowercase()),
                "{path} contains \"{secret}\" from a closed item"
            );
        }
        // Nor a stem of them, as the search index keeps words.
        for stem in ["quuxbak", "plughfond", "xyzzy", "ejendom"] {
            assert!(!lower.contains(stem), "{path} contains \"{stem}\"");
        }
    }
    // The check above did read the index: the public words are in it.
    assert!(index_text.contains("godkend"), "the index was not read");
    assert!(
        !out.join("das-social/2023-11-20-referat/punkt-2").exists(),
        "a closed item has no page"
    );
    let page = read(out.join("das-social/2023-11-20-referat/index.html"));
    assert!(page.contains("Punkt 2 – lukket punkt"), "the gap is shown");
    assert!(page.contains("id=punkt-3"));
}

#[test]
fn raw_html_in_content_is_sanitized() {
    let archive = example_archive();
    write(
        archive.path().join("content/das-social/2023-11-20-referat.md"),
        &format!(
            "{MEETING_HEAD}
## 1. Orientering

<script>alert('indlejret')</script>

### Sagsfremstilling

Se <img src=\"x.png\" onerror=\"alert('billede')\"> og <a href=\"javascript:alert('link')\">dette</a>.

<div onmouseover=\"alert('boks')\" style=\"position:fixed\">Boks</div>

<iframe src=\"https://example.org\"></iframe>
"
        ),
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("das-social/2023-11-20-referat/index.html"));
    // The page's own structured data is the one script it may hold.
    let page = match page.split_once("<script type=application/ld+json>") {
        Some((before, after)) => {
            format!("{before}{}", after.split_once("</script>").unwrap().1)
        }
        None => page,
    };
    // The theme's own deferred script is the only one left.
    let page = page.replace("<script defer src=/static/copy-link.js></script>", "");
    for bad in [
        "<script",
        "alert(",
        "onerror",
        "onmouseover",
        "javascript:",
        "<iframe",
        "position:fixed",
    ] {
        assert!(!page.contains(bad), "the page still contains {bad}");
    }
    assert!(
        page.contains("dette"),
        "the text around the removed HTML stays"
    );
    assert!(page.contains("Boks"));
}

#[test]
fn a_failing_build_leaves_the_previous_site_untouched() {
    let archive = example_archive();
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let before = snapshot(&out);
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        "+++\nbody = \"das-social\"\ndate = 2023-11-31\nkind = \"referat\"\n+++\n",
    );
    let result = protokol(
        archive.path(),
        &["build", "--output", out.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(snapshot(&out), before, "the previous site changed");
    let leftovers: Vec<_> = std::fs::read_dir(archive.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.ends_with(".record"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "a half-written site was left behind: {leftovers:?}"
    );
}

/// A bad meeting file, and what the error must say about it.
struct Bad {
    text: &'static str,
    at: &'static str,
    message: &'static str,
    expected: &'static str,
}

const BAD_FILES: &[Bad] = &[
    Bad {
        text: "## 1. Godkendelse af dagsorden\n",
        at: ":1:1:",
        message: "does not start with the meeting's front matter",
        expected: "+++",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\n",
        at: ":1:1:",
        message: "front matter is not closed",
        expected: "a line +++",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = \"20.11.2023\"\nkind = \"referat\"\n+++\n",
        at: ":3:8:",
        message: "\"20.11.2023\" is not a date",
        expected: "YYYY-MM-DD",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"beslutningsprotokol\"\n+++\n",
        at: ":4:8:",
        message: "unknown kind of document",
        expected: "kind = \"referat\"",
    },
    Bad {
        text: "+++\nbody = \"kkr\"\ndate = 2023-11-20\nkind = \"referat\"\n+++\n",
        at: ":2:8:",
        message: "unknown body \"kkr\"",
        expected: "das-social",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\nsted = \"Aalborg\"\n+++\n",
        at: ":5:1:",
        message: "unknown key `sted` in the meeting",
        expected: "`location`",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\n+++\n",
        at: ":2:1:",
        message: "the meeting has no `kind`",
        expected: "kind = …",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\n+++\n\n## 1. A\n\n## 2. B\n\n## 1. C\n",
        at: ":11:1:",
        message: "item number 1 is used twice in this meeting",
        expected: "line 7",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\n+++\n\n## Godkendelse af dagsorden\n",
        at: ":7:1:",
        message: "is not an item heading",
        expected: "## 4. Årsrapport",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\n+++\n\n## 1. A\n\n### Drøftelse\n",
        at: ":9:1:",
        message: "\"Drøftelse\" is not a section of an item",
        expected: "use #### for a sub-heading",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\n+++\n\n## 1. A\n\n+++\nemner = [\"tilsyn\"]\n+++\n",
        at: ":10:10:",
        message: "item 1: unknown topic \"tilsyn\"",
        expected: "data/topics.toml",
    },
    Bad {
        text: "+++\nbody = \"das-social\"\ndate = 2023-11-20\nkind = \"referat\"\nstart = \"kl. 13\"\n+++\n",
        at: ":5:9:",
        message: "is not a time of day",
        expected: "HH:MM",
    },
];

#[test]
fn bad_files_are_explained_with_file_line_and_column() {
    for bad in BAD_FILES {
        let archive = example_archive();
        write(archive.path().join("content/das-social/ny.md"), bad.text);
        let out = protokol(archive.path(), &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        let location = format!("error: content/das-social/ny.md{}", bad.at);
        assert!(err.contains(&location), "expected {location} in:\n{err}");
        assert!(
            err.contains(bad.message),
            "expected \"{}\" in:\n{err}",
            bad.message
        );
        let expected_line = err
            .lines()
            .find(|l| l.trim_start().starts_with("expected:"));
        assert!(
            expected_line.is_some_and(|l| l.contains(bad.expected)),
            "expected \"{}\" in the expected: line of\n{err}",
            bad.expected
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn all_bad_files_are_reported_at_once() {
    let archive = example_archive();
    write(archive.path().join("content/a.md"), BAD_FILES[2].text);
    write(archive.path().join("content/b.md"), BAD_FILES[3].text);
    let out = protokol(archive.path(), &["check"]);
    let err = stderr(&out);
    assert!(err.contains("content/a.md:3:8"), "{err}");
    assert!(err.contains("content/b.md:4:8"), "{err}");
    assert!(err.contains("2 problems found"), "{err}");
}

#[test]
fn two_meetings_of_one_body_on_one_date_and_kind_are_an_error() {
    let archive = example_archive();
    let text = format!("{MEETING_HEAD}\n## 1. A\n");
    write(archive.path().join("content/a.md"), &text);
    write(archive.path().join("content/b.md"), &text);
    let out = protokol(archive.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("error: content/b.md:3:8: a second referat of das-social on 2023-11-20"),
        "{err}"
    );
    assert!(
        err.contains("content/a.md has the same body, date and kind"),
        "{err}"
    );
    // An agenda and minutes of the same day are two documents, and fine.
    write(
        archive.path().join("content/b.md"),
        &text.replace("referat", "dagsorden"),
    );
    let out = protokol(archive.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn check_writes_nothing() {
    let archive = example_archive();
    let out = protokol(archive.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!archive.path().join("public").exists());
}

#[test]
fn non_public_meetings_are_left_out() {
    let archive = example_archive();
    write(
        archive.path().join("content/hemmelig.md"),
        "+++\nbody = \"das-social\"\ndate = 2023-01-02\nkind = \"referat\"\npublic = false\n+++\n\n## 1. Fnordsagen\n",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    for (path, bytes) in snapshot(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Fnordsagen"),
            "{path}"
        );
        assert!(!path.contains("2023-01-02"), "{path}");
    }
}

#[test]
fn the_27_may_2024_page_shows_all_13_items_with_item_and_decision_anchors() {
    let archive = example_archive();
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("das-social/2024-05-27-referat/index.html"));
    for n in 1..=13 {
        assert!(
            page.contains(&format!("id=punkt-{n}>")),
            "item {n} has no anchor"
        );
        assert!(
            page.contains(&format!("href=#punkt-{n}>")),
            "the agenda does not link to item {n}"
        );
        assert!(
            page.contains(&format!("id=punkt-{n}-beslutning>")),
            "item {n} has no decision anchor"
        );
        assert!(page.contains(&format!(
            "href=/das-social/2024-05-27-referat/#punkt-{n}-beslutning>"
        )));
    }
    assert!(!page.contains("id=punkt-14"));
    // Every meeting of the archive, 2014 to 2025, has its page.
    for id in [
        "2014-03-06-referat",
        "2020-10-19-dagsorden",
        "2024-04-04-referat",
        "2024-05-27-referat",
        "2025-01-09-referat",
    ] {
        assert!(
            out.join("das-social").join(id).join("index.html").is_file(),
            "{id}"
        );
    }
    // The closed item of 9 January 2025 is a gap, shown as such.
    let january = read(out.join("das-social/2025-01-09-referat/index.html"));
    assert!(january.contains("Punkt 10 – lukket punkt"));
}

#[test]
fn check_reports_each_broken_link_with_its_file_and_line() {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &format!(
            "{MEETING_HEAD}
## 1. Eventuelt

Se [et møde der ikke findes](/das-social/1999-01-01-referat/).

### Beslutning

Som i [punkt 99](/das-social/2024-05-27-referat/#punkt-99).
"
        ),
    );
    let out = protokol(archive.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: content/das-social/2023-11-20-referat.md:9:")
            && err.contains("broken link /das-social/1999-01-01-referat/"),
        "{err}"
    );
    assert!(
        err.contains("error: content/das-social/2023-11-20-referat.md:13:")
            && err.contains("has no id \"punkt-99\""),
        "{err}"
    );
    // The example archive itself has none.
    let good = example_archive();
    assert!(protokol(good.path(), &["check"]).status.success());
}

/// The heading levels of an HTML page in document order.
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let rest = &html.as_bytes()[i + 2..];
            let level = rest.first().filter(|b| (b'1'..=b'6').contains(b))? - b'0';
            matches!(rest.get(1), Some(b' ' | b'>')).then_some(level)
        })
        .collect()
}

#[test]
fn headings_start_at_h1_and_never_skip_a_level() {
    let out = shared_example().to_path_buf();
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") || path.contains("pagefind") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let levels = heading_levels(&html);
        if path.ends_with("/index.html") && html.contains("http-equiv=refresh") {
            continue; // a redirect page
        }
        assert_eq!(
            levels.first(),
            Some(&1),
            "{path}: the first heading is the h1"
        );
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{path}: h{} after h{}",
                pair[1],
                pair[0]
            );
        }
    }
}

#[test]
fn group_headings_are_headings_with_their_items_below_them() {
    let out = shared_example().to_path_buf();
    let page = |p: &str| read(out.join(p));
    // The 2020 agenda puts its items under four group headings.
    let grouped = page("das-social/2020-10-19-dagsorden/index.html");
    assert!(grouped.contains("<h2 class=group-label>Sager til behandling</h2>"));
    assert_eq!(grouped.matches(" class=group-label>").count(), 4);
    assert!(grouped.contains("<h3 class=item-heading id=punkt-1-titel>"));
    assert!(!grouped.contains("<h2 class=item-heading"));
    // The May 2024 minutes have no groups: their items are h2.
    let plain = page("das-social/2024-05-27-referat/index.html");
    assert!(!plain.contains("group-label"));
    assert!(plain.contains("<h2 class=item-heading id=punkt-1-titel>"));
}

#[test]
fn a_meetings_breadcrumbs_lead_to_its_body_and_the_bodys_year() {
    let out = shared_example().to_path_buf();
    let page = read(out.join("das-social/2024-05-27-referat/index.html"));
    let crumbs = page.split("class=\"breadcrumbs").nth(1).unwrap();
    let crumbs = crumbs.split("</nav>").next().unwrap();
    assert!(
        crumbs.contains("<a href=/das-social/>DAS Social</a>"),
        "{crumbs}"
    );
    assert!(
        crumbs.contains("<a href=/das-social/#aar-2024>2024</a>"),
        "{crumbs}"
    );
    let body = read(out.join("das-social/index.html"));
    assert!(body.contains("id=aar-2024"));
}

/// A case whose number would give it the address of a year of cases
/// (`/sager/aar-2014/`) gets another, and the year keeps its page.
#[test]
fn a_case_number_like_a_year_of_cases_does_not_take_its_page() {
    let (_archive, out) = build_with(|root| {
        let path = root.join("content/das-social/2014-03-06-referat.md");
        let text = read(&path).replacen(
            "## 1. Godkendelse af dagsorden\n",
            "## 1. Godkendelse af dagsorden\n\n+++\ncase = \"Aar 2014\"\n+++\n",
            1,
        );
        write(&path, &text);
    });
    let case = read(out.join("sager/sag-aar-2014/index.html"));
    assert!(case.contains("Aar 2014"), "{case}");
    let year = read(out.join("sager/aar-2014/index.html"));
    assert!(year.contains("<h1>Sager fra 2014</h1>"), "{year}");
    assert!(
        year.contains("<a href=/sager/sag-aar-2014/>Aar 2014: Godkendelse af dagsorden</a>"),
        "{year}"
    );
}

/// An item page shows its meeting page's HTML of the item where nothing in
/// it depends on the page, and HTML made for itself where something does
/// (headings, footnotes, links within the page): either way what it would
/// have made for itself.
#[test]
fn an_item_page_shows_the_text_as_made_for_it() {
    use protokol::render::text::{self, On, Texts};
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &format!(
            "{MEETING_HEAD}
## 1. Plain

### Beslutning

Godkendt uden bemærkninger.

## 2. With a heading

### Sagsfremstilling

#### Baggrund

Tekst.

## 3. With a footnote

### Sagsfremstilling

Tekst[^1].

[^1]: En note.

## 4. With a link within the page

### Sagsfremstilling

Se [punkt 1](#punkt-1).
"
        ),
    );
    let (_content, model) = load(archive.path());
    let texts = Texts::new(&model);
    let mut own = 0;
    for (mi, m) in model.meetings.iter().enumerate() {
        for it in m.entries.iter().filter_map(|e| e.item()) {
            let shown = texts.item_page(mi, it);
            let made = text::item(&model, m, it, On::ItemPage);
            assert_eq!(shown.intro, made.intro, "{} {}", m.id, it.number);
            assert_eq!(shown.sections, made.sections, "{} {}", m.id, it.number);
            let meeting_html = texts.meeting(mi);
            let on_meeting_page = meeting_html.item(m, it.number).unwrap();
            if on_meeting_page.sections != made.sections {
                own += 1;
            }
        }
    }
    // Items 2 to 4 of the new meeting at least differ from their meeting
    // page's HTML, so both ways were taken.
    assert!(own >= 3, "{own}");
}

/// A meeting's HTML is held for its page and item pages and let go once
/// they and its search records have had it, and is then made anew, the
/// same, for whatever asks later (a feed's decision); a
/// meeting not yet shown by all of them stays held.
#[test]
fn a_meetings_html_is_let_go_after_its_pages_and_made_the_same_again() {
    use protokol::model::Entry;
    use protokol::render::text::Texts;
    let archive = example_archive();
    let (_content, model) = load(archive.path());
    let texts = Texts::new(&model);
    // What the search asks for is not held.
    let _ = texts.shared(0);
    assert_eq!(texts.held().0, 0);
    let (mi, m) = model
        .meetings
        .iter()
        .enumerate()
        .find(|(_, m)| m.entries.iter().filter_map(Entry::item).count() > 1)
        .expect("a meeting of several items");
    let first = texts.meeting(mi);
    let _other = texts.meeting(mi + 1);
    let held = texts.held().0;
    assert!(held > 0);
    // The meeting page, the search records, and one per item page.
    let uses = 2 + m.entries.iter().filter_map(Entry::item).count();
    for _ in 0..uses {
        texts.done(mi);
    }
    let after = texts.held().0;
    assert!(after < held && after > 0, "{held} {after}");
    let again = texts.meeting(mi);
    assert_eq!(texts.held().0, after, "made again, and not held");
    assert_eq!(first.intro, again.intro);
    for (it, (a, b)) in m.entries.iter().filter_map(Entry::item).zip(
        first
            .items
            .iter()
            .flatten()
            .zip(again.items.iter().flatten()),
    ) {
        assert_eq!(a.intro, b.intro);
        assert_eq!(a.sections, b.sections);
        for (si, html) in a.sections.iter().enumerate() {
            assert_eq!(&texts.section(mi, it, si), html, "{} {}", m.id, it.number);
        }
    }
}

/// An archive of a few bodies names each in the main menu; one of many
/// bodies has one menu link to the front page's list of them, which lists
/// them all.
#[test]
fn the_main_menu_names_a_few_bodies_and_links_to_the_list_of_many() {
    fn menu(page: &str) -> &str {
        let nav = page.split("class=site-nav").nth(1).unwrap();
        nav.split("</nav>").next().unwrap()
    }
    let few = read(shared_example().join("das-social/2024-05-27-referat/index.html"));
    assert!(
        menu(&few).contains("<a href=/das-social/>DAS Social</a>"),
        "{}",
        menu(&few)
    );
    assert!(!menu(&few).contains("#udvalg"), "{}", menu(&few));

    let (_archive, out) = build_with(|root| {
        let mut bodies = read(root.join("data/bodies.toml"));
        let meeting = read(root.join("content/das-social/2024-05-27-referat.md"));
        for n in 1..=6 {
            bodies.push_str(&format!("\n[udvalg-{n}]\nname = \"Udvalg {n}\"\n"));
            write(
                root.join(format!("content/udvalg-{n}/2024-05-27-referat.md")),
                &meeting.replacen(
                    "body = \"das-social\"",
                    &format!("body = \"udvalg-{n}\""),
                    1,
                ),
            );
        }
        write(root.join("data/bodies.toml"), &bodies);
    });
    let page = read(out.join("udvalg-3/2024-05-27-referat/index.html"));
    let nav = menu(&page);
    assert!(nav.contains("<a href=/#udvalg>Udvalg</a>"), "{nav}");
    assert!(!nav.contains("href=/das-social/"), "{nav}");
    assert!(!nav.contains("href=/udvalg-3/"), "{nav}");
    let home = read(out.join("index.html"));
    let list = home.split("id=udvalg>").nth(1).expect("the list of bodies");
    let list = list.split("</ul>").next().unwrap();
    for slug in ["das-social", "udvalg-1", "udvalg-6"] {
        assert!(list.contains(&format!("href=/{slug}/")), "{list}");
    }
}
