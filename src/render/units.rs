//! The outputs of the site, each a unit behind [`Unit`]: the pages, the
//! theme's assets, the redirect pages, the archive's data, the feeds, the
//! calendars, the open data and the search index. A render is a loop over
//! [`ALL`]; the sitemap, which lists what the others made, comes last.

use super::{
    alias, calendar, data, feeds, opendata, pass, pass_made_from, search, theme, views, Page, Sink,
    Theme,
};
use super::{context, head_scope, pages::Route};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Archive;
use crate::routes;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// What every unit renders with.
pub struct Cx<'a> {
    pub archive: &'a Archive,
    pub theme: &'a Theme,
    pub views: views::Common<'a>,
    /// The theme's templates, with the globals of [`views::Common::templates`].
    pub tera: tera::Tera,
    /// The data page's explanation, as HTML.
    pub data_html: String,
    /// The paths to make; the rest is neither made nor looked at.
    pub wanted: &'a (dyn Fn(&str) -> bool + Sync),
    /// Where each file goes as soon as it is made.
    pub sink: Option<Sink<'a>>,
    /// Asked before each page: when it says so, no more pages are begun.
    pub stop: &'a (dyn Fn() -> bool + Sync),
    /// What every page is made of besides its view and template: the
    /// theme and the templates' globals (see [`render_page`]).
    pub layout: u64,
    /// Pages the sink kept as made before, not rendered.
    pub kept: std::sync::atomic::AtomicUsize,
}

impl<'a> Cx<'a> {
    pub fn new(
        archive: &'a Archive,
        theme: &'a Theme,
        wanted: &'a (dyn Fn(&str) -> bool + Sync),
        sink: Option<Sink<'a>>,
        stop: &'a (dyn Fn() -> bool + Sync),
    ) -> Cx<'a> {
        let views = views::Common::new(archive, theme);
        let layout = views.layout(theme.identity);
        Cx {
            archive,
            theme,
            tera: views.templates(&theme.tera),
            layout,
            kept: Default::default(),
            views,
            data_html: super::data_page_html(archive, theme),
            wanted,
            sink,
            stop,
        }
    }
}

/// One kind of output.
pub trait Unit: Sync {
    /// For timings.
    fn name(&self) -> &'static str;
    /// Outputs that cover the whole archive are made only when all of it is
    /// rendered (see [`super::SITEMAP`]).
    fn archive_wide(&self) -> bool {
        false
    }
    /// The files it makes, without making them; archive-wide units need not
    /// say.
    fn paths(&self, archive: &Archive, theme: &Theme) -> Vec<String>;
    /// Makes the wanted files and hands them to the sink.
    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics>;
}

pub struct Pages;
pub struct Assets;
pub struct Redirects;
pub struct Data;
pub struct Feeds;
pub struct Calendars;
pub struct OpenData;
pub struct Search;

pub const PAGES: &Pages = &Pages;
pub const SEARCH: &Search = &Search;

/// Every unit.
pub const ALL: &[&dyn Unit] = &[
    PAGES, &Assets, &Redirects, &Data, &Feeds, &Calendars, &OpenData, SEARCH,
];

/// The units made after the pages and the search index, which are made
/// side by side.
pub const REST: &[&dyn Unit] = &[&Assets, &Redirects, &Data, &Feeds, &Calendars, &OpenData];

