//! Finding references to meetings in Danish (and English) text: "den 4. april
//! 2024", "4/4-2024", "04.04.24", "d. 17. august 2020", "mødet den 15.
//! november 2013", "referat fra seneste møde".

use chrono::{Datelike, NaiveDate};
use memchr::memmem;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What a piece of text points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A day; `alternatives` holds other readings when the year was left out
    /// ("den 11. juni"), nearest first.
    Date {
        date: NaiveDate,
        alternatives: Vec<NaiveDate>,
    },
    /// "seneste møde": the body's meeting before this one.
    PreviousMeeting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range of the words to turn into a link.
    pub span: Range<usize>,
    pub target: Target,
    /// An item number named next to the date ("punkt 4 på mødet den …").
    pub item: Option<u32>,
}

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("february", 2),
    ("feb", 2),
    ("marts", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("maj", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)
}

fn patterns() -> &'static (Regex, Regex, Regex, Regex, Regex) {
    static P: OnceLock<(Regex, Regex, Regex, Regex, Regex)> = OnceLock::new();
    P.get_or_init(|| {
        let months = MONTHS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|");
        // "4. april 2024", "d. 17. aug. 2020", "den 4. april" (day with a full stop).
        let named = Regex::new(&format!(
            r"(?i-u)\b(?:(?:den|d\.)\s+)?([0-3]?\d)\.\s*({months})\b\.?(?:,?\s+((?:19|20)\d\d)\b)?"
        ))
        .expect("valid pattern");
        // English: "4 April 2024", "4th of April 2024".
        let english = Regex::new(&format!(
            r"(?i-u)\b([0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?({months})\b\.?,?\s+((?:19|20)\d\d)\b"
        ))
        .expect("valid pattern");
        // "4/4-2024", "04.04.24", "04.04.2024", "4-4-2024".
        let numeric = Regex::new(
            r"(?:^|[^\d./-])(?:(?:den|d\.)\s+)?([0-3]?\d)[./-]([01]?\d)[./-]((?:19|20)?\d\d)(?-u:\b)",
        )
        .expect("valid pattern");
        // "2024-04-04"
        let iso = Regex::new(r"(?-u)\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b").expect("valid pattern");
        let previous = Regex::new(
            r"(?i)(?-u:\b)(?:(?:referat(?:et)?\s+(?:fra|af)\s+)?(?:det\s+)?(?:seneste|sidste|forrige)\s+møde|previous\s+meeting|last\s+meeting)(?-u:\b)",
        )
        .expect("valid pattern");
        (named, english, numeric, iso, previous)
    })
}

fn item_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(r"(?i-u)\b(?:punkt|pkt\.?|item)\s*(\d{1,3})\b").expect("valid pattern")
    })
}

/// Finds the meeting references in `text`, written at a meeting on `written`.
/// Dates that cannot exist (31. februar) are no references.
pub fn find(text: &str, written: NaiveDate) -> Vec<Mention> {
    // Most paragraphs hold no date and no "møde": look closer only at those
    // that might, which saves most of the pattern matching on long texts.
    // The searchers, made once (making one per paragraph cost as much as
    // the search).
    static FINDERS: OnceLock<[memmem::Finder<'static>; 5]> = OnceLock::new();
    let [blank_line, words @ ..] =
        FINDERS.get_or_init(|| ["\n\n", "øde", "ØDE", "eeting", "EETING"].map(memmem::Finder::new));
    let mut found = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = blank_line
            .find(&text.as_bytes()[start..])
            .map_or(text.len(), |i| start + i + 2);
        let paragraph = &text[start..end];
        let dates = has_digit(paragraph.as_bytes());
        let maybe = dates || words.iter().any(|w| w.find(paragraph.as_bytes()).is_some());
        // Every date pattern needs a digit; "seneste møde" needs "møde" or
        // "meeting" (in any case, as the pattern ignores case).
        let previous = maybe && may_name_a_meeting(paragraph);
        if dates || previous {
            let look = Look { dates, previous };
            found.extend(find_in(paragraph, written, look).into_iter().map(|mut m| {
                m.span = m.span.start + start..m.span.end + start;
                m
            }));
        }
        start = end;
    }
    found
}

