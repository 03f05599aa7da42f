//! Filing items under topics from their text: a topic's names (name and
//! aliases) and keywords are looked for in the item's title and text.

use crate::content::{Pos, TopicInfo};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

const TITLE_NAME: f32 = 3.0;
const TEXT_NAME: f32 = 1.0;
const TEXT_KEYWORD: f32 = 0.5;
/// A name may carry an inflection: "Socialtilsyn Nords", "de sikrede institutioner".
const MAX_SUFFIX: usize = 5;
/// The most names and keywords matched by a DFA (see [`TopicMatcher::new`]).
const DFA_NAMES: usize = 4_000;

pub struct TopicMatcher {
    automaton: Option<AhoCorasick>,
    /// The same names matched in text as written, where that finds the same
    /// (see [`Folding`]).
    folding: Option<Folding>,
    /// For each pattern: the topic and whether it is a name (or a keyword).
    patterns: Vec<(usize, bool)>,
    slugs: Vec<String>,
}

impl TopicMatcher {
    pub fn new(topics: &[TopicInfo]) -> Self {
        let mut words = Vec::new();
        let mut patterns = Vec::new();
        for (t, topic) in topics.iter().enumerate() {
            let names = std::iter::once(&topic.name).chain(&topic.aliases);
            for name in names {
                if name.trim().chars().count() >= 3 {
                    words.push(name.trim().to_lowercase());
                    patterns.push((t, true));
                }
            }
            for k in &topic.keywords {
                if k.trim().chars().count() >= 3 {
                    words.push(k.trim().to_lowercase());
                    patterns.push((t, false));
                }
            }
        }
        let automaton = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                // Every item's whole text goes through it: a DFA takes one
                // look per byte, where the NFA the builder chooses past a
                // hundred names follows failure links (at 1,000 meetings,
                // topics and references took a fifth less time). A DFA grows
                // with names times letters; past some thousands of names the
                // builder chooses.
                .kind((words.len() <= DFA_NAMES).then_some(AhoCorasickKind::DFA))
                .build(&words)
                .expect("topic names make a valid automaton")
        });
        TopicMatcher {
            automaton,
            folding: Folding::new(&words),
            patterns,
            slugs: topics.iter().map(|t| t.slug.clone()).collect(),
        }
    }

    fn index_of(&self, slug: &str) -> Option<usize> {
        self.slugs.iter().position(|s| s == slug)
    }

    /// The item's topics: those written in its file, and those its text
    /// matches at least `threshold`, less those the author excluded.
    pub fn assign(
        &self,
        title: &str,
        text: &str,
        explicit: &[(String, Pos)],
        excluded: &[(String, Pos)],
        threshold: f32,
    ) -> Vec<usize> {
        let mut scores = vec![0f32; self.slugs.len()];
        if let Some(ac) = &self.automaton {
            for (part, name_weight, keyword_weight) in [
                (title, TITLE_NAME, TEXT_NAME),
                (text, TEXT_NAME, TEXT_KEYWORD),
            ] {
                let mut add = |text: &str, start: usize, end: usize, pattern: usize| {
                    // Fewer than five characters: at most four bytes each.
                    let len = end - start;
                    let short = len < 5 || (len < 20 && text[start..end].chars().count() < 5);
                    if at_word_bounds(text, start, end, if short { 0 } else { MAX_SUFFIX }) {
                        let (t, is_name) = self.patterns[pattern];
                        scores[t] += if is_name { name_weight } else { keyword_weight };
                    }
                };
                match &self.folding {
                    Some(f) if Folding::applies(part) => {
                        for m in f.automaton.find_iter(part) {
                            add(part, m.start(), m.end(), f.of[m.pattern().as_usize()]);
                        }
                    }
                    _ => {
                        let lower = part.to_lowercase();
                        for m in ac.find_iter(&lower) {
                            add(&lower, m.start(), m.end(), m.pattern().as_usize());
                        }
                    }
                }
            }
        }
        let excluded: Vec<usize> = excluded
            .iter()
            .filter_map(|(s, _)| self.index_of(s))
            .collect();
        let mut out: Vec<usize> = explicit
            .iter()
            .filter_map(|(s, _)| self.index_of(s))
            .collect();
        for (t, score) in scores.into_iter().enumerate() {
            if score >= threshold && !excluded.contains(&t) {
                out.push(t);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The names and keywords matched in a text as it is written, without
/// lowering it first (lowering every item's text, with the standard
/// library's table search for each letter beyond ASCII, was 13% of the
/// model's CPU at 10,000 meetings): ASCII letters in any case, and
/// each Latin-1 letter of a name (æ, ø, å, é …) in both of its cases, one
/// pattern for each way of writing them.
///
/// For a text whose characters beyond Latin-1 have no lower case of their
/// own (see [`Folding::applies`]) this finds exactly what matching the
/// lowered names in the lowered text finds, at the same places: lowering
/// such text keeps every character's length, and each character lowers to a
/// letter of the name only when it is that letter or its capital. Any other
/// text is lowered and matched as before.
struct Folding {
    automaton: AhoCorasick,
    /// For each pattern, the name or keyword it writes.
    of: Vec<usize>,
}

/// The most ways of writing one name (two for each Latin-1 letter in it);
/// a name with more is matched in lowered text only.
const MAX_WRITINGS: usize = 64;

impl Folding {
    fn new(words: &[String]) -> Option<Folding> {
        let mut writings = Vec::new();
        let mut of = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let mut forms = vec![String::new()];
            for c in word.chars() {
                if let Some(capital) = latin1_capital(c) {
                    if forms.len() * 2 > MAX_WRITINGS {
                        return None;
                    }
                    forms = forms
                        .into_iter()
                        .flat_map(|f| [format!("{f}{c}"), format!("{f}{capital}")])
                        .collect();
                } else {
                    for f in &mut forms {
                        f.push(c);
                    }
                }
            }
            of.extend(std::iter::repeat_n(i, forms.len()));
            writings.extend(forms);
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind((words.len() <= DFA_NAMES).then_some(AhoCorasickKind::DFA))
            .build(&writings)
            .ok()?;
        Some(Folding { automaton, of })
    }

    /// Whether every character of the text beyond Latin-1 is one that has
    /// no lower case of its own (a dash, a quotation mark, a small letter):
    /// such a character stands in lowered text as it is, and matches only
    /// itself either way.
    fn applies(text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(at) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b >= 0xC4))
        {
            // A byte from 0xC4 up starts a character beyond U+00FF.
            let Some(ch) = text.get(i + at..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            let mut lower = ch.to_lowercase();
            if lower.next() != Some(ch) || lower.next().is_some() {
                return false;
            }
            i += at + ch.len_utf8();
        }
        true
    }
}

/// The capital of a small Latin-1 letter (à..þ but ÷): the Latin-1
/// character that lowers to it.
fn latin1_capital(c: char) -> Option<char> {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if u != c && super::text::latin1_lower(u) == Some(c) => Some(u),
        _ => None,
    }
}

/// The match starts a word and ends one, or ends within a short inflection
/// (none for short names such as "STN").
fn at_word_bounds(text: &str, start: usize, end: usize, max_suffix: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let suffix = text[end..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(max_suffix + 1)
        .count();
    before_ok && suffix <= max_suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, name: &str, aliases: &[&str], keywords: &[&str]) -> TopicInfo {
        TopicInfo {
            slug: slug.into(),
            name: name.into(),
            description: String::new(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn matcher() -> TopicMatcher {
        TopicMatcher::new(&[
            topic(
                "sikrede",
                "De sikrede institutioner",
                &["sikrede institutioner", "Kompasset"],
                &["sikret afdeling"],
            ),
            topic("stn", "Socialtilsyn Nord", &["STN"], &["tilsyn"]),
        ])
    }

    #[test]
    fn a_name_in_the_title_files_the_item() {
        let m = matcher();
        assert_eq!(
            m.assign("Årsrapport fra Socialtilsyn Nord 2023", "", &[], &[], 3.0),
            vec![1]
        );
        assert_eq!(
            m.assign(
                "Drøftelse om kapacitet",
                "de sikrede institutioner og Kompasset",
                &[],
                &[],
                3.0
            ),
            Vec::<usize>::new()
        );
        assert_eq!(
            m.assign(
                "Drøftelse om kapacitet",
                "de sikrede institutioner, Kompasset og Kompassets pladser",
                &[],
                &[],
                3.0
            ),
            vec![0]
        );
    }

    #[test]
    fn text_as_written_files_as_lowered_text_does() {
        let topics = [
            topic(
                "aeldre",
                "Ældreområdet",
                &["Plejecentre i Ålborg"],
                &["ældrepleje"],
            ),
            topic("stn", "Socialtilsyn Nord", &["STN"], &["tilsyn"]),
            topic("koege", "Køge Bugt", &["KØGE"], &["søgård"]),
        ];
        let m = TopicMatcher::new(&topics);
        // The same names, always matched in lowered text.
        let lowered = TopicMatcher {
            folding: None,
            ..TopicMatcher::new(&topics)
        };
        assert!(m.folding.is_some());
        let capitals: String = ('\u{80}'..='\u{FF}').filter_map(latin1_capital).collect();
        assert_eq!(capitals, "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ");
        assert!(Folding::applies("Referat – ÆLDRE «Køge» … łódź ‘STN’ € 🙂"));
        assert!(!Folding::applies("Łódź"));
        assert!(!Folding::applies("ΣΟΦΙΑ"));
        let texts = [
            "ÆLDREOMRÅDET og ældreområdet, Ældreområdets plejecentre i ÅLBORG",
            "socialTILSYN nord; STN's tilsyn; ÆLDREPLEJE og Ældrepleje",
            "Køge bugt, KØGE BUGT, køge Bugt, kØGE, SØGÅRD, søgÅrd",
            "Ældreområdet i Łódź og Σ-tilsyn: ØLDRE, ældreøøø",
            "Referat – ÆLDREOMRÅDET «Køge Bugt» … łódź ‘STN’ € ﬁ",
            "",
        ];
        for title in texts {
            for text in texts {
                assert_eq!(
                    m.assign(title, text, &[], &[], 1.0),
                    lowered.assign(title, text, &[], &[], 1.0),
                    "{title} / {text}"
                );
            }
        }
        assert_eq!(
            m.assign("Ældreområdet", "KØGE BUGT og STN", &[], &[], 1.0),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn words_inside_other_words_do_not_count() {
        let m = matcher();
        assert!(m.assign("STNX og ASTN", "", &[], &[], 1.0).is_empty());
        assert_eq!(
            m.assign("Socialtilsyn Nords årsrapport", "", &[], &[], 3.0),
            vec![1]
        );
    }

    #[test]
    fn explicit_wins_and_exclusion_holds() {
        let m = matcher();
        let p = Pos::default();
        assert_eq!(
            m.assign("Intet", "", &[("sikrede".into(), p)], &[], 3.0),
            vec![0]
        );
        assert!(m
            .assign("Socialtilsyn Nord", "", &[], &[("stn".into(), p)], 3.0)
            .is_empty());
    }
}
