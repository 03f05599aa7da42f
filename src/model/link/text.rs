//! Words for comparing texts: lowercase, Danish stop words removed, stemmed
//! with the Snowball stemmer for Danish, so that "botilbuddene" and
//! "botilbud" count as one word.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// Common Danish (and a few English) words that say nothing of a subject,
/// plus the words every meeting document uses.
const STOP_WORDS: &[&str] = &[
    "af",
    "alle",
    "allerede",
    "alt",
    "and",
    "andre",
    "at",
    "blev",
    "bliver",
    "blive",
    "bl",
    "da",
    "de",
    "dem",
    "den",
    "denne",
    "dens",
    "der",
    "deres",
    "det",
    "dette",
    "dig",
    "din",
    "dog",
    "du",
    "efter",
    "ej",
    "eller",
    "en",
    "end",
    "ene",
    "eneste",
    "enhver",
    "er",
    "et",
    "evt",
    "for",
    "fordi",
    "fra",
    "før",
    "fx",
    "gennem",
    "godt",
    "ham",
    "han",
    "hans",
    "har",
    "havde",
    "have",
    "heller",
    "hen",
    "hende",
    "hendes",
    "her",
    "herunder",
    "hos",
    "hun",
    "hvad",
    "hvem",
    "hver",
    "hvilke",
    "hvilken",
    "hvis",
    "hvor",
    "hvordan",
    "hvorfor",
    "hvornår",
    "i",
    "ift",
    "ikke",
    "ind",
    "ingen",
    "intet",
    "is",
    "jeg",
    "jer",
    "jo",
    "kan",
    "kl",
    "kom",
    "kommer",
    "kun",
    "kunne",
    "man",
    "mange",
    "med",
    "meget",
    "men",
    "mens",
    "mere",
    "mig",
    "min",
    "mine",
    "mit",
    "mod",
    "mv",
    "må",
    "ned",
    "nej",
    "noget",
    "nogle",
    "nu",
    "når",
    "og",
    "of",
    "også",
    "om",
    "op",
    "os",
    "over",
    "på",
    "sammen",
    "se",
    "selv",
    "sig",
    "sin",
    "sine",
    "sit",
    "skal",
    "skulle",
    "som",
    "stadig",
    "så",
    "sådan",
    "the",
    "til",
    "to",
    "under",
    "ud",
    "uden",
    "var",
    "ved",
    "vi",
    "vil",
    "ville",
    "vor",
    "vores",
    "være",
    "været",
    "with",
    "pkt",
    "punkt",
    "punkter",
    "bilag",
    "indstilles",
    "indstilling",
    "beslutning",
    "godkendt",
    "godkender",
    "godkendes",
    "drøftet",
    "drøfter",
    "møde",
    "mødet",
    "møder",
    "sag",
    "sagen",
    "nr",
    "ca",
    "jf",
    "dvs",
    "mm",
    "etc",
    "referat",
    "dagsorden",
    "das",
    "styregruppe",
    "administrative",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// A word's place in the cache: the id of its stem, or `None` for a word
/// that says nothing (a stop word, a number, a single letter).
type Known = Option<u64>;

/// What a thread keeps from text to text: the stemmer, what each word seen
/// counts as (by the word's hash, see [`word_key`]), and the word being read.
struct Stems {
    stemmer: Stemmer,
    cache: FxHashMap<u64, Known>,
    /// The words seen last, one place per hash, in front of `cache`: a
    /// text's words are mostly the same few thousand, which a table of
    /// 96 kB answers from the processor's caches; `cache` holds every word
    /// seen, and a look into it may wait on memory.
    front: Vec<(u64, Known)>,
    /// Which characters of Latin-1 are letters or digits
    /// ([`char::is_alphanumeric`]).
    latin1: [bool; 256],
    word: String,
}

/// Places in the table in front of the cache: 2^12.
const FRONT_BITS: u32 = 12;

impl Stems {
    fn new() -> Stems {
        // The empty word is never looked up, and counts as nothing: a place
        // not yet filled answers for it.
        let empty = (word_key(""), None);
        Stems {
            stemmer: Stemmer::create(Algorithm::Danish),
            cache: FxHashMap::default(),
            front: vec![empty; 1 << FRONT_BITS],
            latin1: std::array::from_fn(|b| char::from(b as u8).is_alphanumeric()),
            word: String::new(),
        }
    }
}

thread_local! {
    static STEMS: RefCell<Stems> = RefCell::new(Stems::new());
}

/// The key of a word in the cache: a 64-bit hash of its letters. Two words
/// share one only by a chance too small to matter for ranking (as two stems
/// share a [`term_id`]); a look no longer compares the word's letters with
/// the cached word's.
fn word_key(word: &str) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::with_seed(0x7465_726d).hash_one(word.as_bytes())
}

/// Words remembered per thread: enough for the vocabulary of a large
/// archive, bounded against texts of random strings.
const CACHE_MAX: usize = 500_000;

