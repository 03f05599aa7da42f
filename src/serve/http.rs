//! The HTTP side of `protokol serve`: files of the site from 127.0.0.1,
//! with the reload script in HTML pages, the last error shown over them,
//! and the event stream that tells open tabs to reload. Hand-written (a few
//! hundred lines over `std::net`) rather than a server crate: it needs no
//! more than GET of static files, and every limit below is ours to set.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const EVENTS: &str = "/__protokol/events";

const STATUS: &str = "/__protokol/status";

const RELOAD_SCRIPT: &str = "<script>new EventSource(\"/__protokol/events\").onmessage=function(){location.reload()}</script>";

/// What the HTTP side shares with the rebuilding side.
pub(super) struct Shared {
    pub(super) dir: PathBuf,
    /// The last build error, shown over every page until a build succeeds.
    pub(super) error: Mutex<Option<String>>,
    /// Open event streams of browser tabs.
    pub(super) clients: Mutex<Vec<TcpStream>>,
    /// Counts finished rebuilds, good or bad.
    pub(super) builds: Mutex<u64>,
    /// Nothing left to do in the background: no linking, no pages waiting.
    pub(super) settled: AtomicBool,
}

impl Shared {
    /// A build got past the error: pages are served without it.
    pub(super) fn clear_error(&self) {
        *self.error.lock().unwrap() = None;
    }

    pub(super) fn settled(&self, settled: bool) {
        self.settled.store(settled, Ordering::SeqCst);
    }

    pub(super) fn finished(&self, error: Option<String>) {
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
        // "ok 3 settled": the last build's result, how many builds
        // finished, and whether work is still going on in the background.
        let builds = *shared.builds.lock().unwrap();
        let settled = if shared.settled.load(Ordering::SeqCst) {
            "settled"
        } else {
            "working"
        };
        let body = match &*shared.error.lock().unwrap() {
            Some(e) => format!("error {builds} {settled}\n{e}"),
            None => format!("ok {builds} {settled}\n"),
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
        None => (
            "404 Not Found",
            shared.dir.join(crate::routes::NOT_FOUND_FILE),
        ),
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
        extra.push_str(&crate::markdown::escape(e));
        extra.push_str("</pre></div>");
    }
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
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
        file.push(crate::routes::file(""));
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

/// Serves the site on the listener's connections, each on a thread of its
/// own, until the process ends.
pub(super) fn listen(listener: TcpListener, shared: Arc<Shared>) {
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
