//! The whole pipeline: load and check, build the model, render, write.

use crate::content::{self, Content};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, Archive};
use crate::output;
use crate::render::{self, Page, Theme};
use std::path::{Path, PathBuf};

/// What a build or check was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Overrides `output_dir` from the config.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
    /// Show a progress bar on long builds.
    pub progress: bool,
    /// Let published addresses disappear (see `crate::published`), and
    /// drop them from the record.
    pub accept_removed: bool,
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct Summary {
    pub output: PathBuf,
    pub meetings: usize,
    pub items: usize,
    pub pages: usize,
}

pub use crate::timing::Stopwatch;

/// Loads, checks and models the archive without writing anything.
pub fn load(options: &Options) -> Result<(Content, Archive), Diagnostics> {
    let content = read(options)?;
    let mut watch = Stopwatch::start();
    let archive = model::build(&content)?;
    watch.lap("model (with linking)");
    Ok((content, archive))
}

/// Reads and checks the archive's files.
fn read(options: &Options) -> Result<Content, Diagnostics> {
    let mut watch = Stopwatch::start();
    let mut content = content::load(&options.root)?;
    for warning in crate::nesting::warnings(&content) {
        eprintln!("{}", crate::nesting::show(&warning));
    }
    watch.lap("reading content");
    if let Some(url) = &options.base_url {
        content
            .config
            .set_base_url(url)
            .map_err(|msg| crate::diagnostic::Diagnostic::new("--base-url", msg))?;
    }
    Ok(content)
}

/// Renders the site in memory.
pub fn render(content: &Content, archive: &Archive) -> Result<Vec<Page>, Diagnostics> {
    render_to(content, archive, None)
}

/// Renders the site, handing each file to `sink` as soon as it is made; the
/// pages returned keep only their paths.
pub fn render_into(
    content: &Content,
    archive: &Archive,
    sink: render::Sink,
) -> Result<Vec<Page>, Diagnostics> {
    render_to(content, archive, Some(sink))
}

