//! The third stage: turn the archive into files. Each page gets a small view
//! of the model with every address and label ready; templates only lay out.

pub mod alias;
pub mod calendar;
mod compact;
pub mod data;
pub mod feeds;
pub mod labels;
pub mod opendata;
pub mod sitemap;
pub mod theme;
mod views;
pub mod when;

use crate::content::meeting::alias_file;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Archive;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;
pub use theme::Theme;
pub use views::{case_path, follow_ups_path, item_page_path};

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
/// so that a large site is never held in memory whole.
pub type Sink<'a> = &'a (dyn Fn(&Page) -> Result<(), Diagnostic> + Sync);

/// Renders every page of the site into `sink`. The pages returned, in a
/// stable order, keep their paths but not their bytes.
pub fn render_into(archive: &Archive, theme: &Theme, sink: Sink) -> Result<Vec<Page>, Diagnostics> {
    render_with(archive, theme, |_| true, Some(sink))
}

/// Hands a page to the sink, if there is one, and keeps only its path.
fn pass(sink: Option<Sink>, mut page: Page) -> Result<Page, Diagnostics> {
    if let Some(sink) = sink {
        sink(&page)?;
        page.bytes = Vec::new();
    }
    Ok(page)
}

/// The path of every file [`render`] makes, without rendering anything.
pub fn paths(archive: &Archive, theme: &Theme) -> Vec<String> {
    let mut paths: Vec<String> = jobs(archive).iter().map(|j| j.path(archive)).collect();
    paths.extend(
        theme
            .static_files
            .keys()
            .map(|name| format!("static/{name}")),
    );
    paths.push(DATA_FILE.into());
    paths.extend(data::parts(archive).into_iter().map(|p| p.path));
    paths.extend(alias::all(archive).map(|a| alias_file(&a.path)));
    paths.sort();
    paths
}

/// The site's data file.
pub const DATA_FILE: &str = "data/archive.json";

/// Planning `SITEMAP` renders every output that covers the whole archive:
/// feeds, calendars, open data files, the search index and the sitemap.
pub const SITEMAP: &str = "sitemap.xml";

/// True for the outputs made together with the sitemap (see [`SITEMAP`]).
pub fn is_archive_output(path: &str) -> bool {
    path.ends_with(".atom")
        || path.ends_with(".ics")
        || path.ends_with("/meeting.json")
        || path.starts_with("pagefind/")
        || path.starts_with("sitemap")
        || path == "robots.txt"
        || (path.starts_with("data/") && path != DATA_FILE && path != "data/index.html")
}

