//! The third stage: turn the archive into files. Each page gets a small view
//! of the model with every address and label ready; templates only lay out.

pub mod alias;
pub mod calendar;
mod compact;
pub mod data;
pub mod feeds;
pub mod labels;
pub mod opendata;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod text;
pub mod theme;
mod units;
mod views;
pub mod when;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Archive;
use crate::routes;
use pages::Route;
use units::Unit;

use std::time::Instant;
pub use theme::Theme;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path below the output folder, with `/` separators: `das-social/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders every page of the site, in a stable order.
pub fn render(archive: &Archive, theme: &Theme) -> Result<Vec<Page>, Diagnostics> {
    render_only(archive, theme, |_| true)
}

/// Where pages go as soon as they are made (the output folder of a build),
/// so that a large site is never held in memory whole. Any
/// `Fn(&Page) -> Result<(), Diagnostic>` is one.
pub trait Output: Sync {
    fn write(&self, page: &Page) -> Result<(), Diagnostic>;

    /// Whether the output keeps the file at `path` as it holds it already,
    /// made by this program from a source of hash `source`: then its bytes
    /// need not be made (the search index's compressed files, the pages;
    /// see `output::Staging::keep_made_from`). A plain function keeps
    /// nothing.
    fn keep_made_from(&self, _path: &str, _source: u64) -> bool {
        false
    }

    /// Writes a file made from a source of hash `source`.
    fn write_made_from(&self, page: &Page, _source: u64) -> Result<(), Diagnostic> {
        self.write(page)
    }
}

impl<F: Fn(&Page) -> Result<(), Diagnostic> + Sync> Output for F {
    fn write(&self, page: &Page) -> Result<(), Diagnostic> {
        self(page)
    }
}

pub type Sink<'a> = &'a dyn Output;

/// Renders every page of the site into `sink`. The pages returned, in a
/// stable order, keep their paths but not their bytes.
pub fn render_into(archive: &Archive, theme: &Theme, sink: Sink) -> Result<Vec<Page>, Diagnostics> {
    render_with(archive, theme, |_| true, Some(sink), &|| false)
}

/// Hands a page to the sink, if there is one, and keeps only its path.
fn pass(sink: Option<Sink>, page: Page) -> Result<Page, Diagnostics> {
    pass_made_from(sink, page, None)
}

/// [`pass`] of a page made from a source of hash `source`, when known (see
/// [`Output::write_made_from`]).
fn pass_made_from(
    sink: Option<Sink>,
    mut page: Page,
    source: Option<u64>,
) -> Result<Page, Diagnostics> {
    if let Some(sink) = sink {
        match source {
            Some(source) => sink.write_made_from(&page, source)?,
            None => sink.write(&page)?,
        }
        page.bytes = Vec::new();
    }
    Ok(page)
}

/// The path of every file [`render`] makes outside the archive-wide
/// outputs (see [`SITEMAP`]), without rendering anything.
pub fn paths(archive: &Archive, theme: &Theme) -> Vec<String> {
    let mut paths: Vec<String> = units::ALL
        .iter()
        .filter(|u| !u.archive_wide())
        .flat_map(|u| u.paths(archive, theme))
        .collect();
    paths.sort();
    paths
}

/// The site's data file.
pub const DATA_FILE: &str = routes::ARCHIVE_JSON;

/// Planning `SITEMAP` renders every output that covers the whole archive:
/// feeds, calendars, open data files, the search index and the sitemap.
pub const SITEMAP: &str = routes::SITEMAP;

/// True for the outputs made together with the sitemap (see [`SITEMAP`]).
pub fn is_archive_output(path: &str) -> bool {
    routes::is_archive_wide(path)
}

/// Renders the pages whose path `wanted` accepts, in a stable order. The rest
/// of the site is neither rendered nor looked at.
pub fn render_only(
    archive: &Archive,
    theme: &Theme,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Result<Vec<Page>, Diagnostics> {
    render_with(archive, theme, wanted, None, &|| false)
}

/// Like [`render_only`], but no page is begun once `stop` says so (`serve`
/// asks, when a newer edit has come): the pages made are returned, in a
/// stable order, and the others are not made. Never renders the
/// archive-wide outputs (see [`render_archive_wide`]).
pub fn render_until(
    archive: &Archive,
    theme: &Theme,
    wanted: impl Fn(&str) -> bool + Sync,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Page>, Diagnostics> {
    render_with(archive, theme, |p| p != SITEMAP && wanted(p), None, stop)
}

/// The outputs that cover the whole archive (feeds, calendars, open data
/// files and the search index) and the sitemap, which lists every page:
/// with [`render_only`] of every path but [`SITEMAP`], this is the whole
/// site [`render`] makes. `serve` makes them apart, in the background.
///
/// Once `stop` says so, the rest is made in haste, incomplete (the search
/// index of no more meetings, …): `None`, and what was made is thrown away.
pub fn render_archive_wide(
    archive: &Archive,
    theme: &Theme,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<Page>>, Diagnostics> {
    let cx = units::Cx::new(archive, theme, &|_| false, None, stop);
    let search = std::env::var_os("PROTOKOL_NO_SEARCH").is_none();
    let mut pages = Vec::new();
    for unit in units::ALL.iter().filter(|u| u.archive_wide()) {
        if stop() {
            return Ok(None);
        }
        if search || unit.name() != units::SEARCH.name() {
            pages.extend(unit.render(&cx)?);
        }
    }
    if stop() {
        return Ok(None);
    }
    let listed: Vec<Page> = paths(archive, theme)
        .into_iter()
        .map(|path| Page {
            path,
            bytes: Vec::new(),
        })
        .collect();
    pages.extend(sitemap::all(archive, &listed));
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Some(pages))
}

/// The most bytes of meetings' HTML held at once for which the search
/// records, ahead of the pages, leave what they made held for the pages
/// (see [`text::Texts`]): a few thousand meetings of the synthetic archive.
const HOLD_AHEAD: usize = 128 << 20;

fn render_with(
    archive: &Archive,
    theme: &Theme,
    wanted: impl Fn(&str) -> bool + Sync,
    sink: Option<Sink>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Page>, Diagnostics> {
    let timings = crate::timing::enabled();
    let clock = Instant::now();
    let cx = units::Cx::new(archive, theme, &wanted, sink, stop);
    // A whole render makes the outputs that cover the archive too; the
    // search index is made beside the pages, each on the cores it finds.
    let whole = wanted(SITEMAP);
    let search = whole && std::env::var_os("PROTOKOL_NO_SEARCH").is_none();
    if search {
        cx.views.texts.hold_ahead(HOLD_AHEAD);
    }
    let (first, index) = rayon::join(
        || units::PAGES.render(&cx),
        || search.then(|| units::SEARCH.render(&cx)),
    );
    let mut pages = first?;
    for unit in units::REST {
        // Asked to stop, no unit is begun either.
        if (unit.archive_wide() && !whole) || stop() {
            continue;
        }
        pages.extend(unit.render(&cx)?);
        if timings {
            crate::timing::lap_since(unit.name(), clock);
        }
    }
    if let Some(index) = index {
        pages.extend(index?);
    }
    if timings {
        let (len, cap) = cx.views.texts.held();
        let (most, made) = cx.views.texts.most_held_and_made();
        eprintln!(
            "timing:   meeting HTML held: {} MB ({} MB allocated; at most {} MB at once), made {made} times for {} meetings",
            len / 1_000_000,
            cap / 1_000_000,
            most / 1_000_000,
            archive.meetings.len()
        );
    }
    // The sitemap lists the pages the others made.
    if whole {
        for page in sitemap::all(archive, &pages) {
            pages.push(pass(sink, page)?);
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

/// The explanation on the data page: the theme's `pages/data.LANG.md` with
/// the site's address filled in, rendered like meeting text.
fn data_page_html(archive: &Archive, theme: &Theme) -> String {
    let markdown = theme.page(&format!("data.{}.md", archive.site.language));
    let markdown = markdown
        .replace("{base_url}", archive.site.base.as_str())
        .replace("{site_title}", &archive.site.title);
    crate::markdown::to_html(&markdown, &crate::markdown::Context::new("data", 2))
}

fn head_scope(route: Route) -> views::HeadScope {
    use views::HeadScope;
    match route {
        Route::Body(i) => HeadScope::Body(i),
        Route::Topic(i) | Route::TopicYear(i, _) => HeadScope::Topic(i),
        Route::Case(i) => HeadScope::Case(i),
        Route::Meeting(i) => HeadScope::Meeting(i),
        Route::Item(m, _) => HeadScope::Item(m),
        _ => HeadScope::Site,
    }
}

/// The view of the page a route names.
fn context<'a>(route: Route, c: &'a views::Common, data_html: &'a str) -> views::Context<'a> {
    match route {
        Route::Item(m, e) => c.item_page(m, e),
        Route::Search => c.search(),
        Route::Data => c.data_page(data_html),
        Route::Home => c.home(),
        Route::Topics => c.topics(),
        Route::Cases => c.cases(),
        Route::CasesYear(y) => c.cases_year(y),
        Route::NotFound => c.not_found(),
        Route::Year(i) => c.year(i),
        Route::Body(i) => c.body(i),
        Route::Topic(i) => c.topic(i),
        Route::TopicYear(i, year) => c.topic_year(i, year),
        Route::Case(i) => c.case(i),
        Route::FollowUps(i) => c.follow_ups(i),
        Route::Meeting(i) => c.meeting(i),
    }
}