fn all_ok(made: Vec<Result<Page, Diagnostics>>) -> Result<Vec<Page>, Diagnostics> {
    let mut pages = Vec::with_capacity(made.len());
    let mut errors = Vec::new();
    for r in made {
        match r {
            Ok(p) => pages.push(p),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        // One broken template fails every page alike: say it once.
        errors.dedup_by(|a, b| a.message == b.message);
        Err(Diagnostics(errors))
    }
}

fn data_error(path: &str, e: impl std::fmt::Display) -> Diagnostics {
    Diagnostics::from(Diagnostic::new(path, format!("cannot write the data: {e}")))
}

impl Unit for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    /// The pages, and beside each meeting's page its `meeting.json`.
    fn paths(&self, archive: &Archive, _: &Theme) -> Vec<String> {
        let mut paths = Vec::new();
        for r in Route::all(archive) {
            paths.push(r.file(archive));
            if let Route::Meeting(i) = r {
                paths.push(opendata::meeting_path(&archive.meetings[i]));
            }
        }
        paths
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let clock = Instant::now();
        // Each route with its page's path when wanted, and a meeting's with
        // whether its `meeting.json` is.
        let jobs: Vec<(Route, Option<String>, bool)> = Route::all(cx.archive)
            .into_iter()
            .filter_map(|r| {
                let page = Some(r.file(cx.archive)).filter(|p| (cx.wanted)(p));
                let json = match r {
                    Route::Meeting(i) => {
                        (cx.wanted)(&opendata::meeting_path(&cx.archive.meetings[i]))
                    }
                    _ => false,
                };
                (page.is_some() || json).then_some((r, page, json))
            })
            .collect();
        let made = jobs
            .into_par_iter()
            .filter(|_| !(cx.stop)())
            .flat_map_iter(|(route, page, json)| {
                // A meeting's data is made from the HTML its page shows, once
                // (not again after the pages, as an output of its own).
                let data = match route {
                    Route::Meeting(i) if json => Some(meeting_data(cx, i, page.is_some())),
                    _ => None,
                };
                data.into_iter()
                    .chain(page.map(|path| render_page(cx, route, path)))
            })
            .collect();
        let pages = all_ok(made);
        if crate::timing::enabled() {
            let kept = cx.kept.load(std::sync::atomic::Ordering::Relaxed);
            eprintln!("timing:     pages kept as made before, not rendered: {kept}");
        }
        crate::timing::lap_since("pages", clock);
        pages
    }
}

/// The `meeting.json` of meeting `i`, handed to the sink. Its HTML is the
/// meeting page's: held for the page when the page is made too, else made
/// for this file alone.
fn meeting_data(cx: &Cx, i: usize, with_page: bool) -> Result<Page, Diagnostics> {
    let html = if with_page {
        cx.views.texts.meeting(i)
    } else {
        cx.views.texts.shared(i)
    };
    let m = &cx.archive.meetings[i];
    let file = opendata::meeting_file(cx.archive, &cx.theme.strings, m, &html)
        .map_err(|e| Diagnostics::from(Diagnostic::new("data", e)))?;
    pass(cx.sink, file)
}

/// One page of the site, handed to the sink; or, when the sink holds the
/// page as this program made it from the same view, template and theme,
/// left as it is there without being rendered (see
/// [`super::Output::keep_made_from`]).
fn render_page(cx: &Cx, route: Route, path: String) -> Result<Page, Diagnostics> {
    let template = route.template();
    let mut context = context(route, &cx.views, &cx.data_html);
    context.insert("head", cx.views.head(head_scope(route)));
    if let Route::Meeting(i) = route {
        context.insert("item_pages", cx.views.item_pages(i));
    }
    let source = match cx.sink {
        Some(sink) => {
            let source = context.hash(cx.layout ^ crate::output::hash(template.as_bytes()));
            if source.is_some_and(|source| sink.keep_made_from(&path, source)) {
                cx.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(Page {
                    path,
                    bytes: Vec::new(),
                });
            }
            source
        }
        None => None,
    };
    // The templates were made small when the theme was loaded. Written as
    // bytes: the templates and the values are text already, so the page
    // needs no second look as a `String`.
    let mut bytes = Vec::with_capacity(16 * 1024);
    cx.tera
        .render_to(template, &context.into_tera(), &mut bytes)
        .map_err(|e| theme::template_error(Path::new(template), &e))?;
    pass_made_from(cx.sink, Page { path, bytes }, source)
}

impl Unit for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn paths(&self, _: &Archive, theme: &Theme) -> Vec<String> {
        theme
            .static_files
            .keys()
            .map(|n| routes::asset(n))
            .collect()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let mut pages = Vec::new();
        for (name, bytes) in &cx.theme.static_files {
            let path = routes::asset(name);
            if (cx.wanted)(&path) {
                let page = Page {
                    path,
                    bytes: bytes.clone(),
                };
                pages.push(pass(cx.sink, page)?);
            }
        }
        Ok(pages)
    }
}

impl Unit for Redirects {
    fn name(&self) -> &'static str {
        "redirect pages"
    }

    fn paths(&self, archive: &Archive, _: &Theme) -> Vec<String> {
        alias::all(archive)
            .map(|a| routes::alias_file(&a.path))
            .collect()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let mut pages = Vec::new();
        for (_, page) in alias::pages(&cx.views) {
            if (cx.wanted)(&page.path) {
                pages.push(pass(cx.sink, page)?);
            }
        }
        Ok(pages)
    }
}

