//! What became of an item: its decision read against its recommendation
//! (Indstilling), by rules a reader can follow. The rules are documented
//! with examples in `docs/content-format.md` (Outcomes); in short:
//!
//! 1. No decision, an empty one, or one that says only "Ingen
//!    bemærkninger": `none`.
//! 2. The decision's words are looked for, word by word, in its text:
//!    *approval* ("godkendt", "godkendte", "vedtaget", "tiltrådt" …),
//!    *support* ("opbakning", "bakkede op", "tilsluttede sig"), which counts
//!    as approval only when the recommendation asks for one ("godkender",
//!    "beslutter", "tager stilling til"), *noting* ("til efterretning"),
//!    *postponement* ("udsat", "udskydes", "genoptages", "sendt tilbage")
//!    and *rejection* ("forkastet", "afvist"). An "ikke" or "ej" up to three
//!    words before or two words after an approval or support word makes it
//!    a rejection ("ikke godkendt", "godkendte ikke"); a negated noting or
//!    postponement counts for nothing.
//! 3. Then, in this order: approval together with a rejection or a
//!    postponement (a mixed decision) is `approved_amended`; approval with
//!    an amendment ("med de faldne bemærkninger", "godkendt, idet …", "med
//!    forbehold", "tilføjes", "i tillæg til", "dog et ønske") is
//!    `approved_amended`; approval alone is `approved`; a rejection is
//!    `rejected`; a postponement is `postponed`; noting is `noted`.
//! 4. Any other decision text is `discussed`: a decision that does not say
//!    what was resolved is never read as an approval.
//!
//! The result can be set by hand in the item's key block (`udfald`).

pub use crate::content::Outcome;

/// An outcome with the words of the decision that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    pub outcome: Outcome,
    /// The sentence of the decision the outcome was read from, when any.
    pub phrase: Option<String>,
}

const APPROVE: &[&str] = &[
    "godkendt",
    "godkendte",
    "godkendes",
    "godkender",
    "godkende",
    "vedtaget",
    "vedtog",
    "vedtages",
    "vedtager",
    "vedtage",
    "tiltrådt",
    "tiltrådte",
    "tiltrædes",
    "tiltræder",
    "tiltræde",
    "approved",
];
const SUPPORT: &[&str] = &[
    "opbakning",
    "bakkede",
    "bakker",
    "bakkes",
    "tilslutning",
    "tilsluttede",
    "tilslutter",
];
const POSTPONE: &[&str] = &[
    "udsat",
    "udsættes",
    "udsatte",
    "udskudt",
    "udskydes",
    "udskød",
    "genoptages",
    "tilbagesendt",
    "tilbagesendes",
    "postponed",
];
const REJECT: &[&str] = &[
    "forkastet",
    "forkastede",
    "forkastes",
    "afvist",
    "afviste",
    "afvises",
    "afslået",
    "afslog",
    "rejected",
];
const NEGATION: &[&str] = &["ikke", "ej", "not"];
/// In the recommendation: words that ask for a decision.
const ASKS_DECISION: &[&str] = &[
    "godkender",
    "godkendes",
    "godkende",
    "vedtager",
    "vedtages",
    "tiltræder",
    "tiltrædes",
    "beslutter",
    "stilling",
    "approves",
    "approve",
];

/// What a word of a decision can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Approve,
    Support,
    Postpone,
    Reject,
    Note,
    Negation,
}

/// Every word of the lists above with what it says, for one look-up a word.
static CLASSES: std::sync::LazyLock<std::collections::HashMap<&'static str, Class>> =
    std::sync::LazyLock::new(|| {
        let lists: [(&[&str], Class); 6] = [
            (APPROVE, Class::Approve),
            (SUPPORT, Class::Support),
            (POSTPONE, Class::Postpone),
            (REJECT, Class::Reject),
            (&["efterretning"], Class::Note),
            (NEGATION, Class::Negation),
        ];
        lists
            .iter()
            .flat_map(|(words, class)| words.iter().map(move |w| (*w, *class)))
            .collect()
    });

/// A sentence of the decision as lower-case words.
struct Sentence<'a> {
    text: &'a str,
    words: Vec<String>,
    /// The words that say something, by index.
    classes: Vec<(usize, Class)>,
}

