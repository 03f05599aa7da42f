//! The links of a built site: every address that points into the site leads to
//! one of its files, and every `#fragment` to an id on the page it names.
//!
//! It works on the site's files in memory, as `render` makes them, so that a
//! check can run before anything is written, and on a folder read back.

use crate::config::BaseUrl;
use indexmap::IndexSet;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page it is on, relative to the site's folder: `2024/index.html`.
    pub page: String,
    /// The address as written in the page.
    pub href: String,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.page, self.href, self.reason)
    }
}

/// What the checker found in one HTML page.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// Every `id` (and `name` of an `a`) on the page.
    pub ids: BTreeSet<String>,
    /// Every address in `href`, `src`, `action` and `poster`.
    pub links: Vec<String>,
}

/// Checks every link of the site. `files` are the site's files by path below
/// the site's folder (`das-social/index.html`); `base_url` is the address the
/// site is published at (`https://moeder.example.dk/arkiv/`).
pub fn check<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    base: &BaseUrl,
) -> Vec<Broken> {
    let gathered = Gathering::new(base);
    for (path, bytes) in files {
        gathered.add(path, bytes);
    }
    gathered.broken()
}

/// The files of a site and the links and ids of its pages, gathered one file
/// at a time as they are made (from any thread), so that a site is checked
/// without being held whole: at 10,000 meetings its pages are some 4 GB,
/// what is kept of them some hundreds of megabytes. Each path, address and
/// id is kept once and named by a number.
pub struct Gathering {
    base_url: String,
    base_path: String,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    names: IndexSet<Box<str>>,
    /// Which names are files of the site.
    files: HashSet<u32>,
    pages: Vec<PageLinks>,
}

impl Kept {
    fn name(&mut self, s: &str) -> u32 {
        match self.names.get_index_of(s) {
            Some(i) => i as u32,
            None => self.names.insert_full(s.into()).0 as u32,
        }
    }

    fn text(&self, n: u32) -> &str {
        self.names.get_index(n as usize).map_or("", |s| s)
    }

    fn is_file(&self, path: &str) -> bool {
        self.names
            .get_index_of(path)
            .is_some_and(|i| self.files.contains(&(i as u32)))
    }
}

struct PageLinks {
    path: u32,
    /// Sorted.
    ids: Vec<u32>,
    links: Vec<Link>,
}

/// An address of a page, resolved as far as the page alone tells.
enum Link {
    /// A path of this host outside the site's folder.
    Outside { href: u32, path: u32 },
    /// A path in the site's folder (percent-decoded, relative to it), and
    /// the fragment, decoded, if the address has one.
    Inside {
        href: u32,
        rel: u32,
        fragment: Option<u32>,
    },
}

impl Gathering {
    pub fn new(base: &BaseUrl) -> Gathering {
        Gathering {
            base_url: base.as_str().to_string(),
            base_path: base.path().to_string(),
            kept: Mutex::new(Kept::default()),
        }
    }

