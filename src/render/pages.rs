//! The pages of the archive: one [`Route`] per page, its folder and file
//! (from `crate::routes`) and the template that lays it out. The list a
//! build renders, and the answer to which page made a file ([`by_file`]), for
//! `check` and for planning what a change touches.

use crate::model::Archive;
use crate::routes;

/// A page of the site: what made it, and so its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    Topics,
    /// The index of cases, `/sager/`.
    Cases,
    /// The cases that first came up in a year, `/sager/aar-2024/`.
    CasesYear(i32),
    NotFound,
    Year(usize),
    Body(usize),
    Topic(usize),
    /// A large topic's items of one year, `/emner/rammeaftale/2024/` (see
    /// [`topic_years`]).
    TopicYear(usize, i32),
    Case(usize),
    /// A body's open promises to return.
    FollowUps(usize),
    Meeting(usize),
    /// A meeting's index and the item's index in its entries.
    Item(usize, usize),
    Search,
    Data,
}

impl Route {
    /// Every page of the archive, in a stable order.
    pub fn all(archive: &Archive) -> Vec<Route> {
        let mut all = vec![Route::Home, Route::Topics, Route::Cases, Route::NotFound];
        all.extend((0..archive.years.len()).map(Route::Year));
        all.extend((0..archive.bodies.len()).map(Route::Body));
        all.extend((0..archive.topics.len()).map(Route::Topic));
        for t in 0..archive.topics.len() {
            all.extend(
                topic_years(archive, t)
                    .into_iter()
                    .map(|(year, _)| Route::TopicYear(t, year)),
            );
        }
        all.extend(
            archive
                .case_years()
                .iter()
                .map(|(y, _)| Route::CasesYear(*y)),
        );
        all.extend((0..archive.cases.len()).map(Route::Case));
        all.extend((0..archive.bodies.len()).map(Route::FollowUps));
        // Each meeting followed by its item pages, which repeat its text:
        // made one after the other, they share what is in the caches.
        for (mi, m) in archive.meetings.iter().enumerate() {
            all.push(Route::Meeting(mi));
            for (ei, e) in m.entries.iter().enumerate() {
                if e.item().is_some() {
                    all.push(Route::Item(mi, ei));
                }
            }
        }
        all.extend([Route::Search, Route::Data]);
        all
    }

    /// The page's folder; the file for [`Route::NotFound`].
    pub fn page(self, archive: &Archive) -> String {
        match self {
            Route::Home => routes::HOME.into(),
            Route::Topics => routes::TOPICS.into(),
            Route::Cases => routes::CASES.into(),
            Route::CasesYear(y) => routes::cases_year(y),
            Route::NotFound => routes::NOT_FOUND_FILE.into(),
            Route::Year(i) => routes::year(archive.years[i].year),
            Route::Body(i) => routes::body(&archive.bodies[i].slug),
            Route::Topic(i) => routes::topic(&archive.topics[i].slug),
            Route::TopicYear(i, year) => routes::topic_year(&archive.topics[i].slug, year),
            Route::Case(i) => routes::case(&archive.cases[i].slug),
            Route::FollowUps(i) => routes::follow_ups(&archive.bodies[i].slug),
            Route::Meeting(i) => routes::meeting(&archive.meetings[i].id),
            Route::Item(m, e) => {
                let meeting = &archive.meetings[m];
                routes::item_page(&meeting.id, meeting.entries[e].number())
            }
            Route::Search => routes::SEARCH.into(),
            Route::Data => routes::DATA.into(),
        }
    }

    /// The file written for the page.
    pub fn file(self, archive: &Archive) -> String {
        match self {
            Route::NotFound => routes::NOT_FOUND_FILE.into(),
            other => routes::file(&other.page(archive)),
        }
    }

