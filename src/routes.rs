//! Every address of the site, in one place: the path of each page and file
//! below the output folder, the anchors inside pages, and the URLs made
//! from them with the site's [`BaseUrl`]. Render asks here for every link
//! it makes, and `render::pages` lists the archive's pages with these
//! paths, which answers which page and template made a file. No other
//! module spells a path of the site. It reads only names and numbers, so
//! every stage may ask it.
//!
//! Paths are site-relative and use `/`. A page's path is its folder, ending
//! in `/` (`das-social/2024-05-27-referat/`; the home page is `""`); the
//! file written for it is [`file()`] of that (`…/index.html`).

use crate::content::SectionKind;

pub use crate::config::BaseUrl;

// Pages of the whole site.

pub const HOME: &str = "";
pub const TOPICS: &str = "emner/";
pub const SEARCH: &str = "soeg/";
pub const DATA: &str = "data/";
pub const CASES: &str = "sager/";
pub const NOT_FOUND_FILE: &str = "404.html";

/// The file written for a page: `das-social/index.html`.
pub fn file(page: &str) -> String {
    format!("{page}index.html")
}

/// The page a file is written for, when it is a page's `index.html`.
pub fn page_of_file(file: &str) -> Option<&str> {
    if file == "index.html" {
        return Some("");
    }
    file.strip_suffix("index.html").filter(|p| p.ends_with('/'))
}

/// `das-social/`
pub fn body(slug: &str) -> String {
    format!("{slug}/")
}

/// `emner/socialtilsyn-nord/`
pub fn topic(slug: &str) -> String {
    format!("{TOPICS}{slug}/")
}

/// `emner/rammeaftale/2024/`: a large topic's items of one year.
pub fn topic_year(slug: &str, year: i32) -> String {
    format!("{TOPICS}{slug}/{year}/")
}

/// `2024/`
pub fn year(year: i32) -> String {
    format!("{year}/")
}

/// `das-social/2024-05-27-referat/`, from the meeting's key.
pub fn meeting(id: &str) -> String {
    format!("{id}/")
}

const ITEM_ANCHOR: &str = "punkt-";

/// `punkt-4`: an item on its meeting's page.
pub fn item_anchor(number: u32) -> String {
    format!("{ITEM_ANCHOR}{number}")
}

/// `punkt-4-beslutning`: a section of an item.
pub fn section_anchor(number: u32, kind: SectionKind) -> String {
    format!("punkt-{number}-{}", kind.slug())
}

/// `punkt-4-beslutning`: an item's decision.
pub fn decision_anchor(number: u32) -> String {
    section_anchor(number, SectionKind::Decision)
}

/// The prefix of the ids in a meeting's own introduction.
pub const MEETING_INTRO_ANCHOR: &str = "moede";
/// The front page's list of bodies, which the main menu of an archive of
/// many bodies links to.
pub const BODIES_ANCHOR: &str = "udvalg";

/// `das-social/2024-05-27-referat/punkt-4/`: the page of one item.
pub fn item_page(meeting_id: &str, number: u32) -> String {
    format!("{meeting_id}/{}/", item_anchor(number))
}

/// The number of an item page's address within its meeting's folder:
/// `punkt-3/` → 3.
pub fn item_page_number(rest: &str) -> Option<u32> {
    rest.strip_suffix('/')?.strip_prefix("punkt-")?.parse().ok()
}

/// `sager/2024-029219/`: the page of a case.
pub fn case(slug: &str) -> String {
    format!("{CASES}{slug}/")
}

/// `sager/aar-2024/`: the cases that first came up in a year. A case whose
/// number would make such a slug gets another (see [`is_cases_year_slug`]).
pub fn cases_year(year: i32) -> String {
    format!("{CASES}aar-{year}/")
}

/// Whether a slug below `sager/` is a year's (`aar-2024`), which no case
/// may take.
pub fn is_cases_year_slug(slug: &str) -> bool {
    slug.strip_prefix("aar-")
        .is_some_and(|y| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()))
}

/// `das-social/opfoelgning/`: a body's open promises to return.
pub fn follow_ups(body_slug: &str) -> String {
    format!("{body_slug}/opfoelgning/")
}

/// `das-social/2024-05-27-referat/` of `das-social/2024-05-27-referat/punkt-4/`.
pub fn item_page_meeting(page: &str) -> Option<&str> {
    let rest = page.strip_suffix('/')?;
    let (meeting, last) = rest.rsplit_once('/')?;
    item_page_number(&format!("{last}/"))?;
    Some(&page[..meeting.len() + 1])
}

