//! The third stage: turn the archive into files. Each page gets a small view
//! of the model with every address and label ready; templates only lay out.

pub mod calendar;
pub mod data;
pub mod feeds;
pub mod labels;
pub mod opendata;
pub mod sitemap;
pub mod theme;
mod views;
pub mod when;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Archive;
use rayon::prelude::*;
use std::path::Path;
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
    let ctx = views::Common::new(archive, theme);
    let data_html = data_page_html(archive, theme);
    let mut jobs: Vec<Job> = vec![Job::Home, Job::Topics, Job::NotFound];
    jobs.extend((0..archive.years.len()).map(Job::Year));
    jobs.extend((0..archive.bodies.len()).map(Job::Body));
    jobs.extend((0..archive.topics.len()).map(Job::Topic));
    jobs.extend((0..archive.meetings.len()).map(Job::Meeting));
    jobs.extend(item_jobs(archive));
    jobs.extend([Job::Search, Job::Data]);

    let rendered: Vec<Result<Page, Diagnostics>> = jobs
        .par_iter()
        .map(|job| {
            let (path, template, mut context) = job.context(&ctx, &data_html);
            context.insert("head", &ctx.head(job.head_scope()));
            if let Job::Meeting(i) = job {
                context.insert("item_pages", &ctx.item_pages(*i));
            }
            let html = theme
                .tera
                .render(template, &context)
                .map_err(|e| theme::template_error(Path::new(template), &e))?;
            Ok(Page {
                path,
                bytes: minify(html.as_bytes()),
            })
        })
        .collect();
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
        pages.push(Page {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    pages.extend(reuse_outputs(archive, theme)?);
    pages.push(Page {
        path: "data/archive.json".into(),
        bytes: data::archive_json(archive).map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                "data/archive.json",
                format!("cannot write the data: {e}"),
            ))
        })?,
    });
    pages.extend(sitemap::all(archive, &pages));
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
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

/// Feeds, calendars, open data and the search index.
fn reuse_outputs(archive: &Archive, theme: &Theme) -> Result<Vec<Page>, Diagnostics> {
    let strings = &theme.strings;
    let mut pages = feeds::all(archive, strings);
    pages.extend(calendar::all(archive, strings));
    pages.extend(
        opendata::all(archive, strings)
            .map_err(|e| Diagnostics::from(Diagnostic::new("data", e)))?,
    );
    let records = crate::search::records(archive, strings);
    pages.extend(
        crate::search::index(&records, archive.site.language)
            .map_err(|e| Diagnostics::from(Diagnostic::new("pagefind", e)))?,
    );
    Ok(pages)
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Topics,
    NotFound,
    Year(usize),
    Body(usize),
    Topic(usize),
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
            Job::Meeting(i) => HeadScope::Meeting(i),
            Job::Item(m, _) => HeadScope::Item(m),
            _ => HeadScope::Site,
        }
    }

    fn context(self, c: &views::Common, data_html: &str) -> (String, &'static str, tera::Context) {
        match self {
            Job::Item(m, e) => {
                let meeting = &c.archive.meetings[m];
                let anchor = match &meeting.entries[e] {
                    crate::model::Entry::Item(item) => item.anchor.as_str(),
                    crate::model::Entry::Closed { anchor, .. } => anchor.as_str(),
                };
                (
                    format!("{}index.html", views::item_page_path(meeting, anchor)),
                    "item.html",
                    c.item_page(m, e),
                )
            }
            Job::Search => ("soeg/index.html".into(), "search.html", c.search()),
            Job::Data => (
                "data/index.html".into(),
                "data.html",
                c.data_page(data_html),
            ),
            Job::Home => ("index.html".into(), "index.html", c.home()),
            Job::Topics => ("emner/index.html".into(), "topics.html", c.topics()),
            Job::NotFound => ("404.html".into(), "404.html", c.not_found()),
            Job::Year(i) => {
                let year = &c.archive.years[i];
                (format!("{}index.html", year.path), "year.html", c.year(i))
            }
            Job::Body(i) => {
                let body = &c.archive.bodies[i];
                (format!("{}index.html", body.path), "body.html", c.body(i))
            }
            Job::Topic(i) => {
                let topic = &c.archive.topics[i];
                (
                    format!("{}index.html", topic.path),
                    "topic.html",
                    c.topic(i),
                )
            }
            Job::Meeting(i) => {
                let meeting = &c.archive.meetings[i];
                (
                    format!("{}index.html", meeting.path),
                    "meeting.html",
                    c.meeting(i),
                )
            }
        }
    }
}

fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: false,
        minify_doctype: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}
