//! Promises to return: sentences of a decision in which the body says it will
//! come back to a matter ("drøftes igen primo 2025", "sagen forelægges på
//! næste møde", "vender tilbage med en status"), with the time they name,
//! and the later item that takes the matter up. Documented with examples in
//! `docs/content-format.md` (Follow-ups).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// When a promise is to be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Due {
    /// At the body's next meeting.
    NextMeeting,
    /// Within these days, both included: a day, a month or a part of a year.
    Period(NaiveDate, NaiveDate),
}

impl Due {
    /// As written in data: `next_meeting`, `2024-05-27`, `2024-06` or an
    /// interval of months, `2025-01/2025-03`.
    pub fn code(self) -> String {
        match self {
            Due::NextMeeting => "next_meeting".into(),
            Due::Period(a, b) if a == b => a.format("%Y-%m-%d").to_string(),
            Due::Period(a, b) if (a.year(), a.month()) == (b.year(), b.month()) => {
                a.format("%Y-%m").to_string()
            }
            Due::Period(a, b) => format!("{}/{}", a.format("%Y-%m"), b.format("%Y-%m")),
        }
    }
}

/// A promise found in a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The sentence, as written.
    pub text: String,
    pub due: Option<Due>,
}

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// Word sequences that say the body will return to the matter.
const RETURNS: &[&[&str]] = &[
    &["drøftes", "igen"],
    &["drøftes", "på", "ny"],
    &["tages", "op", "igen"],
    &["genoptages"],
    &["vender", "tilbage"],
    &["vende", "tilbage"],
    &["kommer", "med", "et", "udspil"],
    &["udskydes", "til"],
    &["udsættes", "til"],
    &["orienteres", "når"],
];

/// Words that return only together with a meeting or a time: "sagen
/// forelægges på næste møde", "der følges op på mødet i juni".
const RETURNS_AT: &[&[&str]] = &[
    &["forelægges"],
    &["følges", "op"],
    &["følge", "op"],
    &["drøftes"],
    &["drøfte"],
    &["behandles"],
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn has_seq(words: &[String], seq: &[&str]) -> bool {
    words
        .windows(seq.len())
        .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
}

fn month_of(word: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == word).map(|i| i as u32 + 1)
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

fn months(year: i32, from: u32, to: u32) -> Option<Due> {
    Some(Due::Period(
        NaiveDate::from_ymd_opt(year, from, 1)?,
        last_day(year, to)?,
    ))
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| word.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..2200).contains(y))
}

/// The time a sentence names, read after a meeting held on `date`: the next
/// meeting, a day ("27. maj"), a month ("i juni", "primo januar 2025"), the
/// start, middle or end of a year ("primo 2025": January to March, "medio":
/// May to August, "ultimo": October to December), a season ("foråret",
/// "efteråret") or a year ("i 2025"). A month or day without a year is the
/// first one after the meeting.
pub fn due(sentence: &str, date: NaiveDate) -> Option<Due> {
    let w = words(sentence);
    for next in [
        &["næste", "møde"][..],
        &["næstkommende", "møde"],
        &["kommende", "møde"],
        &["førstkommende", "møde"],
    ] {
        if has_seq(&w, next) {
            return Some(Due::NextMeeting);
        }
    }
    let after = |month: u32, day: u32| -> i32 {
        if (month, day) > (date.month(), date.day()) {
            date.year()
        } else {
            date.year() + 1
        }
    };
    for (i, word) in w.iter().enumerate() {
        let next_year = w.get(i + 1).and_then(|x| year_of(x));
        if let Some(month) = month_of(word) {
            let day = i
                .checked_sub(1)
                .and_then(|j| w[j].parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d));
            if let Some(day) = day {
                let year = next_year.unwrap_or_else(|| after(month, day));
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                    return Some(Due::Period(d, d));
                }
            }
            let year = next_year.unwrap_or_else(|| after(month, 31));
            return months(year, month, month);
        }
        let part = match word.as_str() {
            "primo" => Some((1, 3)),
            "medio" => Some((5, 8)),
            "ultimo" => Some((10, 12)),
            "foråret" => Some((3, 5)),
            "sommeren" => Some((6, 8)),
            "efteråret" => Some((9, 11)),
            _ => None,
        };
        if let (Some((from, to)), Some(year)) = (part, next_year) {
            return months(year, from, to);
        }
        if word == "i" {
            if let Some(year) = next_year.filter(|y| *y > date.year()) {
                return months(year, 1, 12);
            }
        }
    }
    None
}

/// Whether a sentence names a meeting or a time to return at.
fn names_a_time(words: &[String], sentence: &str, date: NaiveDate) -> bool {
    words.iter().any(|w| w == "mødet" || w == "møde") || due(sentence, date).is_some()
}

/// The promises to return in a decision of a meeting held on `date`.
pub fn find(decision: &str, date: NaiveDate) -> Vec<Found> {
    super::outcome::sentence_texts(decision)
        .into_iter()
        .filter(|s| {
            let w = words(s);
            RETURNS.iter().any(|seq| has_seq(&w, seq))
                || (RETURNS_AT.iter().any(|seq| has_seq(&w, seq)) && names_a_time(&w, s, date))
        })
        .filter(|s| !is_looking_back(s))
        .map(|s| Found {
            text: s.to_string(),
            due: due(s, date),
        })
        .collect()
}

/// "… blev drøftet på mødet" tells what happened, not what will.
fn is_looking_back(sentence: &str) -> bool {
    let w = words(sentence);
    ["blev", "var", "havde", "har"]
        .iter()
        .any(|aux| has_seq(&w, &[aux, "drøftet"]) || has_seq(&w, &[aux, "behandlet"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn phrases_that_promise_to_return() {
        let date = day(2024, 4, 4);
        for text in [
            "Det blev besluttet, at punktet drøftes igen på DAS primo 2025 ift. at følge status.",
            "Sagen forelægges på næste møde.",
            "Sekretariatet vender tilbage med en status.",
            "Der følges op på mødet i juni.",
            "Sagen genoptages.",
            "En endelig beslutning udskydes til DAS mødet 27. Maj.",
            "Den Administrative Styregruppe orienteres, når der er nyt i sagen.",
        ] {
            assert_eq!(find(text, date).len(), 1, "{text}");
        }
        for text in [
            "Godkendt.",
            "Der kan med fordel følges op i eget bagland.",
            "Sagen blev drøftet på mødet.",
            "DAS drøftede sagen.",
        ] {
            assert!(find(text, date).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_time_a_promise_names() {
        let date = day(2024, 4, 4);
        let code = |s: &str| due(s, date).map(Due::code);
        assert_eq!(
            code("drøftes igen primo 2025").as_deref(),
            Some("2025-01/2025-03")
        );
        assert_eq!(code("på næste møde").as_deref(), Some("next_meeting"));
        assert_eq!(code("på mødet i juni").as_deref(), Some("2024-06"));
        assert_eq!(code("på mødet i marts").as_deref(), Some("2025-03"));
        assert_eq!(
            code("udskydes til mødet 27. Maj").as_deref(),
            Some("2024-05-27")
        );
        assert_eq!(
            code("i løbet af efteråret 2024").as_deref(),
            Some("2024-09/2024-11")
        );
        assert_eq!(code("i 2025").as_deref(), Some("2025-01/2025-12"));
        assert_eq!(code("vender tilbage med en status"), None);
    }
}
