//! The meetings' text as HTML, for the page at hand. The model keeps each
//! text as Markdown; here it becomes HTML through one [`markdown::Context`]
//! per page: the ids' prefix, the level of its first heading, the words of
//! references made into links, and where links to other parts of the
//! meeting lead. The heading policy lives here alone:
//!
//! - On a meeting page an item's title is an `<h2>` and its sections'
//!   names `<h3>`, so headings in an item's introduction start at `<h3>`
//!   and in a section at `<h4>`; a meeting whose items stand under group
//!   headings (`# Sager til behandling`, an `<h2>`) has each one deeper.
//! - On an item's own page its title is the `<h1>` and its sections'
//!   names `<h2>`: the introduction's headings start at `<h2>`, a
//!   section's at `<h3>`, and links to other items lead to the meeting page.
//!
//! The meeting page's HTML of a meeting is made once for its page, its item
//! pages and its `meeting.json`, and shared with the other outputs that
//! show it (feeds, the search records) while it is held (see [`Texts`]).
//! An item page shows the same HTML where nothing in it depends on the page
//! (no heading, id or link within the page: most items), and makes its own
//! otherwise.

use super::pages::{Address, Urls};
use crate::markdown::{self, Context};
use crate::model::{Archive, Entry, Item, Meeting, Section};
use crate::routes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where a text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    MeetingPage,
    ItemPage,
}

/// The levels of the first headings of an item's introduction and of its
/// sections: see the module's documentation.
pub fn tops(m: &Meeting, on: On) -> (u8, u8) {
    match on {
        On::MeetingPage => (3 + m.group_depth(), 4 + m.group_depth()),
        On::ItemPage => (2, 3),
    }
}

/// The words of each of an item's references with the address they link to.
fn reference_links(archive: &Archive, item: &Item) -> Vec<(String, String)> {
    item.references
        .iter()
        .map(|r| {
            let mut href = archive.url(&archive.meetings[r.meeting].page());
            if let Some(n) = r.item {
                href.push('#');
                href.push_str(&routes::item_anchor(n));
            }
            (r.text.clone(), href)
        })
        .collect()
}

/// Whether HTML made for one page could differ on another: only headings
/// (their levels and ids), footnotes (their ids) and links within the page
/// (`href="#…"`) depend on where a text is shown.
fn depends_on_page(html: &str) -> bool {
    let bytes = html.as_bytes();
    let heading = memchr::memmem::find_iter(bytes, b"<h")
        .any(|at| bytes.get(at + 2).is_some_and(|b| (b'1'..=b'6').contains(b)));
    heading
        || memchr::memmem::find(bytes, b" id=").is_some()
        || memchr::memmem::find(bytes, b"href=\"#").is_some()
}

/// An item's introduction and sections as HTML.
#[derive(Debug, Clone, Default)]
pub struct ItemHtml {
    pub intro: String,
    /// In the order of the item's sections.
    pub sections: Vec<String>,
}

/// The HTML of one text of an item: `fragments` names the meeting page and
/// the item's anchor on an item page, where links within the meeting lead
/// there.
fn text_html(
    markdown: &str,
    prefix: &str,
    top: u8,
    links: &[(String, String)],
    fragments: Option<(&str, &str)>,
) -> String {
    let ctx = Context::new(prefix, top).linking(links);
    let ctx = match fragments {
        Some((page, own)) => ctx.fragments_to(page, own),
        None => ctx,
    };
    markdown::to_html(markdown, &ctx)
}

/// The HTML of one section of an item, its first heading at `top`.
fn section_html(
    s: &Section,
    number: u32,
    top: u8,
    links: &[(String, String)],
    fragments: Option<(&str, &str)>,
) -> String {
    let prefix = routes::section_anchor(number, s.kind);
    text_html(&s.content.markdown, &prefix, top, links, fragments)
}

/// The HTML of an item's texts for a page.
pub fn item(archive: &Archive, m: &Meeting, item: &Item, on: On) -> ItemHtml {
    let links = reference_links(archive, item);
    let (intro_top, section_top) = tops(m, on);
    let anchor = routes::item_anchor(item.number);
    let meeting_url = archive.url(&m.page());
    let fragments = match on {
        On::MeetingPage => None,
        On::ItemPage => Some((meeting_url.as_str(), anchor.as_str())),
    };
    ItemHtml {
        intro: text_html(&item.intro.markdown, &anchor, intro_top, &links, fragments),
        sections: item
            .sections
            .iter()
            .map(|s| section_html(s, item.number, section_top, &links, fragments))
            .collect(),
    }
}

/// A meeting's own introduction, on its page.
pub fn meeting_intro(m: &Meeting) -> String {
    markdown::to_html(
        &m.intro.markdown,
        &Context::new(routes::MEETING_INTRO_ANCHOR, 2),
    )
}

/// The meeting page's HTML of a meeting's texts.
#[derive(Debug, Default)]
pub struct MeetingHtml {
    pub intro: String,
    /// By the meeting's entries; closed ones have none.
    pub items: Vec<Option<ItemHtml>>,
}

