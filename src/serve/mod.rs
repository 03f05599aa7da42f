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
use output::{hash, remove_gone, write_changed, write_changed_hashed};
use watch::{classify, Changes};

use crate::build::{self, Options};
use crate::content::Content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::incremental;
use crate::model::{self, Archive};
use crate::output;
use crate::render::{self, Page, Theme};
use std::collections::{BTreeSet, HashMap};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The site as last built, kept to rebuild only what changes.
struct State {
    content: Content,
    archive: Archive,
    theme: Arc<Theme>,
    /// A hash of every file written, by path.
    files: HashMap<String, u64>,
    /// Meeting files edited since the archive was last linked in full.
    unlinked: BTreeSet<String>,
    /// Pages of the last linked model that a newer edit interrupted before
    /// they were made again: made with the next linking's.
    pending: BTreeSet<String>,
}

/// A full model of the content and the outputs that cover the whole
/// archive made from it, each with its [`hash`] (taken in the background,
/// not on the rebuild loop), or `None` for them when a newer edit came
/// first.
type Linked = Result<(Archive, Option<Wide>), Diagnostics>;
type Wide = Vec<(Page, u64)>;

// Few messages are ever in flight: the size of the largest does not matter.
#[allow(clippy::large_enum_variant)]
enum Msg {
    Changed(Vec<PathBuf>),
    /// Linked in the background, from the content as it was at edit `.0`.
    Linked(u64, Linked),
}

/// The number of the last edit: the background linking leaves off when it
/// is no longer the one it started from.
static EDITS: AtomicU64 = AtomicU64::new(0);

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
        settled: std::sync::atomic::AtomicBool::new(false),
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
    shared.settled(true);
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
        let edited = changes.everything || !changes.meetings.is_empty();
        if let Some((at, result)) = linked {
            linking = false;
            match (state.as_mut(), result) {
                // Made from the content as it is now: taken in, unless an
                // edit waits to be shown, which comes first.
                (Some(s), Ok((archive, Some(wide)))) if at == edits && !edited => {
                    let seen = watch::events();
                    let stop = || watch::events() != seen;
                    let started = Instant::now();
                    match apply_linked(s, archive, Some(wide), dir, &stop) {
                        // A newer edit came first: linked again after it.
                        Ok(None) => link_again = true,
                        Ok(Some(n)) => {
                            eprintln!(
                                "linked again: {n} files updated in {:.0} ms",
                                started.elapsed().as_secs_f64() * 1000.0
                            );
                            shared.finished(None);
                        }
                        Err(e) => {
                            eprint!("{e}");
                            shared.finished(Some(e.to_string()));
                        }
                    }
                }
                (Some(_), Err(e)) if at == edits && !edited => {
                    eprint!("{e}");
                    shared.finished(Some(e.to_string()));
                }
                // Outdated: linked again from the content as it is now.
                (_, result) => {
                    link_again = true;
                    let_go(result);
                }
            }
        }
        if edited {
            shared.settled(false);
            edits += 1;
            EDITS.store(edits, Ordering::SeqCst);
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
                    link_again |= needs_linking;
                }
                Err(e) => {
                    eprint!("{e}");
                    eprintln!("the last good site is still served");
                    shared.finished(Some(e.to_string()));
                }
            }
        }
        if link_again && !linking {
            link_again = false;
            linking = start_linking(state, edits, tx);
        }
        // Pages a newer edit interrupted, when no linking brings them.
        if let Some(s) = state.as_mut().filter(|s| !linking && !s.pending.is_empty()) {
            let seen = watch::events();
            let todo = std::mem::take(&mut s.pending);
            if let Err(e) = render_pending(s, todo, dir, &|| watch::events() != seen) {
                eprint!("{e}");
                shared.finished(Some(e.to_string()));
            }
        }
        shared.settled(
            !linking
                && !link_again
                && state
                    .as_ref()
                    .is_none_or(|s| s.pending.is_empty() && s.unlinked.is_empty()),
        );
    }
}