/// A 64-bit name of a stem (FNV-1a): two stems share one only by a chance
/// too small to matter for ranking.
pub fn term_id(stem: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in stem.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What a lowercase word counts as: the id of its stem, or nothing.
fn classify(stemmer: &Stemmer, word: &str) -> Known {
    let meaningful =
        word.len() >= 2 && !is_stop_word(word) && !word.bytes().all(|b| b.is_ascii_digit());
    meaningful.then(|| term_id(&stemmer.stem(word)))
}

/// The lower case of a letter of Latin-1 beyond ASCII (the capitals À..Þ
/// but × are 32 below their small letters, the rest are small), or `None`
/// for any other character.
pub fn latin1_lower(ch: char) -> Option<char> {
    match ch {
        '\u{C0}'..='\u{DE}' if ch != '\u{D7}' => char::from_u32(ch as u32 + 0x20),
        '\u{80}'..='\u{FF}' => Some(ch),
        _ => None,
    }
}

/// Calls `f` with the id of the stem of each meaningful word of `text`.
pub fn for_each_term_id(text: &str, mut f: impl FnMut(u64)) {
    STEMS.with(|cell| {
        let Stems {
            stemmer,
            cache,
            front,
            latin1,
            word,
        } = &mut *cell.borrow_mut();
        let mut flush = |word: &mut String| {
            let key = word_key(word);
            let place = &mut front[(key >> (64 - FRONT_BITS)) as usize];
            let known = if place.0 == key {
                place.1
            } else {
                let known = match cache.get(&key) {
                    Some(known) => *known,
                    None => {
                        let known = classify(stemmer, word);
                        if cache.len() < CACHE_MAX {
                            cache.insert(key, known);
                        }
                        known
                    }
                };
                *place = (key, known);
                known
            };
            if let Some(id) = known {
                f(id);
            }
            word.clear();
        };
        word.clear();
        // A word is its letters and digits, lowered. Whether a character of
        // Latin-1 (Danish letters are) is one is read from `latin1`, and its
        // capitals are 32 below their small letters; other characters are
        // told and lowered by the standard library (which searches a table).
        for ch in text.chars() {
            if ch.is_ascii_alphanumeric() {
                word.push(ch.to_ascii_lowercase());
            } else if latin1
                .get(ch as usize)
                .copied()
                .unwrap_or_else(|| ch.is_alphanumeric())
            {
                match latin1_lower(ch) {
                    Some(lower) => word.push(lower),
                    None => word.extend(ch.to_lowercase()),
                }
            } else if !word.is_empty() {
                flush(word);
            }
        }
        if !word.is_empty() {
            flush(word);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stem of one lowercase word.
    fn stem(word: &str) -> String {
        Stemmer::create(Algorithm::Danish).stem(word).into_owned()
    }

    /// The stems of `text`, in order, as ids.
    fn terms(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_term_id(text, |t| out.push(t));
        out
    }

    #[test]
    fn latin1_letters_lower_as_the_standard_library_lowers_them() {
        for ch in ('\u{80}'..='\u{FF}').filter(|c| c.is_alphanumeric()) {
            assert_eq!(
                latin1_lower(ch).map(String::from),
                Some(ch.to_lowercase().collect())
            );
        }
        // Words cut and lowered as character by character.
        let text = "ÆBLER og Æbler, KØGE-Bugt: 4.APRIL ŁÓDŹ İstanbul ΣΟΦΙΑ Ǆemal ünd K";
        let mut by_char = Vec::new();
        let mut word = String::new();
        for ch in text.chars().chain([' ']) {
            if ch.is_alphanumeric() {
                word.extend(ch.to_lowercase());
            } else if !word.is_empty() {
                by_char.push(std::mem::take(&mut word));
            }
        }
        let stemmer = Stemmer::create(Algorithm::Danish);
        let expected: Vec<u64> = by_char
            .iter()
            .filter_map(|w| classify(&stemmer, w))
            .collect();
        assert_eq!(terms(text), expected);
    }

    #[test]
    fn a_remembered_word_counts_as_the_first_time() {
        let first = terms("Det indstilles at botilbuddene 2024 og det");
        assert_eq!(first, terms("Det indstilles at botilbuddene 2024 og det"));
        assert_eq!(first, vec![term_id(&stem("botilbuddene"))]);
    }

    #[test]
    fn words_looked_up_again_after_many_others_count_as_the_first_time() {
        // More words than the table in front of the cache has places, so
        // that words share places and push each other out.
        let words: Vec<String> = (0..3 * (1 << FRONT_BITS))
            .map(|i| format!("bostøtte{i}ordning kommunerne{}", i % 7))
            .collect();
        let text = words.join(" ");
        let stemmer = Stemmer::create(Algorithm::Danish);
        let expected: Vec<u64> = text
            .split(' ')
            .filter_map(|w| classify(&stemmer, w))
            .collect();
        assert_eq!(terms(&text), expected);
        assert_eq!(terms(&text), expected);
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        assert_eq!(terms("botilbuddene"), terms("botilbud"));
        assert_eq!(terms("institutionerne"), terms("institution"));
        assert_eq!(terms("sundhedstjek"), terms("sundhedstjekket"));
    }

    #[test]
    fn stop_words_and_numbers_are_dropped() {
        assert_eq!(
            terms("Det indstilles, at DAS godkender 2024"),
            Vec::<u64>::new()
        );
        assert_eq!(
            terms("kapacitet på de sikrede"),
            vec![term_id(&stem("kapacitet")), term_id(&stem("sikrede"))]
        );
    }
}
