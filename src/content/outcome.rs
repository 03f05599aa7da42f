//! The outcomes an item can have: a fact the content may state itself
//! (`udfald` in an item's key block) and `crate::model::outcome` otherwise
//! reads from the decision.

use serde::Serialize;

/// The outcome of an item, as OParl's `result` of an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Approved as recommended.
    Approved,
    /// Approved with changes, additions or reservations, or in part.
    ApprovedAmended,
    /// Taken note of (taget til efterretning).
    Noted,
    /// Discussed without a resolution the text names.
    Discussed,
    /// Postponed, to be taken up again, or sent back.
    Postponed,
    Rejected,
    /// No decision (yet): an agenda, or nothing resolved.
    #[default]
    None,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Approved,
        Outcome::ApprovedAmended,
        Outcome::Noted,
        Outcome::Discussed,
        Outcome::Postponed,
        Outcome::Rejected,
        Outcome::None,
    ];

    /// The name in data and in content files: `approved_amended`.
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::ApprovedAmended => "approved_amended",
            Outcome::Noted => "noted",
            Outcome::Discussed => "discussed",
            Outcome::Postponed => "postponed",
            Outcome::Rejected => "rejected",
            Outcome::None => "none",
        }
    }

    /// The Danish name also accepted in content files: `vedtaget_med_aendringer`.
    pub fn danish(self) -> &'static str {
        match self {
            Outcome::Approved => "vedtaget",
            Outcome::ApprovedAmended => "vedtaget_med_aendringer",
            Outcome::Noted => "taget_til_efterretning",
            Outcome::Discussed => "droeftet",
            Outcome::Postponed => "udsat",
            Outcome::Rejected => "forkastet",
            Outcome::None => "intet",
        }
    }

    /// Reads a value written in a content file, in any case, with spaces,
    /// hyphens or underscores, by its English or Danish name.
    pub fn parse(s: &str) -> Option<Outcome> {
        let folded: String = s
            .trim()
            .to_lowercase()
            .replace(['-', ' '], "_")
            .replace('æ', "ae")
            .replace('ø', "oe")
            .replace('å', "aa");
        Outcome::ALL
            .into_iter()
            .find(|o| o.slug() == folded || o.danish() == folded)
    }
}
