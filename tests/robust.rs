//! Hostile archives: text nested without end, files and paths that lead out
//! of the archive, builds cut short. Protokol never aborts on them: it
//! builds with a warning or stops with a clear error.

mod common;

use common::{example_archive, protokol, read, stderr, synthetic_archive, write};

/// A meeting file of DAS Social whose one item holds `text`.
fn meeting(date: &str, text: &str) -> String {
    format!(
        "+++\nbody = \"das-social\"\ndate = {date}\nkind = \"referat\"\n+++\n\n## 1. Dyb tekst\n\n{text}\n\n## 2. Næste punkt\n\nSlut.\n"
    )
}

/// Text nested far deeper than any page may be: each builds with a warning
/// naming the file and line, and its words still on the page.
#[test]
fn deeply_nested_text_builds_with_a_warning_and_stays_readable() {
    let archive = example_archive();
    let root = archive.path();
    let cases = [
        ("2030-01-01", format!("{} dybe citater", "> ".repeat(5000))),
        (
            "2030-01-02",
            format!("{} dybe punkter", "- ".repeat(20_000)),
        ),
        ("2030-01-03", format!("{} dybe tal", "1. ".repeat(5000))),
        (
            "2030-01-04",
            format!(
                "{}dyb fremhævning{}",
                "*a ".repeat(5000),
                " a*".repeat(5000)
            ),
        ),
        (
            "2030-01-05",
            format!("{}dybe links{}", "[".repeat(5000), "](/x)".repeat(5000)),
        ),
        (
            "2030-01-06",
            format!(
                "{}dybe elementer{}",
                "<div>".repeat(20_000),
                "</div>".repeat(20_000)
            ),
        ),
        (
            "2030-01-07",
            format!("{}dybe fremhævninger i HTML", "<em><b>".repeat(10_000)),
        ),
        (
            "2030-01-08",
            format!("{}*blandet <b>fed</b> tekst*", "> - ".repeat(3000)),
        ),
    ];
    for (date, text) in &cases {
        write(
            root.join(format!("content/das-social/{date}-referat.md")),
            &meeting(date, text),
        );
    }
    let out = root.join("out");
    let result = protokol(root, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&result);
    assert!(result.status.success(), "the build failed:\n{err}");
    // Links cannot hold links: those nest no deeper than the text around.
    for (date, _) in cases.iter().filter(|(d, _)| *d != "2030-01-05") {
        let file = format!("content/das-social/{date}-referat.md:9:");
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: ") && l.contains(&file)),
            "no warning names {file}:\n{err}"
        );
    }
    assert!(!err.contains("overflow"), "{err}");
    for (date, words) in [
        ("2030-01-01", "dybe citater"),
        ("2030-01-02", "dybe punkter"),
        ("2030-01-06", "dybe elementer"),
        ("2030-01-04", "dyb fremhævning"),
        ("2030-01-05", "dybe links"),
        ("2030-01-07", "dybe fremhævninger i HTML"),
        ("2030-01-08", "blandet fed tekst"),
    ] {
        let page = read(out.join(format!("das-social/{date}-referat/index.html")));
        assert!(page.contains(words), "{date}: {words} is not on the page");
        assert!(page.contains("Næste punkt"), "{date}");
        let depth = page.matches("<blockquote").count() + page.matches("<li").count();
        assert!(depth < 200, "{date}: {depth} levels kept");
    }
}

/// TOML nested without end, in a meeting's front matter and in a data file:
/// a clear error naming the file, no crash.
#[test]
fn deeply_nested_toml_is_a_clear_error() {
    for (file, text) in [
        (
            "content/das-social/2030-02-01-referat.md",
            format!(
                "+++\nbody = \"das-social\"\ndate = 2030-02-01\nkind = \"referat\"\npresent = {}\"x\"{}\n+++\n\n## 1. A\n",
                "[".repeat(20_000),
                "]".repeat(20_000)
            ),
        ),
        (
            "data/bodies.toml",
            format!(
                "[das-social]\nname = \"DAS\"\nfull_name = \"DAS\"\ndescription = {}1{}\n",
                "{a = ".repeat(20_000),
                "}".repeat(20_000)
            ),
        ),
    ] {
        let archive = example_archive();
        write(archive.path().join(file), &text);
        let out = archive.path().join("out");
        let result = protokol(archive.path(), &["build", "--output", out.to_str().unwrap()]);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{file}:\n{err}");
        assert!(err.contains(&format!("error: {file}:")), "{file}:\n{err}");
        assert!(!out.exists(), "{file}");
    }
}

