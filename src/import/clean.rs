//! Normalising the extracted text: line splitting, whitespace, noise lines
//! and joining words hyphenated across a line break.

use regex::Regex;
use std::sync::LazyLock;

/// One physical line of the source, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: usize,
    /// The text without leading and trailing whitespace; inner runs of
    /// spaces are collapsed, tabs are kept (they separate table cells).
    pub text: String,
    /// Number of leading whitespace characters in the source.
    pub indent: usize,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits the text into lines. Windows and old Mac line endings and form
/// feeds (page breaks) all end a line; non-breaking and other odd spaces
/// become plain spaces; soft hyphens and zero-width characters are removed.
pub fn split_lines(text: &str) -> Vec<Line> {
    let text = strip_glued_page_numbers(text);
    let text = text.replace("\r\n", "\n").replace(['\r', '\u{000C}'], "\n");
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let mut s = String::with_capacity(raw.len());
            for c in raw.chars() {
                match c {
                    '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => {
                        s.push(' ')
                    }
                    '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
                    _ => s.push(c),
                }
            }
            let indent = s.chars().take_while(|c| c.is_whitespace()).count();
            Line {
                no: i + 1,
                text: collapse_spaces(s.trim()),
                indent,
            }
        })
        .collect()
}

/// Removes the page number glued to the first line of a page ("3Godkendelse
/// af …" at the top of page 3, after a form feed).
fn strip_glued_page_numbers(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{000C}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (k, page) in text.split('\u{000C}').enumerate() {
        if k > 0 {
            out.push('\u{000C}');
        }
        let number = (k + 1).to_string();
        let lead = page.len() - page.trim_start().len();
        let rest = &page[lead..];
        let glued = k > 0
            && rest
                .strip_prefix(number.as_str())
                .is_some_and(|after| after.starts_with(char::is_uppercase));
        if glued {
            out.push_str(&page[..lead]);
            out.push_str(&rest[number.len()..]);
        } else {
            out.push_str(page);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Collapses runs of spaces into one space; tabs are kept as they are.
pub fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in s.chars() {
        if c == ' ' {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    out
}

/// Collapses all whitespace, tabs included, into single spaces.
pub fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(side\s+)?\d{1,4}\s*(/|af)\s*\d{1,4}|side\s+\d{1,4}|-\s*\d{1,4}\s*-)$")
        .unwrap()
});

static TEMPLATE_RESIDUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:click (or tap )?here to enter (a )?(text|date)\.?|klik (eller tryk )?her for at (angive|skrive) (tekst|en dato)\.?)$",
    )
    .unwrap()
});

static WEB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:til toppen|tilbage til toppen|til top|udskriv|print|fold alle ud|fold alle ind|luk alle punkter|åbn alle punkter|vis alle punkter|skjul alle punkter|fold dette punkt (?:ind|ud)|læs mere|vis mere|skjul)$",
    )
    .unwrap()
});
static WEB_LABEL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:fold dette punkt (?:ind|ud)|luk alle punkter|åbn alle punkter|fold alle ud|fold alle ind)\s+(\S.*)$",
    )
    .unwrap()
});

/// A label of a web page's controls ("Til toppen", "Udskriv", "Fold alle
/// ud") on a line of its own.
pub fn is_web_label(text: &str) -> bool {
    WEB_LABEL.is_match(text)
}

/// Removes the labels of a web page's controls: a line that is only a label
/// becomes blank, a label before a heading ("fold dette punkt ind Resume")
/// is cut off. Returns how many lines changed.
pub fn strip_web_labels(lines: &mut [Line]) -> usize {
    let mut changed = 0;
    for l in lines.iter_mut() {
        if is_web_label(&l.text) {
            l.text.clear();
            changed += 1;
        } else if let Some(c) = WEB_LABEL_PREFIX.captures(&l.text) {
            l.text = c[1].to_string();
            changed += 1;
        }
    }
    changed
}

/// A page footer or page number such as `13/16`, `Side 3 af 7` or `- 4 -`.
pub fn is_page_number(text: &str) -> bool {
    PAGE_NUMBER.is_match(text)
}

/// Text left over from a document template, e.g. "Click here to enter text.".
pub fn is_template_residue(text: &str) -> bool {
    TEMPLATE_RESIDUE.is_match(text)
}

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\w.+-]+@[\w-]+\.[\w.]+|\b(tlf|telefon|fax|www)\b|\b\d{4} ?\d{4}\b|\b\d{2} \d{2} \d{2} \d{2}\b")
        .unwrap()
});

/// A letterhead line: contact details (e-mail, phone, web) of the sender.
pub fn is_contact_line(text: &str) -> bool {
    CONTACT.is_match(text)
}

/// Does the text end a sentence (so that the next line starts a new one)?
pub fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '\'', ')', ' ']);
    t.ends_with(['.', '!', '?', ':', ';'])
}

