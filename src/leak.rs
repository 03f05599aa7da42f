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
//! Titles and runs of words are looked for word by word: a file's text is
//! cut into words (escapes of JSON and calendars and HTML's character
//! references undone), each word is hashed, and where three words in a row
//! are the anchor of a run (its longest three), the window of words the run
//! would fill there is looked up by its hash: one pass whatever the number
//! of runs. Case numbers, which may stand inside another word (a file
//! name), are looked for as bytes, by one Aho-Corasick automaton.
//!
//! The search's word index holds single words, stemmed and in lower case,
//! in alphabetical order: only case numbers are looked for there (see
//! `is_word_index`); the text it is made from is checked in the fragment
//! files.
//!
//! Only text that appears nowhere in the public part of the archive counts
//! as distinctive: a closed item called "Godkendelse af dagsorden" is not
//! looked for, as every meeting has one in public.

use crate::content::{Content, MeetingSource};
use crate::diagnostic::{Diagnostic, Diagnostics};
use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use std::hash::Hasher as _;
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

/// A hash of the running program's own file, read once: what tells one
/// version of the guard's rules from another (see [`Guard::fingerprint`]).
/// On Linux the file that runs, also when a newer one has taken its name.
/// Read a megabyte at a time (the program is tens of megabytes, and it is
/// read when the guard is made, with the whole model in memory).
fn program_identity() -> Option<u64> {
    static IDENTITY: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *IDENTITY.get_or_init(|| {
        let file = std::fs::File::open("/proc/self/exe")
            .or_else(|_| std::fs::File::open(std::env::current_exe()?))
            .ok()?;
        hash_in_pieces(file).ok()
    })
}

/// A hash of everything `reader` gives, taken a megabyte at a time: the
/// same bytes give the same hash however the reads fall.
fn hash_in_pieces(mut reader: impl Read) -> std::io::Result<u64> {
    use std::hash::BuildHasher as _;
    const PIECE: u64 = 1 << 20;
    let mut hasher = foldhash::quality::FixedState::with_seed(0x0070_726f_6772_616d).build_hasher();
    let mut piece = Vec::with_capacity(PIECE as usize);
    loop {
        piece.clear();
        (&mut reader).take(PIECE).read_to_end(&mut piece)?;
        if piece.is_empty() {
            return Ok(hasher.finish());
        }
        hasher.write(&piece);
    }
}

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
    /// Every text looked for, and the secret each belongs to.
    needles: Vec<String>,
    owner: Vec<usize>,
    secrets: Vec<Secret>,
    /// Case numbers, looked for anywhere in a file's bytes.
    matcher: Option<AhoCorasick>,
    /// For each pattern of `matcher`, its needle.
    matcher_needles: Vec<usize>,
    /// Titles and runs of words of the secret text, looked for word by
    /// word.
    runs: Runs,
    found: Mutex<Vec<Finding>>,
    /// CPU time spent checking files, summed over threads.
    nanos: AtomicU64,
    /// Bytes checked, compressed files counted decompressed.
    bytes: AtomicU64,
    /// Of them, bytes passed over as markup seen clean.
    passed: AtomicU64,
    /// Bytes of files not checked, as checked by an earlier build (see
    /// [`Guard::fingerprint`]).
    checked_before: AtomicU64,
    /// See [`Guard::fingerprint`].
    fingerprint: Option<u64>,
    pub setup_seconds: f64,
    /// Whether the CPU time of checking is measured (see
    /// [`Guard::measure_time`]).
    measure: bool,
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

