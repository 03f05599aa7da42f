//! The last stage: write the site beside the previous one and swap it in
//! only when every file is written, so a failed build leaves the old site
//! exactly as it was.

use crate::diagnostic::Diagnostic;
use crate::render::Page;
use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fail(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
        .expected("an output folder Protokol may write to (see output_dir in config.toml)")
}

/// A new site being written into a fresh folder next to `out`. Pages can be
/// written into it as they are made, from several threads; `publish` then
/// puts it in the place of `out`. Dropped unpublished (a failed build), it
/// is removed and `out` stays exactly as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    published: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&parent).map_err(|e| fail("create the folder", &parent, e))?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        clear_leftovers(&parent, &name, out);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        // Unique, since the previous site of an earlier build may still be
        // on its way out under its own name.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let old = parent.join(format!(".{name}.old-{}-{stamp}", std::process::id()));
        sweep_old_sites(&parent, &name);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| fail("clear the folder", &dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| fail("create the folder", &dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            published: false,
        })
    }

    /// Writes one page, making its folders as needed.
    pub fn write(&self, page: &Page) -> Result<(), Diagnostic> {
        let path = self.dir.join(&page.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| fail("create the folder", parent, e))?;
        }
        fs::write(&path, &page.bytes).map_err(|e| fail("write the file", &path, e))
    }

    /// Swaps the new site in: the old one moves aside, the new one takes
    /// its name, the old one is removed.
    pub fn publish(mut self) -> Result<(), Diagnostic> {
        let out = self.out.clone();
        let had_old = out.exists();
        if had_old {
            fs::rename(&out, &self.old)
                .map_err(|e| fail("move the previous site aside", &out, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &out) {
            if had_old {
                let _ = fs::rename(&self.old, &out);
            }
            return Err(fail("put the new site in place", &out, e));
        }
        self.published = true;
        if had_old {
            remove_old_site(&self.old);
        }
        Ok(())
    }
}

/// Cleans up after builds that were killed: their half-written sites
/// (`.public.new-PID`) are removed, and a previous site moved aside
/// (`.public.old-PID`) goes back in place if no site took it, or is removed.
/// Only folders of processes that no longer run are touched.
fn clear_leftovers(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut new = Vec::new();
    let mut old = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (kind, pid) = match rest.split_once('-') {
            Some((kind, pid)) => (kind, pid.parse::<u32>().ok()),
            None => continue,
        };
        if pid.is_none_or(running) {
            continue;
        }
        match kind {
            "new" => new.push(e.path()),
            "old" => old.push(e.path()),
            _ => {}
        }
    }
    for dir in new {
        remove_tree(&dir);
    }
    old.sort();
    for dir in old {
        if !out.exists() && fs::rename(&dir, out).is_ok() {
            continue;
        }
        remove_tree(&dir);
    }
}

/// Whether a process with this id runs (always true for this one). Where
/// that cannot be told, every process is taken to run.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Hands a folder to be removed without waiting for it; false when that
/// cannot be done.
pub type Remover = fn(&Path) -> bool;

static REMOVER: OnceLock<Remover> = OnceLock::new();

/// Lets the previous site be removed in the background after the swap (the
/// command hands it to a process of its own, so that a build returns as
/// soon as the new site is in place). Without one it is removed before
/// `publish` returns.
pub fn remove_old_sites_with(remover: Remover) {
    let _ = REMOVER.set(remover);
}

fn remove_old_site(dir: &Path) {
    if !REMOVER.get().is_some_and(|hand_over| hand_over(dir)) {
        remove_tree(dir);
    }
}

/// Previous sites left beside `out` by earlier builds whose removal was cut
/// short (the machine stopped, the process was killed): removed the same way.
fn sweep_old_sites(parent: &Path, name: &str) {
    let prefix = format!(".{name}.old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix)
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            remove_old_site(&e.path());
        }
    }
}

/// Removes a previous site that [`publish`](Staging::publish) moved aside:
/// the work of the background remover. Any other folder is left alone.
pub fn remove_previous_site(dir: &Path) -> Result<(), Diagnostic> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !(name.starts_with('.') && name.contains(".old-")) {
        return Err(
            Diagnostic::new(dir, "not a previous site moved aside by a build")
                .expected("a folder named .NAME.old-… beside the output"),
        );
    }
    remove_tree(dir);
    Ok(())
}

