//! The leak guard of the build: a site whose files hold the text of a closed
//! item or a non-public meeting is not published.

mod common;

use common::{example_archive, protokol, read, snapshot, stderr, write};
use std::io::Write as _;
use std::path::Path;

const CLOSED_TITLE: &str = "Personalesag vedrørende afskedigelse i Vestby";
const CLOSED_CASE: &str = "81.45.00-P20-77-24";
const CLOSED_TEXT: &str =
    "Medarbejderen har modtaget en skriftlig advarsel om fravær fra arbejdspladsen i tre måneder";
const HIDDEN_TITLE: &str = "Forhandling om køb af ejendommen Stationsvej";

/// The example archive with a closed item in a public meeting and a
/// meeting that is not public at all.
fn archive_with_secrets() -> tempfile::TempDir {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2030-03-01-referat.md"),
        &format!(
            "+++\nbody = \"das-social\"\ndate = 2030-03-01\nkind = \"referat\"\n+++\n\n\
             ## 1. Offentligt punkt\n\nAlle må læse dette.\n\n\
             ## 2. {CLOSED_TITLE}\n\n+++\nlukket = true\nsagsnr = \"{CLOSED_CASE}\"\n+++\n\n\
             ### Sagsfremstilling\n\n{CLOSED_TEXT}.\n"
        ),
    );
    write(
        archive.path().join("content/das-social/2030-03-02-referat.md"),
        &format!(
            "+++\nbody = \"das-social\"\ndate = 2030-03-02\nkind = \"referat\"\npublic = false\n+++\n\n\
             ## 1. {HIDDEN_TITLE}\n\nIntet af dette må ses.\n"
        ),
    );
    archive
}

fn build(root: &Path) -> std::process::Output {
    let out = root.join("out");
    protokol(root, &["build", "--output", out.to_str().unwrap()])
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_site_without_secret_text_is_published() {
    let archive = archive_with_secrets();
    let result = build(archive.path());
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(
        archive
            .path()
            .join("out/das-social/2030-03-01-referat/index.html"),
    );
    assert!(page.contains("Alle må læse dette"));
    assert!(!page.contains("Personalesag"));
}

#[test]
fn secret_text_in_any_output_file_stops_the_publication() {
    let archive = archive_with_secrets();
    let root = archive.path();
    let first = build(root);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&root.join("out"));
    let run_of_words = CLOSED_TEXT
        .split(' ')
        .take(12)
        .collect::<Vec<_>>()
        .join(" ");
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "static/note.txt",
            CLOSED_TITLE.as_bytes().to_vec(),
            "title of closed item 2",
            "2030-03-01",
        ),
        (
            "static/nested/case.html",
            format!("<p>Sag {CLOSED_CASE}</p>").into_bytes(),
            "case number of closed item 2",
            "2030-03-01",
        ),
        (
            "static/words.json.gz",
            gzip(&format!(
                "pagefind_dcd{{\"content\":\"… {run_of_words} …\"}}"
            )),
            "text of closed item 2",
            "2030-03-01",
        ),
        (
            // The search's word index is looked at for case numbers only:
            // its words stand one by one, stemmed and sorted.
            "static/pagefind/index/words.pf_index",
            gzip(&format!("pagefind_dcd\u{83}{CLOSED_CASE}\u{1}\u{2}")),
            "case number of closed item 2",
            "2030-03-01",
        ),
        (
            "static/escaped.json",
            format!(
                "{{\"text\":\"Note:\\n{}\"}}",
                CLOSED_TEXT.replace('æ', "\\u00e6").replace('å', "\\u00e5")
            )
            .into_bytes(),
            "text of closed item 2",
            "2030-03-01",
        ),
        (
            "static/nested/page.html",
            format!(
                "<main><p>Referat:&nbsp;{}</p></main>",
                CLOSED_TEXT
                    .replace('æ', "&aelig;")
                    .replace("tre", "\n  tre")
            )
            .into_bytes(),
            "text of closed item 2",
            "2030-03-01",
        ),
        (
            "templates/404.html",
            format!(
                "{{% extends \"base.html\" %}}{{% block content %}}{HIDDEN_TITLE}{{% endblock %}}"
            )
            .into_bytes(),
            "title of the non-public meeting",
            "2030-03-02",
        ),
    ];
    for (file, bytes, what, meeting) in cases {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let result = build(root);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{file}: {err}");
        // The archive's static files are copied to the top of the site.
        let output = file.trim_start_matches("static/").replace("templates/", "");
        assert!(
            err.contains(&format!("error: content/das-social/{meeting}-referat.md: the output file {output} holds the {what}")),
            "{file}: {err}"
        );
        assert!(err.contains("not published"), "{err}");
        assert_eq!(
            snapshot(&root.join("out")),
            before,
            "{file}: the site changed"
        );
        std::fs::remove_file(&path).unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out"))
        .collect();
    // The record of the site the first build published, and nothing else.
    assert_eq!(names, [".out.record"], "left behind");
}