    /// The theme's template that lays the page out.
    pub fn template(self) -> &'static str {
        match self {
            Route::Home => "index.html",
            Route::Topics => "topics.html",
            Route::Cases => "cases.html",
            Route::CasesYear(_) => "cases-year.html",
            Route::NotFound => "404.html",
            Route::Year(_) => "year.html",
            Route::Body(_) => "body.html",
            Route::Topic(_) => "topic.html",
            Route::TopicYear(..) => "topic-year.html",
            Route::Case(_) => "case.html",
            Route::FollowUps(_) => "follow-ups.html",
            Route::Meeting(_) => "meeting.html",
            Route::Item(..) => "item.html",
            Route::Search => "search.html",
            Route::Data => "data.html",
        }
    }

    /// The meeting whose content the page shows, if it is a meeting's page
    /// or an item's.
    pub fn meeting(self) -> Option<usize> {
        match self {
            Route::Meeting(i) | Route::Item(i, _) => Some(i),
            _ => None,
        }
    }
}

/// The most items a topic's page lists itself. A larger topic's page shows
/// its timeline and links a page per year that lists that year's items: at
/// 10,000 meetings a topic named in every tenth item made a page of 39 MB.
pub const TOPIC_PAGE_ITEMS: usize = 200;

/// The years of a topic's items with their number, oldest first, when the
/// topic has more than [`TOPIC_PAGE_ITEMS`] items; else none (its page
/// lists them all).
pub fn topic_years(archive: &Archive, topic: usize) -> Vec<(i32, usize)> {
    let items = &archive.topics[topic].items;
    if items.len() <= TOPIC_PAGE_ITEMS {
        return Vec::new();
    }
    let mut years = std::collections::BTreeMap::new();
    for r in items {
        let year = chrono::Datelike::year(&archive.meetings[r.meeting].date);
        *years.entry(year).or_insert(0) += 1;
    }
    years.into_iter().collect()
}

/// The page that makes each file of the site that a page makes, by the
/// file's path.
pub fn by_file(archive: &Archive) -> std::collections::HashMap<String, Route> {
    Route::all(archive)
        .into_iter()
        .map(|r| (r.file(archive), r))
        .collect()
}

/// The addresses of the archive's parts, as `crate::routes` makes them.
pub trait Address {
    /// The folder of its page: `das-social/`.
    fn page(&self) -> String;
}

impl Address for crate::model::Meeting {
    fn page(&self) -> String {
        routes::meeting(&self.id)
    }
}

impl Address for crate::model::Body {
    fn page(&self) -> String {
        routes::body(&self.slug)
    }
}

impl Address for crate::model::Topic {
    fn page(&self) -> String {
        routes::topic(&self.slug)
    }
}

impl Address for crate::model::Year {
    fn page(&self) -> String {
        routes::year(self.year)
    }
}

impl Address for crate::model::Case {
    fn page(&self) -> String {
        routes::case(&self.slug)
    }
}

/// The anchors of an item on its meeting's page.
pub trait Anchors {
    /// `punkt-4`
    fn anchor(&self) -> String;
    /// `punkt-4-beslutning`, when it has a decision.
    fn decision_anchor(&self) -> Option<String>;
    /// `punkt-4-sagsfremstilling`
    fn section_anchor(&self, kind: crate::content::SectionKind) -> String;
}

impl Anchors for crate::model::Item {
    fn anchor(&self) -> String {
        routes::item_anchor(self.number)
    }

    fn decision_anchor(&self) -> Option<String> {
        self.has_decision()
            .then(|| routes::decision_anchor(self.number))
    }

    fn section_anchor(&self, kind: crate::content::SectionKind) -> String {
        routes::section_anchor(self.number, kind)
    }
}

/// Site-relative paths made into addresses with the site's base URL.
pub trait Urls {
    /// As used in links: `/arkiv/x/`.
    fn url(&self, path: &str) -> String;
    /// Absolute: `https://x.dk/arkiv/x/`.
    fn permalink(&self, path: &str) -> String;
}

impl Urls for Archive {
    fn url(&self, path: &str) -> String {
        self.site.base.url(path)
    }

    fn permalink(&self, path: &str) -> String {
        self.site.base.permalink(path)
    }
}