/// The item number of `…/#punkt-4`, `…/#punkt-4-beslutning` or `…/punkt-4/`.
pub fn item_number(address: &str) -> Option<u32> {
    let tail = match address.split_once('#') {
        Some((_, f)) => f,
        None => address.trim_end_matches('/').rsplit('/').next()?,
    };
    let digits = tail.strip_prefix(ITEM_ANCHOR)?;
    let end = digits.find('-').unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// Two meeting addresses that share their body, or their date and kind:
/// likely the same meeting with one fact corrected.
pub fn same_meeting(a: &str, b: &str) -> bool {
    let parts = |p: &str| -> Option<(String, String)> {
        let (body, rest) = p.trim_end_matches('/').split_once('/')?;
        Some((body.to_string(), rest.to_string()))
    };
    match (parts(a), parts(b)) {
        (Some((ba, ra)), Some((bb, rb))) => ba == bb || ra == rb,
        _ => false,
    }
}

// Files.

/// A file of the theme's assets: `static/style.css`.
pub fn asset(name: &str) -> String {
    format!("{ASSETS}{name}")
}
pub const ASSETS: &str = "static/";
pub const STYLESHEET: &str = "static/style.css";
pub const COPY_LINK_SCRIPT: &str = "static/copy-link.js";
pub const SEARCH_SCRIPT: &str = "static/search.js";

/// The search index's folder.
pub const SEARCH_INDEX: &str = "pagefind/";

/// The archive's data: an index of its parts.
pub const ARCHIVE_JSON: &str = "data/archive.json";
/// The folder of the data's parts, one per body and year.
pub const ARCHIVE_PARTS: &str = "data/archive/";
/// `data/archive/das-social/2024.json`
pub fn archive_part(body: &str, year: i32) -> String {
    format!("{ARCHIVE_PARTS}{body}/{year}.json")
}
pub const DECISIONS_CSV: &str = "data/beslutninger.csv";
/// The folder of the decisions CSV's parts, one per year.
pub const DECISIONS_PARTS: &str = "data/beslutninger/";
/// `data/beslutninger/2024.csv`
pub fn decisions_part(year: i32) -> String {
    format!("{DECISIONS_PARTS}{year}.csv")
}
pub const ARCHIVE_SCHEMA: &str = "data/archive.schema.json";
pub const MEETING_SCHEMA: &str = "data/meeting.schema.json";

/// `das-social/2024-05-27-referat/meeting.json`
pub fn meeting_json(meeting_id: &str) -> String {
    format!("{meeting_id}/{MEETING_JSON}")
}
pub const MEETING_JSON: &str = "meeting.json";

/// What a feed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Meetings,
    Decisions,
    /// A case's items, each as it comes up.
    Steps,
}

/// `das-social/moeder.atom`, `emner/x/beslutninger.atom`: a feed of new
/// meetings or of new decisions beside the page of what it follows;
/// `sager/2024-029219/forloeb.atom`: a case's steps.
pub fn feed(page: &str, kind: FeedKind) -> String {
    let file = match kind {
        FeedKind::Meetings => "moeder.atom",
        FeedKind::Decisions => "beslutninger.atom",
        FeedKind::Steps => "forloeb.atom",
    };
    format!("{page}{file}")
}

/// `das-social/moeder.ics`: a body's meetings as a calendar.
pub fn calendar(body_slug: &str) -> String {
    format!("{body_slug}/moeder.ics")
}

pub const SITEMAP: &str = "sitemap.xml";
/// `sitemap-2.xml`: a part of a long sitemap.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}
pub const ROBOTS: &str = "robots.txt";

/// The file an alias is written to: `gammel/index.html`, or the file itself.
pub fn alias_file(alias: &str) -> String {
    if alias.ends_with('/') {
        file(alias)
    } else {
        alias.to_string()
    }
}

/// True for the outputs that cover the whole archive (feeds, calendars,
/// the decisions CSV and the schemas, the search index and the sitemap),
/// which a page of one meeting never needs at once. A meeting's
/// `meeting.json` is made with its page.
pub fn is_archive_wide(path: &str) -> bool {
    path.ends_with(".atom")
        || path.ends_with(".ics")
        || path.starts_with(SEARCH_INDEX)
        || path.starts_with("sitemap")
        || path == ROBOTS
        || (path.starts_with(DATA)
            && path != ARCHIVE_JSON
            && path != file(DATA)
            && !path.starts_with(ARCHIVE_PARTS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_own_folders_are_reserved() {
        for page in [TOPICS, SEARCH, DATA, CASES, ASSETS, SEARCH_INDEX] {
            let folder = page.trim_end_matches('/');
            assert!(
                crate::content::data::RESERVED_SLUGS.contains(&folder),
                "{folder} is not reserved"
            );
        }
    }

    #[test]
    fn year_slugs_of_cases_are_told_apart() {
        assert!(is_cases_year_slug("aar-2024"));
        assert!(!is_cases_year_slug("aar-"));
        assert!(!is_cases_year_slug("2024-029219"));
        assert!(!is_cases_year_slug("aar-2024-1"));
        assert_eq!(cases_year(2024), "sager/aar-2024/");
        assert!(is_cases_year_slug(
            cases_year(2024)
                .trim_start_matches(CASES)
                .trim_end_matches('/')
        ));
    }

    #[test]
    fn item_numbers_and_pages() {
        assert_eq!(item_number("x/2024-05-27-referat/#punkt-4"), Some(4));
        assert_eq!(
            item_number("x/2024-05-27-referat/#punkt-12-beslutning"),
            Some(12)
        );
        assert_eq!(item_number("x/2024-05-27-referat/punkt-3/"), Some(3));
        assert_eq!(item_number("x/2024-05-27-referat/"), None);
        assert_eq!(
            item_page_meeting("x/2024-05-27-referat/punkt-3/"),
            Some("x/2024-05-27-referat/")
        );
        assert_eq!(item_page_meeting("x/2024-05-27-referat/"), None);
    }

    #[test]
    fn files_and_pages() {
        assert_eq!(file(""), "index.html");
        assert_eq!(file("emner/"), "emner/index.html");
        assert_eq!(page_of_file("index.html"), Some(""));
        assert_eq!(page_of_file("emner/index.html"), Some("emner/"));
        assert_eq!(page_of_file("404.html"), None);
        assert_eq!(alias_file("gammel/"), "gammel/index.html");
        assert_eq!(alias_file("gammel.html"), "gammel.html");
        assert_eq!(item_page_number("punkt-3/"), Some(3));
        assert_eq!(item_page_number("punkt-x/"), None);
        assert_eq!(decision_anchor(4), "punkt-4-beslutning");
    }
}
