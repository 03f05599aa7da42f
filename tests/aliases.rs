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

const MAY: &str = "content/das-social/2024-05-27-referat.md";

/// The example archive with its meeting of 27 May 2024 moved to the 26th,
/// and `aliases` put in its front matter when given.
fn moved_meeting(aliases: Option<&str>) -> tempfile::TempDir {
    let archive = example_archive();
    let file = archive.path().join(MAY);
    let text = read(&file);
    assert!(text.contains("\ndate = 2024-05-27\n"));
    let new_date = match aliases {
        Some(a) => format!("\ndate = 2024-05-26\naliases = {a}\n"),
        None => "\ndate = 2024-05-26\n".to_string(),
    };
    write(&file, &text.replacen("\ndate = 2024-05-27\n", &new_date, 1));
    archive
}

#[test]
fn the_example_archive_records_every_address_it_has_published() {
    let record = read(repo().join("data/published.txt"));
    let lines: Vec<&str> = record.lines().filter(|l| !l.starts_with('#')).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "sorted, one address a line");
    for a in [
        "das-social/2024-05-27-referat/",
        "das-social/2024-05-27-referat/#punkt-4",
        "das-social/2024-05-27-referat/#punkt-4-beslutning",
        "das-social/2024-05-27-referat/punkt-4/",
    ] {
        assert!(lines.contains(&a), "{a}");
    }
    // A build of the archive as it is leaves the record as it is.
    let archive = example_archive();
    let out = archive.path().join("out");
    build(archive.path(), &out);
    assert_eq!(read(archive.path().join("data/published.txt")), record);
}

#[test]
fn a_moved_meeting_without_an_alias_fails_the_build() {
    let archive = moved_meeting(None);
    let out = archive.path().join("out");
    let result = protokol(
        archive.path(),
        &["build", "--output", out.to_str().unwrap()],
    );
    assert!(!result.status.success());
    let err = stderr(&result);
    assert!(err.contains(MAY), "{err}");
    assert!(err.contains("published addresses would disappear"), "{err}");
    for a in [
        "das-social/2024-05-27-referat/,",
        "das-social/2024-05-27-referat/#punkt-4-beslutning",
        "das-social/2024-05-27-referat/punkt-4/",
    ] {
        assert!(err.contains(a), "{a} in {err}");
    }
    assert!(
        err.contains("aliases = [\"das-social/2024-05-27-referat/\"]"),
        "{err}"
    );
    assert!(err.contains("--accept-removed"), "{err}");
    assert!(!out.exists(), "nothing written");
    // `protokol check` says the same.
    let result = protokol(archive.path(), &["check"]);
    assert!(!result.status.success());
    assert!(stderr(&result).contains("published addresses would disappear"));
}

#[test]
fn a_build_that_fails_its_published_addresses_leaves_the_site_and_its_spare() {
    // Two builds: the site, and beside it the spare the next build writes
    // into (made ready while the model is made, before the addresses are
    // checked).
    let archive = example_archive();
    let root = archive.path();
    let out = root.join("out");
    build(root, &out);
    build(root, &out);
    let folders = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| (n.starts_with(".out") || n == "out") && !n.ends_with(".record"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(folders(), [".out.spare", "out"]);
    let (site, spare) = (snapshot(&out), snapshot(&root.join(".out.spare")));
    let file = root.join(MAY);
    let text = read(&file);
    write(
        &file,
        &text.replacen("\ndate = 2024-05-27\n", "\ndate = 2024-05-26\n", 1),
    );
    let result = protokol(root, &["build", "--output", out.to_str().unwrap()]);
    assert!(!result.status.success());
    assert!(stderr(&result).contains("published addresses would disappear"));
    assert_eq!(folders(), [".out.spare", "out"], "nothing else left behind");
    assert_eq!(snapshot(&out), site, "the site changed");
    assert_eq!(
        snapshot(&root.join(".out.spare")),
        spare,
        "the spare changed"
    );
}

#[test]
fn a_moved_meeting_with_an_alias_builds_and_its_old_addresses_redirect() {
    let archive = moved_meeting(Some("[\"das-social/2024-05-27-referat/\"]"));
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("das-social/2024-05-27-referat/index.html"));
    assert!(
        page.contains("url=/das-social/2024-05-26-referat/\""),
        "{page}"
    );
    // Its fragment is kept: #punkt-4 reaches item 4 at the new address.
    assert!(page.contains("+location.hash"), "{page}");
    // And the old item pages lead to the new ones.
    let item = read(out.join("das-social/2024-05-27-referat/punkt-4/index.html"));
    assert!(
        item.contains("url=/das-social/2024-05-26-referat/punkt-4/\""),
        "{item}"
    );
    let broken = protokol::links::check_dir(&out, "https://moeder.example.dk/").unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    // The record keeps the old addresses, which the alias now guards, and
    // gains the new ones.
    let record = read(archive.path().join("data/published.txt"));
    assert!(record.contains("\ndas-social/2024-05-27-referat/#punkt-4\n"));
    assert!(record.contains("\ndas-social/2024-05-26-referat/#punkt-4\n"));
    // Taking the alias away again fails.
    let file = archive.path().join(MAY);
    let text = read(&file);
    write(
        &file,
        &text.replacen("aliases = [\"das-social/2024-05-27-referat/\"]\n", "", 1),
    );
    let result = protokol(
        archive.path(),
        &["build", "--output", out.to_str().unwrap()],
    );
    assert!(!result.status.success());
    assert!(stderr(&result).contains("das-social/2024-05-27-referat/#punkt-4,"));
}