/// Is the character a lowercase letter?
pub fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

/// Joins two physical lines of the same paragraph: a word hyphenated across
/// the break is joined ("regi-" + "onale" → "regionale") when the left part
/// ends in lowercase letters and the right part starts lowercase; the hyphen
/// is kept for compounds with an abbreviation or a capitalised or numeric
/// right part ("DUT-" + "forhandling", "Bruun-" + "Schmidt", "2022-" + "2023"),
/// and a suspended compound before a conjunction keeps its space
/// ("social-" + "og" → "social- og").
pub fn join_lines(left: &str, right: &str) -> String {
    let left = left.trim_end();
    let right = right.trim_start();
    if left.is_empty() {
        return right.to_string();
    }
    if right.is_empty() {
        return left.to_string();
    }
    if let Some(stem) = left.strip_suffix('-') {
        let word: String = stem
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let last = word.chars().last();
        if let Some(last) = last {
            if last.is_ascii_digit() && right.starts_with(|c: char| c.is_ascii_digit()) {
                return format!("{left}{right}");
            }
            if last.is_alphabetic() {
                let next_word: String = right.chars().take_while(|c| c.is_alphanumeric()).collect();
                if matches!(
                    next_word.as_str(),
                    "og" | "eller" | "samt" | "til" | "and" | "or" | "som"
                ) && next_word.len() < right.len() + 1
                    && right[next_word.len()..].starts_with([' ', ','])
                {
                    return format!("{left} {right}");
                }
                let first = right.chars().next().unwrap();
                let abbreviation = word
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase());
                if is_lower(last) && is_lower(first) && !abbreviation {
                    return format!("{stem}{right}");
                }
                return format!("{left}{right}");
            }
        }
    }
    format!("{left} {right}")
}

/// The first word of a line (up to the first whitespace).
pub fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

/// Does the line end in a word hyphenated across the line break?
pub fn ends_hyphenated(text: &str) -> bool {
    let mut rev = text.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_all_line_endings_and_page_breaks() {
        let lines = split_lines("a\r\nb\rc\u{000C}d\n  e\u{00A0} f  ");
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "d", "e f"]);
        assert_eq!(lines[4].indent, 2);
        assert_eq!(lines[4].no, 5);
    }

    #[test]
    fn collapses_spaces_keeps_tabs() {
        assert_eq!(
            collapse_spaces("Overenskomst  for\talmen"),
            "Overenskomst for\talmen"
        );
    }

    #[test]
    fn dehyphenates_lowercase_words() {
        assert_eq!(
            join_lines("de kommunale og regi-", "onale indmeldinger"),
            "de kommunale og regionale indmeldinger"
        );
        assert_eq!(
            join_lines("af indmeldin-", " gerne og"),
            "af indmeldingerne og"
        );
        assert_eq!(join_lines("Tho-", "mas Gajhede"), "Thomas Gajhede");
    }

    #[test]
    fn keeps_real_hyphens() {
        assert_eq!(
            join_lines("genåbnet en DUT-", "forhandling"),
            "genåbnet en DUT-forhandling"
        );
        assert_eq!(join_lines("en VUM-", "temadag"), "en VUM-temadag");
        assert_eq!(
            join_lines("Britta Bruun-", "Schmidt"),
            "Britta Bruun-Schmidt"
        );
        assert_eq!(
            join_lines("i perioden 2022-", "2023"),
            "i perioden 2022-2023"
        );
        assert_eq!(
            join_lines(
                "det specialiserede social-",
                "og specialundervisningsområde"
            ),
            "det specialiserede social- og specialundervisningsområde"
        );
        assert_eq!(join_lines("udviklingen –", "og"), "udviklingen – og");
    }

    #[test]
    fn recognises_noise() {
        assert!(is_page_number("13/16"));
        assert!(is_page_number("Side 3 af 7"));
        assert!(!is_page_number("2024-029219"));
        assert!(is_template_residue("Click here to enter text."));
        assert!(is_contact_line("9000 Aalborg aalborg@aalborg.dk"));
        assert!(is_contact_line(
            "Sekretariatet for Rammeaftaler Boulevarden 13 9931 3131"
        ));
        assert!(!is_contact_line(
            "Godkendelse af referat fra mødet den 17. august 2020"
        ));
    }

    #[test]
    fn glued_page_numbers_are_removed() {
        let lines = split_lines("1. Sag\nTekst\u{000C}2Fortsat tekst\u{000C}3 Punkt\n");
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["1. Sag", "Tekst", "Fortsat tekst", "3 Punkt", ""]);
    }

    #[test]
    fn web_labels_are_removed() {
        let mut lines = split_lines(
            "Til toppen\n    fold dette punkt ind Resume\nUdskriv\nTil toppen af siden her\n",
        );
        assert_eq!(strip_web_labels(&mut lines), 3);
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["", "Resume", "", "Til toppen af siden her", ""]);
    }
}
