//! Rebuilding only what a change needs: the plan names exactly the pages
//! that depend on a changed meeting file, and `protokol serve` keeps the last
//! good site served when a file breaks.

mod common;

use common::*;
use protokol::incremental::{plan, Plan};
use protokol::model::Archive;
use protokol::render::Page;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const FILE: &str = "content/das-social/2024-05-27-referat.md";

fn site(root: &Path) -> (Archive, BTreeMap<String, Vec<u8>>) {
    let (content, archive) = load(root);
    let pages: Vec<Page> = protokol::build::render(&content, &archive).unwrap();
    (
        archive,
        pages.into_iter().map(|p| (p.path, p.bytes)).collect(),
    )
}

/// The pages whose bytes differ between two renders, or that are new.
fn differ(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    b.iter()
        .filter(|(p, bytes)| a.get(*p) != Some(*bytes))
        .map(|(p, _)| p.clone())
        .collect()
}

/// What one edit of [`FILE`] (`from` replaced by `to`) plans to re-render,
/// the pages that really changed, and the new archive and pages.
struct Edit {
    planned: BTreeSet<String>,
    differs: BTreeSet<String>,
    new: Archive,
    new_pages: BTreeMap<String, Vec<u8>>,
}

fn edit(from: &str, to: &str) -> Edit {
    let archive = example_archive();
    let (old, old_pages) = site(archive.path());
    let path = archive.path().join(FILE);
    let text = read(&path).replacen(from, to, 1);
    write(&path, &text);
    let (new, new_pages) = site(archive.path());
    let changed: BTreeSet<String> = [FILE.to_string()].into();
    let Plan::Pages(planned) = plan(&old, &new, &changed) else {
        panic!("an edit of the text needs no full render");
    };
    Edit {
        planned,
        differs: differ(&old_pages, &new_pages),
        new,
        new_pages,
    }
}

#[test]
fn a_change_to_one_file_re_renders_exactly_the_pages_that_depend_on_it() {
    let Edit {
        planned,
        differs,
        new,
        new_pages,
    } = edit(
        "### Beslutning\n",
        "### Beslutning\n\nÆndret ved en rettelse.\n",
    );
    // The outputs that cover the whole archive are made apart, whole.
    assert!(!planned
        .iter()
        .any(|p| protokol::render::is_archive_output(p)));
    assert!(planned.contains("data/archive/das-social/2024.json"));
    let differs: BTreeSet<String> = differs
        .into_iter()
        .filter(|p| !protokol::render::is_archive_output(p))
        .collect();
    // Everything that changed is planned …
    assert!(
        differs.is_subset(&planned),
        "changed but not planned: {:?}",
        differs.difference(&planned).collect::<Vec<_>>()
    );
    assert!(planned.contains("das-social/2024-05-27-referat/index.html"));
    // A meeting's data is made with its page, not with the whole archive.
    assert!(differs.contains("das-social/2024-05-27-referat/meeting.json"));
    assert!(planned.contains("das-social/2024-05-27-referat/meeting.json"));
    // The data page says which CSV files of decisions there are.
    assert!(planned.contains("data/index.html"));
    // … and only pages that show the meeting: no other meeting's page unless
    // it links to the changed one.
    for p in &planned {
        if let Some(m) = new
            .meetings
            .iter()
            .find(|m| format!("{}/index.html", m.id) == *p)
        {
            let links_to_it = new_pages[p]
                .windows(b"2024-05-27-referat".len())
                .any(|w| w == b"2024-05-27-referat");
            assert!(links_to_it, "{p} is planned but does not show {}", m.id);
        }
    }
    for other in [
        "2014/index.html",
        "2020/index.html",
        "2025/index.html",
        "404.html",
    ] {
        assert!(
            new_pages.contains_key(other) && !planned.contains(other),
            "{other}"
        );
    }
    // Nothing changed: nothing to render.
    assert_eq!(
        plan(&new, &new, &BTreeSet::new()),
        Plan::Pages(BTreeSet::new())
    );
}