/// Whether `bytes` hold an ASCII digit. Looked at in blocks of 32 bytes,
/// each read whole, which the compiler makes into vector instructions; a
/// byte-by-byte `any` stops at the first digit and so cannot be (the
/// function that held it, [`find`], had a tenth of the samples taken while
/// topics and references were found at 10,000 meetings).
fn has_digit(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|block| {
        block
            .iter()
            .fold(0u8, |any, &b| any | u8::from(b.wrapping_sub(b'0') < 10))
            != 0
    })
}

/// Which patterns [`find_in`] tries: those that could match.
#[derive(Clone, Copy)]
struct Look {
    dates: bool,
    previous: bool,
}

/// Whether `text` holds "møde" or "meeting" in some case: "ø" or "Ø", or
/// "meeting" in any mix of ASCII capitals (the letters of "meeting" have no
/// other case than their ASCII one).
fn may_name_a_meeting(text: &str) -> bool {
    let b = text.as_bytes();
    text.contains(['ø', 'Ø'])
        || memchr::memchr2_iter(b'm', b'M', b).any(|i| {
            b.get(i..i + 7)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"meeting"))
        })
}

/// [`find`] on one paragraph.
fn find_in(text: &str, written: NaiveDate, look: Look) -> Vec<Mention> {
    let (named, english, numeric, iso, previous) = patterns();
    let mut found: Vec<Mention> = Vec::new();
    let mut push = |span: Range<usize>, target: Target| {
        if found
            .iter()
            .any(|m| m.span.start < span.end && span.start < m.span.end)
        {
            return;
        }
        found.push(Mention {
            item: item_near(text, &span),
            span,
            target,
        });
    };

    let dated = |re: &'static Regex| {
        look.dates
            .then(|| re.captures_iter(text))
            .into_iter()
            .flatten()
    };
    for c in dated(named) {
        let (Some(day), Some(month)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let Some(month) = month_number(month.as_str()) else {
            continue;
        };
        let Ok(day) = day.as_str().parse::<u32>() else {
            continue;
        };
        let span = trim_span(text, c.get(0).map_or(0..0, |m| m.range()));
        match c.get(3).and_then(|y| y.as_str().parse::<i32>().ok()) {
            Some(year) => {
                if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                    push(
                        span,
                        Target::Date {
                            date,
                            alternatives: Vec::new(),
                        },
                    );
                }
            }
            None => {
                // No year: the nearest such day before the meeting, then after.
                let this = NaiveDate::from_ymd_opt(written.year(), month, day);
                let last = NaiveDate::from_ymd_opt(written.year() - 1, month, day);
                let next = NaiveDate::from_ymd_opt(written.year() + 1, month, day);
                let mut candidates: Vec<NaiveDate> =
                    [this, last, next].into_iter().flatten().collect();
                candidates.sort_by_key(|d| {
                    let days = (*d - written).num_days();
                    // The past first: a reference usually looks back.
                    (days > 0, days.abs())
                });
                if let Some((&date, rest)) = candidates.split_first() {
                    push(
                        span,
                        Target::Date {
                            date,
                            alternatives: rest.to_vec(),
                        },
                    );
                }
            }
        }
    }
    for c in dated(english) {
        let parsed = (|| {
            let day = c.get(1)?.as_str().parse().ok()?;
            let month = month_number(c.get(2)?.as_str())?;
            let year = c.get(3)?.as_str().parse().ok()?;
            NaiveDate::from_ymd_opt(year, month, day)
        })();
        if let (Some(date), Some(m)) = (parsed, c.get(0)) {
            push(
                m.range(),
                Target::Date {
                    date,
                    alternatives: Vec::new(),
                },
            );
        }
    }
    for c in dated(numeric) {
        let parsed = (|| {
            let day = c.get(1)?.as_str().parse().ok()?;
            let month = c.get(2)?.as_str().parse().ok()?;
            let year_text = c.get(3)?.as_str();
            let mut year: i32 = year_text.parse().ok()?;
            if year_text.len() == 2 {
                year += 2000;
                if year > written.year() + 1 {
                    year -= 100;
                }
            }
            NaiveDate::from_ymd_opt(year, month, day)
        })();
        if let (Some(date), Some(whole), Some(day)) = (parsed, c.get(0), c.get(1)) {
            // The match may start with the character before the day.
            let start = text[whole.start()..day.start()]
                .find(|ch: char| ch.is_alphabetic())
                .map_or(day.start(), |i| whole.start() + i);
            push(
                trim_span(text, start..whole.end()),
                Target::Date {
                    date,
                    alternatives: Vec::new(),
                },
            );
        }
    }
    for c in dated(iso) {
        let parsed = (|| {
            NaiveDate::from_ymd_opt(
                c.get(1)?.as_str().parse().ok()?,
                c.get(2)?.as_str().parse().ok()?,
                c.get(3)?.as_str().parse().ok()?,
            )
        })();
        if let (Some(date), Some(m)) = (parsed, c.get(0)) {
            push(
                m.range(),
                Target::Date {
                    date,
                    alternatives: Vec::new(),
                },
            );
        }
    }
    for m in look
        .previous
        .then(|| previous.find_iter(text))
        .into_iter()
        .flatten()
    {
        push(m.range(), Target::PreviousMeeting);
    }
    found.sort_by_key(|m| m.span.start);
    found
}