/// A part of the archive that the site may show.
enum Public<'a> {
    /// A file of the default theme.
    Theme(&'a [u8]),
    /// The archive's configuration and data files.
    File(std::path::PathBuf),
    Meeting(&'a MeetingSource),
}

impl Public<'_> {
    /// Every part of the archive that the site may show.
    fn all(content: &Content) -> Vec<Public<'_>> {
        let mut parts: Vec<Public> = crate::render::theme::DEFAULT_THEME
            .iter()
            .map(|(_, bytes)| Public::Theme(bytes))
            .collect();
        // The archive's own templates and static files are not counted: a
        // secret text pasted into one of them is a leak too.
        let root = &content.root;
        parts.push(Public::File(root.join("config.toml")));
        let data = root.join("data");
        if data.is_dir() {
            for entry in walkdir::WalkDir::new(&data).into_iter().flatten() {
                if entry.file_type().is_file() {
                    parts.push(Public::File(entry.path().to_path_buf()));
                }
            }
        }
        parts.extend(
            content
                .meetings
                .iter()
                .filter(|m| m.public)
                .map(Public::Meeting),
        );
        parts
    }

    /// The part's text, into `t` (cleared first).
    fn text_into(&self, t: &mut String) {
        t.clear();
        match self {
            Public::Theme(bytes) => t.push_str(&String::from_utf8_lossy(bytes)),
            Public::File(path) => {
                if let Ok(bytes) = std::fs::read(path) {
                    t.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            Public::Meeting(m) => {
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
            }
        }
    }
}

/// Which of `strings` (looked for as bytes) and of the runs of `runs`
/// occur in the public part of the archive. Each part's text is made in a
/// buffer that each worker keeps and is looked at by both at once: a
/// large archive's public text is never all in memory a second time (at
/// 10,000 meetings it was 436 MB, made and dropped with the whole model in
/// memory).
fn common_to_public(
    content: &Content,
    strings: &[(String, usize)],
    runs: &Runs,
) -> (Vec<bool>, Vec<bool>) {
    use rayon::prelude::*;
    let (n, r) = (strings.len(), runs.keys.len());
    let ac = if n > 0 {
        AhoCorasick::new(strings.iter().map(|(t, _)| t)).ok()
    } else {
        None
    };
    let (common, seen, _) = Public::all(content)
        .par_iter()
        .fold(
            || (vec![false; n], vec![false; r], String::new()),
            |(mut common, mut seen, mut text), part| {
                part.text_into(&mut text);
                if let Some(ac) = &ac {
                    for m in ac.find_overlapping_iter(&text) {
                        common[m.pattern().as_usize()] = true;
                    }
                }
                runs.scan(text.as_bytes(), &mut |run| {
                    seen[run] = true;
                    true
                });
                (common, seen, text)
            },
        )
        .reduce(
            || (vec![false; n], vec![false; r], String::new()),
            |(mut a, mut b, t), (c, d, _)| {
                a.iter_mut().zip(c).for_each(|(x, y)| *x |= y);
                b.iter_mut().zip(d).for_each(|(x, y)| *x |= y);
                (a, b, t)
            },
        );
    (common, seen)
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
        // Titles and case numbers, and runs of words of the text.
        let mut strings: Vec<(String, usize)> = Vec::new();
        let mut texts: Vec<(String, usize)> = Vec::new();
        for m in &content.meetings {
            secrets_of(m, &mut |secret, found| {
                if found.is_empty() {
                    return;
                }
                // Case numbers are looked for anywhere, also inside
                // other words ("/bilag/2024-000123.pdf"); titles and text
                // as runs of words.
                let text = secret.kind != "case number";
                secrets.push(secret);
                let at = secrets.len() - 1;
                let into = if text { &mut texts } else { &mut strings };
                into.extend(found.into_iter().map(|t| (t, at)));
            });
        }
        // One needle per text; the first secret that has it names it.
        for list in [&mut strings, &mut texts] {
            list.sort();
            list.dedup_by(|a, b| a.0 == b.0);
        }
        let mut guard = Guard {
            needles: Vec::new(),
            owner: Vec::new(),
            secrets,
            matcher: None,
            matcher_needles: Vec::new(),
            runs: Runs::default(),
            found: Mutex::new(Vec::new()),
            nanos: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            passed: AtomicU64::new(0),
            checked_before: AtomicU64::new(0),
            fingerprint: None,
            setup_seconds: 0.0,
            measure: crate::timing::enabled(),
        };
        if !strings.is_empty() || !texts.is_empty() {
            // Text that the public part has too is not distinctive.
            let runs = Runs::new(texts.iter().map(|(t, _)| t.as_str()));
            let (common_strings, common_runs) = common_to_public(content, &strings, &runs);
            for ((text, at), common) in strings.into_iter().zip(common_strings) {
                if !common {
                    guard.matcher_needles.push(guard.needles.len());
                    guard.needles.push(text);
                    guard.owner.push(at);
                }
            }
            if !guard.matcher_needles.is_empty() {
                let patterns = guard.matcher_needles.iter().map(|&n| &guard.needles[n]);
                // A DFA: the fastest search, and small for these short texts
                // of few distinct characters.
                guard.matcher = AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(patterns)
                    .ok();
            }
            let first_run = guard.needles.len();
            for ((text, at), common) in texts.into_iter().zip(common_runs) {
                if !common {
                    guard.needles.push(text);
                    guard.owner.push(at);
                }
            }
            guard.runs = Runs::new(guard.needles[first_run..].iter().map(String::as_str));
            guard.runs.first_needle = first_run;
        }
        guard.fingerprint = program_identity().map(|program| {
            use std::hash::BuildHasher as _;
            let mut h = foldhash::quality::FixedState::with_seed(0x6775_6172).build_hasher();
            h.write_u64(program);
            h.write_usize(guard.matcher_needles.len());
            for needle in &guard.needles {
                h.write_usize(needle.len());
                h.write(needle.as_bytes());
            }
            h.finish()
        });
        guard.setup_seconds = started.elapsed().as_secs_f64();
        guard
    }

    /// What decides the guard's verdict on a file besides its bytes and
    /// path: the texts it looks for (which of them as case numbers) and the
    /// program that looks, as a hash. A file that a guard of one fingerprint
    /// found clean, a guard of the same fingerprint finds clean: a build
    /// passes over the files that the site it writes over (the spare, two
    /// builds back) held with the same bytes at the same path when it was
    /// published, checked by a guard of its fingerprint (see
    /// `output::Staging::checked_before`). Any change of the secret texts,
    /// of what counts as public or of the program checks every file again.
    /// `None` when the program cannot read itself: every file is checked.
    pub fn fingerprint(&self) -> Option<u64> {
        self.fingerprint
    }

    /// Counts a file of `len` bytes passed over as checked before.
    pub fn pass_checked_before(&self, len: usize) {
        self.checked_before.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// Bytes of files passed over as checked by an earlier build.
    pub fn checked_before_bytes(&self) -> u64 {
        self.checked_before.load(Ordering::Relaxed)
    }

    /// How many texts are looked for.
    pub fn needles(&self) -> usize {
        self.needles.len()
    }

    /// The texts looked for.
    pub fn texts(&self) -> &[String] {
        &self.needles
    }

    /// How many of them are titles and runs of words (the others are case
    /// numbers).
    pub fn runs(&self) -> usize {
        self.runs.keys.len()
    }

    /// Bytes of markup passed over as seen clean before.
    pub fn passed_over_bytes(&self) -> u64 {
        self.passed.load(Ordering::Relaxed)
    }

    /// Measures the CPU time of checking also when the build's timings are
    /// not asked for (`PROTOKOL_TIMINGS`).
    pub fn measure_time(&mut self) {
        self.measure = true;
    }

    /// Seconds spent checking files, summed over threads (measured with
    /// the build's timings or after [`Guard::measure_time`]).
    pub fn check_seconds(&self) -> f64 {
        self.nanos.load(Ordering::Relaxed) as f64 / 1e9
    }

    /// Bytes checked, compressed files counted decompressed.
    pub fn checked_bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Looks for every secret text in one output file; what is found is
    /// kept for [`Guard::verdict`].
    pub fn check(&self, path: &str, bytes: &[u8]) {
        if self.needles.is_empty() || is_binary_format(path) {
            return;
        }
        // The clock of this thread's CPU time is a call to the system: read
        // only when the time is reported.
        let started = if self.measure {
            crate::timing::thread_cpu_nanos()
        } else {
            0
        };
        let inflated = inflate(bytes);
        let data: &[u8] = inflated.as_deref().unwrap_or(bytes);
        let unfolded = path.ends_with(".ics").then(|| unfold_calendar(data));
        let data: &[u8] = unfolded.as_deref().unwrap_or(data);
        let words_one_by_one = is_word_index(path);
        let found = self
            .matcher
            .as_ref()
            .and_then(|ac| ac.find(data))
            .map(|m| self.matcher_needles[m.pattern().as_usize()])
            .or_else(|| {
                if words_one_by_one {
                    return None;
                }
                let (found, passed) = self.runs.find_and_pass(data);
                self.passed.fetch_add(passed as u64, Ordering::Relaxed);
                found
            });
        if let Some(needle) = found {
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
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        if self.measure {
            self.nanos.fetch_add(
                crate::timing::thread_cpu_nanos().saturating_sub(started),
                Ordering::Relaxed,
            );
        }
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
        self.verdict_saying("the site is not published")
    }

    /// Like [`Guard::verdict`], for a check that publishes nothing.
    pub fn check_verdict(&self) -> Result<(), Diagnostics> {
        self.verdict_saying("a build would not publish the site")
    }

    fn verdict_saying(&self, outcome: &str) -> Result<(), Diagnostics> {
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
                            "the output file {} holds the {} of {} (\"{}\"); {outcome}",
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

/// The search's word index (`pagefind/index/*.pf_index`): each word once, in
/// lower case and cut to its stem, in the order of the alphabet and each
/// followed by the numbers of its pages and places. No run of words of a
/// text stands in it as it stands in the text (a title's capital letter
/// alone keeps it out), so only case numbers are looked for there; the
/// text it is made from is in the fragment files, which are checked whole.
/// Looking for runs in it was a tenth of the guard's cost at 10,000
/// meetings, to find nothing it could hold.
fn is_word_index(path: &str) -> bool {
    path.strip_prefix(crate::routes::SEARCH_INDEX)
        .and_then(|p| p.strip_prefix("index/"))
        .is_some_and(|name| name.ends_with(".pf_index") && !name.contains('/'))
}

/// Files that hold no text: images, fonts and WebAssembly.
fn is_binary_format(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "ico" | "woff" | "woff2" | "wasm"
    ) || (name.starts_with("wasm.") && name.ends_with(".pagefind"))
}

/// Runs of words looked for in a text word by word: the text is cut into
/// words as [`pieces`] cuts a secret line (plain characters, escapes of
/// JSON, calendars and HTML undone, punctuation at a word's ends left
/// out) and each word is hashed. Each run has an anchor, the three words in
/// a row of it that are longest together (all its words when it has fewer):
/// where a text has the anchor of a run, the window of words the run would
/// fill there is looked up by its hash once its last word is read. One pass
/// over the text, whatever the number of runs.
///
/// Anchored at their last words, the runs of a large archive had every
/// second word of every page looked up in the tables below: most runs end
/// in a short, common word ("og", "at", "til"), and an archive of a small
/// vocabulary has each of its long words everywhere. Three words in a row
/// are rare even there. Before the anchors that may end at a word are
/// computed, the word itself is looked up in a small table of the words
/// that end an anchor: 45% of the words of the synthetic archive of 1,000
/// meetings pass it, and only those cost the three lookups.
#[derive(Default)]
struct Runs {
    /// Each run's words, joined by single spaces.
    keys: Vec<String>,
    /// One bit per hash of a word that ends an anchor: most words end
    /// none and are passed over on one look at this small table.
    ends: Vec<u64>,
    /// One bit per hash of an anchor.
    anchors: Vec<u64>,
    /// An anchor's hash to the shapes of the runs anchored on it (each
    /// shape once).
    by_anchor: FxHashMap<u64, Vec<Shape>>,
    /// Whether some anchor has 1, 2 or 3 words.
    anchor_words: [bool; ANCHOR_WORDS + 1],
    /// A run's hash (over its words' hashes) to the runs that have it.
    by_hash: FxHashMap<u64, Vec<u32>>,
    /// The needle of the first run (runs follow the titles in `needles`).
    first_needle: usize,
    /// The pieces of files found clean of these runs.
    clean: Clean,
}

/// Bits of the filter of anchors: 2^20 bits, 128 kB (few false hits also
/// at 25,000 runs, and it stays in the second-level cache).
const ANCHOR_BITS: u32 = 20;
/// Bits of the filter of the words that end an anchor: 2^18 bits, 32 kB,
/// which stay in the first-level cache.
const END_BITS: u32 = 18;
/// Words of an anchor (fewer when a run has fewer).
const ANCHOR_WORDS: usize = 3;

/// Where a run's anchor stands in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    /// The place of the anchor's last word in the run, from 0.
    end: u8,
    /// Words in the run and in its anchor.
    words: u8,
    anchor_words: u8,
}

fn bit(bits: u32, hash: u64) -> (usize, u64) {
    let h = (hash >> (64 - bits)) as usize;
    (h >> 6, 1 << (h & 63))
}

fn set_bit(table: &mut [u64], bits: u32, hash: u64) {
    let (i, m) = bit(bits, hash);
    table[i] |= m;
}

fn has_bit(table: &[u64], bits: u32, hash: u64) -> bool {
    let (i, m) = bit(bits, hash);
    table[i] & m != 0
}
/// The base of the polynomial hash over words.
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
/// The most words a run has.
const MAX_RUN: usize = 64;

/// The top bit of a word's end in the ring of last words: its bytes are
/// decoded ones.
const DECODED: usize = 1 << (usize::BITS - 1);

/// A word of a text: its hash and its bytes in the word buffer.
#[derive(Debug, Clone, Copy, Default)]
struct Word {
    hash: u64,
    start: usize,
    end: usize,
    /// Its bytes are in the buffer of decoded words, not in the text.
    decoded: bool,
}

impl Word {
    fn text<'a>(&self, data: &'a [u8], decoded: &'a [u8]) -> &'a [u8] {
        let from = if self.decoded { decoded } else { data };
        &from[self.start..self.end]
    }
}

/// The words of a text and the buffer of their bytes, kept per thread.
#[derive(Default)]
struct Scratch {
    bytes: Vec<u8>,
    words: Vec<Word>,
    /// The cacheable pieces of the file at hand, remembered as clean when
    /// the whole file is.
    pending: Vec<(usize, usize)>,
    /// The runs whose anchors were read and whose last words are still to
    /// come: the count of their last word, and their number of words.
    windows: Vec<(usize, usize)>,
}

/// Pieces of files already checked and found clean, shared by the threads:
/// most of a page is the head, menu and footer every page of its kind has,
/// and an item's page repeats the paragraphs of its meeting's page, made
/// just before it. Each is checked once instead of once per file.
///
/// A file is cut into pieces before each tag that follows the end of
/// another with nothing but white space between (`</p>\n<p>`, `><`): no
/// run of words spans such a cut, as the next tag's name counts as a word.
/// A piece seen before is passed over, and the words before it cannot start
/// a run with the words after it. (Cutting also at the ends of sentences,
/// which no run spans either, found more of the search index and the data
/// clean, but cost more lookups than it saved words.)
///
/// A piece is known by a 64-bit hash of its bytes (a different piece with
/// the same hash is a chance of one in 2^64 per look), in a table of a
/// fixed number of places, each holding the last piece whose hash fell
/// there. The table belongs to one set of runs: a piece clean for the runs
/// of one build may hold a secret of the next.
struct Clean {
    places: Vec<AtomicU64>,
}

/// Places in the table of clean pieces: 512 kB, which stay in the caches
/// (a table of 2 MB that kept a few more pieces was slower).
const CLEAN_BITS: u32 = 16;
/// The shortest and longest pieces worth remembering: shorter ones cost
/// more to look up than to check, and a piece longer than a long paragraph
/// is rarely repeated.
const CLEAN_MIN: usize = 64;
const CLEAN_MAX: usize = 64 * 1024;

impl Default for Clean {
    fn default() -> Clean {
        Clean {
            places: std::iter::repeat_with(|| AtomicU64::new(0))
                .take(1 << CLEAN_BITS)
                .collect(),
        }
    }
}

impl Clean {
    /// The piece's hash, never 0 (an empty place), without the white space
    /// at its end: a paragraph of a page (`<p>…</p>` and a line break) and
    /// the same paragraph in a JSON string (`<p>…</p>\n`) are one piece.
    fn key(piece: &[u8]) -> u64 {
        use std::hash::BuildHasher as _;
        foldhash::quality::FixedState::with_seed(0x5eed_c1ea).hash_one(trim_space_end(piece)) | 1
    }

    fn place(&self, key: u64) -> &AtomicU64 {
        &self.places[(key >> (64 - CLEAN_BITS)) as usize]
    }

    fn has(&self, piece: &[u8]) -> bool {
        let key = Clean::key(piece);
        self.place(key).load(Ordering::Relaxed) == key
    }

    fn add(&self, piece: &[u8]) {
        let key = Clean::key(piece);
        self.place(key).store(key, Ordering::Relaxed);
    }
}

/// The pieces of `data`, cut before each `<` that follows a `>` with only
/// white space between, where that is at least [`CLEAN_MIN`] bytes after
/// the last cut: short tags in a row (`<li><a href="/2024/">2024</a></li>`)
/// make one piece, looked up once. In JSON, also where a string of HTML
/// ends with a line break (`</p>\n"`), before the quote, so that its last
/// paragraph is the piece it is on a page. A run of words is a stretch of
/// plain characters (see [`plain`]): neither a tag nor the end of a string
/// is inside one, so no cut falls within a run as the secret has it.
fn pieces_of(data: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let tags = memchr::memchr_iter(b'<', data)
        .filter(move |&at| at > 0 && trim_space_end(&data[..at]).last() == Some(&b'>'));
    // Looked for as one sequence (every quote of a page's attributes or of
    // a data file's keys looked at on its own cost more than it saved), and
    // only in JSON: pages are cut as before, by the loop they had alone.
    let mut cuts = if data.trim_ascii_start().first() == Some(&b'{') {
        let mut tags = tags.peekable();
        let mut string_ends = memchr::memmem::find_iter(data, br#">\n""#)
            .map(|at| at + 3)
            .peekable();
        either::Either::Right(std::iter::from_fn(move || {
            match (tags.peek(), string_ends.peek()) {
                (Some(&tag), Some(&end)) if end < tag => string_ends.next(),
                (Some(_), _) => tags.next(),
                (None, _) => string_ends.next(),
            }
        }))
    } else {
        either::Either::Left(tags)
    };
    let mut from = 0;
    std::iter::from_fn(move || {
        if from >= data.len() {
            return None;
        }
        let to = cuts
            .find(|&at| at >= from + CLEAN_MIN)
            .unwrap_or(data.len());
        let piece = (from, to);
        from = to;
        Some(piece)
    })
}

/// `data` without the white space at its end, also where it is written as
/// an escape of JSON or a calendar (`\n`, `\r`, `\t`; not `\\n`, a
/// backslash and a letter). The word cutter reads such an escape as white
/// space in any file, so what is cut off holds no word.
fn trim_space_end(mut data: &[u8]) -> &[u8] {
    loop {
        data = data.trim_ascii_end();
        let [rest @ .., b'\\', b'n' | b'r' | b't'] = data else {
            return data;
        };
        let backslashes = rest.iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            return data;
        }
        data = rest;
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

fn powers() -> [u64; MAX_RUN + 1] {
    let mut p = [1u64; MAX_RUN + 1];
    for i in 1..=MAX_RUN {
        p[i] = p[i - 1].wrapping_mul(BASE);
    }
    p
}

impl Runs {
    fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Runs {
        let mut runs = Runs {
            anchors: vec![0; 1 << (ANCHOR_BITS - 6)],
            ends: vec![0; 1 << (END_BITS - 6)],
            ..Runs::default()
        };
        let mut scratch = Scratch::default();
        for text in texts {
            scratch.bytes.clear();
            scratch.words.clear();
            split_words(text.as_bytes(), &mut scratch.bytes, &mut scratch.words);
            let n = scratch.words.len();
            // Every run is registered, also an empty or too long one, so
            // that runs and `keys` keep the same numbers.
            let key = key_of(text.as_bytes(), &scratch.bytes, &scratch.words);
            let at = runs.keys.len() as u32;
            runs.keys.push(key);
            if n == 0 || n > MAX_RUN {
                continue;
            }
            // The longest words in a row, the first of them when two are
            // as long.
            let words = &scratch.words;
            let k = n.min(ANCHOR_WORDS);
            let end = (k - 1..n)
                .rev()
                .max_by_key(|&e| {
                    words[e + 1 - k..=e]
                        .iter()
                        .map(|w| w.end - w.start)
                        .sum::<usize>()
                })
                .unwrap_or(k - 1);
            let words_hash = |words: &[Word]| {
                words
                    .iter()
                    .fold(0u64, |h, w| h.wrapping_mul(BASE).wrapping_add(w.hash))
            };
            let anchor = words_hash(&words[end + 1 - k..=end]);
            let hash = words_hash(words);
            set_bit(&mut runs.anchors, ANCHOR_BITS, anchor);
            set_bit(&mut runs.ends, END_BITS, words[end].hash);
            runs.anchor_words[k] = true;
            let shapes = runs.by_anchor.entry(anchor).or_default();
            let shape = Shape {
                end: end as u8,
                words: n as u8,
                anchor_words: k as u8,
            };
            if !shapes.contains(&shape) {
                shapes.push(shape);
                shapes.sort_unstable();
            }
            runs.by_hash.entry(hash).or_default().push(at);
        }
        runs
    }

    /// Calls `hit` with the number of each run found in `data`, until it
    /// returns false; returns the bytes passed over as markup seen clean.
    fn scan(&self, data: &[u8], hit: &mut dyn FnMut(usize) -> bool) -> usize {
        if self.by_anchor.is_empty() {
            return 0;
        }
        const RING: usize = 2 * MAX_RUN;
        let pow = powers();
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            let Scratch {
                bytes,
                pending,
                windows,
                ..
            } = scratch;
            let clean = &self.clean;
            bytes.clear();
            pending.clear();
            windows.clear();
            // The hash of the words so far, and the last words, by count.
            let mut prefixes = [0u64; RING];
            // Where the last words stand, by count: their starts, and their
            // ends with [`DECODED`] set for a word of the decoded bytes (two
            // arrays of single numbers: a word copied in one piece from
            // where it was made was slower to read back).
            let mut word_starts = [0usize; RING];
            let mut word_ends = [0usize; RING];
            let mut count = 0usize;
            let mut prefix = 0u64;
            let mut found = false;
            let mut passed = 0;
            for (from, to) in pieces_of(data) {
                let piece = &data[from..to];
                let cacheable = (CLEAN_MIN..=CLEAN_MAX).contains(&piece.len());
                if cacheable && clean.has(piece) {
                    // No run reaches across a piece passed over.
                    count = 0;
                    prefixes[0] = prefix;
                    windows.clear();
                    passed += piece.len();
                    continue;
                }
                if cacheable {
                    pending.push((from, to));
                }
                let go_on = for_each_word(&data[..to], from, bytes, |word, bytes| {
                    prefix = prefix.wrapping_mul(BASE).wrapping_add(word.hash);
                    count += 1;
                    prefixes[count % RING] = prefix;
                    word_starts[count % RING] = word.start;
                    word_ends[count % RING] = word.end | if word.decoded { DECODED } else { 0 };
                    // The anchors that end with this word: each gives the
                    // window its run would fill. Most words end
                    // none: one look at a small table.
                    let ends = has_bit(&self.ends, END_BITS, word.hash);
                    for k in 1..=if ends { ANCHOR_WORDS.min(count) } else { 0 } {
                        if !self.anchor_words[k] {
                            continue;
                        }
                        let anchor =
                            prefix.wrapping_sub(prefixes[(count - k) % RING].wrapping_mul(pow[k]));
                        if !has_bit(&self.anchors, ANCHOR_BITS, anchor) {
                            continue;
                        }
                        let Some(shapes) = self.by_anchor.get(&anchor) else {
                            continue;
                        };
                        for shape in shapes {
                            let (place, n) = (shape.end as usize, shape.words as usize);
                            if shape.anchor_words as usize != k || place >= count {
                                continue;
                            }
                            windows.push((count - place + n - 1, n));
                        }
                    }
                    // The windows whose last word is this one, of anchors
                    // read now or before.
                    let mut w = 0;
                    while w < windows.len() {
                        let (end, n) = windows[w];
                        if end != count {
                            w += 1;
                            continue;
                        }
                        windows.swap_remove(w);
                        let hash =
                            prefix.wrapping_sub(prefixes[(count - n) % RING].wrapping_mul(pow[n]));
                        let last = (&word_starts[..], &word_ends[..]);
                        for c in self.window(hash, count, n, data, bytes, last) {
                            found = true;
                            if !hit(c) {
                                return false;
                            }
                        }
                    }
                    true
                });
                if !go_on {
                    return passed;
                }
            }
            // Only the pieces of a file found clean as a whole are kept.
            if !found {
                for &(from, to) in pending.iter() {
                    clean.add(&data[from..to]);
                }
            }
            passed
        })
    }

    /// The runs that have the `n` words up to the `count`th of a text,
    /// whose hash is `hash` (`last` holds the starts and ends of the words
    /// by count).
    fn window<'a>(
        &'a self,
        hash: u64,
        count: usize,
        n: usize,
        data: &'a [u8],
        bytes: &'a [u8],
        last: (&'a [usize], &'a [usize]),
    ) -> impl Iterator<Item = usize> + 'a {
        let ring = last.0.len();
        self.by_hash
            .get(&hash)
            .into_iter()
            .flatten()
            .map(|&c| c as usize)
            .filter(move |&c| {
                let words = (count + 1 - n..=count).map(|k| {
                    let (start, end) = (last.0[k % ring], last.1[k % ring]);
                    Word {
                        hash: 0,
                        start,
                        end: end & !DECODED,
                        decoded: end & DECODED != 0,
                    }
                });
                same_words(&self.keys[c], data, bytes, words)
            })
    }

    /// The needle of the first run found in `data`.
    #[cfg(test)]
    fn find(&self, data: &[u8]) -> Option<usize> {
        self.find_and_pass(data).0
    }

    /// [`Runs::find`], and the bytes passed over as markup seen clean.
    fn find_and_pass(&self, data: &[u8]) -> (Option<usize>, usize) {
        let mut found = None;
        let passed = self.scan(data, &mut |run| {
            found = Some(run);
            false
        });
        (found.map(|run| self.first_needle + run), passed)
    }

    /// For each run, whether one of `texts` has it.
    #[cfg(test)]
    fn seen_in(&self, texts: &[String]) -> Vec<bool> {
        use rayon::prelude::*;
        let n = self.keys.len();
        texts
            .par_iter()
            .fold(
                || vec![false; n],
                |mut seen, text| {
                    self.scan(text.as_bytes(), &mut |run| {
                        seen[run] = true;
                        true
                    });
                    seen
                },
            )
            .reduce(
                || vec![false; n],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                    a
                },
            )
    }
}