/// Renders the site, handing each file to `sink` as soon as it is made when
/// there is one (then the pages returned keep only their paths).
fn render_to(
    content: &Content,
    archive: &Archive,
    sink: Option<render::Sink>,
) -> Result<Vec<Page>, Diagnostics> {
    let mut watch = Stopwatch::start();
    let theme = Theme::load(&content.root, &content.config)?;
    let mut pages = match sink {
        Some(sink) => render::render_into(archive, &theme, sink)?,
        None => render::render(archive, &theme)?,
    };
    for page in static_files(&content.root)? {
        if let Some(sink) = sink {
            sink.write(&page)?;
        }
        pages.push(page);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    render::alias::check(archive, &paths)?;
    watch.lap("rendering pages");
    Ok(pages)
}

/// The model and what the leak guard looks for, side by side: both only
/// read the archive, and the model's stages leave a core idle at times (at
/// 10,000 meetings, making the meetings kept about 1.4 of 2 cores busy),
/// which the guard's scan of the public text takes. Measured both ways, on
/// a machine whose speed varies from run to run: an earlier program, two
/// warm builds each way at 10,000 meetings, gave the model phase 6.0 and
/// 8.4 s side by side against 6.5 and 5.8 s one after the other (no clear
/// gain, and it was left one after the other); this one, three alternating
/// pairs, 6.00, 6.05 and 5.67 s side by side against 6.61, 6.91 and 5.89 s,
/// and less CPU for the whole build in each pair.
fn model_and_guard(content: &Content) -> (Result<Archive, Diagnostics>, crate::leak::Guard) {
    rayon::join(
        || model::build(content),
        || crate::leak::Guard::new(content),
    )
}

/// With the build's timings: what the leak guard cost.
fn report_guard(guard: &crate::leak::Guard) {
    if crate::timing::enabled() {
        eprintln!(
            "timing: leak guard {:.3} s to collect {} texts ({} runs of words), {:.3} s of CPU to check {} MB ({} MB of them passed over as markup seen clean; {} MB of files not checked again, as checked when the spare was published)",
            guard.setup_seconds,
            guard.needles(),
            guard.runs(),
            guard.check_seconds(),
            guard.checked_bytes() / 1_000_000,
            guard.passed_over_bytes() / 1_000_000,
            guard.checked_before_bytes() / 1_000_000
        );
    }
}

/// Checks everything a build would (the content, the published addresses,
/// the templates, the leak guard) and every link of the site as it would be
/// built; writes nothing. The site is looked at file by file as it is made,
/// never held whole.
pub fn check(options: &Options) -> Result<Summary, Diagnostics> {
    let content = read(options)?;
    let mut watch = Stopwatch::start();
    let (archive, guard) = model_and_guard(&content);
    let archive = archive?;
    watch.lap("model (with linking) and the leak guard's texts");
    if let Some(record) = crate::published::read(&options.root)? {
        crate::published::check(&archive, &record, options.accept_removed)?;
    }
    let gathered = crate::links::Gathering::new(&archive.site.base);
    let look = |page: &Page| {
        guard.check(&page.path, &page.bytes);
        gathered.add(&page.path, &page.bytes);
        Ok(())
    };
    let pages = render_into(&content, &archive, &look)?;
    let broken = gathered.broken();
    watch.lap("links and the leak guard");
    report_guard(&guard);
    let mut problems = Vec::new();
    if !broken.is_empty() {
        let routes = render::pages::by_file(&archive);
        let mut texts = std::collections::HashMap::new();
        problems.extend(
            broken
                .iter()
                .map(|b| broken_link(&content, &archive, &routes, &mut texts, b)),
        );
    }
    if let Err(leaks) = guard.check_verdict() {
        problems.extend(leaks.0);
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(summary(options, &content, &archive, &pages))
}

/// Where a broken link comes from: the line of the meeting file that has it,
/// or else the template of the page. `texts` keeps the meeting files read.
fn broken_link(
    content: &Content,
    archive: &Archive,
    routes: &std::collections::HashMap<String, render::pages::Route>,
    texts: &mut std::collections::HashMap<usize, String>,
    b: &crate::links::Broken,
) -> Diagnostic {
    let message = format!("broken link {} on {}: {}", b.href, b.page, b.reason);
    let route = routes.get(&b.page).copied();
    if let Some(i) = route.and_then(|r| r.meeting()) {
        let m = &archive.meetings[i];
        let text = texts.entry(i).or_insert_with(|| {
            std::fs::read_to_string(content.root.join(&m.file)).unwrap_or_default()
        });
        let bare = b
            .href
            .strip_prefix(archive.site.base.path())
            .unwrap_or(&b.href);
        for needle in [b.href.as_str(), bare] {
            if let Some(at) = text
                .find(&format!("({needle}"))
                .map(|i| i + 1)
                .or_else(|| text.find(needle))
            {
                return Diagnostic::new(&m.file, message)
                    .at_offset(text, at)
                    .expected("a link to a page, file or #anchor of the site");
            }
        }
    }
    let path = match route {
        Some(r) => format!("templates/{}", r.template()),
        None => b.page.clone(),
    };
    Diagnostic::new(path, message).expected("a link to a page, file or #anchor of the site")
}

/// Builds the site into the output folder.
pub fn build(options: &Options) -> Result<Summary, Diagnostics> {
    let bar = options.progress.then(progress_bar);
    let step = |msg: &'static str| {
        if let Some(b) = &bar {
            b.set_message(msg);
            b.inc(1);
        }
    };
    step("reading content");
    let mut content = read(options)?;
    // The model and what the leak guard looks for (see `leak`): both
    // only read the archive's files. The folder the site is written into
    // is made ready meanwhile, on a thread of its own: taking stock of
    // a spare (the site of two builds ago) waits on the disk for a
    // quarter of a million files at 10,000 meetings, and the model is made
    // during that wait. A build that fails gives the folder back as it was.
    let mut watch = Stopwatch::start();
    let out = output_dir(options, &content);
    let ((archive, guard), staging) = std::thread::scope(|scope| {
        let staging = scope.spawn(|| output::Staging::new(&out));
        let made = model_and_guard(&content);
        (made, staging.join())
    });
    let staging = staging.unwrap_or_else(|_| {
        Err(Diagnostic::new(
            out.clone(),
            "the output folder could not be made ready",
        ))
    });
    let archive = archive?;
    let staging = staging?;
    watch.lap("model (with linking), the leak guard's texts and the output folder");
    // No published address may disappear without an alias, unless meant.
    let record = match crate::published::read(&options.root)? {
        Some(record) => {
            let (next, removed) =
                crate::published::check(&archive, &record, options.accept_removed)?;
            if !removed.is_empty() {
                eprintln!("{}", crate::published::removed_notice(&removed));
            }
            next
        }
        None => crate::published::addresses(&archive),
    };
    watch.lap("published addresses");
    step("rendering and writing pages");
    // Each file is written as soon as it is made, into a new folder beside
    // the output that takes its place only when the whole site is there.
    // The model has what the pages need of the meeting files, and the guard
    // what it looks for: the files as read are let go (at 10,000 meetings,
    // some hundreds of megabytes fewer while the site is made).
    content.meetings = Vec::new();
    // A file that the site this build writes over (the spare) held with
    // these bytes when it was published, checked by a guard of this one's
    // fingerprint, is not checked again.
    let fingerprint = guard.fingerprint();
    let write = Publish {
        staging: &staging,
        guard: &guard,
        fingerprint,
    };
    let pages = render_to(&content, &archive, Some(&write))?;
    step("publishing");
    let summary = summary(options, &content, &archive, &pages);
    watch.lap("rendering and writing");
    report_guard(&guard);
    guard.verdict()?;
    staging.publish(fingerprint)?;
    crate::published::write(&options.root, &record)?;
    watch.lap("publishing");
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(summary)
}

/// The build's output: each file checked by the leak guard, unless the
/// site it writes over held it as it is, checked by a guard of the same
/// fingerprint; then written into the new site's folder.
struct Publish<'a> {
    staging: &'a output::Staging,
    guard: &'a crate::leak::Guard,
    fingerprint: Option<u64>,
}