impl MeetingHtml {
    /// The HTML of the item with the number.
    pub fn item(&self, m: &Meeting, number: u32) -> Option<&ItemHtml> {
        let i = m
            .entries
            .binary_search_by_key(&number, Entry::number)
            .ok()?;
        self.items.get(i)?.as_ref()
    }
}

/// The meeting page's HTML of every meeting, held while its pages are made.
///
/// A meeting's page and its item pages are made one after the other and
/// share its HTML: the first of them makes it, each reports with
/// [`Texts::done`] when it has it, and after the last the HTML is let go.
/// The search records are made beside the pages, and find a meeting's HTML
/// held when the pages are at it or have been and not all their reports are
/// in; the search reports too (see [`Texts::shared`]). What asks for a
/// meeting not held gets it made anew: the same HTML, as the Markdown and
/// the page it is made for are the same. The search records, when they are
/// ahead of the pages, leave what they made held for the pages, up to a
/// bound of bytes held in all ([`Texts::hold_ahead`]); past it, and for
/// other outputs (a feed's decision), it is made for the caller alone. Held
/// for the whole render, the HTML was 400 MB at 10,000 meetings, at the
/// build's peak of memory; made anew for every meeting the search was at
/// first, it was made twice for most meetings (Markdown to HTML, 6.7% of a
/// build's CPU at 10,000 meetings, half of it for the second time). A
/// render that makes only some of the pages (an edit in `serve`) keeps
/// what it made to its end.
pub struct Texts<'a> {
    archive: &'a Archive,
    meetings: Vec<Slot>,
    /// Bytes of HTML held now, and the most held at once.
    held: AtomicUsize,
    most_held: AtomicUsize,
    /// How many times a meeting's HTML was made.
    made: AtomicUsize,
    /// The most bytes held for which [`Texts::shared`] holds what it made.
    ahead: AtomicUsize,
}

struct Slot {
    html: Mutex<Option<Arc<MeetingHtml>>>,
    /// The outputs still to report that they have shown the meeting.
    uses_left: AtomicUsize,
}

/// The outputs that report when they have had a meeting's HTML: its page,
/// its search records, and one per item page.
fn uses(m: &Meeting) -> usize {
    2 + m.entries.iter().filter(|e| e.item().is_some()).count()
}

impl<'a> Texts<'a> {
    pub fn new(archive: &'a Archive) -> Self {
        Texts {
            archive,
            meetings: archive
                .meetings
                .iter()
                .map(|m| Slot {
                    html: Mutex::new(None),
                    uses_left: AtomicUsize::new(uses(m)),
                })
                .collect(),
            held: AtomicUsize::new(0),
            most_held: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
            ahead: AtomicUsize::new(0),
        }
    }

    fn add_held(&self, bytes: usize) {
        let now = self.held.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.most_held.fetch_max(now, Ordering::Relaxed);
    }

    /// The most bytes of HTML held at once so far, and how many times a
    /// meeting's HTML was made.
    pub fn most_held_and_made(&self) -> (usize, usize) {
        (
            self.most_held.load(Ordering::Relaxed),
            self.made.load(Ordering::Relaxed),
        )
    }

    /// Lets [`Texts::shared`] hold the HTML it makes for the outputs still
    /// to come while fewer than `bytes` are held: for a render that makes
    /// the pages beside the search records.
    pub fn hold_ahead(&self, bytes: usize) {
        self.ahead.store(bytes, Ordering::Relaxed);
    }

    /// The HTML of an item of meeting `mi` for the item's own page: its
    /// meeting page's when nothing in that depends on the page, else made
    /// for the item page (see the module's documentation).
    pub fn item_page(&self, mi: usize, it: &Item) -> ItemHtml {
        let m = &self.archive.meetings[mi];
        let meeting = self.meeting(mi);
        match meeting.item(m, it.number) {
            Some(html)
                if !depends_on_page(&html.intro)
                    && !html.sections.iter().any(|s| depends_on_page(s)) =>
            {
                html.clone()
            }
            _ => item(self.archive, m, it, On::ItemPage),
        }
    }

    /// The meeting page's HTML of one section of an item (a feed shows the
    /// decision alone): the held HTML's, or made for that section only.
    pub fn section(&self, mi: usize, it: &Item, si: usize) -> String {
        let m = &self.archive.meetings[mi];
        let held = lock(&self.meetings[mi].html).clone();
        if let Some(held) = held {
            return held
                .item(m, it.number)
                .and_then(|h| h.sections.get(si).cloned())
                .unwrap_or_default();
        }
        let top = tops(m, On::MeetingPage).1;
        it.sections
            .get(si)
            .map(|s| section_html(s, it.number, top, &reference_links(self.archive, it), None))
            .unwrap_or_default()
    }

