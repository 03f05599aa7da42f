//! Redirect pages that keep old addresses working: one small page per alias,
//! with a `refresh` to the new address, a canonical link and a plain link.

use super::pages::{Address, Anchors, Urls};
use super::views::Common;
use super::Page;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Alias, Archive, Entry};
use crate::routes;
use crate::routes::alias_file;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The redirect page of every alias, with the alias it was made for.
pub fn pages(c: &Common) -> Vec<(Alias, Page)> {
    let archive = c.archive;
    let mut out = Vec::new();
    for m in &archive.meetings {
        let title = c.meeting_title(m);
        for a in &m.aliases {
            // A meeting's old address may carry an item's #punkt-N: keep it.
            out.push((a.clone(), redirect(c, a, &m.page(), "", &title, true)));
        }
        for item in m.entries.iter().filter_map(Entry::item) {
            let fragment = format!("#{}", item.anchor());
            let title = format!("{title}: {}", item.title);
            for a in &item.aliases {
                out.push((
                    a.clone(),
                    redirect(c, a, &m.page(), &fragment, &title, false),
                ));
            }
        }
    }
    for (a, mi, number) in item_pages(archive) {
        let m = &archive.meetings[mi];
        let page = routes::item_page(&m.id, number);
        let item = m
            .entries
            .iter()
            .filter_map(Entry::item)
            .find(|i| i.number == number);
        let title = match item {
            Some(item) => format!("{}: {}", c.meeting_title(m), item.title),
            None => c.meeting_title(m),
        };
        out.push((a.clone(), redirect(c, &a, &page, "", &title, false)));
    }
    out
}

/// The old item pages a meeting's old address brings with it: for an alias
/// `das-social/2024-05-26-referat/`, `…/2024-05-26-referat/punkt-4/` leads
/// to the page of item 4, unless an alias of its own says otherwise. With
/// the meeting's index and the item's number.
pub fn item_pages(archive: &Archive) -> Vec<(Alias, usize, u32)> {
    let explicit: HashSet<&str> = all(archive).map(|a| a.path.as_str()).collect();
    let mut out = Vec::new();
    for (mi, m) in archive.meetings.iter().enumerate() {
        for a in m.aliases.iter().filter(|a| a.path.ends_with('/')) {
            for item in m.entries.iter().filter_map(Entry::item) {
                let path = routes::item_page(a.path.trim_end_matches('/'), item.number);
                if explicit.contains(path.as_str()) {
                    continue;
                }
                out.push((Alias { path, ..a.clone() }, mi, item.number));
            }
        }
    }
    out
}

fn redirect(
    c: &Common,
    alias: &Alias,
    path: &str,
    fragment: &str,
    title: &str,
    keep_hash: bool,
) -> Page {
    let archive = c.archive;
    let url = format!("{}{fragment}", archive.url(path));
    let canonical = archive.permalink(path);
    let js_url = serde_json::to_string(&url)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let script = if keep_hash {
        format!("location.replace({js_url}+location.hash)")
    } else {
        format!("location.replace({js_url})")
    };
    let html = format!(
        "<!doctype html><html lang={lang}><head><meta charset=utf-8><title>{moved}</title>\
<meta name=viewport content=\"width=device-width,initial-scale=1\">\
<meta name=robots content=noindex><link rel=canonical href=\"{canonical}\">\
<meta http-equiv=refresh content=\"0; url={url_attr}\"><script>{script}</script></head>\
<body><main><h1>{moved}</h1><p>{text} <a href=\"{url_attr}\">{title}</a></p></main></body></html>\n",
        lang = archive.site.language,
        moved = escape(&c.t("moved_title")),
        text = escape(&c.t("moved_text")),
        canonical = escape(&canonical),
        url_attr = escape(&url),
        title = escape(title),
    );
    Page {
        path: alias_file(&alias.path),
        bytes: html.into_bytes(),
    }
}

use crate::markdown::escape;

/// Aliases that would replace a page of the site, or each other, are errors
/// in the file that names them. `paths` are all files of the site, alias
/// pages included.
pub fn check(archive: &Archive, paths: &[&str]) -> Result<(), Diagnostics> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for p in paths {
        *count.entry(p).or_default() += 1;
    }
    // The item pages that come with a meeting's old address are written
    // as aliases too, and are no page of the site's own.
    for (a, _, _) in item_pages(archive) {
        if let Some(n) = count.get_mut(alias_file(&a.path).as_str()) {
            *n = n.saturating_sub(1);
        }
    }
    let mut by_file: BTreeMap<String, Vec<&Alias>> = BTreeMap::new();
    for a in all(archive) {
        by_file.entry(alias_file(&a.path)).or_default().push(a);
    }
    let mut errors = Vec::new();
    for (file, aliases) in &by_file {
        let others = count
            .get(file.as_str())
            .copied()
            .unwrap_or(0)
            .saturating_sub(aliases.len());
        // `gammel.json/` cannot be a folder when `gammel.json` is a file.
        let shadowed = file
            .strip_suffix("/index.html")
            .is_some_and(|folder| count.contains_key(folder));
        for (n, alias) in aliases.iter().enumerate() {
            let at = |message: String, expected: String| {
                let mut d = Diagnostic::new(&alias.file, message).expected(expected);
                d.line = alias.line;
                d.column = alias.column;
                d
            };
            if others > 0 || shadowed {
                errors.push(at(
                    format!(
                        "the alias \"{}\" is the address of a page of the site",
                        alias.path
                    ),
                    "an old address that no page of the site uses now".into(),
                ));
            } else if n > 0 {
                let first = aliases[0];
                errors.push(at(
                    format!("the alias \"{}\" is used twice", alias.path),
                    format!(
                        "one target per old address (it is also at {}:{}:{})",
                        first.file, first.line, first.column
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(Diagnostics(errors))
    }
}

/// Every alias of the archive, meetings' and items'.
pub fn all(archive: &Archive) -> impl Iterator<Item = &Alias> {
    archive.meetings.iter().flat_map(|m| {
        m.aliases.iter().chain(
            m.entries
                .iter()
                .filter_map(Entry::item)
                .flat_map(|i| &i.aliases),
        )
    })
}