#[test]
fn secret_text_that_the_public_part_has_too_is_not_looked_for() {
    // The closed item's title, case number and text also stand in a public
    // item of another meeting, whose pages show them: they say nothing of
    // the closed item, and the site is published.
    let archive = archive_with_secrets();
    write(
        archive
            .path()
            .join("content/das-social/2030-04-01-referat.md"),
        &format!(
            "+++\nbody = \"das-social\"\ndate = 2030-04-01\nkind = \"referat\"\n+++\n\n\
             ## 1. {CLOSED_TITLE}\n\n+++\nsagsnr = \"{CLOSED_CASE}\"\n+++\n\n\
             ### Sagsfremstilling\n\n{CLOSED_TEXT}.\n"
        ),
    );
    let result = build(archive.path());
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(
        archive
            .path()
            .join("out/das-social/2030-04-01-referat/index.html"),
    );
    assert!(page.contains(CLOSED_TITLE) && page.contains(CLOSED_TEXT));
    // What the public part does not have is still looked for.
    write(archive.path().join("static/note.txt"), HIDDEN_TITLE);
    let result = build(archive.path());
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(
        stderr(&result)
            .contains("the output file note.txt holds the title of the non-public meeting"),
        "{}",
        stderr(&result)
    );
}

/// A build with its timings: the guard's line says how much it passed over
/// as checked when the spare was published.
fn build_counting(root: &Path) -> (std::process::Output, u64) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .env("PROTOKOL_TIMINGS", "1")
        .arg("--root")
        .arg(root)
        .args(["build", "--output", root.join("out").to_str().unwrap()])
        .output()
        .expect("the protokol binary runs");
    let err = stderr(&out);
    let passed = err
        .lines()
        .find(|l| l.starts_with("timing: leak guard"))
        .and_then(|l| l.split("; ").nth(1))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (out, passed)
}

#[test]
fn files_checked_by_an_earlier_build_are_checked_again_when_the_secrets_change() {
    let archive = archive_with_secrets();
    let root = archive.path();
    // A public note that names what is not yet a secret.
    let hidden = root.join("content/das-social/2030-03-02-referat.md");
    let hidden_meeting = std::fs::read_to_string(&hidden).unwrap();
    std::fs::remove_file(&hidden).unwrap();
    write(root.join("static/note.txt"), &format!("Om {HIDDEN_TITLE}."));
    for _ in 0..2 {
        let (result, _) = build_counting(root);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    // The third build writes into the spare, whose files the first build
    // published, checked by a guard of the same fingerprint: the same
    // bytes are not checked again. The record names that guard.
    let record = std::fs::read_to_string(root.join(".out.spare.record")).unwrap();
    assert!(record.starts_with("checked-by "), "{record:.60}");
    let (result, passed) = build_counting(root);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(passed > 0, "{}", stderr(&result));
    // A leak in a file that changed is found.
    let template = root.join("templates/404.html");
    write(
        &template,
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{CLOSED_TITLE}{{% endblock %}}"
        ),
    );
    let (result, _) = build_counting(root);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("the output file 404.html holds the title of closed item 2"));
    std::fs::remove_file(&template).unwrap();
    // The meeting becomes non-public: the note, the same bytes as the
    // spare's, now holds a secret, and the guard (of a new fingerprint)
    // looks at it again.
    write(&hidden, &hidden_meeting);
    let before = snapshot(&root.join("out"));
    let (result, passed) = build_counting(root);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert_eq!(passed, 0, "{}", stderr(&result));
    assert!(
        stderr(&result)
            .contains("the output file note.txt holds the title of the non-public meeting"),
        "{}",
        stderr(&result)
    );
    assert_eq!(snapshot(&root.join("out")), before, "the site changed");
}

#[test]
fn check_finds_secret_text_as_a_build_would_and_writes_nothing() {
    let archive = archive_with_secrets();
    let root = archive.path();
    let clean = protokol(root, &["check"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    write(
        root.join("templates/404.html"),
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}{HIDDEN_TITLE}{{% endblock %}}"
        ),
    );
    let result = protokol(root, &["check"]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: content/das-social/2030-03-02-referat.md: the output file 404.html holds the title of the non-public meeting"
        ),
        "{err}"
    );
    assert!(err.contains("a build would not publish the site"), "{err}");
    assert!(!root.join("public").exists(), "check wrote a site");
}
