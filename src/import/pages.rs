//! Text with one line per page: some PDF transcripts lose every line break
//! inside a page, so that each page is one long line that starts with its
//! page number ("3 Side i Til efterretning … 89. Til efterretning – …").
//! Such text is split again into lines at what can be recognised: the
//! header labels, the group headings and items of the contents list, the
//! case labels and the status words.

use super::clean::{normalise_ws, Line};
use super::header::Listed;
use regex::Regex;
use std::sync::LazyLock;

static PAGE_START: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,4})\s+(\S.*)$").unwrap());
static PAGE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:side)\s+(?:[ivxlcdm]+|\d{1,4})\s+").unwrap());
static PAGE_REF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[ivxlcdm]+$|^\d{1,3}$").unwrap());
static LEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)\.{2,}\s*([ivxlcdm]+|\d{1,3})?$").unwrap());
static ENTRY_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}\.$").unwrap());
static ITEM_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\.\s+(\S.*)$").unwrap());
/// Labels that start a line of their own: header fields, case labels,
/// status words and section headings with a colon.
static LABELS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)((?:Dato|Mødedato|Starttidspunkt for møde|Sluttidspunkt for møde|Starttidspunkt|Sluttidspunkt|Tidspunkt|Mødested|Lokale|Udsendelsesdato|Afbud fra|Afbud|Fraværende|Mødedeltagere|Deltagere|Til stede|Referent|J\.\s?nr\.?|Journalnr\.?|Sagsnr\.?|Sagsid\.?|Dok\.\s?nr\.?|Initialer)\s*:\.?|(?:Åben|Lukket) sag(?:\s|$)|(?:Beslutning|Indstilling|Sagsfremstilling|Resumé|Resume|Bilag)\s*:|Beslutning i [A-ZÆØÅ][\wæøåÆØÅ-]* den [^:]{4,30}:)",
    )
    .unwrap()
});
/// Labels after which the text goes on in a line of its own.
static STANDALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Åben|Lukket) sag|(?:Beslutning|Indstilling|Sagsfremstilling|Resumé|Resume|Bilag)\s*:|Beslutning i .*:)$").unwrap()
});

/// Is the text one line per page: every non-blank line starts with its
/// page number, in order, and most are long?
pub fn is_flattened(lines: &[Line]) -> bool {
    let pages: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    if pages.len() < 2 {
        return false;
    }
    let mut expected: Option<u32> = None;
    for l in &pages {
        let Some(c) = PAGE_START.captures(&l.text) else {
            return false;
        };
        let n: u32 = c[1].parse().unwrap_or(0);
        if expected.is_some_and(|e| e != n) {
            return false;
        }
        expected = Some(n + 1);
    }
    let long = pages
        .iter()
        .filter(|l| l.text.chars().count() > 200)
        .count();
    long * 2 >= pages.len()
}

/// The text split into lines again, with the contents list it holds.
pub struct Unflattened {
    pub lines: Vec<Line>,
    pub listed: Vec<Listed>,
    /// Indices (in `lines`) of the contents list: not text of the meeting.
    pub toc: Vec<usize>,
    /// The words removed as page footers, with their count.
    pub footer: Option<(String, usize)>,
}

/// Splits one-line pages into lines (see the module documentation).
pub fn unflatten(lines: &[Line]) -> Unflattened {
    let mut pages: Vec<(usize, String)> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| {
            let c = PAGE_START.captures(&l.text);
            let text = c.map_or(l.text.clone(), |c| c[2].to_string());
            (l.no, text)
        })
        .collect();
    // A footer word repeated at the end of most pages ("åben").
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, t) in &pages {
        if let Some(w) = t.split_whitespace().last() {
            *counts.entry(w.to_string()).or_default() += 1;
        }
    }
    let footer = counts
        .into_iter()
        .filter(|(w, n)| *n >= 2 && n * 3 >= pages.len() * 2 && w.chars().all(char::is_alphabetic))
        .max_by_key(|(_, n)| *n);
    if let Some((w, _)) = &footer {
        for (_, t) in pages.iter_mut() {
            if let Some(rest) = t.strip_suffix(w.as_str()) {
                if rest.ends_with(' ') || rest.is_empty() {
                    *t = rest.trim_end().to_string();
                }
            }
        }
    }
    for (_, t) in pages.iter_mut() {
        if let Some(m) = PAGE_HEADER.find(t) {
            *t = t[m.end()..].to_string();
        }
    }

    let mut out = Unflattened {
        lines: Vec::new(),
        listed: Vec::new(),
        toc: Vec::new(),
        footer,
    };
    let push = |out: &mut Unflattened, no: usize, text: &str| {
        let text = normalise_ws(text);
        if text.is_empty() {
            return;
        }
        out.lines.push(Line {
            no,
            text,
            indent: 0,
        });
        out.lines.push(Line {
            no,
            text: String::new(),
            indent: 0,
        });
    };
    let mut groups: Vec<String> = Vec::new();
    for (no, text) in &pages {
        if let Some(rest) = text
            .strip_prefix("Indholdsfortegnelse")
            .filter(|_| out.listed.is_empty())
        {
            let start = out.lines.len();
            push(&mut out, *no, "Indholdsfortegnelse");
            let mut group: Option<String> = None;
            for entry in toc_entries(rest) {
                push(&mut out, *no, &entry);
                if let Some(c) = ITEM_ENTRY.captures(&entry) {
                    out.listed.push(Listed {
                        number: c[1].parse().unwrap_or(0),
                        title: c[2].to_string(),
                        group: group.clone(),
                    });
                } else {
                    groups.push(entry.clone());
                    group = Some(entry);
                }
            }
            out.toc.extend(start..out.lines.len());
            continue;
        }
        for piece in split_page(text, &out.listed, &groups) {
            push(&mut out, *no, &piece);
        }
    }
    out
}