    /// The bytes of HTML held, and allocated.
    pub fn held(&self) -> (usize, usize) {
        let mut held = (0, 0);
        for slot in &self.meetings {
            let Some(m) = lock(&slot.html).clone() else {
                continue;
            };
            for s in std::iter::once(&m.intro).chain(
                m.items
                    .iter()
                    .flatten()
                    .flat_map(|i| std::iter::once(&i.intro).chain(&i.sections)),
            ) {
                held.0 += s.len();
                held.1 += s.capacity();
            }
        }
        held
    }

    /// The meeting page's HTML of meeting `i`, for its page and its item
    /// pages: made by the first that asks, and held.
    pub fn meeting(&self, i: usize) -> Arc<MeetingHtml> {
        // Held only while an output that reports is still to come.
        self.held_or_made(i, |uses_left| uses_left > 0)
    }

    /// The HTML of meeting `i` as held, or made: for the search records,
    /// and for outputs that do not come with the pages. What is made is
    /// held for the pages within the bound of [`Texts::hold_ahead`], else
    /// made for the caller alone.
    pub fn shared(&self, i: usize) -> Arc<MeetingHtml> {
        // Held when outputs other than the caller's are still to come, and
        // while the bound allows.
        self.held_or_made(i, |uses_left| {
            uses_left > 1 && self.held.load(Ordering::Relaxed) < self.ahead.load(Ordering::Relaxed)
        })
    }

    /// The HTML of meeting `i` as held; else made, and held when `hold`
    /// says so of the outputs still to report.
    fn held_or_made(&self, i: usize, hold: impl FnOnce(usize) -> bool) -> Arc<MeetingHtml> {
        let mut slot = lock(&self.meetings[i].html);
        if let Some(html) = &*slot {
            return html.clone();
        }
        let html = Arc::new(self.make(i));
        if hold(self.meetings[i].uses_left.load(Ordering::Acquire)) {
            self.add_held(size(&html));
            *slot = Some(html.clone());
        }
        html
    }

    fn make(&self, i: usize) -> MeetingHtml {
        self.made.fetch_add(1, Ordering::Relaxed);
        let m = &self.archive.meetings[i];
        MeetingHtml {
            intro: meeting_intro(m),
            items: m
                .entries
                .iter()
                .map(|e| {
                    e.item()
                        .map(|it| item(self.archive, m, it, On::MeetingPage))
                })
                .collect(),
        }
    }

    /// One output that shows meeting `i` has had its HTML: after the last
    /// one the HTML is let go.
    pub fn done(&self, i: usize) {
        let slot = &self.meetings[i];
        let left = slot
            .uses_left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if left == Ok(1) {
            if let Some(html) = lock(&slot.html).take() {
                self.held.fetch_sub(size(&html), Ordering::Relaxed);
            }
        }
    }
}

/// The bytes of a meeting's HTML.
fn size(html: &MeetingHtml) -> usize {
    html.intro.len()
        + html
            .items
            .iter()
            .flatten()
            .map(|i| i.intro.len() + i.sections.iter().map(String::len).sum::<usize>())
            .sum::<usize>()
}

/// The lock of a slot; a thread that panicked while holding it left
/// nothing half made (the HTML is stored whole or not at all).
fn lock(
    m: &Mutex<Option<Arc<MeetingHtml>>>,
) -> std::sync::MutexGuard<'_, Option<Arc<MeetingHtml>>> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::{lock, uses, Texts};
    use std::sync::atomic::Ordering;
    use std::sync::Arc;

    fn archive() -> (tempfile::TempDir, crate::model::Archive) {
        let dir = tempfile::tempdir().unwrap();
        crate::synthetic::generate(12, dir.path()).unwrap();
        let content = crate::content::load(dir.path()).unwrap();
        let archive = crate::model::build(&content).unwrap();
        (dir, archive)
    }

    /// What the search records make ahead of the pages is held for the
    /// meeting's page and item pages, within the bound: made once, and let
    /// go when the last of them has reported.
    #[test]
    fn html_made_for_the_search_ahead_of_the_pages_is_held_for_them() {
        let (_dir, archive) = archive();
        // Without a bound, made for the search alone and again for the page.
        let texts = Texts::new(&archive);
        let search = texts.shared(0);
        assert!(!Arc::ptr_eq(&search, &texts.meeting(0)));
        assert_eq!(texts.most_held_and_made().1, 2);

        let texts = Texts::new(&archive);
        texts.hold_ahead(1 << 20);
        let search = texts.shared(1);
        texts.done(1);
        assert!(Arc::ptr_eq(&search, &texts.meeting(1)));
        assert_eq!(texts.most_held_and_made().1, 1);
        for _ in 1..uses(&archive.meetings[1]) {
            texts.done(1);
        }
        assert!(lock(&texts.meetings[1].html).is_none());
        assert_eq!(texts.held.load(Ordering::Relaxed), 0);

        // Past the bound, what the search makes is not held.
        texts.hold_ahead(1);
        let held = texts.shared(2);
        let not_held = texts.shared(3);
        assert!(Arc::ptr_eq(&held, &texts.meeting(2)));
        assert!(!Arc::ptr_eq(&not_held, &texts.meeting(3)));
        assert_eq!(texts.most_held_and_made().1, 4);
    }
}
