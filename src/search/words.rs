//! The words a searchable text is found by, made as Pagefind 1.6 makes them,
//! so that the browser runtime (which normalises and stems the reader's query
//! the same way) finds what Pagefind's own indexer would have found:
//!
//! - a word keeps its letters, digits and the connector punctuation (`_` and
//!   its relatives), lowercased: `"Botilbud,"` → `botilbud`;
//! - letters with a canonical decomposition lose their marks (`århus` →
//!   `arhus`), and the marked form is kept as a variant of the plain one, so
//!   that a query with the marks ranks the marked text first;
//! - the plain form is stemmed with the Snowball stemmer of the site's
//!   language, the same one the runtime's WebAssembly carries
//!   (`pagefind_stem`);
//! - a word joined by punctuation or written in camel case is also found by
//!   its parts (`2024-029219` by `2024` and `029219`; `sagsnr.` by itself),
//!   each part weighted as a share of the whole word;
//! - emoji are indexed as words of their own.
//!
//! The result of one raw word is the same wherever it occurs, so it is kept
//! in a cache per thread: an archive repeats its words many times.

use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Characters that count as part of a word besides letters and digits: the
/// Unicode category "Punctuation, Connector", as Pagefind has it by default.
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Dotted tails longer than this are cut (`a.b_c` indexes `b_c`).
const MAX_DOTTED_TAIL: usize = 64;
/// Katakana suffixes longer than this are cut.
const MAX_KATAKANA_SUFFIX: usize = 16;

/// One form under which a word is indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    /// The normalised, stemmed form: the key of the word index (shared, as
    /// it is handed on for every occurrence of the word).
    pub stem: Arc<str>,
    /// A part of a compound word (weighted as a share of the whole).
    pub part: bool,
    /// The form before its diacritics were removed, when that differs.
    pub original: Option<Arc<str>>,
}

/// The stemmer of a language, when there is one for it.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    match language.split('-').next().unwrap_or("") {
        "da" => Some(Stemmer::create(Algorithm::Danish)),
        "en" => Some(Stemmer::create(Algorithm::English)),
        _ => None,
    }
}

/// Makes the indexed forms of words and remembers them.
pub struct Words {
    language: String,
    stemmer: Option<Stemmer>,
    /// Each raw word seen, of the text and of the meta fields, with where
    /// its forms are in `forms`.
    body: FxHashMap<String, u32>,
    meta: FxHashMap<String, u32>,
    forms: Vec<Vec<Indexed>>,
    /// Every stem and variant made, once: equal forms share one string, so
    /// that a page's words can be told apart by where their string is.
    interned: FxHashMap<Arc<str>, ()>,
}

thread_local! {
    /// Each thread's words, kept from batch to batch and build to build.
    static CACHE: std::cell::RefCell<Option<Words>> = const { std::cell::RefCell::new(None) };
}

/// A cache grows with the vocabulary; past this many words it starts again.
const CACHE_LIMIT: usize = 1 << 20;

