//! Links that never break: the record of every address the archive has
//! published (`data/published.txt`, committed with the archive like a lock
//! file), and the check that none of them disappears. A meeting's address
//! changes with its date, kind or body, an item's with its number; the build
//! then fails, naming each address that would be lost and the alias that
//! keeps it, unless the removal is meant (`protokol build --accept-removed`).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Archive, Entry};
use crate::render::alias;
use crate::render::{case_path, item_page_path};
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
        out.insert(m.path.clone());
        for item in m.entries.iter().filter_map(Entry::item) {
            out.insert(format!("{}#{}", m.path, item.anchor));
            if let Some(d) = item.decision_anchor() {
                out.insert(format!("{}#{d}", m.path));
            }
            out.insert(item_page_path(m, &item.anchor));
        }
    }
    out.extend(archive.cases.iter().map(case_path));
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

/// Compares the record with what the archive publishes now.
pub fn compare(archive: &Archive, record: &BTreeSet<String>) -> Outcome {
    let now = addresses(archive);
    // Old pages that still lead somewhere: every alias and the old item
    // pages that come with a meeting's alias.
    let mut redirects: BTreeSet<&str> = alias::all(archive).map(|a| a.path.as_str()).collect();
    let derived = alias::item_pages(archive);
    redirects.extend(derived.iter().map(|(a, _, _)| a.path.as_str()));
    // Pages whose `#fragment` reaches a meeting: its own address and its
    // old ones (their redirects keep the fragment).
    let mut meeting_at: HashMap<&str, usize> = HashMap::new();
    for (i, m) in archive.meetings.iter().enumerate() {
        meeting_at.insert(m.path.as_str(), i);
        for a in &m.aliases {
            meeting_at.entry(a.path.as_str()).or_insert(i);
        }
    }
    let mut out = Outcome::default();
    for old in record.iter().filter(|a| !now.contains(*a)) {
        let kept = match old.split_once('#') {
            None => redirects.contains(old.as_str()),
            Some((page, fragment)) => meeting_at.get(page).is_some_and(|&i| {
                let m = &archive.meetings[i];
                now.contains(&format!("{}#{fragment}", m.path))
                    || m.entries
                        .iter()
                        .filter_map(Entry::item)
                        .any(|it| it.old_anchors.iter().any(|a| a == fragment))
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
/// keep, and with `accept_removed` nothing else. Fails on a lost address
/// otherwise, with the alias that would keep it.
pub fn check(
    archive: &Archive,
    record: &BTreeSet<String>,
    accept_removed: bool,
) -> Result<BTreeSet<String>, Diagnostics> {
    let found = compare(archive, record);
    if !found.lost.is_empty() && !accept_removed {
        return Err(Diagnostics(explain(archive, record, &found.lost)));
    }
    let mut next = addresses(archive);
    next.extend(found.kept);
    Ok(next)
}

/// One error per lost page, with its lost item and decision addresses.
fn explain(archive: &Archive, record: &BTreeSet<String>, lost: &[String]) -> Vec<Diagnostic> {
    let mut by_page: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in lost {
        let page = a.split_once('#').map_or(a.as_str(), |(p, _)| p);
        // An item page belongs with its meeting's page.
        let meeting = item_page_meeting(page).unwrap_or(page);
        by_page.entry(meeting).or_default().push(a);
    }
    // Meetings that are new since the record: where a lost one has gone.
    let new: Vec<&crate::model::Meeting> = archive
        .meetings
        .iter()
        .filter(|m| !record.contains(&m.path))
        .collect();
    let mut errors = Vec::new();
    for (page, addresses) in by_page {
        let list = addresses.join(", ");
        let moved_to = new
            .iter()
            .find(|m| same_meeting(page, &m.path))
            .or(if new.len() == 1 { new.first() } else { None });
        let gone_meeting = !archive.meetings.iter().any(|m| m.path == page);
        let (file, expected) = if gone_meeting {
            match moved_to {
                Some(m) => (
                    m.file.clone(),
                    format!(
                        "aliases = [\"{page}\"] in the front matter of {} (the meeting now at {}), or `protokol build --accept-removed` to remove these addresses on purpose",
                        m.file, m.path
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
                .find(|m| m.path == page)
                .map_or(RECORD.to_string(), |m| m.file.clone());
            let numbers: Vec<String> = addresses
                .iter()
                .filter_map(|a| item_number(a))
                .map(|n| format!("punkt-{n}"))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|anchor| format!("aliases = [\"{page}{anchor}/\"]"))
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

/// `das-social/2024-05-27-referat/` of `das-social/2024-05-27-referat/punkt-4/`.
fn item_page_meeting(page: &str) -> Option<&str> {
    let rest = page.strip_suffix('/')?;
    let (meeting, last) = rest.rsplit_once('/')?;
    last.strip_prefix("punkt-")?.parse::<u32>().ok()?;
    Some(&page[..meeting.len() + 1])
}

/// The item number of `…/#punkt-4`, `…/#punkt-4-beslutning` or `…/punkt-4/`.
fn item_number(address: &str) -> Option<u32> {
    let tail = match address.split_once('#') {
        Some((_, f)) => f,
        None => address.trim_end_matches('/').rsplit('/').next()?,
    };
    let digits = tail.strip_prefix("punkt-")?;
    let end = digits.find('-').unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// Two meeting addresses that share their body, or their date and kind:
/// likely the same meeting with one fact corrected.
fn same_meeting(a: &str, b: &str) -> bool {
    let parts = |p: &str| -> Option<(String, String)> {
        let (body, rest) = p.trim_end_matches('/').split_once('/')?;
        Some((body.to_string(), rest.to_string()))
    };
    match (parts(a), parts(b)) {
        (Some((ba, ra)), Some((bb, rb))) => ba == bb || ra == rb,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_numbers_and_pages() {
        assert_eq!(item_number("x/2024-05-27-referat/#punkt-4"), Some(4));
        assert_eq!(
            item_number("x/2024-05-27-referat/#punkt-12-beslutning"),
            Some(12)
        );
        assert_eq!(item_number("x/2024-05-27-referat/punkt-3/"), Some(3));
        assert_eq!(item_number("x/2024-05-27-referat/"), None);
        assert_eq!(
            item_page_meeting("x/2024-05-27-referat/punkt-3/"),
            Some("x/2024-05-27-referat/")
        );
        assert_eq!(item_page_meeting("x/2024-05-27-referat/"), None);
    }

    #[test]
    fn the_same_meeting_corrected() {
        assert!(same_meeting(
            "das-social/2024-05-26-referat/",
            "das-social/2024-05-27-referat/"
        ));
        assert!(same_meeting(
            "das-social/2024-05-27-referat/",
            "kkr/2024-05-27-referat/"
        ));
        assert!(!same_meeting(
            "das-social/2024-05-27-referat/",
            "kkr/2024-05-28-referat/"
        ));
    }
}
