//! Watching the archive for `protokol serve`: which files changed, and
//! whether a change needs the whole site made again.

use super::Msg;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;

/// Watches what the site is made of: the config, the data files, the
/// content, the theme, the archive's templates and static files.
/// Counts the changes seen, so that work for an older change can stop
/// early when a newer one has come.
static EVENTS: AtomicU64 = AtomicU64::new(0);

/// How many changes have been seen so far.
pub(super) fn events() -> u64 {
    EVENTS.load(Ordering::SeqCst)
}

pub(super) fn watch(
    root: &Path,
    out: &Path,
    tx: Sender<Msg>,
) -> Result<notify::RecommendedWatcher, Diagnostics> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let outs = forms(out);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        let relevant = match event.kind {
            EventKind::Access(notify::event::AccessKind::Close(
                notify::event::AccessMode::Write,
            )) => true,
            EventKind::Access(_) => false,
            _ => true,
        };
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| !outs.iter().any(|out| p.starts_with(out)))
            .collect();
        if relevant && !paths.is_empty() {
            EVENTS.fetch_add(1, Ordering::SeqCst);
            let _ = tx.send(Msg::Changed(paths));
        }
    })
    .map_err(|e| Diagnostic::new(root, format!("cannot watch the archive: {e}")))?;
    let fail =
        |p: &Path, e: notify::Error| Diagnostic::new(p, format!("cannot watch for changes: {e}"));
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| fail(root, e))?;
    for sub in ["content", "data", "themes", "templates", "static"] {
        let p = root.join(sub);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| fail(&p, e))?;
        }
    }
    Ok(watcher)
}

/// The names the watcher may give a folder: as given, absolute, and with
/// symbolic links resolved (the watcher reports absolute paths, so a root
/// given as `.` is matched in its absolute form).
pub(super) fn forms(dir: &Path) -> Vec<PathBuf> {
    let mut forms = vec![dir.to_path_buf()];
    forms.extend(std::path::absolute(dir).ok());
    forms.extend(dir.canonicalize().ok());
    forms.dedup();
    forms
}

/// What a batch of file events asks for.
#[derive(Default)]
pub(super) struct Changes {
    /// Meeting files, relative to the root.
    pub(super) meetings: BTreeSet<String>,
    /// Anything else that makes the site: config, data, theme, static files.
    pub(super) everything: bool,
}

/// Sorts the changed `paths` of the archive whose root has the names
/// `roots` (see [`forms`]).
pub(super) fn classify(roots: &[PathBuf], paths: &[PathBuf], changes: &mut Changes) {
    for p in paths {
        let Some(rel) = roots.iter().find_map(|r| p.strip_prefix(r).ok()) else {
            continue;
        };
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Editors' temporary files.
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        if rel_s.starts_with("content/") {
            if rel_s.ends_with(".md") {
                changes.meetings.insert(rel_s);
            } else if p.is_dir() {
                // A folder added or moved in: read all again.
                changes.everything = true;
            }
        } else if rel_s == "config.toml"
            || ["data/", "themes/", "templates/", "static/"]
                .iter()
                .any(|d| rel_s.starts_with(d))
        {
            changes.everything = true;
        }
    }
}
