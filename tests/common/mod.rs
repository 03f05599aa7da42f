//! Helpers shared by the integration tests: a copy of the example archive in
//! a temporary folder, and running the `protokol` binary on it.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of the example archive (config, data, content, themes).
pub fn example_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(repo()) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo()).unwrap();
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let keep = matches!(
            top.as_deref(),
            Some("config.toml") | Some("data") | Some("content") | Some("themes") | Some("static")
        );
        if !keep {
            continue;
        }
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

/// A synthetic archive of `meetings` meetings (see `protokol::synthetic`),
/// in the folder `arkiv` of a temporary folder: the folder and its path.
pub fn synthetic_archive(meetings: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    protokol::synthetic::generate(meetings, &root).unwrap();
    (dir, root)
}

pub fn protokol(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_protokol"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the protokol binary runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A copy of the example archive built into its `out` folder; keep the
/// first value alive while the site is used.
pub fn built_example() -> (tempfile::TempDir, PathBuf) {
    build_with(|_| {})
}

/// A copy of the example archive, changed by `setup` (given the copy's
/// folder), built in this process into its `out` folder; keep the first
/// value alive while the site is used.
pub fn build_with(setup: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let archive = example_archive();
    setup(archive.path());
    let out = archive.path().join("out");
    let options = protokol::build::Options {
        root: archive.path().to_path_buf(),
        output: Some(out.clone()),
        base_url: None,
        progress: false,
        accept_removed: false,
    };
    if let Err(e) = protokol::build::build(&options) {
        panic!("build failed:\n{e}");
    }
    (archive, out)
}

/// The example archive as it is, built once for all the tests of a test
/// program that only read the site.
pub fn shared_example() -> &'static Path {
    static SITE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    SITE.get_or_init(built_example).1.as_path()
}

/// Reads and models the archive at `root` in this process, as a build does.
pub fn load(root: &Path) -> (protokol::content::Content, protokol::model::Archive) {
    let options = protokol::build::Options {
        root: root.to_path_buf(),
        ..Default::default()
    };
    protokol::build::load(&options).unwrap()
}

/// Builds `root` into `out` and panics with the messages if it fails.
pub fn build(root: &Path, out: &Path) {
    let result = protokol(root, &["build", "--output", out.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "build failed:\n{}",
        stderr(&result)
    );
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// A file's text. A built page comes as minify-html writes it (attributes
/// unquoted where they may be, in its order, no whitespace between blocks),
/// so that what tests look for does not depend on how the theme's templates
/// are laid out; templates and other files come as they are.
pub fn read(path: impl AsRef<Path>) -> String {
    let text = std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()));
    let page = path.as_ref().extension().is_some_and(|e| e == "html")
        && !text.contains("{{")
        && !text.contains("{%");
    if page {
        normal_html(&text)
    } else {
        text
    }
}

/// A page as minify-html writes it.
pub fn normal_html(html: &str) -> String {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        ..minify_html::Cfg::default()
    };
    String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).unwrap()
}

/// `data/archive.json` with the meetings of all its parts, in order, as
/// `meetings`: the archive as one document.
pub fn archive_data(out: &Path) -> serde_json::Value {
    let mut data: serde_json::Value =
        serde_json::from_str(&read(out.join("data/archive.json"))).unwrap();
    let base = data["site"]["base_url"].as_str().unwrap().to_string();
    let mut meetings = Vec::new();
    for part in data["parts"].as_array().unwrap() {
        let url = part["url"].as_str().unwrap();
        let path = out.join(url.strip_prefix(&base).unwrap());
        let part: serde_json::Value = serde_json::from_str(&read(path)).unwrap();
        meetings.extend(part["meetings"].as_array().unwrap().iter().cloned());
    }
    data["meetings"] = meetings.into();
    data
}

pub fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