/// Renders the pages whose path `wanted` accepts, in a stable order. The rest
/// of the site is neither rendered nor looked at.
pub fn render_only(
    archive: &Archive,
    theme: &Theme,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Result<Vec<Page>, Diagnostics> {
    render_with(archive, theme, wanted, None)
}

fn render_with(
    archive: &Archive,
    theme: &Theme,
    wanted: impl Fn(&str) -> bool + Sync,
    sink: Option<Sink>,
) -> Result<Vec<Page>, Diagnostics> {
    let timings = std::env::var_os("PROTOKOL_TIMINGS").is_some();
    let clock = Instant::now();
    let ctx = views::Common::new(archive, theme);
    let data_html = data_page_html(archive, theme);
    let jobs: Vec<(Job, String)> = jobs(archive)
        .into_iter()
        .map(|j| (j, j.path(archive)))
        .filter(|(_, path)| wanted(path))
        .collect();

    // A whole build makes the search index beside the pages: most of the
    // indexer's work runs on one core, and the pages take the others.
    let whole = wanted(SITEMAP);
    let render_pages = || -> Vec<Result<Page, Diagnostics>> {
        jobs.into_par_iter()
            .map(|(job, path)| {
                let (template, mut context) = job.context(&ctx, &data_html);
                context.insert("head", &ctx.head(job.head_scope()));
                if let Job::Meeting(i) = job {
                    context.insert("item_pages", &ctx.item_pages(i));
                }
                // The templates were made small when the theme was loaded.
                let bytes = theme
                    .tera
                    .render(template, &context)
                    .map_err(|e| theme::template_error(Path::new(template), &e))?
                    .into_bytes();
                pass(sink, Page { path, bytes })
            })
            .collect()
    };
    // `PROTOKOL_NO_SEARCH=1` leaves the index out, to measure the rest alone.
    let search = whole && std::env::var_os("PROTOKOL_NO_SEARCH").is_none();
    let index_search = || search.then(|| search_index(archive, theme, sink));
    let (rendered, search) = rayon::join(render_pages, index_search);
    let mut pages = Vec::with_capacity(rendered.len() + theme.static_files.len() + 1);
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(p) => pages.push(p),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        // One broken template fails every page alike: say it once.
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(Diagnostics(errors));
    }
    for (name, bytes) in &theme.static_files {
        let path = format!("static/{name}");
        if wanted(&path) {
            let page = Page {
                path,
                bytes: bytes.clone(),
            };
            pages.push(pass(sink, page)?);
        }
    }
    for (_, page) in alias::pages(&ctx) {
        if wanted(&page.path) {
            pages.push(pass(sink, page)?);
        }
    }
    if timings {
        eprintln!(
            "timing:   pages (and search index) at {:.3} s",
            clock.elapsed().as_secs_f64(),
        );
    }
    if wanted(DATA_FILE) {
        let page = Page {
            path: DATA_FILE.into(),
            bytes: data::archive_json(archive).map_err(|e| {
                Diagnostics::from(Diagnostic::new(
                    DATA_FILE,
                    format!("cannot write the data: {e}"),
                ))
            })?,
        };
        pages.push(pass(sink, page)?);
    }
    // Its parts, each a body's year, made in parallel.
    let parts: Vec<Result<Page, Diagnostics>> = data::parts(archive)
        .into_par_iter()
        .filter(|p| wanted(&p.path))
        .map(|p| {
            let bytes = data::part_json(archive, &p).map_err(|e| {
                Diagnostics::from(Diagnostic::new(
                    &p.path,
                    format!("cannot write the data: {e}"),
                ))
            })?;
            pass(
                sink,
                Page {
                    path: p.path,
                    bytes,
                },
            )
        })
        .collect();
    for page in parts {
        pages.push(page?);
    }
    // Feeds, calendars, open data, the search index and the sitemap cover
    // the whole archive: they are made in a full render.
    if let Some(search) = search {
        pages.extend(search?);
    }
    if whole {
        pages.extend(reuse_outputs(archive, theme, sink)?);
        for page in sitemap::all(archive, &pages) {
            pages.push(pass(sink, page)?);
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    if timings {
        eprintln!("timing:   data at {:.3} s", clock.elapsed().as_secs_f64());
    }
    Ok(pages)
}

/// The index of every case of the archive.
pub const CASES_PAGE: &str = "sager/index.html";

fn jobs(archive: &Archive) -> Vec<Job> {
    let mut jobs: Vec<Job> = vec![Job::Home, Job::Topics, Job::Cases, Job::NotFound];
    jobs.extend((0..archive.years.len()).map(Job::Year));
    jobs.extend((0..archive.bodies.len()).map(Job::Body));
    jobs.extend((0..archive.topics.len()).map(Job::Topic));
    jobs.extend((0..archive.cases.len()).map(Job::Case));
    jobs.extend((0..archive.bodies.len()).map(Job::FollowUps));
    jobs.extend((0..archive.meetings.len()).map(Job::Meeting));
    jobs.extend(item_jobs(archive));
    jobs.extend([Job::Search, Job::Data]);
    jobs
}

/// The explanation on the data page: the theme's `pages/data.LANG.md` with
/// the site's address filled in, rendered like meeting text.
fn data_page_html(archive: &Archive, theme: &Theme) -> String {
    let markdown = theme.page(&format!("data.{}.md", archive.site.language));
    let markdown = markdown
        .replace("{base_url}", &archive.site.base_url)
        .replace("{site_title}", &archive.site.title);
    crate::markdown::render(&markdown, "data", 2).html
}

/// A page for each public item.
fn item_jobs(archive: &Archive) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (mi, m) in archive.meetings.iter().enumerate() {
        for (ei, e) in m.entries.iter().enumerate() {
            if e.item().is_some() {
                jobs.push(Job::Item(mi, ei));
            }
        }
    }
    jobs
}

/// Feeds, calendars, open data and the search index, each handed to the
/// sink as soon as it is made.
fn reuse_outputs(
    archive: &Archive,
    theme: &Theme,
    sink: Option<Sink>,
) -> Result<Vec<Page>, Diagnostics> {
    let timings = std::env::var_os("PROTOKOL_TIMINGS").is_some();
    let clock = Instant::now();
    let lap = |what: &str| {
        if timings {
            eprintln!(
                "timing:   {what} at {:.3} s (peak memory so far: {} MB)",
                clock.elapsed().as_secs_f64(),
                crate::model::peak_memory().unwrap_or(0) / 1024
            );
        }
    };
    let strings = &theme.strings;
    let pass_all = |made: Vec<Page>| -> Result<Vec<Page>, Diagnostics> {
        made.into_iter().map(|page| pass(sink, page)).collect()
    };
    let mut pages = pass_all(feeds::all(archive, strings))?;
    lap("feeds");
    pages.extend(pass_all(calendar::all(archive, strings))?);
    lap("calendars");
    let open_data = |e: String| Diagnostics::from(Diagnostic::new("data", e));
    // One JSON file per meeting, each handed on as soon as it is made.
    let meeting_files: Vec<Result<Page, Diagnostics>> = archive
        .meetings
        .par_iter()
        .map(|m| {
            pass(
                sink,
                opendata::meeting_file(archive, strings, m).map_err(open_data)?,
            )
        })
        .collect();
    for page in meeting_files {
        pages.push(page?);
    }
    pages.extend(pass_all(
        opendata::archive_files(archive).map_err(open_data)?,
    )?);
    lap("open data");
    Ok(pages)
}

/// The search index, handed to the sink.
fn search_index(
    archive: &Archive,
    theme: &Theme,
    sink: Option<Sink>,
) -> Result<Vec<Page>, Diagnostics> {
    let clock = Instant::now();
    let mut pages = Vec::new();
    crate::search::index(archive, &theme.strings, &mut |page| {
        pages.push(pass(sink, page)?);
        Ok(())
    })?;
    if std::env::var_os("PROTOKOL_TIMINGS").is_some() {
        eprintln!(
            "timing:   search index {:.3} s (peak memory so far: {} MB)",
            clock.elapsed().as_secs_f64(),
            crate::model::peak_memory().unwrap_or(0) / 1024
        );
    }
    Ok(pages)
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Topics,
    /// The index of cases, `/sager/`.
    Cases,
    NotFound,
    Year(usize),
    Body(usize),
    Topic(usize),
    Case(usize),
    /// A body's open promises to return.
    FollowUps(usize),
    Meeting(usize),
    /// A meeting's index and the item's index in its entries.
    Item(usize, usize),
    Search,
    Data,
}

impl Job {
    fn head_scope(self) -> views::HeadScope {
        use views::HeadScope;
        match self {
            Job::Body(i) => HeadScope::Body(i),
            Job::Topic(i) => HeadScope::Topic(i),
            Job::Case(i) => HeadScope::Case(i),
            Job::Meeting(i) => HeadScope::Meeting(i),
            Job::Item(m, _) => HeadScope::Item(m),
            _ => HeadScope::Site,
        }
    }

    fn path(self, archive: &Archive) -> String {
        match self {
            Job::Home => "index.html".into(),
            Job::Topics => "emner/index.html".into(),
            Job::Cases => CASES_PAGE.into(),
            Job::NotFound => "404.html".into(),
            Job::Year(i) => format!("{}index.html", archive.years[i].path),
            Job::Body(i) => format!("{}index.html", archive.bodies[i].path),
            Job::Topic(i) => format!("{}index.html", archive.topics[i].path),
            Job::Case(i) => format!("{}index.html", views::case_path(&archive.cases[i])),
            Job::FollowUps(i) => {
                format!("{}index.html", views::follow_ups_path(&archive.bodies[i]))
            }
            Job::Meeting(i) => format!("{}index.html", archive.meetings[i].path),
            Job::Item(m, e) => {
                let meeting = &archive.meetings[m];
                let anchor = match &meeting.entries[e] {
                    crate::model::Entry::Item(item) => item.anchor.as_str(),
                    crate::model::Entry::Closed { anchor, .. } => anchor.as_str(),
                };
                format!("{}index.html", views::item_page_path(meeting, anchor))
            }
            Job::Search => "soeg/index.html".into(),
            Job::Data => "data/index.html".into(),
        }
    }

    fn context(self, c: &views::Common, data_html: &str) -> (&'static str, tera::Context) {
        match self {
            Job::Item(m, e) => ("item.html", c.item_page(m, e)),
            Job::Search => ("search.html", c.search()),
            Job::Data => ("data.html", c.data_page(data_html)),
            Job::Home => ("index.html", c.home()),
            Job::Topics => ("topics.html", c.topics()),
            Job::Cases => ("cases.html", c.cases()),
            Job::NotFound => ("404.html", c.not_found()),
            Job::Year(i) => ("year.html", c.year(i)),
            Job::Body(i) => ("body.html", c.body(i)),
            Job::Topic(i) => ("topic.html", c.topic(i)),
            Job::Case(i) => ("case.html", c.case(i)),
            Job::FollowUps(i) => ("follow-ups.html", c.follow_ups(i)),
            Job::Meeting(i) => ("meeting.html", c.meeting(i)),
        }
    }
}