/// A case's first item gets a new title: the case's page, the page of the
/// year it came up in and the index are re-rendered.
#[test]
fn a_new_title_of_a_cases_first_item_re_renders_its_year_of_cases() {
    let Edit {
        planned, differs, ..
    } = edit(
        "## 1. Temadrøftelse vedr. Neurocenter Østerskoven",
        "## 1. Temadrøftelse om Neurocenter Østerskoven",
    );
    for page in ["sager/aar-2024/index.html", "sager/2024-029219/index.html"] {
        assert!(differs.contains(page), "{page} did not change");
        assert!(planned.contains(page), "{page} is not planned");
    }
    assert!(!differs.contains("sager/aar-2025/index.html"));
}

#[test]
fn a_new_year_in_the_menu_re_renders_everything() {
    let archive = example_archive();
    let (old, _) = site(archive.path());
    write(
        archive.path().join("content/das-social/1999-01-05-referat.md"),
        "+++\nbody = \"das-social\"\ndate = 1999-01-05\nkind = \"referat\"\n+++\n\n## 1. Eventuelt\n\nIntet.\n",
    );
    let (new, _) = site(archive.path());
    let changed: BTreeSet<String> = ["content/das-social/1999-01-05-referat.md".to_string()].into();
    assert_eq!(plan(&old, &new, &changed), Plan::Everything);
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ok() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `protokol serve` on a free port, set up by `setup` (working
/// folder, options before `serve`) and with `after` after it, and waits for
/// its first build.
fn serve(
    setup: impl FnOnce(&mut std::process::Command),
    after: &[&std::ffi::OsStr],
) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"));
    setup(&mut command);
    let child = Child(
        command
            .args(["serve", "--port", &port.to_string()])
            .args(after)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for("the first build", || {
        get(port, "/__protokol/status").contains("ok ")
    });
    (child, port)
}

/// Starts `protokol serve` on the archive at `root`, writing into its
/// folder `out`; returns the server, its port and that folder.
fn serve_archive(root: &Path) -> (Child, u16, std::path::PathBuf) {
    let out = root.join("out");
    let (child, port) = serve(
        |c| {
            c.arg("--root").arg(root);
        },
        &["--output".as_ref(), out.as_os_str()],
    );
    (child, port, out)
}

#[test]
fn serve_keeps_the_last_good_site_when_a_file_breaks() {
    let archive = example_archive();
    let (_child, port, out) = serve_archive(archive.path());
    let page = "/das-social/2024-05-27-referat/";
    let first = get(port, page);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("/__protokol/events"), "served pages reload");
    assert!(!read(out.join("das-social/2024-05-27-referat/index.html")).contains("__protokol"));

    // A broken file: the error is shown, over the last good page.
    let path = archive.path().join(FILE);
    let good = read(&path);
    write(
        &path,
        &good.replacen("date = 2024-05-27", "date = 2024-13-27", 1),
    );
    wait_for("the error", || {
        get(port, "/__protokol/status").contains("error ")
    });
    let broken = get(port, page);
    assert!(broken.contains("id=protokol-error"), "the error is shown");
    assert!(
        broken.contains("2024-05-27-referat.md:"),
        "the error names the file"
    );
    assert!(
        broken.contains("invalid date-time"),
        "the error text is shown"
    );
    let strip = |s: &str| {
        s.split("<script>new EventSource")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        strip(&broken).split("\r\n\r\n").nth(1),
        strip(&first).split("\r\n\r\n").nth(1)
    );

    // Fixed, with a new title: the new page is served, without the error.
    write(&path, &good.replacen("## 1. ", "## 1. Rettet: ", 1));
    wait_for("the fixed page", || get(port, page).contains("Rettet: "));
    assert!(!get(port, page).contains("protokol-error"));
    wait_for("the page on disk", || {
        read(out.join("das-social/2024-05-27-referat/index.html")).contains("Rettet: ")
    });
}

/// As the README starts it: in the archive's folder, without `--root`.
#[test]
fn serve_in_the_archive_folder_sees_an_edit() {
    let archive = example_archive();
    let (_child, port) = serve(
        |c| {
            c.current_dir(archive.path());
        },
        &[],
    );
    let page = "/das-social/2024-05-27-referat/";
    let path = archive.path().join(FILE);
    write(&path, &read(&path).replacen("## 1. ", "## 1. Rettet: ", 1));
    wait_for("the edited page", || get(port, page).contains("Rettet: "));
}

/// After edits, once `serve` says nothing is left to do, the site it wrote
/// is the site a build of the same content makes, file for file: the
/// pages, the feeds, the data and the search index, none stale and none
/// missing.
#[test]
fn serve_after_edits_writes_the_site_a_build_makes() {
    let archive = example_archive();
    let (_child, port, out) = serve_archive(archive.path());
    let page = "/das-social/2024-05-27-referat/";
    let path = archive.path().join(FILE);
    write(&path, &read(&path).replacen("## 1. ", "## 1. Rettet: ", 1));
    wait_for("the first edit", || get(port, page).contains("Rettet: "));
    write(
        &path,
        &read(&path).replacen(
            "### Beslutning\n",
            "### Beslutning\n\nUdsat til næste møde.\n",
            1,
        ),
    );
    wait_for("the second edit", || {
        get(port, page).contains("Udsat til næste møde.")
    });
    wait_for("the background work", || {
        get(port, "/__protokol/status").contains(" settled")
    });
    // A new site title: every page is made again, and only what changed is
    // written over.
    let config = archive.path().join("config.toml");
    let settings = read(&config);
    let title = settings
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .to_string();
    write(
        &config,
        &settings.replacen(&title, "title = \"Rettet arkiv\"", 1),
    );
    wait_for("the new title", || get(port, page).contains("Rettet arkiv"));
    wait_for("the background work", || {
        get(port, "/__protokol/status").contains(" settled")
    });

    // The same content, built.
    let same = example_archive();
    std::fs::copy(&path, same.path().join(FILE)).unwrap();
    std::fs::copy(&config, same.path().join("config.toml")).unwrap();
    let built = same.path().join("out");
    let result = protokol(
        same.path(),
        &[
            "build",
            "--output",
            built.to_str().unwrap(),
            "--base-url",
            &format!("http://127.0.0.1:{port}/"),
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));
    let visible = |files: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .into_iter()
            .filter(|(p, _)| !p.split('/').any(|part| part.starts_with('.')))
            .collect()
    };
    let served = visible(snapshot(&out));
    let built = visible(snapshot(&built));
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(names(&served), names(&built), "the same files");
    let differ: Vec<&String> = built
        .iter()
        .filter(|(p, bytes)| served.get(*p) != Some(*bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "stale after serve: {differ:?}");
    assert!(served.contains_key("pagefind/pagefind-entry.json"));
    assert!(
        String::from_utf8_lossy(&served["das-social/2024-05-27-referat/meeting.json"])
            .contains("Udsat til næste møde.")
    );
}

/// What `serve` makes in the background (the outputs that cover the whole
/// archive, and the sitemap) and the rest of the pages are the whole site,
/// byte for byte; asked to stop, the background work gives nothing.
#[test]
fn the_archive_wide_outputs_and_the_other_pages_are_the_whole_site() {
    use protokol::render::{self, Theme};
    let root = example_archive();
    let (content, archive) = load(root.path());
    let theme = Theme::load(&content.root, &content.config).unwrap();
    let whole = render::render(&archive, &theme).unwrap();
    let mut parts = render::render_only(&archive, &theme, |p| p != render::SITEMAP).unwrap();
    let wide = render::render_archive_wide(&archive, &theme, &|| false)
        .unwrap()
        .unwrap();
    assert!(wide.iter().any(|p| p.path.starts_with("pagefind/")));
    assert!(wide.iter().all(|p| render::is_archive_output(&p.path)));
    parts.extend(wide);
    parts.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(parts.len(), whole.len());
    assert!(parts == whole);
    assert!(render::render_archive_wide(&archive, &theme, &|| true)
        .unwrap()
        .is_none());
}