/// The importer's input nested without end: imported, no crash.
#[test]
fn deeply_nested_import_input_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("referat.txt");
    let text = format!(
        "Referat\nDAS Social\nMødedato: 27. maj 2024\n\n1. Punkt\n{}dybt{}\n{}\n",
        "<b><i><ul><li>".repeat(5000),
        "</li></ul></i></b>".repeat(5000),
        "> ".repeat(5000)
    );
    write(&source, &text);
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .args(["import", "--body", "das-social", "--dry-run"])
        .arg(&source)
        .output()
        .unwrap();
    let err = stderr(&result);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{:?}\n{err}",
        result.status
    );
    assert!(
        !err.contains("overflow") && !err.contains("panicked"),
        "{err}"
    );
}

/// Builds `root` into `root/out`.
fn build_into_out(root: &std::path::Path) -> std::process::Output {
    let out = root.join("out");
    protokol(root, &["build", "--output", out.to_str().unwrap()])
}

/// A symbolic link in content/, static/ or templates/ is not followed, to a
/// file inside the archive or outside: the build stops and names it.
#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    write(&secret, "hemmeligt indhold uden for arkivet");
    for link in [
        "content/das-social/2030-04-01-referat.md",
        "static/bilag/secret.txt",
        "static/elsewhere",
        "templates/404.html",
    ] {
        let archive = example_archive();
        let root = archive.path();
        let path = root.join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if link.ends_with("elsewhere") {
            symlink(outside.path(), &path).unwrap();
        } else {
            symlink(&secret, &path).unwrap();
        }
        let result = build_into_out(root);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{link}: {err}");
        assert!(
            err.contains(&format!("error: {link}: is a symbolic link")),
            "{link}: {err}"
        );
        assert!(!root.join("out").exists(), "{link}");
    }
}

/// Aliases that lead out of the site and attachments outside static/ are
/// refused or read nothing; a file that is not text is a clear error.
#[test]
fn paths_stay_inside_the_archive_and_the_site() {
    let archive = example_archive();
    let root = archive.path();
    let file = "content/das-social/2030-04-02-referat.md";
    for alias in ["../../uden-for/", "/../x.html", "a/../../b/", "C:\\\\x"] {
        write(
            root.join(file),
            &format!(
                "+++\nbody = \"das-social\"\ndate = 2030-04-02\nkind = \"referat\"\naliases = [\"{alias}\"]\n+++\n\n## 1. A\n\nB.\n"
            ),
        );
        let result = build_into_out(root);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{alias}: {err}");
        assert!(err.contains(&format!("error: {file}:5:")), "{alias}: {err}");
    }
    assert!(!root.parent().unwrap().join("uden-for").exists());

    // An attachment outside static/ has no size, and nothing of it is read.
    write(
        root.join(file),
        "+++\nbody = \"das-social\"\ndate = 2030-04-02\nkind = \"referat\"\n+++\n\n## 1. A\n\n### Bilag\n\n- [Konfiguration](/../config.toml)\n- [Kode](/../../../../../../etc/hostname)\n",
    );
    let out = root.join("out");
    let _ = protokol(root, &["build", "--output", out.to_str().unwrap()]);
    if out.exists() {
        for (path, bytes) in common::snapshot(&out) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("base_url = "), "{path}");
        }
    }

    // Bytes that are not UTF-8 text.
    std::fs::write(
        root.join(file),
        b"+++\nbody = \"das-social\"\n\xff\xfe\n+++\n",
    )
    .unwrap();
    let result = build_into_out(root);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("error: {file}: cannot read the file")),
        "{err}"
    );
    assert!(err.contains("UTF-8"), "{err}");
}

/// A build killed while it writes leaves the previous site whole, and the
/// next build clears what it left behind.
#[cfg(unix)]
#[test]
fn a_build_killed_while_writing_leaves_the_previous_site() {
    let (dir, root) = synthetic_archive(150);
    let out = root.join("out");
    assert!(build_into_out(&root).status.success());
    let before = common::snapshot(&out);
    // The killed build has another address, so it would change every page.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .arg("--root")
        .arg(&root)
        .args(["build", "--base-url", "https://andet.example/", "--output"])
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = format!(".out.new-{}", child.id());
    // Wait until it writes files into its new folder, then kill it.
    while !root.join(&staging).join("index.html").exists() {
        assert!(child.try_wait().unwrap().is_none(), "the build ended first");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(root.join(&staging).exists());
    assert_eq!(common::snapshot(&out), before, "the previous site changed");
    let result = build_into_out(&root);
    assert!(result.status.success(), "{}", stderr(&result));
    let left = || -> Vec<String> {
        std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".out") && !n.ends_with(".record"))
            .collect()
    };
    // No half-written site is left: the killed build's folder was written
    // into again, and the site it would have replaced is the spare, whole.
    assert_eq!(left(), [".out.spare"], "left behind");
    assert_eq!(
        common::snapshot(&root.join(".out.spare")),
        before,
        "the spare is not the previous site"
    );
    // The new site is the same as one built from nothing.
    let fresh = dir.path().join("fresh");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .arg("--root")
        .arg(&root)
        .args(["build", "--output"])
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        common::snapshot(&out) == common::snapshot(&fresh),
        "the site differs from a fresh build"
    );
}
