//! `protokol serve`: build the site, serve it on 127.0.0.1, and rebuild what
//! changed whenever a file of the archive changes, reloading open pages.
//!
//! Served HTML pages get a small script that listens on
//! `/__protokol/events` (server-sent events) and reloads the page after a
//! rebuild; the files on disk never have it. When a rebuild fails, the last
//! good site stays served, with the error shown over every page.
//!
//! Three parts: watching the files (`watch`), the rebuild session here, and
//! HTTP (`http`); files are written by `crate::output`.

mod http;
mod watch;

use http::Shared;
use output::{hash, remove_gone, write_changed};
use watch::{classify, Changes};

use crate::build::{self, Options};
use crate::content::Content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::incremental;
use crate::model::{self, Archive};
use crate::output;
use crate::render::{self, Theme};
use std::collections::{BTreeSet, HashMap};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The site as last built, kept to rebuild only what changes.
struct State {
    content: Content,
    archive: Archive,
    theme: Theme,
    /// A hash of every file written, by path.
    files: HashMap<String, u64>,
    /// Meeting files edited since the archive was last linked in full.
    unlinked: BTreeSet<String>,
}

// Few messages are ever in flight: the size of the largest does not matter.
#[allow(clippy::large_enum_variant)]
enum Msg {
    Changed(Vec<PathBuf>),
    /// A full model of the content as it was at edit number `.0`.
    Linked(u64, Result<Archive, Diagnostics>),
}

pub fn serve(root: &Path, port: u16, output: Option<PathBuf>) -> Result<(), Diagnostics> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Diagnostic::new("--port", format!("cannot listen on 127.0.0.1:{port}: {e}"))
            .expected("a free port, e.g. --port 8080")
    })?;
    let address = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().map_or(port, |a| a.port())
    );
    let options = Options {
        root: root.to_path_buf(),
        output,
        base_url: Some(address.clone()),
        progress: false,
        accept_removed: false,
    };
    let config = crate::config::Config::load(root)?;
    let dir = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.output_dir));
    let shared = Arc::new(Shared {
        dir: dir.clone(),
        error: Mutex::new(None),
        clients: Mutex::new(Vec::new()),
        builds: Mutex::new(0),
    });

    let (tx, rx) = mpsc::channel();
    let _watcher = watch::watch(root, &dir, tx.clone())?;
    let mut state = match full_build(&options, None, &dir) {
        Ok(s) => {
            eprintln!(
                "built {} meetings; serving {} at {address} (Ctrl+C stops)",
                s.archive.meetings.len(),
                dir.display()
            );
            shared.finished(None);
            Some(s)
        }
        Err(e) => {
            eprint!("{e}");
            eprintln!("serving at {address}; fix the error and the site is built");
            shared.finished(Some(e.to_string()));
            None
        }
    };
    http::listen(listener, Arc::clone(&shared));
    rebuild_loop(&options, &dir, &mut state, &shared, &tx, &rx);
    Ok(())
}

