//! Links that never break: the record of every address the archive has
//! published (`data/published.txt`, committed with the archive like a lock
//! file), and the check that none of them disappears. A meeting's address
//! changes with its date, kind or body, an item's with its number; the build
//! then fails, naming each address that would be lost and the alias that
//! keeps it, unless the removal is meant (`protokol build --accept-removed`).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Archive, Entry};
use crate::render::alias;
use crate::render::pages::{Address, Anchors};
use crate::routes;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The record, relative to the archive's root.
pub const RECORD: &str = "data/published.txt";

/// Every address the archive publishes, relative to the site's root:
/// meetings (`das-social/2024-05-27-referat/`), their items and decisions
/// (`…/#punkt-4`, `…/#punkt-4-beslutning`), the items' own pages
/// (`…/punkt-4/`) and the pages of cases (`sager/2024-029219/`).
pub fn addresses(archive: &Archive) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in &archive.meetings {
        out.insert(m.page().clone());
        for item in m.entries.iter().filter_map(Entry::item) {
            out.insert(format!("{}#{}", m.page(), item.anchor()));
            if let Some(d) = item.decision_anchor() {
                out.insert(format!("{}#{d}", m.page()));
            }
            out.insert(routes::item_page(&m.id, item.number));
        }
    }
    out.extend(archive.cases.iter().map(|c| routes::case(&c.slug)));
    out
}

/// Reads the record; a missing one means nothing has been published yet.
pub fn read(root: &Path) -> Result<Option<BTreeSet<String>>, Diagnostic> {
    let path = root.join(RECORD);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(
            RECORD,
            format!("cannot read the file: {e}"),
        )),
    }
}

/// Writes the record, sorted, one address a line; only when it changed.
pub fn write(root: &Path, record: &BTreeSet<String>) -> Result<(), Diagnostic> {
    let mut text = String::from(
        "# Every address this archive has published. Written by `protokol build`; commit it with the archive.\n",
    );
    for a in record {
        text.push_str(a);
        text.push('\n');
    }
    let path = root.join(RECORD);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::new(RECORD, format!("cannot make the folder: {e}")))?;
    }
    std::fs::write(&path, text)
        .map_err(|e| Diagnostic::new(RECORD, format!("cannot write the file: {e}")))
}

/// What the check found: the addresses of the record that old addresses
/// (aliases) keep, and those that would be lost.
#[derive(Debug, Default)]
pub struct Outcome {
    pub kept: BTreeSet<String>,
    pub lost: Vec<String>,
}

/// Compares the record with what the archive publishes now (`now`, see
/// [`addresses`]).
pub fn compare(archive: &Archive, now: &BTreeSet<String>, record: &BTreeSet<String>) -> Outcome {
    // Old pages that still lead somewhere: every alias and the old item
    // pages that come with a meeting's alias.
    let mut redirects: BTreeSet<&str> = alias::all(archive).map(|a| a.path.as_str()).collect();
    let derived = alias::item_pages(archive);
    redirects.extend(derived.iter().map(|(a, _, _)| a.path.as_str()));
    // Pages whose `#fragment` reaches a meeting: its own address and its
    // old ones (their redirects keep the fragment).
    let mut meeting_at: HashMap<String, usize> = HashMap::new();
    for (i, m) in archive.meetings.iter().enumerate() {
        meeting_at.insert(m.page(), i);
        for a in &m.aliases {
            meeting_at.entry(a.path.clone()).or_insert(i);
        }
    }
    let mut out = Outcome::default();
    for old in record.iter().filter(|a| !now.contains(*a)) {
        let kept = match old.split_once('#') {
            None => redirects.contains(old.as_str()),
            Some((page, fragment)) => meeting_at.get(page).is_some_and(|&i| {
                let m = &archive.meetings[i];
                now.contains(&format!("{}#{fragment}", m.page()))
                    || m.entries.iter().filter_map(Entry::item).any(|it| {
                        it.old_numbers.iter().any(|&n| {
                            fragment == routes::item_anchor(n)
                                || (it.has_decision() && fragment == routes::decision_anchor(n))
                        })
                    })
            }),
        };
        if kept {
            out.kept.insert(old.clone());
        } else {
            out.lost.push(old.clone());
        }
    }
    out
}

