//! Words for comparing texts: lowercase, Danish stop words removed, stemmed
//! with the Snowball stemmer for Danish, so that "botilbuddene" and
//! "botilbud" count as one word.

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;

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

thread_local! {
    static STEMS: RefCell<(Stemmer, HashMap<String, String>)> =
        RefCell::new((Stemmer::create(Algorithm::Danish), HashMap::new()));
}

/// The stem of one lowercase word.
pub fn stem(word: &str) -> String {
    STEMS.with(|cell| {
        let (stemmer, cache) = &mut *cell.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        let s = stemmer.stem(word).into_owned();
        if cache.len() < 200_000 {
            cache.insert(word.to_string(), s.clone());
        }
        s
    })
}

/// Calls `f` with the stem of each meaningful word of `text`.
pub fn for_each_term(text: &str, mut f: impl FnMut(String)) {
    let mut word = String::new();
    let flush = |word: &mut String, f: &mut dyn FnMut(String)| {
        if word.chars().count() >= 2
            && !is_stop_word(word)
            && !word.chars().all(|c| c.is_ascii_digit())
        {
            f(stem(word));
        }
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        } else {
            flush(&mut word, &mut f);
        }
    }
    flush(&mut word, &mut f);
}

/// The stems of `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Vec::<String>::new()
        );
        assert_eq!(
            terms("kapacitet på de sikrede"),
            vec![stem("kapacitet"), stem("sikrede")]
        );
    }
}