    /// Takes in one file of the site: its path, and for a page its ids and
    /// links.
    pub fn add(&self, path: &str, bytes: &[u8]) {
        let anchors = path
            .ends_with(".html")
            .then(|| scan(&String::from_utf8_lossy(bytes)));
        // What the page alone tells of each address, before the lock: the
        // address, whether it is in the site's folder, the path and the
        // fragment.
        type Told<'h> = (&'h str, bool, String, Option<String>);
        let told: Vec<Told> = match &anchors {
            Some(a) => {
                let page_url = page_address(&self.base_path, path);
                a.links
                    .iter()
                    .filter_map(|href| {
                        let t = resolve(href, &page_url, &self.base_url, &self.base_path)?;
                        Some(match t.path.strip_prefix(&self.base_path) {
                            Some(rel) => (
                                href.as_str(),
                                true,
                                percent_decode(rel),
                                t.fragment.map(|f| percent_decode(&f)),
                            ),
                            None => (href.as_str(), false, t.path, None),
                        })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        let path_name = kept.name(path);
        kept.files.insert(path_name);
        let Some(anchors) = &anchors else {
            return;
        };
        let mut ids: Vec<u32> = anchors.ids.iter().map(|id| kept.name(id)).collect();
        ids.sort_unstable();
        let links = told
            .into_iter()
            .map(|(href, inside, path, fragment)| {
                let href = kept.name(href);
                let path = kept.name(&path);
                if inside {
                    Link::Inside {
                        href,
                        rel: path,
                        fragment: fragment.map(|f| kept.name(&f)),
                    }
                } else {
                    Link::Outside { href, path }
                }
            })
            .collect();
        kept.pages.push(PageLinks {
            path: path_name,
            ids,
            links,
        });
    }

    /// Every link that leads nowhere, by page and in the order of the page.
    pub fn broken(self) -> Vec<Broken> {
        let Ok(kept) = self.kept.into_inner() else {
            return Vec::new();
        };
        let by_path: HashMap<u32, usize> = kept
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path, i))
            .collect();
        let mut order: Vec<&PageLinks> = kept.pages.iter().collect();
        order.sort_by(|a, b| kept.text(a.path).cmp(kept.text(b.path)));
        let mut broken = Vec::new();
        for page in order {
            for link in &page.links {
                let fail = |href: u32, reason: String| Broken {
                    page: kept.text(page.path).to_string(),
                    href: kept.text(href).to_string(),
                    reason,
                };
                let (href, rel, fragment) = match *link {
                    Link::Outside { href, path } => {
                        let reason = format!(
                            "{} is outside the site ({})",
                            kept.text(path),
                            self.base_path
                        );
                        broken.push(fail(href, reason));
                        continue;
                    }
                    Link::Inside {
                        href,
                        rel,
                        fragment,
                    } => (href, kept.text(rel), fragment),
                };
                let file = if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else if kept.is_file(rel) {
                    rel.to_string()
                } else {
                    // `/arkiv/2024` is served as `/arkiv/2024/` by static hosts.
                    format!("{rel}/index.html")
                };
                if !kept.is_file(&file) {
                    let missing = if rel.is_empty() || rel.ends_with('/') {
                        file.as_str()
                    } else {
                        rel
                    };
                    broken.push(fail(href, format!("no file {missing} in the site")));
                    continue;
                }
                let Some(fragment) = fragment else {
                    continue;
                };
                let name = kept.text(fragment);
                if name.is_empty() || name == "top" {
                    continue;
                }
                let target = kept
                    .names
                    .get_index_of(file.as_str())
                    .and_then(|i| by_path.get(&(i as u32)))
                    .map(|&i| &kept.pages[i]);
                match target {
                    Some(t) if t.ids.binary_search(&fragment).is_ok() => {}
                    Some(_) => broken.push(fail(href, format!("{file} has no id \"{name}\""))),
                    None => broken.push(fail(href, format!("{file} is not a page with ids"))),
                }
            }
        }
        broken
    }
}

/// Reads every file of a built site and checks its links.
pub fn check_dir(dir: &std::path::Path, base_url: &str) -> std::io::Result<Vec<Broken>> {
    let base = BaseUrl::parse(base_url).map_err(std::io::Error::other)?;
    let gathered = Gathering::new(&base);
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let bytes = std::fs::read(entry.path())?;
            gathered.add(&rel.to_string_lossy().replace('\\', "/"), &bytes);
        }
    }
    Ok(gathered.broken())
}

/// The address a page is served at: `das-social/index.html` → `/arkiv/das-social/`.
fn page_address(base_path: &str, page: &str) -> String {
    let page = if page == "index.html" {
        ""
    } else {
        page.strip_suffix("/index.html")
            .map(|p| &page[..p.len() + 1])
            .unwrap_or(page)
    };
    format!("{base_path}{page}")
}

struct Target {
    path: String,
    fragment: Option<String>,
}

/// Where an address leads on this site: its absolute path and fragment, or
/// `None` for another site or a scheme that is no page (`mailto:`).
fn resolve(href: &str, page_url: &str, base_url: &str, base_path: &str) -> Option<Target> {
    let href = href.trim();
    let (rest, fragment) = match href.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (href, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let site_root = &base_url[..base_url.len() - base_path.len() + 1];
    let path = if rest.is_empty() {
        page_url.to_string()
    } else if let Some(own) = rest
        .strip_prefix(site_root.trim_end_matches('/'))
        .filter(|r| r.is_empty() || r.starts_with('/'))
    {
        if own.is_empty() {
            "/".to_string()
        } else {
            own.to_string()
        }
    } else if rest.starts_with("//") || has_scheme(rest) {
        return None;
    } else if rest.starts_with('/') {
        rest.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{rest}")
    };
    Some(Target {
        path: normalize(&path),
        fragment,
    })
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            i > 0
                && s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Removes `.` and `..` segments: `/a/b/../c` → `/a/c`.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            s => out.push(s),
        }
        if i == segments.len() - 1 && matches!(*seg, "." | "..") {
            out.push("");
        }
    }
    out.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The ids and addresses of an HTML page. A small tokenizer that knows what
