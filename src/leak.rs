//! The leak guard: the last check of a build before its site is published.
//!
//! The model leaves closed items and non-public meetings out, and nothing
//! after it should bring them back; this guard checks that nothing did (a
//! theme override, a new output, a bug). It collects the distinctive text of
//! every closed item and non-public meeting — titles, case numbers and runs
//! of words of their text — and looks for each in every file the build
//! writes, compressed files (gzip, zlib) decompressed first. A build that
//! finds one refuses to publish and names the file and the item.
//!
//! Only text that appears nowhere in the public part of the archive counts
//! as distinctive: a closed item called "Godkendelse af dagsorden" is not
//! looked for, as every meeting has one in public.

use crate::content::{Content, MeetingSource};
use crate::diagnostic::{Diagnostic, Diagnostics};
use aho_corasick::AhoCorasick;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The fewest characters a title or a run of words must have to be looked
/// for: shorter ones ("Personale") are too likely to occur by chance.
pub const MIN_CHARS: usize = 16;
/// The fewest characters of a case number looked for.
pub const MIN_CASE_CHARS: usize = 6;
/// Words in a run of words looked for, and the step between two runs: any
/// fifteen words in a row of a secret line contain a whole run.
pub const RUN_WORDS: usize = 8;
const RUN_STEP: usize = 8;
/// The most bytes of a compressed file that are decompressed and checked.
pub const MAX_INFLATED: u64 = 512 * 1024 * 1024;
/// The most findings reported.
const MAX_FINDINGS: usize = 20;

/// Where a secret text comes from, for the message.
#[derive(Debug, Clone)]
struct Secret {
    /// The meeting file.
    file: String,
    /// "closed item 4" or "the non-public meeting".
    what: String,
    /// "title", "case number" or "text".
    kind: &'static str,
}

/// One secret text found in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The output file, relative to the output folder.
    pub path: String,
    /// The meeting file the secret text comes from.
    pub file: String,
    pub what: String,
    pub kind: &'static str,
    pub text: String,
}

/// The secret texts of an archive and what was found of them.
pub struct Guard {
    needles: Vec<String>,
    secrets: Vec<Secret>,
    /// For each needle, the secret it belongs to.
    owner: Vec<usize>,
    matcher: Option<AhoCorasick>,
    found: Mutex<Vec<Finding>>,
    /// Time spent checking files, summed over threads.
    nanos: AtomicU64,
    pub setup_seconds: f64,
}

/// Characters kept together in a run of words: letters, digits and
/// punctuation that every output writes as it is (no `&`, `<`, quotes or
/// `/`, which HTML, JSON or a template may escape).
fn plain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | '(' | ')' | '%' | ':' | '!' | '?')
}

