//! Permalinks that last: old addresses named in `aliases` lead to the meeting
//! or item through a redirect page, and an alias may not take a real page's
//! address or another alias's.

mod common;

use common::*;

const MEETING: &str = "+++
body = \"das-social\"
date = 2023-11-20
kind = \"referat\"
aliases = [\"/gamle-referater/moede-2023-11-20.html\", \"das-social/2023-11-19-referat/\"]
+++

## 1. Godkendelse af dagsorden

### Beslutning

Godkendt

## 2. Botilbud i Nordjylland

+++
aliases = [\"gammelt/botilbud\"]
+++

### Beslutning

Taget til efterretning.
";

#[test]
fn an_old_address_still_leads_to_the_item() {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        MEETING,
    );
    let out = archive.path().join("out");
    let base = "https://moeder.example.dk/arkiv/";
    let result = protokol(
        archive.path(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            base,
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));

    // The item's old address: a folder, with a redirect to the item's anchor.
    // Redirect pages are written as they are made, not through the theme.
    let raw = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let page = raw("gammelt/botilbud/index.html");
    let target = "/arkiv/das-social/2023-11-20-referat/#punkt-2";
    assert!(
        page.contains(&format!("http-equiv=refresh content=\"0; url={target}\"")),
        "{page}"
    );
    assert!(page.contains(&format!("<a href=\"{target}\">")), "{page}");
    assert!(page.contains(
        "<link rel=canonical href=\"https://moeder.example.dk/arkiv/das-social/2023-11-20-referat/\">"
    ));
    // The meeting's: a file name as the old site had it, and an old folder.
    let page = raw("gamle-referater/moede-2023-11-20.html");
    assert!(
        page.contains("url=/arkiv/das-social/2023-11-20-referat/\""),
        "{page}"
    );
    assert!(out
        .join("das-social/2023-11-19-referat/index.html")
        .is_file());
    // And the item the redirect names is there: the site's links all hold.
    let broken = protokol::links::check_dir(&out, base).unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let meeting = read(out.join("das-social/2023-11-20-referat/index.html"));
    assert!(meeting.contains("id=punkt-2"));
}

#[test]
fn an_alias_may_not_take_a_pages_address_or_another_alias() {
    let archive = example_archive();
    let taken = MEETING.replace(
        "\"das-social/2023-11-19-referat/\"",
        "\"das-social/2024-05-27-referat\"",
    );
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &taken,
    );
    let out = protokol(archive.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/das-social/2023-11-20-referat.md:5:")
            && err
                .contains("the alias \"das-social/2024-05-27-referat/\" is the address of a page"),
        "{err}"
    );

    let twice = MEETING.replace(
        "\"gammelt/botilbud\"",
        "\"gamle-referater/moede-2023-11-20.html\"",
    );
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &twice,
    );
    let out = protokol(archive.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/das-social/2023-11-20-referat.md:17:")
            && err.contains("is used twice")
            && err.contains("(it is also at content/das-social/2023-11-20-referat.md:5:"),
        "{err}"
    );
}

#[test]
fn an_alias_is_a_path_on_the_site() {
    let archive = example_archive();
    let bad = MEETING.replace("\"gammelt/botilbud\"", "\"https://gammel.example/x\"");
    write(
        archive
            .path()
            .join("content/das-social/2023-11-20-referat.md"),
        &bad,
    );
    let out = protokol(archive.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/das-social/2023-11-20-referat.md:17:")
            && err.contains("full address"),
        "{err}"
    );
}