#[test]
fn accept_removed_lets_addresses_go_and_updates_the_record() {
    let archive = moved_meeting(None);
    let out = archive.path().join("out");
    let result = protokol(
        archive.path(),
        &[
            "build",
            "--accept-removed",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));
    // The build says what it removed, page by page.
    let said = stderr(&result);
    assert!(
        said.contains("removed on purpose (--accept-removed)")
            && said.contains("\n  das-social/2024-05-27-referat/ ("),
        "{said}"
    );
    let record = read(archive.path().join("data/published.txt"));
    assert!(
        !record.contains("das-social/2024-05-27-referat/"),
        "{record}"
    );
    assert!(record.contains("\ndas-social/2024-05-26-referat/#punkt-4\n"));
    // From then on the build passes without it.
    build(archive.path(), &out);
}

#[test]
fn a_renumbered_item_is_kept_by_an_alias_of_its_old_page() {
    let archive = example_archive();
    let file = archive.path().join(MAY);
    let text = read(&file);
    let heading = "## 13. Næste møde\n";
    assert!(text.contains(heading));
    write(&file, &text.replace(heading, "## 14. Næste møde\n"));
    let out = archive.path().join("out");
    let result = protokol(
        archive.path(),
        &["build", "--output", out.to_str().unwrap()],
    );
    assert!(!result.status.success());
    let err = stderr(&result);
    assert!(
        err.contains("das-social/2024-05-27-referat/#punkt-13, das-social/2024-05-27-referat/#punkt-13-beslutning, das-social/2024-05-27-referat/punkt-13/"),
        "{err}"
    );
    assert!(
        err.contains("aliases = [\"das-social/2024-05-27-referat/punkt-13/\"]"),
        "{err}"
    );
    write(
        &file,
        &text.replace(
            heading,
            "## 14. Næste møde\n\n+++\naliases = [\"das-social/2024-05-27-referat/punkt-13/\"]\n+++\n",
        ),
    );
    build(archive.path(), &out);
    let page = read(out.join("das-social/2024-05-27-referat/index.html"));
    // The old anchors are on the item now numbered 14, and 13 is no gap.
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let item = at("id=punkt-14-titel");
    let decision = at("id=punkt-14-beslutning");
    assert!(at("<span id=punkt-13></span>") < item);
    assert!(at("<span id=punkt-13-beslutning></span>") > decision);
    assert!(!page.contains("id=punkt-13-titel"));
}

#[test]
fn a_new_archive_writes_its_record_at_its_first_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    let result = protokol(dir.path(), &["init", root.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!root.join("data/published.txt").exists());
    let out = root.join("out");
    build(&root, &out);
    let record = read(root.join("data/published.txt"));
    assert!(record.lines().any(|l| l.ends_with("-referat/")), "{record}");
}