impl Publish<'_> {
    fn write_from(&self, page: &Page, source: Option<u64>) -> Result<(), Diagnostic> {
        let hash = output::hash(&page.bytes);
        let len = page.bytes.len();
        match self.fingerprint {
            Some(f) if self.staging.checked_before(&page.path, hash, len, f) => {
                self.guard.pass_checked_before(len);
            }
            _ => self.guard.check(&page.path, &page.bytes),
        }
        self.staging.write_hashed(page, hash, source)
    }
}

impl render::Output for Publish<'_> {
    fn write(&self, page: &Page) -> Result<(), Diagnostic> {
        self.write_from(page, None)
    }

    /// Kept when the site written over has the file as this program made
    /// it of the same source, checked by a guard of the same fingerprint:
    /// nothing to check again.
    fn keep_made_from(&self, path: &str, source: u64) -> bool {
        let kept = self
            .fingerprint
            .and_then(|f| self.staging.keep_made_from(path, source, f));
        if let Some(len) = kept {
            self.guard.pass_checked_before(len as usize);
        }
        kept.is_some()
    }

    fn write_made_from(&self, page: &Page, source: u64) -> Result<(), Diagnostic> {
        self.write_from(page, Some(source))
    }
}

/// The folder the site is written to.
fn output_dir(options: &Options, content: &Content) -> PathBuf {
    match &options.output {
        Some(o) => o.clone(),
        None => options.root.join(&content.config.output_dir),
    }
}

fn summary(options: &Options, content: &Content, archive: &Archive, pages: &[Page]) -> Summary {
    Summary {
        output: output_dir(options, content),
        meetings: archive.meetings.len(),
        items: archive.item_count(),
        pages: pages.len(),
    }
}

/// The archive's own `static/` folder, copied as it is.
fn static_files(root: &Path) -> Result<Vec<Page>, Diagnostics> {
    let dir = root.join("static");
    let mut pages = Vec::new();
    if !dir.is_dir() {
        return Ok(pages);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            crate::diagnostic::Diagnostic::new("static", format!("cannot read the folder: {e}"))
        })?;
        crate::paths::refuse_link(root, &entry)?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            crate::diagnostic::Diagnostic::new(
                entry.path().strip_prefix(root).unwrap_or(entry.path()),
                format!("cannot read the file: {e}"),
            )
        })?;
        pages.push(Page {
            path: rel.to_string_lossy().replace('\\', "/"),
            bytes,
        });
    }
    Ok(pages)
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(3);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:20}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