/// Removes a folder and everything in it, many files at once: removing is
/// mostly waiting on the file system, so more threads than cores help (a
/// previous site of 277,000 files on two cores: 48–51 s one by one, 19–21 s
/// with eight threads). Best effort: what cannot be removed stays.
fn remove_tree(dir: &Path) {
    fn remove(dir: &Path) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let entries: Vec<fs::DirEntry> = entries.flatten().collect();
        entries.par_iter().for_each(|e| {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => remove(&path),
                _ => {
                    let _ = fs::remove_file(&path);
                }
            }
        });
        let _ = fs::remove_dir(dir);
    }
    match rayon::ThreadPoolBuilder::new().num_threads(8).build() {
        Ok(pool) => pool.install(|| remove(dir)),
        Err(_) => {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `pages` to `out` atomically as far as the file system allows: into
/// a fresh folder next to `out`, which then replaces `out`.
pub fn write_site(out: &Path, pages: &[Page]) -> Result<(), Diagnostic> {
    let staging = Staging::new(out)?;
    pages.par_iter().try_for_each(|page| staging.write(page))?;
    staging.publish()
}

/// A hash of a file's bytes, to see whether it changed.
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Writes the pages whose bytes differ from what was written before, each
/// to a temporary file renamed into place, so that no half file is served.
pub fn write_changed(
    dir: &Path,
    pages: &[Page],
    files: &mut std::collections::HashMap<String, u64>,
) -> Result<usize, Diagnostic> {
    let mut n = 0;
    for page in pages {
        let h = hash(&page.bytes);
        if files.get(&page.path) == Some(&h) {
            continue;
        }
        let path = dir.join(&page.path);
        let fail =
            |e: std::io::Error| Diagnostic::new(&path, format!("cannot write the file: {e}"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let tmp = path.with_file_name(format!(
            ".{}.protokol-tmp",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        std::fs::write(&tmp, &page.bytes).map_err(fail)?;
        std::fs::rename(&tmp, &path).map_err(fail)?;
        files.insert(page.path.clone(), h);
        n += 1;
    }
    Ok(n)
}

/// Removes the files written before that `keep` no longer wants.
pub fn remove_gone(
    dir: &Path,
    files: &mut std::collections::HashMap<String, u64>,
    keep: impl Fn(&str) -> bool,
) {
    files.retain(|p, _| {
        let k = keep(p);
        if !k {
            let _ = std::fs::remove_file(dir.join(p));
        }
        k
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Nothing but the site itself is left beside it: no staging folder, no
    /// previous site.
    fn assert_only_the_site_in(dir: &Path) {
        let names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_site_abandoned_half_written_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "1")]).unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            staging.write(&page("a/b/index.html", "half")).unwrap();
            // A later stage fails: the staging folder is dropped unpublished.
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "1");
        assert!(!out.join("a").exists());
        assert_only_the_site_in(dir.path());
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[page("index.html", "1"), page("old/index.html", "x")],
        )
        .unwrap();
        write_site(&out, &[page("index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(!out.join("old").exists());
        assert_only_the_site_in(dir.path());
    }

    #[test]
    fn leftovers_of_killed_builds_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A build killed while writing, and one killed between moving the
        // previous site aside and putting the new one in place.
        fs::create_dir_all(dir.path().join(".public.new-999999999/a")).unwrap();
        fs::create_dir_all(dir.path().join(".public.old-999999998")).unwrap();
        fs::write(dir.path().join(".public.old-999999998/index.html"), "old").unwrap();
        fs::create_dir_all(dir.path().join(".publicity.new-999999999")).unwrap();
        clear_leftovers(dir.path(), "public", &out);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        fs::remove_dir(dir.path().join(".publicity.new-999999999")).unwrap();
        assert_only_the_site_in(dir.path());
        // A running build's folder is left alone.
        let mine = dir
            .path()
            .join(format!(".public.new-{}", std::process::id()));
        fs::create_dir_all(&mine).unwrap();
        clear_leftovers(dir.path(), "public", &out);
        assert!(mine.exists());
    }

    #[test]
    fn only_a_previous_site_is_removed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("public");
        fs::create_dir_all(&kept).unwrap();
        assert!(remove_previous_site(&kept).is_err());
        assert!(kept.exists());
        let old = dir.path().join(".public.old-1-2");
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join("a/index.html"), "x").unwrap();
        remove_previous_site(&old).unwrap();
        assert!(!old.exists());
    }

    #[test]
    fn previous_sites_left_behind_are_swept_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let left = dir.path().join(".public.old-7-7");
        fs::create_dir_all(left.join("x")).unwrap();
        write_site(&out, &[page("index.html", "1")]).unwrap();
        assert_only_the_site_in(dir.path());
    }

    #[test]
    fn a_removed_tree_is_gone_and_its_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        let kept = dir.path().join("kept");
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("file"), "stays").unwrap();
        for d in 0..20 {
            let sub = tree.join(format!("{d}/deeper"));
            fs::create_dir_all(&sub).unwrap();
            for f in 0..10 {
                fs::write(sub.join(format!("{f}.html")), "x").unwrap();
            }
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(kept.join("file")).unwrap(), "stays");
    }
}