impl Sentence<'_> {
    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn has_seq(&self, seq: &[&str]) -> bool {
        self.words
            .windows(seq.len())
            .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
    }

    /// Indexes of the words of a class, each with whether it is negated: an
    /// "ikke" up to three words before it or two after.
    fn hits(&self, class: Class) -> Vec<(usize, bool)> {
        self.classes
            .iter()
            .filter(|(_, c)| *c == class)
            .map(|&(i, _)| {
                let negated = self
                    .classes
                    .iter()
                    .any(|&(j, c)| c == Class::Negation && j != i && j + 3 >= i && j <= i + 2);
                (i, negated)
            })
            .collect()
    }

    /// `med`, up to `gap` words, then a word starting with `stem`.
    fn med_then(&self, stem: &str, gap: usize) -> bool {
        self.words.iter().enumerate().any(|(i, w)| {
            w == "med"
                && self.words[i + 1..]
                    .iter()
                    .take(gap + 1)
                    .any(|x| x.starts_with(stem))
        })
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Sentences end at a full stop, question or exclamation mark followed by a
/// space or the end, and at line breaks; not at the full stop of a day
/// ("27. maj"), of an initial ("Haukur S. Thorsteinsson") or one followed by
/// a small letter ("ift. at").
pub(super) fn sentence_texts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end_here = match c {
            '\n' => true,
            '!' | '?' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
            '.' => {
                let after = &text[i + 1..];
                let next = after.trim_start_matches([' ', '\t']).chars().next();
                let spaced = after.is_empty() || after.starts_with(char::is_whitespace);
                // The word before: a day ("27."), or an initial ("S.").
                let before = text[..i]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                let day = !before.is_empty()
                    && before.len() <= 2
                    && before.chars().all(|c| c.is_ascii_digit());
                let initial = before.chars().count() == 1 && before.chars().all(char::is_uppercase);
                spaced && !day && !initial && !next.is_some_and(|n| n.is_lowercase())
            }
            _ => false,
        };
        if end_here {
            out.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn sentences(text: &str) -> Vec<Sentence<'_>> {
    sentence_texts(text)
        .into_iter()
        .map(|text| {
            let words = words(text);
            let classes = words
                .iter()
                .enumerate()
                .filter_map(|(i, w)| CLASSES.get(w.as_str()).map(|c| (i, *c)))
                .collect();
            Sentence {
                text,
                words,
                classes,
            }
        })
        .filter(|s| !s.words.is_empty())
        .collect()
}

/// Whether a sentence approves with a change: "med de faldne bemærkninger",
/// "godkendt, idet …", "med forbehold", "med ændringer", "med tilføjelse",
/// "dog således", "dog med", "dog et ønske", "tilføjes", "i tillæg til".
fn amends(s: &Sentence, approval_at: Option<usize>) -> bool {
    let after_approval_idet = approval_at.is_some_and(|i| {
        s.words.get(i + 1).is_some_and(|w| w == "idet")
            || s.words.get(i + 2).is_some_and(|w| w == "idet")
    });
    after_approval_idet
        || (s.med_then("bemærkning", 3) && !s.has_seq(&["uden", "bemærkninger"]))
        || s.med_then("forbehold", 1)
        || s.med_then("ændring", 1)
        || s.med_then("tilføjelse", 1)
        || s.has_seq(&["dog", "således"])
        || s.has_seq(&["dog", "med"])
        || s.has_seq(&["dog", "et", "ønske"])
        || s.has("tilføjes")
        || s.has("tilføjet")
        || s.has_seq(&["i", "tillæg", "til"])
        || s.has_seq(&["with", "amendments"])
}

/// Reads the outcome of an item from its recommendation and decision.
pub fn read(recommendation: &str, decision: Option<&str>) -> Reading {
    let Some(decision) = decision.map(str::trim).filter(|d| !d.is_empty()) else {
        return Reading::default();
    };
    let all = sentences(decision);
    let nothing = all
        .iter()
        .all(|s| s.words == ["ingen", "bemærkninger"] || s.words == ["no", "remarks"]);
    if all.is_empty() || nothing {
        return Reading::default();
    }
    let rec_words = words(recommendation);
    let asks = rec_words
        .iter()
        .any(|w| ASKS_DECISION.contains(&w.as_str()));

    let mut approval: Option<&Sentence> = None;
    let mut rejection: Option<&Sentence> = None;
    let mut postponement: Option<&Sentence> = None;
    let mut noting: Option<&Sentence> = None;
    let mut amendment: Option<&Sentence> = None;
    let mut approved_at = vec![None; all.len()];
    for (k, s) in all.iter().enumerate() {
        let mut approve_hits = s.hits(Class::Approve);
        if asks {
            approve_hits.extend(s.hits(Class::Support));
        }
        for (i, negated) in approve_hits {
            if negated {
                rejection.get_or_insert(s);
            } else {
                approval.get_or_insert(s);
                approved_at[k].get_or_insert(i);
            }
        }
        if s.hits(Class::Reject).iter().any(|h| !h.1) {
            rejection.get_or_insert(s);
        }
        let sent_back = s.has_seq(&["sendt", "tilbage"]) || s.has_seq(&["sendes", "tilbage"]);
        if s.hits(Class::Postpone).iter().any(|h| !h.1) || sent_back {
            postponement.get_or_insert(s);
        }
        if s.hits(Class::Note).iter().any(|h| !h.1) {
            noting.get_or_insert(s);
        }
    }
    // Changes matter only to an approval.
    if approval.is_some() {
        amendment = all
            .iter()
            .zip(&approved_at)
            .find(|(s, at)| amends(s, **at))
            .map(|(s, _)| s);
    }
    let (outcome, by) = if let Some(a) = approval {
        match (rejection.or(postponement), amendment) {
            (Some(other), _) => (Outcome::ApprovedAmended, other),
            (None, Some(change)) => (Outcome::ApprovedAmended, change),
            (None, None) => (Outcome::Approved, a),
        }
    } else if let Some(r) = rejection {
        (Outcome::Rejected, r)
    } else if let Some(p) = postponement {
        (Outcome::Postponed, p)
    } else if let Some(n) = noting {
        (Outcome::Noted, n)
    } else {
        (Outcome::Discussed, &all[0])
    };
    Reading {
        outcome,
        phrase: Some(by.text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(rec: &str, decision: &str) -> Outcome {
        read(rec, Some(decision)).outcome
    }

    const APPROVE_REC: &str =
        "Det indstilles, at Den Administrative Styregruppe godkender dagsordenen";

    #[test]
    fn approved() {
        assert_eq!(outcome(APPROVE_REC, "Godkendt"), Outcome::Approved);
        assert_eq!(
            outcome("", "Indstillingen blev godkendt."),
            Outcome::Approved
        );
        assert_eq!(
            outcome("", "Dagsorden godkendt uden bemærkninger"),
            Outcome::Approved
        );
        assert_eq!(
            outcome(
                "",
                "Den Administrative Styregruppe drøftede og godkendte indstillingen."
            ),
            Outcome::Approved
        );
        // Support counts when the recommendation asks for approval.
        assert_eq!(
            outcome(
                "Det indstilles, at DAS godkender forslag til program",
                "Der var opbakning til det foreslåede program."
            ),
            Outcome::Approved
        );
    }

    #[test]
    fn approved_amended() {
        assert_eq!(
            outcome("", "Godkendt med de faldne bemærkninger."),
            Outcome::ApprovedAmended
        );
        assert_eq!(
            outcome("", "Godkendt, idet punkt 3 udgår."),
            Outcome::ApprovedAmended
        );
        assert_eq!(
            outcome(
                "",
                "DAS drøftede og godkendte udkastet med de ovenfor beskrevne bemærkninger om forbehold."
            ),
            Outcome::ApprovedAmended
        );
        assert_eq!(
            outcome(
                "godkender de udpegede målgrupper",
                "Der var opbakning til målgrupperne. I tillæg til målgrupperne besluttede DAS, at der indskrives en undersøgelse."
            ),
            Outcome::ApprovedAmended
        );
        // A reservation in another sentence than the approval is no change.
        assert_eq!(
            outcome(
                "",
                "DAS godkendte takstanalysen. Analysen er behæftet med en række metodemæssige forbehold."
            ),
            Outcome::Approved
        );
    }

    #[test]
    fn noted() {
        assert_eq!(outcome("", "Taget til efterretning"), Outcome::Noted);
        assert_eq!(
            outcome("", "Orienteringen blev taget til efterretning."),
            Outcome::Noted
        );
        // Noted although the recommendation asked for approval: the text says noted.
        assert_eq!(
            outcome(APPROVE_REC, "Tages til efterretning."),
            Outcome::Noted
        );
    }

    #[test]
    fn discussed() {
        assert_eq!(outcome("", "Drøftet."), Outcome::Discussed);
        assert_eq!(outcome("", "DAS drøftede sagen."), Outcome::Discussed);
        // Support without a recommendation to approve is no approval.
        assert_eq!(
            outcome(
                "Det indstilles, at DAS drøfter mulige input",
                "Der var generelt opbakning til forslaget."
            ),
            Outcome::Discussed
        );
        // Text that does not say what was resolved is never an approval.
        assert_eq!(
            outcome(APPROVE_REC, "Formanden orienterede om sagen."),
            Outcome::Discussed
        );
    }

    #[test]
    fn postponed() {
        assert_eq!(outcome("", "Punktet blev udsat."), Outcome::Postponed);
        assert_eq!(
            outcome(
                "",
                "DAS drøftede problemstillingen. En endelig beslutning udskydes til mødet 27. maj."
            ),
            Outcome::Postponed
        );
        assert_eq!(outcome("", "Sagen genoptages."), Outcome::Postponed);
        assert_eq!(
            outcome("", "Sagen blev sendt tilbage til forvaltningen."),
            Outcome::Postponed
        );
        assert_eq!(outcome("", "Punktet blev ikke udsat."), Outcome::Discussed);
    }

    #[test]
    fn rejected_and_negations() {
        assert_eq!(outcome("", "Forkastet."), Outcome::Rejected);
        assert_eq!(outcome("", "Forslaget blev afvist."), Outcome::Rejected);
        assert_eq!(outcome(APPROVE_REC, "Ikke godkendt"), Outcome::Rejected);
        assert_eq!(
            outcome(APPROVE_REC, "Indstillingen blev ikke godkendt."),
            Outcome::Rejected
        );
        assert_eq!(
            outcome(APPROVE_REC, "DAS godkendte ikke forslaget."),
            Outcome::Rejected
        );
        assert_eq!(
            outcome(APPROVE_REC, "Der var ikke opbakning til forslaget."),
            Outcome::Rejected
        );
        assert_eq!(
            outcome("", "Orienteringen blev ikke taget til efterretning."),
            Outcome::Discussed
        );
    }

    #[test]
    fn mixed_decisions() {
        assert_eq!(
            outcome("", "Punkt 1 blev godkendt. Punkt 2 blev ikke godkendt."),
            Outcome::ApprovedAmended
        );
        assert_eq!(
            outcome("", "Indstillingens punkt 1 godkendt, punkt 2 udsættes."),
            Outcome::ApprovedAmended
        );
        // Approval and noting: approved.
        assert_eq!(
            outcome(
                "",
                "DAS tog orienteringen til efterretning og godkendte indstillingen."
            ),
            Outcome::Approved
        );
    }

    #[test]
    fn none() {
        assert_eq!(read(APPROVE_REC, None).outcome, Outcome::None);
        assert_eq!(outcome(APPROVE_REC, "  \n"), Outcome::None);
        assert_eq!(outcome("", "Ingen bemærkninger."), Outcome::None);
    }

    #[test]
    fn sentences_do_not_end_at_numbers_or_abbreviations() {
        assert_eq!(
            sentence_texts(
                "Udskydes til mødet 27. Maj. Drøftes igen ift. at følge status.\nHaukur S. Thorsteinsson orienterede om 2015. Godkendt"
            ),
            [
                "Udskydes til mødet 27. Maj.",
                "Drøftes igen ift. at følge status.",
                "Haukur S. Thorsteinsson orienterede om 2015.",
                "Godkendt"
            ]
        );
    }

    #[test]
    fn the_phrase_that_decided() {
        let r = read("", Some("DAS drøftede sagen. Indstillingen blev godkendt."));
        assert_eq!(r.outcome, Outcome::Approved);
        assert_eq!(r.phrase.as_deref(), Some("Indstillingen blev godkendt."));
    }

    #[test]
    fn names_in_content_files() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.slug()), Some(o));
            assert_eq!(Outcome::parse(o.danish()), Some(o));
        }
        assert_eq!(
            Outcome::parse("Vedtaget med ændringer"),
            Some(Outcome::ApprovedAmended)
        );
        assert_eq!(Outcome::parse("Drøftet"), Some(Outcome::Discussed));
        assert_eq!(Outcome::parse("godkendt"), None);
    }
}