/// it needs of HTML: tags and their attributes, quoted or not, comments, and
/// the raw text of `script` and `style`.
pub fn scan(html: &str) -> Anchors {
    let mut anchors = Anchors::default();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if html[i..].starts_with('!') || html[i..].starts_with('/') || html[i..].starts_with('?') {
            i = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
            continue;
        }
        let name_len = html[i..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(html.len() - i);
        if name_len == 0 {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        // Attributes, up to the end of the tag.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>') {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = None;
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let quote = b[i] as char;
                    let end = html[i + 1..].find(quote).map_or(b.len(), |e| i + 1 + e);
                    value = Some(&html[i + 1..end]);
                    i = (end + 1).min(b.len());
                } else {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&html[start..i]);
                }
            }
            let Some(value) = value.map(decode_entities) else {
                continue;
            };
            match attr.as_str() {
                "id" => {
                    anchors.ids.insert(value);
                }
                "name" if name == "a" => {
                    anchors.ids.insert(value);
                }
                "href" if name != "base" => anchors.links.push(value),
                "src" | "action" | "poster" => anchors.links.push(value),
                _ => {}
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(b.len(), |e| i + e);
        }
    }
    anchors
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&'static str, &'static str)], base: &str) -> Vec<String> {
        check(
            files.iter().map(|(p, t)| (*p, t.as_bytes())),
            &BaseUrl::parse(base).unwrap(),
        )
        .into_iter()
        .map(|b| b.to_string())
        .collect()
    }

    #[test]
    fn attributes_quoted_unquoted_and_entities() {
        let a = scan(
            "<!doctype html><a href=/x/#a id=top>x</a><img src='b.png' alt=\"\"><a href=\"?q=1&amp;r=2#s\" name=n><script>var s = '<a href=/no/>';</script><!-- <a href=/nor/> -->",
        );
        assert_eq!(a.links, ["/x/#a", "b.png", "?q=1&r=2#s"]);
        assert!(a.ids.contains("top") && a.ids.contains("n"));
    }

    #[test]
    fn missing_files_and_fragments_are_found() {
        let broken = site(
            &[
                (
                    "index.html",
                    "<a href=/arkiv/2024/>ok</a><a href=/arkiv/2023/>no</a><a href=2024/#punkt-1>ok</a><a href=2024/#punkt-9>no</a><a href=#main>no</a><a href=https://example.org/x>other site</a><a href=mailto:a@b.dk>mail</a><link href=https://moeder.example.dk/arkiv/ rel=canonical><a href=/elsewhere/>outside</a>",
                ),
                ("2024/index.html", "<h2 id=punkt-1>1</h2><a href=../static/style.css>css</a><a href=../#>top</a><a href=\"..\">up</a>"),
                ("static/style.css", "body{}"),
            ],
            "https://moeder.example.dk/arkiv/",
        );
        assert_eq!(
            broken,
            [
                "index.html: /arkiv/2023/: no file 2023/index.html in the site",
                "index.html: 2024/#punkt-9: 2024/index.html has no id \"punkt-9\"",
                "index.html: #main: index.html has no id \"main\"",
                "index.html: /elsewhere/: /elsewhere/ is outside the site (/arkiv/)",
            ]
        );
    }

    #[test]
    fn addresses_resolve_like_a_browser() {
        assert_eq!(normalize("/a/b/../c"), "/a/c");
        assert_eq!(normalize("/a/b/.."), "/a/");
        assert_eq!(normalize("/a/./b"), "/a/b");
        assert_eq!(
            page_address("/arkiv/", "das-social/index.html"),
            "/arkiv/das-social/"
        );
        assert_eq!(page_address("/", "404.html"), "/404.html");
        assert_eq!(percent_decode("%C3%A6ble"), "æble");
    }
}