fn rebuild_loop(
    options: &Options,
    dir: &Path,
    state: &mut Option<State>,
    shared: &Shared,
    tx: &Sender<Msg>,
    rx: &Receiver<Msg>,
) {
    let roots = watch::forms(&options.root);
    let mut edits: u64 = 0;
    let mut linking = false;
    let mut link_again = false;
    while let Ok(msg) = rx.recv() {
        let mut changes = Changes::default();
        let mut linked = None;
        match msg {
            Msg::Changed(paths) => classify(&roots, &paths, &mut changes),
            Msg::Linked(at, result) => linked = Some((at, result)),
        }
        // Let a burst of events (an editor saving) settle.
        let mut deadline = Instant::now() + Duration::from_millis(60);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Msg::Changed(paths)) => {
                    classify(&roots, &paths, &mut changes);
                    deadline = Instant::now() + Duration::from_millis(60);
                }
                Ok(Msg::Linked(at, result)) => linked = Some((at, result)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if let Some((at, result)) = linked {
            linking = false;
            if at == edits {
                if let Some(s) = state.as_mut() {
                    match apply_linked(s, result, dir) {
                        Ok(n) => {
                            eprintln!("linked again: {n} pages updated");
                            shared.finished(None);
                        }
                        Err(e) => {
                            eprint!("{e}");
                            shared.finished(Some(e.to_string()));
                        }
                    }
                }
            } else {
                link_again = true;
            }
        }
        if !changes.everything && changes.meetings.is_empty() {
            if link_again && !linking {
                link_again = false;
                linking = start_linking(state, edits, tx);
            }
            continue;
        }
        edits += 1;
        let started = Instant::now();
        let result = match state.as_mut() {
            Some(s) if !changes.everything => edit(s, &changes.meetings, dir, |written| {
                if written {
                    eprintln!(
                        "the edited page is written after {:.0} ms",
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                    shared.finished(None);
                } else {
                    shared.clear_error();
                }
            }),
            _ => full_build(options, state.take(), dir).map(|s| {
                let n = s.files.len();
                *state = Some(s);
                (n, false)
            }),
        };
        match result {
            Ok((n, needs_linking)) => {
                eprintln!(
                    "rebuilt {n} files in {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
                shared.finished(None);
                if needs_linking {
                    if linking {
                        link_again = true;
                    } else {
                        linking = start_linking(state, edits, tx);
                    }
                }
            }
            Err(e) => {
                eprint!("{e}");
                eprintln!("the last good site is still served");
                shared.finished(Some(e.to_string()));
            }
        }
    }
}

/// Links the whole archive again in the background.
fn start_linking(state: &Option<State>, at: u64, tx: &Sender<Msg>) -> bool {
    let Some(s) = state else { return false };
    let content = s.content.clone();
    let tx = tx.clone();
    std::thread::spawn(move || {
        // On threads of its own, one core fewer than the machine has: the
        // pages of the next edit are made on the shared ones meanwhile,
        // instead of waiting behind the linking's work.
        let linked = match background_pool() {
            Some(pool) => pool.install(|| model::build(&content)),
            None => model::build(&content),
        };
        let _ = tx.send(Msg::Linked(at, linked));
    });
    true
}

/// The threads the background linking runs on.
fn background_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|i| format!("linking-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Loads and renders everything, writing only the files that changed.
fn full_build(options: &Options, old: Option<State>, dir: &Path) -> Result<State, Diagnostics> {
    let (content, archive) = build::load(options)?;
    let theme = Theme::load(&content.root, &content.config)?;
    let pages = build::render(&content, &archive)?;
    let mut files = old.map(|s| s.files).unwrap_or_default();
    if files.is_empty() {
        output::write_site(dir, &pages)?;
        files = pages
            .iter()
            .map(|p| (p.path.clone(), hash(&p.bytes)))
            .collect();
    } else {
        let keep: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        write_changed(dir, &pages, &mut files)?;
        remove_gone(dir, &mut files, |p| keep.contains(p));
    }
    Ok(State {
        content,
        archive,
        theme,
        files,
        unlinked: BTreeSet::new(),
    })
}

/// Meeting files changed: patch the model with the old links and render the
/// pages of the changed meetings at once. `shown(false)` is called when
/// they are made without error, before they are written; `shown(true)`
/// when they are written. Returns the files written and whether the archive
/// must be linked again.
fn edit(
    s: &mut State,
    files: &BTreeSet<String>,
    dir: &Path,
    shown: impl Fn(bool),
) -> Result<(usize, bool), Diagnostics> {
    let seen = watch::events();
    let fresh = incremental::reload_meetings(&mut s.content, files)?;
    s.unlinked.extend(files.iter().cloned());
    // The quick way needs every file to be an existing public meeting that
    // keeps its address.
    let mut pages = BTreeSet::new();
    let quick = fresh.len() == files.len()
        && fresh.iter().all(|m| {
            let file = m.path.to_string_lossy().replace('\\', "/");
            m.public && s.archive.meetings.iter().any(|old| old.file == file)
        });
    if quick {
        for m in &fresh {
            let Some(old) = model::patch_meeting(&mut s.archive, &s.content, m) else {
                return relink_now(s, dir);
            };
            let i = s
                .archive
                .meetings
                .iter()
                .position(|x| x.id == old.id)
                .unwrap_or(0);
            let new = &s.archive.meetings[i];
            for m in [&old, new] {
                incremental::own_pages(m, &mut pages);
                incremental::listed(&s.archive, m, &mut pages);
            }
        }
        incremental::site_pages(&mut pages);
        // The edited meetings' own pages first, and the browser told; then
        // the lists that show them (a body or topic page lists thousands).
        let mut own: BTreeSet<String> = BTreeSet::new();
        for m in &fresh {
            let file = m.path.to_string_lossy().replace('\\', "/");
            if let Some(x) = s.archive.meetings.iter().find(|x| x.file == file) {
                incremental::own_pages(x, &mut own);
            }
        }
        let rendered = render::render_only(&s.archive, &s.theme, |p| own.contains(p))?;
        // Made without error: no page written from now on shows the last
        // error; then the browsers are told.
        shown(false);
        let mut n = write_changed(dir, &rendered, &mut s.files)?;
        shown(true);
        // The lists, one at a time: when a newer change comes meanwhile,
        // they are left to it and to the linking that follows, which
        // render them again anyway, so that the newer edit never waits.
        for page in pages.iter().filter(|p| !own.contains(*p)) {
            if watch::events() != seen {
                break;
            }
            let rendered = render::render_only(&s.archive, &s.theme, |p| p == page)?;
            n += write_changed(dir, &rendered, &mut s.files)?;
        }
        Ok((n, true))
    } else {
        relink_now(s, dir)
    }
}

/// Meetings were added, removed or moved: link now and render the plan.
fn relink_now(s: &mut State, dir: &Path) -> Result<(usize, bool), Diagnostics> {
    let archive = model::build(&s.content);
    apply_linked(s, archive, dir).map(|n| (n, false))
}

/// Takes a fully linked model in, rendering the pages that depend on what
/// changed since the last one.
fn apply_linked(
    s: &mut State,
    archive: Result<Archive, Diagnostics>,
    dir: &Path,
) -> Result<usize, Diagnostics> {
    let archive = archive?;
    let plan = incremental::plan(&s.archive, &archive, &s.unlinked);
    let all = render::paths(&archive, &s.theme);
    let mut every: Vec<&str> = all.iter().map(String::as_str).collect();
    let statics: Vec<String> = s
        .files
        .keys()
        .filter(|p| p.starts_with(crate::routes::ASSETS) && !all.contains(p))
        .cloned()
        .collect();
    every.extend(statics.iter().map(String::as_str));
    render::alias::check(&archive, &every)?;
    let pages = incremental::render_plan(&archive, &s.theme, &plan)?;
    let n = write_changed(dir, &pages, &mut s.files)?;
    let keep: BTreeSet<&str> = every.iter().copied().collect();
    remove_gone(dir, &mut s.files, |p| keep.contains(p));
    s.archive = archive;
    s.unlinked.clear();
    Ok(n)
}
