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
    strings
        .get("meeting_title")
        .replace("{kind}", kind(strings, m.kind))
        .replace("{body}", &archive.body_of(m).name)
        .replace("{date}", &strings.date_long(m.date))
}

/// "Punkt 4".
pub fn item_label(strings: &Strings, item: &Item) -> String {
    strings
        .get("item_label")
        .replace("{number}", &item.number.to_string())
}

/// Escapes text for XML and HTML (see [`crate::markdown::escape`]).
pub use crate::markdown::escape as escape_xml;