impl Unit for Data {
    fn name(&self) -> &'static str {
        "data"
    }

    fn paths(&self, archive: &Archive, _: &Theme) -> Vec<String> {
        let mut paths = vec![routes::ARCHIVE_JSON.to_string()];
        paths.extend(data::parts(archive).into_iter().map(|p| p.path));
        paths
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let archive = cx.archive;
        let mut pages = Vec::new();
        if (cx.wanted)(routes::ARCHIVE_JSON) {
            let page = Page {
                path: routes::ARCHIVE_JSON.into(),
                bytes: data::archive_json(archive, cx.views.whole_decisions_csv())
                    .map_err(|e| data_error(routes::ARCHIVE_JSON, e))?,
            };
            pages.push(pass(cx.sink, page)?);
        }
        // Its parts, each a body's year, made in parallel.
        let parts = data::parts(archive)
            .into_par_iter()
            .filter(|p| (cx.wanted)(&p.path))
            .map(|p| {
                let bytes = data::part_json(archive, &p).map_err(|e| data_error(&p.path, e))?;
                pass(
                    cx.sink,
                    Page {
                        path: p.path,
                        bytes,
                    },
                )
            })
            .collect();
        pages.extend(all_ok(parts)?);
        Ok(pages)
    }
}

/// Hands pages to the sink on every core (checking and writing tens of
/// thousands of feeds one by one took 20 s at 10,000 meetings), in order.
fn pass_all(sink: Option<Sink>, made: Vec<Page>) -> Result<Vec<Page>, Diagnostics> {
    made.into_par_iter().map(|page| pass(sink, page)).collect()
}

impl Unit for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn archive_wide(&self) -> bool {
        true
    }

    fn paths(&self, _: &Archive, _: &Theme) -> Vec<String> {
        Vec::new()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let made = feeds::all(cx.archive, &cx.theme.strings, &cx.views.texts);
        pass_all(cx.sink, made)
    }
}

impl Unit for Calendars {
    fn name(&self) -> &'static str {
        "calendars"
    }

    fn archive_wide(&self) -> bool {
        true
    }

    fn paths(&self, _: &Archive, _: &Theme) -> Vec<String> {
        Vec::new()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        pass_all(cx.sink, calendar::all(cx.archive, &cx.theme.strings))
    }
}

impl Unit for OpenData {
    fn name(&self) -> &'static str {
        "open data"
    }

    fn archive_wide(&self) -> bool {
        true
    }

    fn paths(&self, _: &Archive, _: &Theme) -> Vec<String> {
        Vec::new()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let open_data = |e: String| Diagnostics::from(Diagnostic::new("data", e));
        pass_all(
            cx.sink,
            opendata::archive_files(cx.archive, cx.views.whole_decisions_csv())
                .map_err(open_data)?,
        )
    }
}

impl Unit for Search {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn archive_wide(&self) -> bool {
        true
    }

    fn paths(&self, _: &Archive, _: &Theme) -> Vec<String> {
        Vec::new()
    }

    fn render(&self, cx: &Cx) -> Result<Vec<Page>, Diagnostics> {
        let clock = Instant::now();
        let (archive, strings, texts) = (cx.archive, &cx.theme.strings, &cx.views.texts);
        let items = archive.item_count();
        // Asked to stop, the index is finished without the meetings left.
        let records_of = |m: usize| {
            if (cx.stop)() {
                return Vec::new();
            }
            search::meeting_records(archive, strings, m, texts)
        };
        let (mut pages, mut kept) = (Vec::new(), 0);
        // A compressed file the output has as this program made it of the
        // same content is kept without being made again.
        let keep = |name: &str, source: u64| {
            cx.sink.is_some_and(|sink| {
                sink.keep_made_from(&format!("{}{name}", routes::SEARCH_INDEX), source)
            })
        };
        crate::search::index(
            archive.site.language,
            search::meta_fields(archive, texts),
            items,
            archive.meetings.len(),
            &records_of,
            &keep,
            &mut |file| {
                let page = Page {
                    path: format!("{}{}", routes::SEARCH_INDEX, file.name),
                    bytes: file.bytes,
                };
                if file.kept {
                    kept += 1;
                    pages.push(page);
                } else {
                    pages.push(pass_made_from(cx.sink, page, file.source)?);
                }
                Ok(())
            },
        )?;
        if crate::timing::enabled() {
            let n = pages.len();
            eprintln!("timing:     search files kept as made before: {kept} of {n}");
        }
        crate::timing::took("search index", clock);
        Ok(pages)
    }
}