/// The distinctive pieces of one secret line: its stretches of plain
/// characters, and of a long stretch runs of [`RUN_WORDS`] words.
///
/// A piece never spans two sentences: pages, feeds and the search index
/// join the sentences of different paragraphs and items, and a run across
/// such a seam would be found where nothing secret is.
fn pieces(line: &str, min_chars: usize, out: &mut Vec<String>) {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = matches!(c, '.' | '!' | '?' | ':')
            && chars.peek().is_none_or(|&(_, next)| next.is_whitespace());
        if ends {
            sentences.push(&line[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    sentences.push(&line[start..]);
    for stretch in sentences
        .into_iter()
        .flat_map(|s| s.split(|c: char| !plain(c)))
    {
        let words: Vec<&str> = stretch.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if words.len() <= RUN_WORDS {
            let piece = words.join(" ");
            if piece.chars().count() >= min_chars {
                out.push(piece);
            }
            continue;
        }
        let mut start = 0;
        loop {
            let end = (start + RUN_WORDS).min(words.len());
            let piece = words[start..end].join(" ");
            if piece.chars().count() >= min_chars {
                out.push(piece);
            }
            if end == words.len() {
                break;
            }
            start = (start + RUN_STEP).min(words.len() - RUN_WORDS);
        }
    }
}

/// Runs of words looked for per secret text, at most: spread over the
/// text, they find a copy of any part of it of some length, and keep the
/// number of texts to look for (the guard's cost) in bounds.
const RUNS_PER_TEXT: usize = 8;

/// At most [`RUNS_PER_TEXT`] of `runs`, evenly spread.
fn sample(mut runs: Vec<String>) -> Vec<String> {
    if runs.len() <= RUNS_PER_TEXT {
        return runs;
    }
    let step = runs.len() as f64 / RUNS_PER_TEXT as f64;
    (0..RUNS_PER_TEXT)
        .map(|i| std::mem::take(&mut runs[(i as f64 * step) as usize]))
        .collect()
}

/// Adds the pieces of Markdown `text` (line by line) to `out`.
fn text_pieces(text: &str, out: &mut Vec<String>) {
    for line in text.lines() {
        pieces(line, MIN_CHARS, out);
    }
}

/// Every text of the public part of the archive that the site may show.
fn public_texts(content: &Content) -> Vec<String> {
    let mut texts = Vec::new();
    for (_, bytes) in crate::render::theme::DEFAULT_THEME {
        texts.push(String::from_utf8_lossy(bytes).into_owned());
    }
    // The archive's own templates and static files are not counted: a
    // secret text pasted into one of them is a leak too.
    let root = &content.root;
    let mut files = vec![root.join("config.toml")];
    for dir in ["data"] {
        let dir = root.join(dir);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
                if entry.file_type().is_file() {
                    files.push(entry.path().to_path_buf());
                }
            }
        }
    }
    for file in files {
        if let Ok(bytes) = std::fs::read(&file) {
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    for m in content.meetings.iter().filter(|m| m.public) {
        let mut t = String::new();
        for s in [&m.body, &m.intro]
            .into_iter()
            .chain(m.facts.location.iter())
            .chain(m.facts.minute_taker.iter())
            .chain(m.title.iter())
            .chain(m.facts.source.iter())
            .chain(&m.facts.present)
            .chain(&m.facts.absent)
            .chain(&m.facts.others)
            .chain(&m.facts.case_numbers)
        {
            t.push_str(s);
            t.push('\n');
        }
        for item in m.items.iter().filter(|i| !i.closed) {
            for s in [&item.title, &item.intro]
                .into_iter()
                .chain(item.case.iter())
                .chain(item.group.iter())
                .chain(item.sections.iter().map(|s| &s.markdown))
            {
                t.push_str(s);
                t.push('\n');
            }
        }
        texts.push(t);
    }
    texts
}

/// The secret texts of one meeting: all of it when it is not public, else
/// its closed items.
fn secrets_of(m: &MeetingSource, add: &mut dyn FnMut(Secret, Vec<String>)) {
    let file = m.path.to_string_lossy().replace('\\', "/");
    let secret = |what: String, kind| Secret {
        file: file.clone(),
        what,
        kind,
    };
    if !m.public {
        let what = "the non-public meeting".to_string();
        let mut titles = Vec::new();
        for t in m.title.iter().chain(m.items.iter().map(|i| &i.title)) {
            pieces(t, MIN_CHARS, &mut titles);
        }
        add(secret(what.clone(), "title"), titles);
        let mut cases = Vec::new();
        for c in m
            .facts
            .case_numbers
            .iter()
            .chain(m.items.iter().filter_map(|i| i.case.as_ref()))
        {
            pieces(c, MIN_CASE_CHARS, &mut cases);
        }
        add(secret(what.clone(), "case number"), cases);
        let mut text = Vec::new();
        text_pieces(&m.intro, &mut text);
        for item in &m.items {
            text_pieces(&item.intro, &mut text);
            for s in &item.sections {
                text_pieces(&s.markdown, &mut text);
            }
        }
        add(secret(what, "text"), sample(text));
        return;
    }
    for item in m.items.iter().filter(|i| i.closed) {
        let what = format!("closed item {}", item.number);
        let mut titles = Vec::new();
        pieces(&item.title, MIN_CHARS, &mut titles);
        add(secret(what.clone(), "title"), titles);
        let mut cases = Vec::new();
        if let Some(c) = &item.case {
            pieces(c, MIN_CASE_CHARS, &mut cases);
        }
        add(secret(what.clone(), "case number"), cases);
        let mut text = Vec::new();
        text_pieces(&item.intro, &mut text);
        for s in &item.sections {
            text_pieces(&s.markdown, &mut text);
        }
        add(secret(what, "text"), sample(text));
    }
}

impl Guard {
    /// Collects the distinctive secret texts of `content`.
    pub fn new(content: &Content) -> Guard {
        let started = Instant::now();
        let mut secrets = Vec::new();
        let mut candidates: Vec<(String, usize)> = Vec::new();
        for m in &content.meetings {
            secrets_of(m, &mut |secret, texts| {
                if texts.is_empty() {
                    return;
                }
                secrets.push(secret);
                let at = secrets.len() - 1;
                candidates.extend(texts.into_iter().map(|t| (t, at)));
            });
        }
        // One needle per text; the first secret that has it names it.
        candidates.sort();
        candidates.dedup_by(|a, b| a.0 == b.0);
        let mut guard = Guard {
            needles: Vec::new(),
            secrets,
            owner: Vec::new(),
            matcher: None,
            found: Mutex::new(Vec::new()),
            nanos: AtomicU64::new(0),
            setup_seconds: 0.0,
        };
        if !candidates.is_empty() {
            // Text that the public part has too is not distinctive.
            let public = public_texts(content);
            if let Ok(ac) = AhoCorasick::new(candidates.iter().map(|(t, _)| t)) {
                use rayon::prelude::*;
                let n = candidates.len();
                let common = public
                    .par_iter()
                    .fold(
                        || vec![false; n],
                        |mut common, text| {
                            for m in ac.find_overlapping_iter(text) {
                                common[m.pattern().as_usize()] = true;
                            }
                            common
                        },
                    )
                    .reduce(
                        || vec![false; n],
                        |mut a, b| {
                            a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                            a
                        },
                    );
                for ((text, at), common) in candidates.into_iter().zip(common) {
                    if !common {
                        guard.needles.push(text);
                        guard.owner.push(at);
                    }
                }
            }
            if !guard.needles.is_empty() {
                guard.matcher = AhoCorasick::new(&guard.needles).ok();
            }
        }
        guard.setup_seconds = started.elapsed().as_secs_f64();
        guard
    }

    /// How many texts are looked for.
    pub fn needles(&self) -> usize {
        self.needles.len()
    }

    /// Seconds spent checking files, summed over threads.
    pub fn check_seconds(&self) -> f64 {
        self.nanos.load(Ordering::Relaxed) as f64 / 1e9
    }

    /// Looks for every secret text in one output file; what is found is
    /// kept for [`Guard::verdict`].
    pub fn check(&self, path: &str, bytes: &[u8]) {
        let Some(ac) = &self.matcher else { return };
        let started = Instant::now();
        let inflated = inflate(bytes);
        let data: &[u8] = inflated.as_deref().unwrap_or(bytes);
        let unfolded = path.ends_with(".ics").then(|| unfold_calendar(data));
        let data: &[u8] = unfolded.as_deref().unwrap_or(data);
        if let Some(m) = ac.find(data) {
            let needle = m.pattern().as_usize();
            let secret = &self.secrets[self.owner[needle]];
            if let Ok(mut found) = self.found.lock() {
                if found.len() < MAX_FINDINGS {
                    found.push(Finding {
                        path: path.to_string(),
                        file: secret.file.clone(),
                        what: secret.what.clone(),
                        kind: secret.kind,
                        text: self.needles[needle].clone(),
                    });
                }
            }
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// What was found, in a stable order.
    pub fn findings(&self) -> Vec<Finding> {
        let mut found = self.found.lock().map(|f| f.clone()).unwrap_or_default();
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found
    }

    /// An error naming each file that holds secret text and the item it
    /// comes from, or `Ok` when no file does.
    pub fn verdict(&self) -> Result<(), Diagnostics> {
        let found = self.findings();
        if found.is_empty() {
            return Ok(());
        }
        Err(Diagnostics(
            found
                .iter()
                .map(|f| {
                    Diagnostic::new(
                        &f.file,
                        format!(
                            "the output file {} holds the {} of {} (\"{}\"); the site is not published",
                            f.path, f.kind, f.what, f.text
                        ),
                    )
                    .expected(
                        "closed items and non-public meetings in no output file: \
                         check the theme's templates and the files in static/",
                    )
                })
                .collect(),
        ))
    }
}

/// The decompressed bytes of a gzip or zlib file (up to [`MAX_INFLATED`]),
/// or `None` when the bytes are not compressed.
pub fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let read = match bytes {
        [0x1f, 0x8b, ..] => flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_INFLATED)
            .read_to_end(&mut out),
        [cmf, flg, ..] if cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 => {
            flate2::read::ZlibDecoder::new(bytes)
                .take(MAX_INFLATED)
                .read_to_end(&mut out)
        }
        _ => return None,
    };
    // A file that only looks compressed is checked as it is, and what could
    // be decompressed of a broken one is checked too.
    match read {
        Ok(_) => Some(out),
        Err(_) if !out.is_empty() => Some(out),
        Err(_) => None,
    }
}

/// A calendar's text with its folded lines joined and its escapes undone.
fn unfold_calendar(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        match &data[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => i += 3,
            [b'\n', b' ' | b'\t', ..] => i += 2,
            [b'\\', c @ (b',' | b';' | b'\\'), ..] => {
                out.push(*c);
                i += 2;
            }
            [c, ..] => {
                out.push(*c);
                i += 1;
            }
            [] => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn long_lines_give_runs_of_words() {
        let mut out = Vec::new();
        pieces(
            "en to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten sytten",
            4,
            &mut out,
        );
        assert_eq!(
            out,
            vec![
                "en to tre fire fem seks syv otte",
                "ni ti elleve tolv tretten fjorten femten seksten",
                "ti elleve tolv tretten fjorten femten seksten sytten"
            ]
        );
        out.clear();
        pieces(
            "Et to tre fire fem. Seks syv otte ni ti elleve",
            4,
            &mut out,
        );
        assert_eq!(
            out,
            vec!["Et to tre fire fem.", "Seks syv otte ni ti elleve"]
        );
        out.clear();
        pieces(
            "**Lukket** <b>sag</b> om &amp; Personalesagen i Hjørring",
            16,
            &mut out,
        );
        assert_eq!(out, vec!["Personalesagen i Hjørring"]);
    }

    #[test]
    fn compressed_files_are_decompressed_and_others_left_alone() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"pagefind_dcd hemmelig tekst").unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(inflate(&gz).unwrap(), b"pagefind_dcd hemmelig tekst");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"hemmelig").unwrap();
        assert_eq!(inflate(&z.finish().unwrap()).unwrap(), b"hemmelig");
        assert_eq!(inflate(b"<html>"), None);
        assert_eq!(inflate(&[0x1f, 0x8b, 0, 0]), None);
        assert_eq!(
            unfold_calendar(b"SUMMARY:Salg af\r\n  grund\\, Vestby"),
            b"SUMMARY:Salg af grund, Vestby"
        );
    }
}
