//! `protokol serve`: build the site, serve it on 127.0.0.1, and rebuild what
//! changed whenever a file of the archive changes, reloading open pages.
//!
//! Served HTML pages get a small script that listens on
//! `/__protokol/events` (server-sent events) and reloads the page after a
//! rebuild; the files on disk never have it. When a rebuild fails, the last
//! good site stays served, with the error shown over every page.

use crate::build::{self, Options};
use crate::content::Content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::incremental;
use crate::model::{self, Archive};
use crate::output;
use crate::render::{self, Page, Theme};
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EVENTS: &str = "/__protokol/events";
const STATUS: &str = "/__protokol/status";
const RELOAD_SCRIPT: &str = "<script>new EventSource(\"/__protokol/events\").onmessage=function(){location.reload()}</script>";

/// What the HTTP side shares with the rebuilding side.
struct Shared {
    dir: PathBuf,
    /// The last build error, shown over every page until a build succeeds.
    error: Mutex<Option<String>>,
    /// Open event streams of browser tabs.
    clients: Mutex<Vec<TcpStream>>,
    /// Counts finished rebuilds, good or bad.
    builds: Mutex<u64>,
}

impl Shared {
    fn finished(&self, error: Option<String>) {
        *self.error.lock().unwrap() = error;
        *self.builds.lock().unwrap() += 1;
        let mut clients = self.clients.lock().unwrap();
        clients.retain_mut(|c| {
            c.write_all(b"data: reload\n\n")
                .and_then(|()| c.flush())
                .is_ok()
        });
    }
}

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
    let _watcher = watch(root, &dir, tx.clone())?;
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
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            for mut stream in listener.incoming().flatten() {
                use std::sync::atomic::Ordering;
                // Too many at once: the newest are turned away, the others
                // go on being served.
                if active.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
                    active.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
                    let _ = stream.write_all(
                        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                }
                let shared = Arc::clone(&shared);
                let active = Arc::clone(&active);
                std::thread::spawn(move || {
                    let _ = respond(stream, &shared);
                    active.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
    }
    rebuild_loop(&options, &dir, &mut state, &shared, &tx, &rx);
    Ok(())
}

/// Watches what the site is made of: the config, the data files, the
/// content, the theme, the archive's templates and static files.
fn watch(
    root: &Path,
    out: &Path,
    tx: Sender<Msg>,
) -> Result<notify::RecommendedWatcher, Diagnostics> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let out = out.to_path_buf();
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
            .filter(|p| !p.starts_with(&out))
            .collect();
        if relevant && !paths.is_empty() {
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

/// What a batch of file events asks for.
#[derive(Default)]
struct Changes {
    /// Meeting files, relative to the root.
    meetings: BTreeSet<String>,
    /// Anything else that makes the site: config, data, theme, static files.
    everything: bool,
}

fn classify(root: &Path, paths: &[PathBuf], changes: &mut Changes) {
    for p in paths {
        let Ok(rel) = p.strip_prefix(root) else {
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

fn rebuild_loop(
    options: &Options,
    dir: &Path,
    state: &mut Option<State>,
    shared: &Shared,
    tx: &Sender<Msg>,
    rx: &Receiver<Msg>,
) {
    let mut edits: u64 = 0;
    let mut linking = false;
    let mut link_again = false;
    while let Ok(msg) = rx.recv() {
        let mut changes = Changes::default();
        let mut linked = None;
        match msg {
            Msg::Changed(paths) => classify(&options.root, &paths, &mut changes),
            Msg::Linked(at, result) => linked = Some((at, result)),
        }
        // Let a burst of events (an editor saving) settle.
        let mut deadline = Instant::now() + Duration::from_millis(60);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Msg::Changed(paths)) => {
                    classify(&options.root, &paths, &mut changes);
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
            Some(s) if !changes.everything => edit(s, &changes.meetings, dir, || {
                eprintln!(
                    "the edited page is written after {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
                shared.finished(None);
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
        let _ = tx.send(Msg::Linked(at, model::build(&content)));
    });
    true
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
/// pages of the changed meetings at once. Returns the files written and
/// whether the archive must be linked again.
fn edit(
    s: &mut State,
    files: &BTreeSet<String>,
    dir: &Path,
    shown: impl FnOnce(),
) -> Result<(usize, bool), Diagnostics> {
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
                pages.insert(format!("{}index.html", m.path));
                pages.insert(format!("{}/index.html", m.date.format("%Y")));
                pages.insert(format!("{}index.html", s.archive.bodies[m.body].path));
                for item in m.entries.iter().filter_map(crate::model::Entry::item) {
                    for &t in &item.topics {
                        pages.insert(format!("{}index.html", s.archive.topics[t].path));
                    }
                }
            }
        }
        pages.insert("index.html".into());
        pages.insert("emner/index.html".into());
        // The edited meetings' own pages first, and the browser told; then
        // the lists that show them (a body or topic page lists thousands).
        let own: BTreeSet<String> = fresh
            .iter()
            .map(|m| {
                let file = m.path.to_string_lossy().replace('\\', "/");
                s.archive
                    .meetings
                    .iter()
                    .find(|x| x.file == file)
                    .map(|x| format!("{}index.html", x.path))
                    .unwrap_or_default()
            })
            .collect();
        let rendered = render::render_only(&s.archive, &s.theme, |p| own.contains(p))?;
        let mut n = write_changed(dir, &rendered, &mut s.files)?;
        shown();
        let rendered = render::render_only(&s.archive, &s.theme, |p| {
            pages.contains(p) && !own.contains(p)
        })?;
        n += write_changed(dir, &rendered, &mut s.files)?;
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
        .filter(|p| p.starts_with("static/") && !all.contains(p))
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

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Writes the pages whose bytes differ from what was written before, each
/// to a temporary file renamed into place, so that no half file is served.
fn write_changed(
    dir: &Path,
    pages: &[Page],
    files: &mut HashMap<String, u64>,
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

fn remove_gone(dir: &Path, files: &mut HashMap<String, u64>, keep: impl Fn(&str) -> bool) {
    files.retain(|p, _| {
        let k = keep(p);
        if !k {
            let _ = std::fs::remove_file(dir.join(p));
        }
        k
    });
}

/// The most connections served at once.
const MAX_CLIENTS: usize = 1024;
/// How long a client may take to send its request or read the answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest request line, and the most bytes of all headers together.
const MAX_REQUEST_LINE: u64 = 8 * 1024;
const MAX_HEADERS: u64 = 64 * 1024;

/// Reads one line of at most `limit` bytes: `None` when it is longer or
/// the client stopped before its end.
fn read_limited(reader: &mut impl BufRead, limit: u64) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if !line.ends_with(b"\n") {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

fn respond(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    stream.set_write_timeout(Some(CLIENT_TIMEOUT))?;
    let reject = |stream: &mut TcpStream, status: &str| {
        let _ = stream.write_all(
            format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        Ok(())
    };
    let mut reader = BufReader::new(stream.try_clone()?);
    let request_line = match read_limited(&mut reader, MAX_REQUEST_LINE) {
        Ok(Some(line)) => line,
        Ok(None) => return reject(&mut stream, "414 URI Too Long"),
        Err(_) => return reject(&mut stream, "408 Request Timeout"),
    };
    let mut header_bytes = 0u64;
    loop {
        match read_limited(&mut reader, MAX_HEADERS - header_bytes) {
            Ok(Some(header)) => {
                header_bytes += header.len() as u64;
                if header.trim().is_empty() {
                    break;
                }
            }
            Ok(None) => return reject(&mut stream, "431 Request Header Fields Too Large"),
            Err(_) => return reject(&mut stream, "408 Request Timeout"),
        }
    }
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return reject(&mut stream, "400 Bad Request");
    };
    if !version.starts_with("HTTP/") {
        return reject(&mut stream, "400 Bad Request");
    }
    if !target.starts_with('/')
        || target.contains('\\')
        || percent_decode(target).contains(['\\', '\0'])
    {
        return reject(&mut stream, "400 Bad Request");
    }
    if method != "GET" && method != "HEAD" {
        return stream.write_all(
            b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    let path_only = target.split(['?', '#']).next().unwrap_or("/");
    if path_only == EVENTS {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: protokol\n\n",
        )?;
        stream.flush()?;
        shared.clients.lock().unwrap().push(stream);
        return Ok(());
    }
    if path_only == STATUS {
        let builds = *shared.builds.lock().unwrap();
        let body = match &*shared.error.lock().unwrap() {
            Some(e) => format!("error {builds}\n{e}"),
            None => format!("ok {builds}\n"),
        };
        return send(
            &mut stream,
            method,
            "200 OK",
            "text/plain; charset=utf-8",
            body.as_bytes(),
        );
    }
    let (status, path) = match resolve(&shared.dir, target) {
        Some(p) => ("200 OK", p),
        None => ("404 Not Found", shared.dir.join("404.html")),
    };
    let mut body = std::fs::read(&path).unwrap_or_default();
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        let error = shared.error.lock().unwrap().clone();
        body = inject(&body, error.as_deref());
    }
    send(&mut stream, method, status, kind, &body)
}

fn send(
    stream: &mut TcpStream,
    method: &str,
    status: &str,
    kind: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if method == "GET" {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A served page: the reload script, and the build error over the page when
/// the last build failed.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(e) = error {
        extra.push_str(
            "<div id=protokol-error role=alert style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#2b0000f0;color:#fff;padding:2rem;font:15px/1.5 ui-monospace,monospace\"><h2 style=\"color:#fff\">The site could not be rebuilt</h2><p>Below is what is wrong; the last good version of the site is still served. Fix the file and this page reloads.</p><pre style=\"white-space:pre-wrap\">",
        );
        extra.push_str(&escape_html(e));
        extra.push_str("</pre></div>");
    }
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Maps a request path to a file under `dir`, refusing anything outside it.
pub fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let mut file = dir.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(c) => file.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // Nothing outside the site, even through a link inside it.
    let inside = match (file.canonicalize(), dir.canonicalize()) {
        (Ok(f), Ok(d)) => f.starts_with(d),
        _ => false,
    };
    (inside && file.is_file()).then_some(file)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "pdf" => "application/pdf",
        "ics" => "text/calendar; charset=utf-8",
        "atom" => "application/atom+xml",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        assert_eq!(
            resolve(dir.path(), "/a/"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/a/?q=1"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/x"), None);
        assert_eq!(resolve(dir.path(), "/nothing"), None);
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("secret"), "x").unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
            assert_eq!(resolve(dir.path(), "/link/secret"), None);
        }
    }
}