/// The entries of a contents list run together on one line: each ends in
/// a dot leader and a page reference ("…budget...i", "…regnskab v").
fn toc_entries(text: &str) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut entries = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (k, tok) in tokens.iter().enumerate() {
        if let Some(c) = LEADER.captures(tok) {
            let word = c.get(1).map_or("", |m| m.as_str());
            if !word.is_empty() {
                cur.push(word);
            }
            if !cur.is_empty() {
                entries.push(cur.join(" "));
                cur.clear();
            }
            continue;
        }
        let next_is_entry = tokens.get(k + 1).is_none_or(|n| ENTRY_NUMBER.is_match(n));
        if PAGE_REF.is_match(tok) && next_is_entry && !cur.is_empty() {
            entries.push(cur.join(" "));
            cur.clear();
            continue;
        }
        cur.push(tok);
    }
    if !cur.is_empty() {
        entries.push(cur.join(" "));
    }
    entries
}

/// Splits one page at the group headings and items of the contents list
/// and at the labels.
fn split_page(text: &str, listed: &[Listed], groups: &[String]) -> Vec<String> {
    // Cut points: (start, end of a piece that must stand alone or start).
    let mut cuts: Vec<(usize, Option<usize>)> = Vec::new();
    for g in groups {
        let mut from = 0;
        while let Some(p) = text[from..].find(g.as_str()) {
            let at = from + p;
            cuts.push((at, Some(at + g.len())));
            from = at + g.len();
        }
    }
    for l in listed {
        let head = format!("{}. {}", l.number, l.title);
        if let Some(at) = text.find(&head) {
            cuts.push((at, Some(at + head.len())));
        }
    }
    for m in LABELS.captures_iter(text) {
        let g = m.get(1).unwrap();
        let end = STANDALONE.is_match(g.as_str().trim()).then(|| g.end());
        cuts.push((g.start(), end));
    }
    cuts.sort();
    let mut pieces = Vec::new();
    let mut pos = 0;
    for (start, end) in cuts {
        if start < pos {
            continue;
        }
        if start > pos {
            pieces.push(text[pos..start].to_string());
        }
        match end {
            Some(e) => {
                pieces.push(text[start..e].to_string());
                pos = e;
            }
            None => pos = start,
        }
    }
    if pos < text.len() {
        pieces.push(text[pos..].to_string());
    }
    pieces
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::split_lines;

    #[test]
    fn contents_entries_run_together() {
        let e = toc_entries("Til efterretning - for åbne døre...i 89. Kvartalsrapport...i 93. Egebjerg Kommunes årsberetning og regnskab v 94. Klage over afgørelse i Folkeoplysningsudvalg...iii 101. Budget xiii 102. SPØRGETID...xv");
        assert_eq!(
            e,
            [
                "Til efterretning - for åbne døre",
                "89. Kvartalsrapport",
                "93. Egebjerg Kommunes årsberetning og regnskab",
                "94. Klage over afgørelse i Folkeoplysningsudvalg",
                "101. Budget",
                "102. SPØRGETID"
            ]
        );
    }

    #[test]
    fn pages_are_split_into_lines() {
        let text = format!(
            "1 Kommunalbestyrelsen Referat Dato: Onsdag den 15-maj-2002 Fraværende: Ingen. {pad} åben\n\n2 Indholdsfortegnelse Til behandling - for åbne døre...i 7. Budget...i 8. Lukket sag: Køb...ii åben\n\n3 Side i Til behandling - for åbne døre 7. Budget J.nr.:. Sagsid.: Åben sag Teksten på 1. Kommunens side. Beslutning: Godkendt. {pad} åben\n",
            pad = "ord ".repeat(60)
        );
        let lines = split_lines(&text);
        assert!(is_flattened(&lines));
        let u = unflatten(&lines);
        let texts: Vec<&str> = u
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(texts[0], "Kommunalbestyrelsen Referat");
        assert_eq!(texts[1], "Dato: Onsdag den 15-maj-2002");
        assert!(texts[2].starts_with("Fraværende: Ingen. ord ord"));
        let after_toc = &texts[texts
            .iter()
            .position(|t| *t == "8. Lukket sag: Køb")
            .unwrap()
            + 1..];
        assert_eq!(
            &after_toc[..7],
            [
                "Til behandling - for åbne døre",
                "7. Budget",
                "J.nr.:.",
                "Sagsid.:",
                "Åben sag",
                "Teksten på 1. Kommunens side.",
                "Beslutning:"
            ]
        );
        assert_eq!(u.listed.len(), 2);
        assert_eq!(
            u.listed[1].group.as_deref(),
            Some("Til behandling - for åbne døre")
        );
        assert_eq!(u.footer.as_ref().map(|f| f.0.as_str()), Some("åben"));
        assert!(!is_flattened(&split_lines("1. Godkendelse\n\n2. Evt.\n")));
    }
}