/// Drops a trailing full stop or comma from a span, and leading "den"/"d.".
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let mut start = span.start;
    let lower = s.to_lowercase();
    for prefix in ["den ", "d. "] {
        if lower.starts_with(prefix) {
            start += prefix.len();
            start += text[start..].len() - text[start..].trim_start().len();
            break;
        }
    }
    let trimmed = text[start..span.end].trim_end_matches([',', ' ']);
    start..start + trimmed.len()
}

/// "punkt 4" in the same sentence, close before or after the date.
fn item_near(text: &str, span: &Range<usize>) -> Option<u32> {
    let from = floor_boundary(text, span.start.saturating_sub(40));
    let to = ceil_boundary(text, (span.end + 40).min(text.len()));
    let window = &text[from..to];
    let rel_start = span.start - from;
    let rel_end = span.end - from;
    item_pattern()
        .captures_iter(window)
        .filter(|c| {
            let m = c.get(0).map_or(0..0, |m| m.range());
            // Not across a sentence end.
            let between = if m.end <= rel_start {
                &window[m.end..rel_start]
            } else if m.start >= rel_end {
                &window[rel_end..m.start]
            } else {
                ""
            };
            !between.contains(". ") && !between.contains('\n')
        })
        .find_map(|c| c.get(1)?.as_str().parse().ok())
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digit_is_found_in_any_block_and_only_a_digit() {
        assert!(!has_digit(b""));
        assert!(!has_digit(
            "Sagen drøftes igen på næste møde, før sommer.".as_bytes()
        ));
        for at in [0, 31, 32, 33, 70] {
            let mut text = vec![b'x'; 71];
            text[at] = b'7';
            assert!(has_digit(&text), "a digit at {at}");
        }
        // The bytes next to the digits: '/' and ':'.
        assert!(!has_digit(b"/:/:/:"));
        assert!(has_digit(b"/0:") && has_digit(b"/9:"));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(text: &str) -> Vec<(String, NaiveDate)> {
        find(text, d(2025, 1, 9))
            .into_iter()
            .filter_map(|m| match m.target {
                Target::Date { date, .. } => Some((text[m.span].to_string(), date)),
                Target::PreviousMeeting => None,
            })
            .collect()
    }

    #[test]
    fn danish_long_forms() {
        assert_eq!(
            dates("På DAS-mødet den 4. april 2024 blev situationen drøftet."),
            vec![("4. april 2024".into(), d(2024, 4, 4))]
        );
        assert_eq!(
            dates("d. 17. august 2020 besluttede"),
            vec![("17. august 2020".into(), d(2020, 8, 17))]
        );
        assert_eq!(
            dates("behandlede på mødet den 15. november 2013 sagen"),
            vec![("15. november 2013".into(), d(2013, 11, 15))]
        );
        assert_eq!(
            dates("den 3. okt. 2023"),
            vec![("3. okt. 2023".into(), d(2023, 10, 3))]
        );
        assert_eq!(
            dates("DEN 1. MAJ 2024"),
            vec![("1. MAJ 2024".into(), d(2024, 5, 1))]
        );
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(
            dates("Referat DAS den 04.04.24 (uden bilag)"),
            vec![("04.04.24".into(), d(2024, 4, 4))]
        );
        assert_eq!(
            dates("mødet 4/4-2024."),
            vec![("4/4-2024".into(), d(2024, 4, 4))]
        );
        assert_eq!(
            dates("den 04.04.2024"),
            vec![("04.04.2024".into(), d(2024, 4, 4))]
        );
        assert_eq!(
            dates("(19-10-2020)"),
            vec![("19-10-2020".into(), d(2020, 10, 19))]
        );
        assert_eq!(
            dates("dato 2024-05-27"),
            vec![("2024-05-27".into(), d(2024, 5, 27))]
        );
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            dates("at the meeting of 4 April 2024"),
            vec![("4 April 2024".into(), d(2024, 4, 4))]
        );
    }

    #[test]
    fn impossible_dates_are_no_references() {
        assert!(dates("den 31. februar 2024").is_empty());
        assert!(dates("den 32.01.2024").is_empty());
        assert!(dates("30/2-2024").is_empty());
        assert!(dates("13.13.24").is_empty());
    }

    #[test]
    fn numbers_that_are_not_dates() {
        assert!(dates("sagsnr. 2024-029219").is_empty());
        assert!(dates("§§ 83-87, 97, 98.").is_empty());
        assert!(dates("Nordjysk Socialaftale 2025-2026").is_empty());
        assert!(dates("kl. 12.00 - 16.00").is_empty());
        assert!(dates("version 1.2.3").is_empty());
        assert!(dates("13/16").is_empty());
    }

    #[test]
    fn a_day_without_year_is_read_near_the_meeting() {
        let mentions = find("møde den 11. juni", d(2024, 5, 27));
        let Target::Date { date, alternatives } = &mentions[0].target else {
            panic!()
        };
        assert_eq!(*date, d(2023, 6, 11), "the past comes first");
        assert_eq!(alternatives, &vec![d(2024, 6, 11), d(2025, 6, 11)]);
        let mentions = find("DAS møde d. 17. august", d(2020, 10, 19));
        let Target::Date { date, .. } = &mentions[0].target else {
            panic!()
        };
        assert_eq!(*date, d(2020, 8, 17));
    }

    #[test]
    fn previous_meeting() {
        let m = find("Godkendelse af referat fra seneste møde", d(2024, 5, 27));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].target, Target::PreviousMeeting);
        assert_eq!(
            &"Godkendelse af referat fra seneste møde"[m[0].span.clone()],
            "referat fra seneste møde"
        );
        assert_eq!(find("referatet fra sidste møde", d(2024, 5, 27)).len(), 1);
    }

    #[test]
    fn each_pattern_is_tried_where_it_could_match() {
        let when = d(2024, 5, 27);
        let kinds = |text: &str| -> Vec<bool> {
            find(text, when)
                .iter()
                .map(|m| m.target == Target::PreviousMeeting)
                .collect()
        };
        // "møde" in any case, beside a date or not.
        assert_eq!(kinds("Referat fra SENESTE MØDE"), [true]);
        assert_eq!(
            kinds("Referat fra seneste MØDE den 4. april 2024"),
            [true, false]
        );
        assert_eq!(kinds("Referat fra LAST Meeting, 2 items"), [true]);
        assert_eq!(kinds("Previous MEETING on 4 April 2024"), [true, false]);
        // A date without "møde", and neither.
        assert_eq!(kinds("Drøftet den 4. april 2024"), [false]);
        assert!(kinds("Intet at henvise til her, kun tekst").is_empty());
    }

    #[test]
    fn an_item_named_beside_the_date() {
        let m = find("jf. punkt 4 på mødet den 4. april 2024", d(2025, 1, 9));
        assert_eq!(m[0].item, Some(4));
        let m = find("mødet den 4. april 2024, pkt. 7", d(2025, 1, 9));
        assert_eq!(m[0].item, Some(7));
        let m = find(
            "Se punkt 3. Mødet den 4. april 2024 var kort.",
            d(2025, 1, 9),
        );
        assert_eq!(m[0].item, None, "not across a sentence end");
    }

    #[test]
    fn several_mentions_in_order_without_overlap() {
        let text = "Mødet den 4. april 2024 og mødet 27.05.24 samt referat fra seneste møde.";
        let found = find(text, d(2025, 1, 9));
        let spans: Vec<&str> = found.iter().map(|m| &text[m.span.clone()]).collect();
        assert_eq!(
            spans,
            vec!["4. april 2024", "27.05.24", "referat fra seneste møde"]
        );
    }
}