impl Words {
    /// Runs `f` with this thread's words of `language`.
    pub fn with<T>(language: &str, f: impl FnOnce(&mut Words) -> T) -> T {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let fresh = match cache.as_ref() {
                Some(w) => w.language != language || w.forms.len() > CACHE_LIMIT,
                None => true,
            };
            if fresh {
                *cache = Some(Words::new(language));
            }
            f(cache.as_mut().expect("just made"))
        })
    }

    pub fn new(language: &str) -> Self {
        Words {
            language: language.to_string(),
            stemmer: stemmer(language),
            body: FxHashMap::default(),
            meta: FxHashMap::default(),
            forms: Vec::new(),
            interned: FxHashMap::default(),
        }
    }

    /// The forms of a word of the text: its own, its parts, its dotted tails.
    pub fn body(&mut self, raw: &str) -> &[Indexed] {
        let at = match self.body.get(raw) {
            Some(&at) => at,
            None => {
                let mut forms = indexable(raw, self.stemmer.as_ref());
                let tails = dotted_tails(raw, self.stemmer.as_ref(), &forms);
                forms.extend(tails);
                let at = self.keep(forms);
                self.body.insert(raw.to_string(), at);
                at
            }
        };
        &self.forms[at as usize]
    }

    /// The forms of a word of a meta field (shown with a result): its own
    /// and its parts, without dotted tails.
    pub fn meta(&mut self, raw: &str) -> &[Indexed] {
        let at = match self.meta.get(raw) {
            Some(&at) => at,
            None => {
                let forms = indexable(raw, self.stemmer.as_ref());
                let at = self.keep(forms);
                self.meta.insert(raw.to_string(), at);
                at
            }
        };
        &self.forms[at as usize]
    }

    /// Keeps the forms of a new raw word, with their strings interned.
    fn keep(&mut self, mut forms: Vec<Indexed>) -> u32 {
        for form in &mut forms {
            form.stem = self.intern(&form.stem);
            if let Some(o) = &form.original {
                form.original = Some(self.intern(o));
            }
        }
        self.forms.push(forms);
        (self.forms.len() - 1) as u32
    }

    fn intern(&mut self, s: &Arc<str>) -> Arc<str> {
        match self.interned.get_key_value(s) {
            Some((k, ())) => k.clone(),
            None => {
                self.interned.insert(s.clone(), ());
                s.clone()
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || WORD_SYMBOLS.contains(&c)
}

/// Letters, digits and connectors of `raw`, lowercased.
fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().filter(|&c| is_word_char(c)) {
        let c = c.to_ascii_lowercase();
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `word` may hold more than one word: punctuation inside it, or an
/// uppercase letter after the first.
fn maybe_compound(word: &str) -> bool {
    word.chars().any(|c| !c.is_alphanumeric()) || word.chars().skip(1).any(char::is_uppercase)
}

fn stem(word: &str, stemmer: Option<&Stemmer>) -> Arc<str> {
    match stemmer {
        Some(s) => Arc::from(s.stem(word).as_ref()),
        None => Arc::from(word),
    }
}

/// A normalised word as it is indexed: without diacritics, stemmed.
fn indexed(normalised: &str, stemmer: Option<&Stemmer>, part: bool) -> Indexed {
    let plain = without_diacritics(normalised);
    Indexed {
        stem: stem(plain.as_deref().unwrap_or(normalised), stemmer),
        original: plain.map(|_| Arc::from(normalised)),
        part,
    }
}

fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Indexed> {
    let mut forms = Vec::new();
    let normalised = normalise(raw);
    if !normalised.is_empty() {
        forms.push(indexed(&normalised, stemmer, false));
    }
    for suffix in katakana_suffixes(raw) {
        let plain = without_diacritics(suffix);
        forms.push(Indexed {
            stem: Arc::from(plain.as_deref().unwrap_or(suffix)),
            original: plain.map(|_| Arc::from(suffix)),
            part: true,
        });
    }
    if !maybe_compound(raw) {
        return forms;
    }
    let parts = discrete_words(raw);
    if !normalised.is_empty()
        && (parts.contains(char::is_whitespace) || !normalised.starts_with(parts.as_str()))
    {
        for part in parts.split_whitespace().filter(|p| p.len() > 1) {
            let plain = without_diacritics(part);
            forms.push(Indexed {
                stem: stem(plain.as_deref().unwrap_or(part), stemmer),
                original: plain.map(|_| Arc::from(part)),
                part: true,
            });
        }
    }
    // No emoji is written in ASCII alone (see the tests).
    if !raw.is_ascii() && contains_emoji_property(raw) {
        for grapheme in raw.graphemes(true) {
            if emojis::get(grapheme).is_some() {
                forms.push(Indexed {
                    stem: Arc::from(grapheme),
                    original: None,
                    part: false,
                });
            }
        }
    }
    forms
}

/// The words of a compound: ASCII punctuation as spaces, split where the
/// case changes, lowercased.
fn discrete_words(raw: &str) -> String {
    use convert_case::{Case, Casing};
    let spaced = raw.replace(|c: char| c.is_ascii_punctuation(), " ");
    if let Some(words) = discrete_lowercase_words(&spaced) {
        return words;
    }
    spaced
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `discrete_words` makes of a text of lowercase ASCII letters, digits
/// and spaces only (most compounds: addresses, dates, case numbers), without
/// the general case conversion: words split at spaces and where letters and
/// digits meet, joined by single spaces. `None` for any other text.
fn discrete_lowercase_words(spaced: &str) -> Option<String> {
    let bytes = spaced.as_bytes();
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b' ')
    {
        return None;
    }
    let mut out = String::with_capacity(spaced.len() + 4);
    let mut last: Option<u8> = None;
    for &b in bytes {
        if b == b' ' {
            last = None;
            continue;
        }
        match last {
            None if !out.is_empty() => out.push(' '),
            Some(l) if l.is_ascii_digit() != b.is_ascii_digit() => out.push(' '),
            _ => {}
        }
        out.push(b as char);
        last = Some(b);
    }
    Some(out)
}

/// Whether any character has the Unicode property Emoji (digits, `#` and `*`
/// have it too; only whole emoji graphemes are indexed).
fn contains_emoji_property(raw: &str) -> bool {
    static EMOJI: OnceLock<regex::Regex> = OnceLock::new();
    EMOJI
        .get_or_init(|| regex::Regex::new(r"\p{Emoji}").expect("a valid pattern"))
        .is_match(raw)
}

/// The compound tails after each dot of a word (`sysconfig.is_build` →
/// `is_build`), when they are not indexed already.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Indexed]) -> Vec<Indexed> {
    let mut tails: Vec<Indexed> = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if !maybe_compound(tail) {
            continue;
        }
        let normalised = normalise(tail);
        if normalised.chars().count() < 2 {
            continue;
        }
        let form = indexed(&normalised, stemmer, true);
        if !existing.iter().any(|e| e.stem == form.stem)
            && !tails.iter().any(|t| t.stem == form.stem)
        {
            tails.push(form);
        }
    }
    tails
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix of a word written in katakana (which the runtime cannot
/// split into words), so that a query for a part finds it by prefix.
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut suffixes: Vec<&str> = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && !suffixes.contains(&suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes
}

fn decomposes(c: char) -> bool {
    if unicode_normalization::char::is_combining_mark(c) {
        return true;
    }
    let mut differs = false;
    unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
    differs
}

/// `word` without its combining marks (kana sound marks excepted), when
/// that differs from `word`.
fn without_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !word.chars().any(decomposes) {
        return None;
    }
    let kana_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c) || kana_mark(c))
        .collect();
    let plain = if stripped.chars().any(kana_mark) {
        stripped.nfc().collect()
    } else {
        stripped
    };
    (plain != word).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(raw: &str) -> Vec<(String, bool)> {
        Words::new("da")
            .body(raw)
            .iter()
            .map(|f| (f.stem.to_string(), f.part))
            .collect()
    }

    #[test]
    fn a_word_is_lowercased_without_punctuation_and_stemmed() {
        assert_eq!(stems("Botilbuddene,"), vec![("botilbud".into(), false)]);
    }

    #[test]
    fn a_marked_letter_is_indexed_plain_with_the_marked_form_as_variant() {
        let mut words = Words::new("da");
        let forms = words.body("Århus");
        assert_eq!(&*forms[0].stem, "arhus");
        assert_eq!(forms[0].original.as_deref(), Some("århus"));
        // Æ and ø have no decomposition and stay as they are.
        assert_eq!(words.body("øer")[0].original, None);
    }

    #[test]
    fn a_case_number_is_found_by_its_parts() {
        assert_eq!(
            stems("2024-029219"),
            vec![
                ("2024029219".into(), false),
                ("2024".into(), true),
                ("029219".into(), true)
            ]
        );
    }

    #[test]
    fn a_word_with_a_full_stop_is_one_word() {
        assert_eq!(stems("2024."), vec![("2024".into(), false)]);
    }

    #[test]
    fn camel_case_is_split() {
        let forms = stems("PowerPoint");
        assert_eq!(forms[0], ("powerpoint".into(), false));
        assert!(forms.contains(&("pow".into(), true)) || forms.contains(&("power".into(), true)));
    }

    #[test]
    fn lowercase_compounds_split_as_the_case_conversion_splits_them() {
        use convert_case::{Case, Casing};
        let alphabet = [b'a', b'z', b'0', b'9', b' ', b'-', b'.', b'_'];
        let mut text = Vec::new();
        for n in 0..alphabet.len().pow(5) {
            text.clear();
            let mut n = n;
            while n > 0 {
                text.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            let raw = std::str::from_utf8(&text).unwrap();
            let spaced = raw.replace(|c: char| c.is_ascii_punctuation(), " ");
            let general = spaced
                .to_case(Case::Lower)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(discrete_lowercase_words(&spaced), Some(general), "{raw:?}");
        }
        assert_eq!(discrete_lowercase_words("Punkt 4"), None);
        assert_eq!(discrete_lowercase_words("ø 4"), None);
    }

    #[test]
    fn no_emoji_is_written_in_ascii() {
        assert!(emojis::iter().all(|e| {
            !e.as_str().is_ascii()
                && e.skin_tones()
                    .into_iter()
                    .flatten()
                    .all(|t| !t.as_str().is_ascii())
        }));
        for b in 0u8..128 {
            let c = (b as char).to_string();
            assert!(emojis::get(&c).is_none(), "{b}");
        }
    }

    #[test]
    fn a_word_of_punctuation_only_gives_nothing() {
        assert!(stems("–").is_empty());
        assert!(stems("...").is_empty());
    }
}
