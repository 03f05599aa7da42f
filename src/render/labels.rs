//! Titles and labels the machine-readable outputs share with the pages, made
//! from the theme's strings so that a feed or calendar speaks the site's
//! language.

use super::theme::Strings;
use crate::content::Kind;
use crate::model::{Archive, Item, Meeting};

pub fn kind(strings: &Strings, kind: Kind) -> &str {
    strings.get(match kind {
        Kind::Referat => "kind_referat",
        Kind::Dagsorden => "kind_dagsorden",
    })
}

/// The meeting's own title, or "Referat – DAS Social, 27. maj 2024".
pub fn meeting_title(archive: &Archive, strings: &Strings, m: &Meeting) -> String {
    if let Some(title) = &m.title {
        return title.clone();
    }
    fill(
        strings.get("meeting_title"),
        &[
            ("kind", kind(strings, m.kind)),
            ("body", &archive.body_of(m).name),
            ("date", &strings.date_long(m.date)),
        ],
    )
}

/// "Punkt 4".
pub fn item_label(strings: &Strings, item: &Item) -> String {
    fill(
        strings.get("item_label"),
        &[("number", &item.number.to_string())],
    )
}

/// A theme string with each `{name}` in it replaced by its value, in one
/// pass (pages ask for these labels hundreds of thousands of times, and a
/// `replace` per name searched the string anew each time); a `{name}`
/// without a value is kept as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for XML and HTML (see [`crate::markdown::escape`]).
pub use crate::markdown::escape as escape_xml;

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn places_are_filled_as_replace_fills_them() {
        let values = [("day", "27"), ("month", "maj"), ("year", "2024")];
        for template in [
            "{day}. {month} {year}",
            "{month} {day}, {year}",
            "",
            "no places",
            "{unknown} {day}",
            "{{day}}",
            "{day",
            "}{day}{",
            "æ{month}ø{year}å",
        ] {
            let mut by_replace = template.to_string();
            for (k, v) in values {
                by_replace = by_replace.replace(&format!("{{{k}}}"), v);
            }
            assert_eq!(fill(template, &values), by_replace, "{template}");
        }
    }
}