/// A run's words joined by single spaces.
fn key_of(data: &[u8], bytes: &[u8], words: &[Word]) -> String {
    let mut key = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            key.push(b' ');
        }
        key.extend_from_slice(w.text(data, bytes));
    }
    String::from_utf8_lossy(&key).into_owned()
}

fn same_words(key: &str, data: &[u8], bytes: &[u8], mut words: impl Iterator<Item = Word>) -> bool {
    let mut parts = key.as_bytes().split(|&b| b == b' ');
    words.all(|w| parts.next() == Some(w.text(data, bytes))) && parts.next().is_none()
}

/// What a byte is to [`split_words`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A letter or a digit.
    Alnum,
    /// Plain punctuation: part of a word, left out at its ends.
    Punct,
    /// Between words.
    Gap,
    /// A backslash: an escape of JSON or a calendar.
    Escape,
    /// An ampersand: a character reference of HTML.
    Reference,
    /// A byte of a character beyond ASCII.
    High,
}

const CLASSES: [Class; 256] = {
    let mut t = [Class::High; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = Class::Gap;
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = Class::Alnum;
        } else if is_edge_punctuation(c) {
            t[b] = Class::Punct;
        }
        b += 1;
    }
    t[b'\\' as usize] = Class::Escape;
    t[b'&' as usize] = Class::Reference;
    t
};