/// The record after a build: what is published now and what old addresses
/// keep, and with `accept_removed` nothing else (the addresses it removes
/// come second). Fails on a lost address otherwise, with the alias that
/// would keep it.
pub fn check(
    archive: &Archive,
    record: &BTreeSet<String>,
    accept_removed: bool,
) -> Result<(BTreeSet<String>, Vec<String>), Diagnostics> {
    // Made once (at 10,000 meetings some hundreds of thousands of
    // addresses): compared, then the record's start.
    let mut next = addresses(archive);
    let found = compare(archive, &next, record);
    if !found.lost.is_empty() && !accept_removed {
        return Err(Diagnostics(explain(archive, record, &found.lost)));
    }
    next.extend(found.kept);
    Ok((next, found.lost))
}

/// What a build with `--accept-removed` says it removed: the pages, each
/// with the number of its anchors and item pages that go with it.
pub fn removed_notice(lost: &[String]) -> String {
    let mut by_page: BTreeMap<&str, usize> = BTreeMap::new();
    for a in lost {
        *by_page.entry(page_of(a)).or_default() += 1;
    }
    let mut out = format!(
        "removed on purpose (--accept-removed): {} published addresses are no longer kept in {RECORD}:",
        lost.len()
    );
    for (page, n) in by_page {
        out.push_str(&format!(
            "\n  {page} ({n} addresses with its items and decisions)"
        ));
    }
    out
}

/// The page an address belongs with: its own, without an anchor; an item
/// page's meeting page.
fn page_of(address: &str) -> &str {
    let page = address.split_once('#').map_or(address, |(p, _)| p);
    routes::item_page_meeting(page).unwrap_or(page)
}

/// One error per lost page, with its lost item and decision addresses.
fn explain(archive: &Archive, record: &BTreeSet<String>, lost: &[String]) -> Vec<Diagnostic> {
    let mut by_page: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in lost {
        by_page.entry(page_of(a)).or_default().push(a);
    }
    // Meetings that are new since the record: where a lost one has gone.
    let new: Vec<&crate::model::Meeting> = archive
        .meetings
        .iter()
        .filter(|m| !record.contains(&m.page()))
        .collect();
    let mut errors = Vec::new();
    for (page, addresses) in by_page {
        let list = addresses.join(", ");
        let moved_to = new
            .iter()
            .find(|m| routes::same_meeting(page, &m.page()))
            .or(if new.len() == 1 { new.first() } else { None });
        let gone_meeting = !archive.meetings.iter().any(|m| m.page() == page);
        let (file, expected) = if gone_meeting {
            match moved_to {
                Some(m) => (
                    m.file.clone(),
                    format!(
                        "aliases = [\"{page}\"] in the front matter of {} (the meeting now at {}), or `protokol build --accept-removed` to remove these addresses on purpose",
                        m.file, m.page()
                    ),
                ),
                None => (
                    RECORD.to_string(),
                    format!(
                        "aliases = [\"{page}\"] in the front matter of the meeting that was published there, or `protokol build --accept-removed` to remove these addresses on purpose"
                    ),
                ),
            }
        } else {
            let m = archive
                .meetings
                .iter()
                .find(|m| m.page() == page)
                .map_or(RECORD.to_string(), |m| m.file.clone());
            let numbers: Vec<String> = addresses
                .iter()
                .filter_map(|a| routes::item_number(a))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|n| {
                    format!(
                        "aliases = [\"{}\"]",
                        routes::item_page(page.trim_end_matches('/'), n)
                    )
                })
                .collect();
            (
                m.clone(),
                format!(
                    "{} in the key block of the item that had that number, or `protokol build --accept-removed` to remove these addresses on purpose",
                    numbers.join(" or ")
                ),
            )
        };
        errors.push(
            Diagnostic::new(
                file,
                format!("published addresses would disappear: {list} (recorded in {RECORD})"),
            )
            .expected(expected),
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_meeting_corrected() {
        assert!(routes::same_meeting(
            "das-social/2024-05-26-referat/",
            "das-social/2024-05-27-referat/"
        ));
        assert!(routes::same_meeting(
            "das-social/2024-05-27-referat/",
            "kkr/2024-05-27-referat/"
        ));
        assert!(!routes::same_meeting(
            "das-social/2024-05-27-referat/",
            "kkr/2024-05-28-referat/"
        ));
    }
}
