//! Recognising the layout of a document from its text.

use super::clean::Line;
use regex::Regex;
use std::sync::LazyLock;

/// The document families the importer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A letter-style document (DAS Social 2014): letterhead, a header block
    /// of labels (Møde, Tid, Sted, Deltagere, Afbud, Referent, Sagsnr.),
    /// items as `N. Title`, page footers like `13/16`, bullet glyphs lost
    /// in extraction (a bullet shows only as a leading space).
    Letter,
    /// An agenda exported from a web system (DAS Social 2020): the header
    /// is a tab table whose agenda lists are HTML, paragraphs are single long
    /// lines, items as `N. Title`, HTML in tables.
    Web,
    /// A document from a meeting system that starts every item on a page
    /// with the header `Mødet den DD.MM.YYYY`, `DAS Social`, `Åben`,
    /// `Punkt N.` (DAS Social 2024–2025); the case number follows the title.
    Punkt,
}

pub static PUNKT_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:punkt)\s+(\d{1,3})\s*\.?$").unwrap());

static HTML_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<(ol|ul|p)\b[^>]*>").unwrap());

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:møde|tid|sted|deltagere|afbud|referent|sagsnr)\b").unwrap());

/// Recognises the layout from the text itself.
pub fn detect(lines: &[Line]) -> Layout {
    let punkt = lines
        .iter()
        .filter(|l| PUNKT_HEADER.is_match(&l.text))
        .count();
    if punkt > 0 {
        return Layout::Punkt;
    }
    let html = lines.iter().filter(|l| HTML_LIST.is_match(&l.text)).count();
    let long = lines
        .iter()
        .filter(|l| l.text.chars().count() > 300)
        .count();
    let tab_labels = lines
        .iter()
        .filter(|l| l.text.contains('\t') && LABEL.is_match(&l.text))
        .count();
    if html > 0 || (long > 3 && tab_labels > 0) {
        return Layout::Web;
    }
    Layout::Letter
}

/// Estimates the column width the text was wrapped at, or `None` when the
/// paragraphs are not hard-wrapped (each paragraph is one long line).
pub fn wrap_width(lines: &[Line]) -> Option<usize> {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| !l.is_blank() && !l.text.contains('\t'))
        .map(|l| l.text.chars().count())
        .collect();
    if lens.len() < 10 {
        return None;
    }
    lens.sort_unstable();
    let p90 = lens[lens.len() * 9 / 10];
    // Hard-wrapped text has many lines near the width; consecutive
    // non-blank lines must be common.
    let consecutive = lines
        .windows(2)
        .filter(|w| !w[0].is_blank() && !w[1].is_blank() && !w[0].text.contains('\t'))
        .count();
    if p90 > 200 || consecutive * 5 < lens.len() {
        return None;
    }
    // Take the width most wrapped lines reach.
    let near: Vec<usize> = lens
        .iter()
        .copied()
        .filter(|&n| n * 10 >= p90 * 7)
        .collect();
    Some(near[near.len() * 3 / 4].max(20))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::split_lines;

    #[test]
    fn punkt_layout() {
        let l = split_lines(
            "Mødet den 27.05.2024 DAS Social\n\nÅben\n\nPunkt 1.\n\nGodkendelse af dagsorden\n",
        );
        assert_eq!(detect(&l), Layout::Punkt);
    }

    #[test]
    fn web_layout() {
        let l = split_lines("Dagsorden\n\nMøde\tDen Administrative Styregruppe\nVelkomst\t<ol style=\"list-style-type: none\">1. Godkendelse af dagsorden\n");
        assert_eq!(detect(&l), Layout::Web);
    }

    #[test]
    fn letter_layout() {
        let l = split_lines("Møde Den Administrative Styregruppe\nTid 6. marts 2014, kl. 13.00-15.00\n\n1. Godkendelse af dagsorden\n");
        assert_eq!(detect(&l), Layout::Letter);
    }

    #[test]
    fn width_of_wrapped_text() {
        let para = "ord ".repeat(200);
        let mut text = String::new();
        for chunk in para.as_bytes().chunks(60) {
            text.push_str(std::str::from_utf8(chunk).unwrap().trim());
            text.push('\n');
        }
        let w = wrap_width(&split_lines(&text)).unwrap();
        assert!((55..=60).contains(&w), "{w}");
        let long = format!("{}\n\n{}\n", "a ".repeat(400), "b ".repeat(400));
        assert_eq!(wrap_width(&split_lines(&long)), None);
    }
}