/// The hash of a word's bytes (also of a piece of markup, for its place).
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(word);
    h.finish()
}

/// Punctuation left out at the ends of a word: "måneder." and "måneder"
/// are the same word.
const fn is_edge_punctuation(b: u8) -> bool {
    matches!(
        b,
        b'.' | b',' | b'-' | b'(' | b')' | b'%' | b':' | b'!' | b'?'
    )
}

/// Cuts `data` into words, each with its hash and place: in `data`, or in
/// `bytes` when something in it was decoded. A word is a stretch of
/// letters, digits and plain punctuation ([`plain`]); anything else parts
/// words. JSON's and calendars' backslash escapes (`\n`, `\"`, `\u00e6`,
/// `\,`) and HTML's character references (`&#230;`, `&aelig;`, `&amp;`)
/// count as the characters they stand for.
fn split_words(data: &[u8], bytes: &mut Vec<u8>, words: &mut Vec<Word>) {
    for_each_word(data, 0, bytes, |w, _| {
        words.push(w);
        true
    });
}

/// Eight bytes at a time: which bytes of a word of eight bytes are ASCII
/// letters or digits, as a mask of their high bits. The letters of a word
/// are found to their end in steps of eight instead of one by one (the
/// guard alone over the synthetic site of 1,000 meetings: 0.96-1.00 s of CPU
/// before, 0.89-0.96 s after). Gaps between words, which are mostly a
/// byte long, were slower so and are still read byte by byte. (Written by
/// hand: no crate finds the end of a class of bytes.)
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x7` (bytes below 128) set where the byte
/// lies in `lo..=hi`: no sum carries into the next byte.
#[inline(always)]
const fn in_range(x7: u64, lo: u8, hi: u8) -> u64 {
    let at_least = x7.wrapping_add((0x80 - lo as u64) * ONES);
    let above = x7.wrapping_add((0x7F - hi as u64) * ONES);
    at_least & !above & HIGHS
}

/// The letters and digits of ASCII among the bytes of `x` ([`Class::Alnum`]).
#[inline(always)]
const fn alnum_bytes(x: u64) -> u64 {
    let x7 = x & !HIGHS;
    let ascii = !x & HIGHS;
    (in_range(x7, b'0', b'9') | in_range(x7 | (0x20 * ONES), b'a', b'z')) & ascii
}

/// The first place from `i` on whose byte is not an ASCII letter or digit.
#[inline(always)]
fn alnum_end(data: &[u8], mut i: usize) -> usize {
    while let Some(Ok(eight)) = data.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let others = !alnum_bytes(u64::from_le_bytes(eight)) & HIGHS;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < data.len() && CLASSES[data[i] as usize] == Class::Alnum {
        i += 1;
    }
    i
}

/// What the character at `data[i]` (not ASCII) is: part of a word or not,
/// and its length.
#[inline]
fn non_ascii(data: &[u8], i: usize) -> (bool, usize) {
    if data[i] == 0xC3 && data.get(i + 1).is_some_and(|&n| (0x80..0xC0).contains(&n)) {
        // Latin-1 letters (æ, ø, å, é …): all but × and ÷.
        let n = data[i + 1];
        return (n != 0x97 && n != 0xB7, 2);
    }
    match utf8_char(&data[i..]) {
        (Some(c), len) => (c.is_alphanumeric(), len),
        (None, len) => (false, len),
    }
}

/// The character an escape or reference at `data[i]` stands for, when it
/// is one that words are made of, and the escape's length.
#[inline]
fn decoded(data: &[u8], i: usize) -> (Option<char>, usize) {
    let (c, len) = if data[i] == b'\\' {
        backslash_escape(&data[i..])
    } else {
        character_reference(&data[i..])
    };
    (c.filter(|&c| plain(c) && c != ' '), len)
}

/// Hands each word of `data` from `from` on to `f`, as [`split_words`]
/// cuts them, until `f` returns false (then false). `f` also gets the
/// buffer of decoded words; a word's place counts from the start of
/// `data`.
#[inline(always)]
fn for_each_word(
    data: &[u8],
    from: usize,
    bytes: &mut Vec<u8>,
    mut f: impl FnMut(Word, &[u8]) -> bool,
) -> bool {
    let n = data.len();
    let mut i = from;
    loop {
        // The gap before a word.
        while i < n {
            match CLASSES[data[i] as usize] {
                Class::Gap => i += 1,
                Class::Alnum | Class::Punct => break,
                Class::Escape | Class::Reference => match decoded(data, i) {
                    (Some(_), _) => break,
                    (None, len) => i += len,
                },
                Class::High => match non_ascii(data, i) {
                    (true, _) => break,
                    (false, len) => i += len,
                },
            }
        }
        if i >= n {
            return true;
        }
        // The word as it stands in `data`: from its first byte that is not
        // punctuation (`first`) to the end of its last (`end`).
        let start = i;
        let (mut first, mut end) = (usize::MAX, start);
        let escaped = loop {
            // Letters and digits of ASCII, the most of every word, eight
            // bytes at a time.
            let run = i;
            i = alnum_end(data, i);
            if i > run {
                first = first.min(run);
                end = i;
            }
            if i >= n {
                break false;
            }
            match CLASSES[data[i] as usize] {
                Class::Alnum => {}
                Class::Punct => i += 1,
                Class::Gap => break false,
                Class::High => match non_ascii(data, i) {
                    (true, len) => {
                        first = first.min(i);
                        i += len;
                        end = i;
                    }
                    (false, _) => break false,
                },
                Class::Escape | Class::Reference => break decoded(data, i).0.is_some(),
            }
        };
        let word = if escaped {
            copy_escaped(data, start, bytes, &mut i)
        } else {
            (first != usize::MAX).then(|| Word {
                hash: word_hash(&data[first..end]),
                start: first,
                end,
                decoded: false,
            })
        };
        if let Some(word) = word {
            if !f(word, bytes) {
                return false;
            }
        }
    }
}

/// A word with an escape in it, from `start` on: copied into `bytes` with
/// its escapes undone; `i` is left after it.
fn copy_escaped(data: &[u8], start: usize, bytes: &mut Vec<u8>, i: &mut usize) -> Option<Word> {
    let n = data.len();
    let copied = bytes.len();
    let mut at = start;
    while at < n {
        match CLASSES[data[at] as usize] {
            Class::Alnum | Class::Punct => {
                bytes.push(data[at]);
                at += 1;
            }
            Class::Gap => break,
            Class::Escape | Class::Reference => match decoded(data, at) {
                (Some(c), len) => {
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    at += len;
                }
                (None, _) => break,
            },
            Class::High => match non_ascii(data, at) {
                (true, len) => {
                    bytes.extend_from_slice(&data[at..at + len]);
                    at += len;
                }
                (false, _) => break,
            },
        }
    }
    *i = at;
    let (mut a, mut b) = (copied, bytes.len());
    while a < b && is_edge_punctuation(bytes[a]) {
        a += 1;
    }
    while b > a && is_edge_punctuation(bytes[b - 1]) {
        b -= 1;
    }
    if a == b {
        bytes.truncate(copied);
        return None;
    }
    Some(Word {
        hash: word_hash(&bytes[a..b]),
        start: a,
        end: b,
        decoded: true,
    })
}

/// The character that starts `data` (a lead byte of UTF-8 there) and its
/// length; `None` and 1 for a byte that starts no character.
fn utf8_char(data: &[u8]) -> (Option<char>, usize) {
    let len = match data[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (None, 1),
    };
    match data.get(..len).and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) => (s.chars().next(), len),
        None => (None, 1),
    }
}

fn hex(digits: &[u8]) -> Option<u32> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|d| u32::from_str_radix(d, 16).ok())
}

/// The character a backslash escape at the start of `data` stands for
/// (`None` for a line break or tab, or for no escape) and its length.
fn backslash_escape(data: &[u8]) -> (Option<char>, usize) {
    match data.get(1) {
        Some(b'u') => {
            let Some(unit) = data.get(2..6).and_then(hex) else {
                return (None, 1);
            };
            if (0xD800..0xDC00).contains(&unit) && data.get(6..8) == Some(&b"\\u"[..]) {
                if let Some(low) = data.get(8..12).and_then(hex) {
                    if (0xDC00..0xE000).contains(&low) {
                        let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        return (char::from_u32(c), 12);
                    }
                }
            }
            (char::from_u32(unit), 6)
        }
        Some(b'n' | b'r' | b't' | b'b' | b'f') => (None, 2),
        Some(&c @ (b'"' | b'\\' | b'/' | b',' | b';' | b'\'')) => (Some(c as char), 2),
        _ => (None, 1),
    }
}

/// The character an HTML character reference at the start of `data` stands
/// for, and its length; `None` and 1 when there is none.
fn character_reference(data: &[u8]) -> (Option<char>, usize) {
    let Some(semi) = data.iter().take(12).position(|&b| b == b';') else {
        return (None, 1);
    };
    let name = &data[1..semi];
    let c = match name {
        [b'#', b'x' | b'X', digits @ ..] => hex(digits).and_then(char::from_u32),
        [b'#', digits @ ..] => std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse::<u32>().ok())
            .and_then(char::from_u32),
        b"aelig" => Some('æ'),
        b"AElig" => Some('Æ'),
        b"oslash" => Some('ø'),
        b"Oslash" => Some('Ø'),
        b"aring" => Some('å'),
        b"Aring" => Some('Å'),
        b"eacute" => Some('é'),
        b"auml" => Some('ä'),
        b"ouml" => Some('ö'),
        b"uuml" => Some('ü'),
        b"amp" | b"lt" | b"gt" | b"quot" | b"apos" | b"nbsp" => Some(' '),
        _ => return (None, 1),
    };
    (c, semi + 1)
}

/// The decompressed bytes of a gzip or zlib file (up to [`MAX_INFLATED`]),
/// or `None` when the bytes are not compressed.
pub fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    if let Some(out) = inflate_one_member(bytes) {
        return Some(out);
    }
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

/// A gzip file of one member, as the search index is written, decompressed
/// by libdeflate (about twice as fast as a streaming decoder): the size and
/// checksum at the end of the file must be those of what comes out, so a
/// file of several members falls back to the streaming decoder.
fn inflate_one_member(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) || bytes.len() < 18 {
        return None;
    }
    let tail = &bytes[bytes.len() - 8..];
    let crc = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let size = u32::from_le_bytes([tail[4], tail[5], tail[6], tail[7]]) as usize;
    // Deflate makes at most 1,032 bytes of one; a size beyond that is not
    // this file's.
    if size as u64 > MAX_INFLATED || size > bytes.len().saturating_mul(1032) {
        return None;
    }
    let mut out = vec![0; size];
    let n = libdeflater::Decompressor::new()
        .gzip_decompress(bytes, &mut out)
        .ok()?;
    (n == size && libdeflater::crc32(&out) == crc).then_some(out)
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

    /// A reader that hands out at most a few bytes at a time.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(4093);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_programs_hash_is_the_same_however_its_file_is_read() {
        let bytes: Vec<u8> = (0..2_600_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let whole = hash_in_pieces(&bytes[..]).unwrap();
        assert_eq!(hash_in_pieces(Trickle(&bytes)).unwrap(), whole);
        let mut other = bytes.clone();
        other[1_500_000] ^= 1;
        assert_ne!(hash_in_pieces(&other[..]).unwrap(), whole);
        assert!(program_identity().is_some());
    }

    /// Where a look at the classes byte by byte ends the letters and digits.
    fn alnum_end_byte_by_byte(data: &[u8], mut i: usize) -> usize {
        while i < data.len() && CLASSES[data[i] as usize] == Class::Alnum {
            i += 1;
        }
        i
    }

    #[test]
    fn eight_bytes_at_a_time_end_words_where_each_byte_does() {
        // Every byte, and each in every place of eight.
        for b in 0..=255u8 {
            for at in 0..9 {
                let mut data = vec![b'a'; 20];
                data[at] = b;
                assert_eq!(
                    alnum_end(&data, 0),
                    alnum_end_byte_by_byte(&data, 0),
                    "{b:#x} at {at}"
                );
            }
        }
        // Random texts of words, markup, escapes and letters beyond ASCII.
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |below: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % below as u64) as usize
        };
        let alphabet: Vec<u8> = "aZ09 \n\t<>/=\"'&;.,-()%:!?\\#@[]`{}~\u{7f}æøå×€"
            .bytes()
            .collect();
        for _ in 0..2000 {
            let data: Vec<u8> = (0..next(40))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            for i in 0..=data.len() {
                assert_eq!(alnum_end(&data, i), alnum_end_byte_by_byte(&data, i));
            }
        }
    }

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

    fn words_of(text: &str) -> Vec<String> {
        let (mut bytes, mut words) = (Vec::new(), Vec::new());
        split_words(text.as_bytes(), &mut bytes, &mut words);
        words
            .iter()
            .map(|w| String::from_utf8_lossy(w.text(text.as_bytes(), &bytes)).into_owned())
            .collect()
    }

    #[test]
    fn words_as_the_outputs_write_them() {
        assert_eq!(
            words_of(r"<p>Frav\u00e6r i tre m&aring;neder.</p>"),
            ["p", "Fravær", "i", "tre", "måneder", "p"]
        );
        assert_eq!(
            words_of(r#""content":"en\nto &#230;ble &#xE6;g 50%, (sag)""#),
            ["content", "en", "to", "æble", "æg", "50", "sag"]
        );
        assert_eq!(words_of(r"a – b … c&amp;d \\ e"), ["a", "b", "c", "d", "e"]);
        assert_eq!(words_of(r"\ud83d\ude00 ok & \u12"), ["ok", "u12"]);
        // Broken UTF-8 parts words and is never read past.
        let broken = [b'a', 0xC3, b'b', 0xE2, 0x80];
        let (mut bytes, mut words) = (Vec::new(), Vec::new());
        split_words(&broken, &mut bytes, &mut words);
        assert_eq!(words.len(), 2);
    }

    const RUN: &str = "fravær fra arbejdspladsen i tre måneder og en advarsel";

    #[test]
    fn a_run_of_words_is_found_however_it_is_written() {
        let runs = Runs::new([RUN, "Personalesagen i Hjørring"].into_iter());
        assert_eq!((runs.by_anchor.len(), runs.by_hash.len()), (2, 2));
        let found = |text: &str| runs.find(text.as_bytes());
        for text in [
            "<p>Om fravær fra arbejdspladsen i tre måneder og en advarsel.</p>",
            "<li>fravær fra\n   arbejdspladsen i tre måneder og en advarsel</li>",
            r#"{"content":"… frav\u00e6r fra arbejdspladsen i tre m\u00e5neder og en advarsel …"}"#,
            r"DESCRIPTION:x\nfravær fra arbejdspladsen i tre måneder og en advarsel\, og mere",
            "frav&aelig;r fra arbejdspladsen i tre m&#229;neder og en advarsel",
        ] {
            assert_eq!(found(text), Some(0), "{text}");
        }
        assert_eq!(found("Sagen: Personalesagen i Hjørring."), Some(1));
        for text in [
            "fravær fra arbejdspladsen i tre måneder og en",
            "fravær fra arbejdspladsen i fire måneder og en advarsel",
            "Personalesagen i Hjørringvej",
            "",
        ] {
            assert_eq!(found(text), None, "{text}");
        }
        let seen = runs.seen_in(&["bla Personalesagen i Hjørring bla".to_string()]);
        assert_eq!(seen, [false, true]);
    }

    #[test]
    fn runs_are_found_wherever_their_anchor_stands() {
        // The anchor of each: its longest three words in a row, at its
        // start, in its middle and at its end; and runs of one and two
        // words, whose anchor is the whole run.
        let texts = [
            "Personalesagsbehandlingen udskydes til og med det næste år",
            "at vi nu og så regionsrådets beslutningsgrundlag i den sag er",
            "for og på i af det bostedsvurderingen indskrivningsreglerne",
            "Handicapkonsulentordningen",
            "Tvangsanbringelsen Hjørring",
        ];
        let runs = Runs::new(texts.iter().copied());
        for (i, text) in texts.iter().enumerate() {
            let found = |t: String| runs.find(t.as_bytes());
            assert_eq!(found(text.to_string()), Some(i), "{text}");
            assert_eq!(
                found(format!("<p>Før: {text}. Efter</p>")),
                Some(i),
                "{text}"
            );
            assert_eq!(found(format!("{text} {text}")), Some(i), "{text}");
            // The same run in a text of many anchors of other runs.
            let others: Vec<&str> = texts.iter().copied().filter(|t| t != text).collect();
            let mixed = format!("{} og {text}", others.join(" | "));
            let all_found = std::cell::RefCell::new(Vec::new());
            runs.scan(mixed.as_bytes(), &mut |r| {
                all_found.borrow_mut().push(r);
                true
            });
            assert!(all_found.borrow().contains(&i), "{text}: {all_found:?}");
            // Its words but the last, its words but the first, and all but
            // one of the middle: not found.
            let words: Vec<&str> = text.split(' ').collect();
            if words.len() > 2 {
                assert_eq!(found(words[..words.len() - 1].join(" ")), None, "{text}");
                assert_eq!(found(words[1..].join(" ")), None, "{text}");
                let mut changed = words.clone();
                changed[words.len() / 2] = "ellers";
                assert_eq!(found(changed.join(" ")), None, "{text}");
            }
        }
    }

    /// A page of the same head, menu and footer as many before it, with
    /// `middle` in its main part.
    fn page(middle: &str) -> String {
        format!(
            "<!doctype html><html lang=da><head><title>Arkivet for Socialudvalget</title></head>\
             <body><nav><ul><li><a href=\"/socialudvalget/\">Socialudvalget og dets møder</a></li>\
             <li><a href=\"/sager/\">Sager i arkivet, alle år</a></li></ul></nav>\
             <main><p>{middle}</p></main><footer><p>Arkivet er udgivet af sekretariatet</p></footer></body></html>"
        )
    }

    #[test]
    fn what_one_build_found_clean_is_looked_at_again_by_the_next() {
        // A build (of the tests, or of a program that uses the library,
        // several in one process) whose archive has no secret in this
        // paragraph sees it clean ...
        let before = Runs::new(["Personalesagen i Hjørring er afsluttet"].into_iter());
        let text = page(&format!(
            "{RUN} og mere tekst, så stykket er langt nok til at huskes"
        ));
        for _ in 0..3 {
            assert_eq!(before.find(text.as_bytes()), None);
        }
        // ... and the next, after the item was closed, still finds it.
        let after = Runs::new([RUN].into_iter());
        assert_eq!(after.find(text.as_bytes()), Some(0));
    }

    #[test]
    fn markup_seen_clean_is_passed_over_and_secrets_are_still_found() {
        let runs = Runs::new([RUN].into_iter());
        for i in 0..50 {
            assert_eq!(
                runs.find(page(&format!("Punkt {i} om budget")).as_bytes()),
                None
            );
        }
        // The head, menu and footer are now known clean, and
        // passed over: all but the main part.
        let (found, passed) = runs.find_and_pass(page("Punkt 50 om budget").as_bytes());
        assert_eq!(found, None);
        let main = "<main><p>Punkt 50 om budget</p></main>".len();
        assert!(
            passed > 0 && passed + main + 64 >= page("").len(),
            "{passed}"
        );
        assert_eq!(runs.find(page(RUN).as_bytes()), Some(0));
        // A secret in the markup every page repeats is found in every page:
        // a piece of a file that holds secret text is never kept as clean.
        let leaky = page("Punkt 1").replace("Sager i arkivet, alle år", RUN);
        for _ in 0..3 {
            assert_eq!(runs.find(leaky.as_bytes()), Some(0));
        }
        // The words of a page after a known piece are still checked.
        let after =
            page("Punkt 1").replace("</footer>", &format!("</footer><div>Noter: {RUN}</div>"));
        assert_eq!(runs.find(after.as_bytes()), Some(0));
    }

    #[test]
    fn a_paragraph_seen_clean_on_a_page_is_passed_over_in_a_json_string() {
        let runs = Runs::new([RUN].into_iter());
        let paragraphs = [
            "<p>Sekretariatet har samlet kommunernes svar om pladser på botilbud i regionen.</p>",
            "<p>Kommunerne melder om ventelister på tre af de fem tilbud og færre henvendelser.</p>",
            "<p>Styregruppen får en ny opgørelse, når alle kommuner har svaret på skemaet.</p>",
        ];
        let html = format!(
            "<section><h3>Sagsfremstilling</h3>\n{}\n</section>",
            paragraphs.join("\n")
        );
        assert_eq!(runs.find(html.as_bytes()), None);
        // The same section in a data file: a JSON string, its line breaks
        // written `\n`. The paragraphs after the first, also the last, are
        // pieces of their own there too, and seen clean.
        let json = format!(
            "{{\"kind\":\"presentation\",\"html\":\"{}\\n\"}}",
            paragraphs.join("\\n")
        );
        let (found, passed) = runs.find_and_pass(json.as_bytes());
        assert_eq!(found, None);
        assert!(
            passed >= paragraphs[1].len() + paragraphs[2].len(),
            "{passed}"
        );
        // A secret in such a paragraph is found all the same.
        let leaky = json.replace("færre henvendelser", RUN);
        assert_eq!(runs.find(leaky.as_bytes()), Some(0));
    }

    #[test]
    fn white_space_at_the_end_is_cut_off_also_as_an_escape() {
        assert_eq!(trim_space_end(b"<p>a</p>\\n \\r\\n\t\\t\n"), b"<p>a</p>");
        assert_eq!(trim_space_end(b"<p>a</p>\n  "), b"<p>a</p>");
        // An escaped backslash and a letter stay.
        assert_eq!(trim_space_end(b"a\\\\n"), b"a\\\\n");
        assert_eq!(trim_space_end(b"a\\\\\\n"), b"a\\\\");
        assert_eq!(trim_space_end(b"\\n"), b"");
        assert_eq!(trim_space_end(b""), b"");
    }

    #[test]
    fn gzip_of_one_member_and_of_several_is_decompressed() {
        let gz = |text: &str| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let one = gz("første del");
        assert_eq!(
            inflate_one_member(&one).as_deref(),
            Some(&b"f\xc3\xb8rste del"[..])
        );
        assert_eq!(inflate(&one).as_deref(), Some(&b"f\xc3\xb8rste del"[..]));
        // Two members of the same length: the size at the end fits the
        // first, the checksum does not, and the streaming decoder reads both.
        let mut two = gz("første del");
        two.extend(gz("anden deel"));
        assert_eq!(inflate_one_member(&two), None);
        assert_eq!(
            inflate(&two).as_deref(),
            Some(&b"f\xc3\xb8rste delanden deel"[..])
        );
        // A size at the end that no deflate stream of this length can make.
        let mut lying = gz("kort");
        let at = lying.len() - 4;
        lying[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(inflate_one_member(&lying), None);
    }

    #[test]
    fn only_the_search_word_index_is_looked_at_for_case_numbers_alone() {
        assert!(is_word_index("pagefind/index/a1b2c3.pf_index"));
        for other in [
            "pagefind/fragment/a1b2c3.pf_fragment",
            "index/a1b2c3.pf_index",
            "static/pagefind/index/a1b2c3.pf_index",
            "pagefind/index/deeper/a1b2c3.pf_index",
        ] {
            assert!(!is_word_index(other), "{other}");
        }
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
