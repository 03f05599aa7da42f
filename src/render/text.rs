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
//! The meeting page's HTML of a meeting is made once per render and shared
//! by every output that shows it (the meeting page, feeds, `meeting.json`,
//! the search records). An item page shows the same HTML where nothing in
//! it depends on the page (no heading, id or link within the page: most
//! items), and makes its own otherwise.

use super::pages::{Address, Urls};
use crate::markdown::{self, Context};
use crate::model::{Archive, Entry, Item, Meeting, Section};
use crate::routes;
use std::sync::OnceLock;

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

/// The HTML of an item's texts for a page.
pub fn item(archive: &Archive, m: &Meeting, item: &Item, on: On) -> ItemHtml {
    let links = reference_links(archive, item);
    let (intro_top, section_top) = tops(m, on);
    let anchor = routes::item_anchor(item.number);
    let meeting_url = archive.url(&m.page());
    let make = |markdown: &str, prefix: &str, top: u8| {
        let ctx = Context::new(prefix, top).linking(&links);
        let ctx = match on {
            On::MeetingPage => ctx,
            On::ItemPage => ctx.fragments_to(&meeting_url, &anchor),
        };
        // Held for the whole render (see `Texts`): without the room the
        // string grew into, a third less (at 1,000 meetings 62 MB were
        // allocated for 39 MB of HTML).
        let mut html = markdown::to_html(markdown, &ctx);
        html.shrink_to_fit();
        html
    };
    ItemHtml {
        intro: make(&item.intro.markdown, &anchor, intro_top),
        sections: item
            .sections
            .iter()
            .map(|s: &Section| {
                make(
                    &s.content.markdown,
                    &routes::section_anchor(item.number, s.kind),
                    section_top,
                )
            })
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

/// The meeting page's HTML of every meeting, each made when first asked.
pub struct Texts<'a> {
    archive: &'a Archive,
    meetings: Vec<OnceLock<MeetingHtml>>,
}

impl<'a> Texts<'a> {
    pub fn new(archive: &'a Archive) -> Self {
        Texts {
            archive,
            meetings: (0..archive.meetings.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The HTML of an item of meeting `mi` for the item's own page: its
    /// meeting page's when nothing in that depends on the page, else made
    /// for the item page (see the module's documentation).
    pub fn item_page(&self, mi: usize, it: &Item) -> ItemHtml {
        let m = &self.archive.meetings[mi];
        match self.meeting(mi).item(m, it.number) {
            Some(html)
                if !depends_on_page(&html.intro)
                    && !html.sections.iter().any(|s| depends_on_page(s)) =>
            {
                html.clone()
            }
            _ => item(self.archive, m, it, On::ItemPage),
        }
    }

    /// The bytes of HTML held, and allocated.
    pub fn held(&self) -> (usize, usize) {
        let mut held = (0, 0);
        for m in self.meetings.iter().filter_map(OnceLock::get) {
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

    /// The meeting page's HTML of meeting `i`.
    pub fn meeting(&self, i: usize) -> &MeetingHtml {
        self.meetings[i].get_or_init(|| {
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
        })
    }
}
