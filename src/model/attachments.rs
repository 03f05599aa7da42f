//! The attachments (bilag) of an item: a Markdown list of titles or links.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub title: String,
    /// The file or address, when the author gave one.
    pub href: Option<String>,
    /// The kind of file, from its name: `PDF`, `DOCX` …
    pub format: Option<String>,
    /// The file's size in bytes, when it is one of the archive's own files.
    pub size: Option<u64>,
}

/// The size of an attachment the archive itself publishes: a site-absolute
/// address (`/bilag/x.pdf`) of a file in its `static/` folder.
pub fn local_size(static_dir: &std::path::Path, href: &str) -> Option<u64> {
    let path = href.split(['?', '#']).next()?.strip_prefix('/')?;
    if path.starts_with('/') || path.split('/').any(|s| s == ".." || s.is_empty()) {
        return None;
    }
    let meta = std::fs::metadata(static_dir.join(path)).ok()?;
    meta.is_file().then_some(meta.len())
}

/// Splits an attachments section into its list entries and the rest of its
/// text (a remark such as "Referatet kan findes på hjemmesiden").
pub fn parse_list(markdown: &str) -> (Vec<Attachment>, String) {
    let mut list = Vec::new();
    let mut rest = String::new();
    let mut in_item = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(entry) = list_entry(trimmed) {
            list.push(entry);
            in_item = true;
        } else if in_item && !trimmed.is_empty() && line.starts_with([' ', '\t']) {
            // A wrapped list entry continues the title.
            if let Some(last) = list.last_mut() {
                let more = parse_entry(trimmed);
                if last.href.is_none() {
                    last.title = format!("{} {}", last.title, more.title);
                    last.href = more.href;
                    last.format = more.format;
                }
            }
        } else {
            in_item = false;
            rest.push_str(line);
            rest.push('\n');
        }
    }
    (list, rest.trim().to_string())
}

fn list_entry(line: &str) -> Option<Attachment> {
    let body = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
        .or_else(|| {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (digits > 0)
                .then(|| &line[digits..])
                .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
        })?;
    let entry = parse_entry(body.trim());
    (!entry.title.is_empty()).then_some(entry)
}

/// `[Title](file.pdf)` or `Title`.
fn parse_entry(text: &str) -> Attachment {
    if let Some(inner) = text.strip_prefix('[') {
        if let Some((title, after)) = inner.split_once("](") {
            if let Some(href) = after.strip_suffix(')') {
                let href = href.trim().to_string();
                let format = format_of(&href);
                return Attachment {
                    title: title.trim().to_string(),
                    href: (!href.is_empty() && href != "#").then_some(href),
                    format,
                    size: None,
                };
            }
        }
    }
    Attachment {
        title: text.to_string(),
        href: None,
        format: None,
        size: None,
    }
}

fn format_of(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_uppercase();
    (1..=5)
        .contains(&ext.len())
        .then_some(ext)
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_links_and_remarks() {
        let (list, rest) = parse_list(
            "- Samfundstendenser\n- [Årsrapport 2023](/bilag/aarsrapport.pdf)\n1. Notat om\n  kapacitet\n\nReferatet kan findes [her](#)\n",
        );
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].title, "Samfundstendenser");
        assert_eq!(list[0].href, None);
        assert_eq!(list[1].href.as_deref(), Some("/bilag/aarsrapport.pdf"));
        assert_eq!(list[1].format.as_deref(), Some("PDF"));
        assert_eq!(list[2].title, "Notat om kapacitet");
        assert_eq!(rest, "Referatet kan findes [her](#)");
    }

    #[test]
    fn empty_link_targets_are_no_links() {
        let (list, _) = parse_list("- [Bilag](#)\n");
        assert_eq!(list[0].href, None);
    }
}