/// Links the whole archive again in the background, and makes the outputs
/// that cover the whole archive from it (the search index, the feeds, the
/// open data, the sitemap): the pages of later edits never wait for them.
/// When a newer edit comes before they are begun, they are not made.
fn start_linking(state: &Option<State>, at: u64, tx: &Sender<Msg>) -> bool {
    let Some(s) = state else { return false };
    let content = s.content.clone();
    let theme = Arc::clone(&s.theme);
    let tx = tx.clone();
    std::thread::spawn(move || {
        // On threads of its own, one core fewer than the machine has: the
        // pages of the next edit are made on the shared ones meanwhile,
        // instead of waiting behind the linking's work.
        let work = move || -> Linked {
            let archive = model::build(&content)?;
            drop(content);
            let outdated = || EDITS.load(Ordering::SeqCst) != at;
            let wide = render::render_archive_wide(&archive, &theme, &outdated)?.map(|pages| {
                use rayon::prelude::*;
                pages
                    .into_par_iter()
                    .map(|p| {
                        let h = hash(&p.bytes);
                        (p, h)
                    })
                    .collect()
            });
            Ok((archive, wide))
        };
        let linked = match background_pool() {
            Some(pool) => pool.install(work),
            None => work(),
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

/// Loads and renders everything, each file written as soon as it is made
/// (holding the whole site took 8 GB at 10,000 meetings); after the first
/// build, only the files that changed.
fn full_build(options: &Options, old: Option<State>, dir: &Path) -> Result<State, Diagnostics> {
    let (content, archive) = build::load(options)?;
    let theme = Theme::load(&content.root, &content.config)?;
    let before = old.map(|s| s.files).unwrap_or_default();
    let made: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());
    let keep = |page: &Page, h: u64| {
        if let Ok(mut made) = made.lock() {
            made.push((page.path.clone(), h));
        }
    };
    if before.is_empty() {
        let staging = output::Staging::new(dir)?;
        let write = |page: &Page| {
            let h = hash(&page.bytes);
            keep(page, h);
            staging.write_hashed(page, h, None)
        };
        build::render_into(&content, &archive, &write)?;
        staging.publish(None)?;
    } else {
        let write = |page: &Page| {
            let h = hash(&page.bytes);
            keep(page, h);
            if before.get(&page.path) == Some(&h) {
                return Ok(());
            }
            output::write_in_place(dir, page)
        };
        build::render_into(&content, &archive, &write)?;
    }
    let files: HashMap<String, u64> = made
        .into_inner()
        .map_err(|_| Diagnostic::new(dir, "the site could not be written"))?
        .into_iter()
        .collect();
    let mut gone = before;
    remove_gone(dir, &mut gone, |p| files.contains_key(p));
    Ok(State {
        content,
        archive,
        theme: Arc::new(theme),
        files,
        unlinked: BTreeSet::new(),
        pending: BTreeSet::new(),
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
        // The lists, until a newer change comes: what is left then is made
        // after it (or with the linking that follows), so that the newer
        // edit never waits.
        pages.retain(|p| !own.contains(p));
        n += render_pending(s, pages, dir, &|| watch::events() != seen)?;
        Ok((n, true))
    } else {
        relink_now(s, dir)
    }
}

/// Meetings were added, removed or moved: link now and render the plan;
/// the outputs that cover the whole archive follow with a linking in the
/// background.
fn relink_now(s: &mut State, dir: &Path) -> Result<(usize, bool), Diagnostics> {
    let archive = model::build(&s.content)?;
    let n = apply_linked(s, archive, None, dir, &|| false)?;
    Ok((n.unwrap_or(0), true))
}

/// Takes a fully linked model in, with the archive-wide outputs made from
/// it (`None` keeps those written before), and renders the pages that
/// depend on what changed since the last one, until `stop`: the pages
/// left are kept in `pending`. Returns the files written, or `None` when
/// `stop` came before the model was taken in (it is then left).
fn apply_linked(
    s: &mut State,
    archive: Archive,
    wide: Option<Wide>,
    dir: &Path,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<usize>, Diagnostics> {
    let clock = Instant::now();
    let lap = |what: &str| crate::timing::lap_since(what, clock);
    let plan = incremental::plan(&s.archive, &archive, &s.unlinked);
    lap("plan");
    if stop() {
        let_go((archive, wide));
        return Ok(None);
    }
    let all = render::paths(&archive, &s.theme);
    let mut keep: BTreeSet<String> = all.iter().cloned().collect();
    keep.extend(
        s.files
            .keys()
            .filter(|p| p.starts_with(crate::routes::ASSETS))
            .cloned(),
    );
    let every: Vec<&str> = keep.iter().map(String::as_str).collect();
    render::alias::check(&archive, &every)?;
    lap("paths and aliases");
    if stop() {
        let_go((archive, wide));
        return Ok(None);
    }
    let mut todo = match plan {
        incremental::Plan::Everything => all.into_iter().collect(),
        incremental::Plan::Pages(pages) => pages,
    };
    todo.append(&mut s.pending);
    let_go(std::mem::replace(&mut s.archive, archive));
    s.unlinked.clear();
    let mut n = 0;
    match wide {
        Some(mut pages) => {
            n += write_changed_hashed(dir, pages.iter().map(|(p, h)| (p, *h)), &mut s.files)?;
            keep.extend(pages.iter_mut().map(|(p, _)| std::mem::take(&mut p.path)));
            let_go(pages);
        }
        None => keep.extend(
            s.files
                .keys()
                .filter(|p| render::is_archive_output(p))
                .cloned(),
        ),
    }
    lap("archive-wide outputs written");
    remove_gone(dir, &mut s.files, |p| keep.contains(p));
    n += render_pending(s, todo, dir, stop)?;
    lap("pages");
    Ok(Some(n))
}

/// Frees a model or a site's files on a thread of its own: at 10,000
/// meetings they are some 2 GB in millions of allocations, which an edit
/// should not wait for.
fn let_go<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Renders and writes the pages `todo` names until `stop`; those left are
/// kept in `pending`. Returns the files written.
fn render_pending(
    s: &mut State,
    todo: BTreeSet<String>,
    dir: &Path,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<usize, Diagnostics> {
    if todo.is_empty() {
        return Ok(0);
    }
    let pages = render::render_until(&s.archive, &s.theme, |p| todo.contains(p), stop)?;
    let n = write_changed(dir, &pages, &mut s.files)?;
    if stop() {
        let made: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        s.pending
            .extend(todo.into_iter().filter(|p| !made.contains(p.as_str())));
    }
    Ok(n)
}
