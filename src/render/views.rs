//! The views handed to templates: plain data with every address, label and
//! date already made, so that templates lay out and never compute.

use super::pages::{Address, Anchors, Urls};
use super::theme::{Strings, Theme};
use super::when;
use crate::content::{Kind, MeetingFacts, SectionKind};
use crate::model::{Archive, Entry, Item, ItemRef, Meeting, Outcome, Reason};
use crate::routes;
use serde::Serialize;

mod context;
mod reuse;
pub use context::Context;
pub use reuse::HeadScope;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// The most bodies the main menu names one by one: with more, a menu of
/// bodies fills a phone's first screen (25 bodies take some ten lines at
/// 390 px) and every page carries some 2 kB of it, so it holds one link to
/// the list on the front page instead.
const MENU_BODIES: usize = 6;

#[derive(Debug, Clone, Serialize)]
struct SiteView {
    title: String,
    description: String,
    lang: &'static str,
    base_url: String,
    home_url: String,
    topics_url: String,
    cases_url: String,
    data_url: String,
    stylesheet_url: String,
    /// The theme's one small script (copy-link buttons), loaded with `defer`.
    script_url: String,
    years: Vec<Link>,
    bodies: Vec<Link>,
    /// The front page's list of bodies, which the main menu links to
    /// instead of naming the bodies when there are more than
    /// [`MENU_BODIES`].
    bodies_url: Option<String>,
    /// The id of the front page's list of bodies.
    bodies_anchor: &'static str,
    has_topics: bool,
    has_cases: bool,
}

#[derive(Debug, Clone, Serialize)]
struct PageMeta {
    title: String,
    description: String,
    canonical: String,
    /// From the home page down to the page's parent.
    breadcrumbs: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
struct MeetingSummary {
    title: String,
    url: String,
    date: String,
    date_iso: String,
    kind: String,
    body: Link,
    item_count: usize,
    decision_count: usize,
}

/// An item in a list (a topic's, a case's, a year's): borrowed from the
/// model and from its meeting's summary, made once per build.
#[derive(Debug, Clone, Serialize)]
struct ItemSummary<'a> {
    title: &'a str,
    number: u32,
    url: String,
    decision_url: Option<String>,
    decision_excerpt: Option<String>,
    outcome: Option<OutcomeView>,
    meeting: &'a MeetingSummary,
}

/// A year of a topic's items.
#[derive(Debug, Serialize)]
struct YearItems<'a> {
    year: i32,
    items: Vec<ItemSummary<'a>>,
}

/// One year of a timeline, with a mark per meeting.
#[derive(Debug, Clone, Serialize)]
struct TimelineYear {
    year: i32,
    marks: Vec<TimelineMark>,
}

/// A meeting on a timeline: a link with its date, and its outcome as a
/// symbol, a colour (by `slug`) and words.
#[derive(Debug, Clone, Serialize)]
struct TimelineMark {
    url: String,
    /// "27. maj"
    day: String,
    date_iso: String,
    /// The item's title, or how many items the meeting had.
    title: String,
    slug: &'static str,
    symbol: &'static str,
    label: String,
}

/// The symbol of an outcome on a timeline; the words go beside it.
fn outcome_symbol(o: Outcome) -> &'static str {
    match o {
        Outcome::Approved => "✓",
        Outcome::ApprovedAmended => "±",
        Outcome::Noted => "i",
        Outcome::Discussed => "…",
        Outcome::Postponed => "→",
        Outcome::Rejected => "✗",
        Outcome::None => "○",
    }
}

/// What became of an item, as a short label: "Vedtaget som indstillet".
#[derive(Debug, Clone, Serialize)]
pub(super) struct OutcomeView {
    /// `approved_amended`, for the stylesheet.
    slug: &'static str,
    label: String,
}

#[derive(Debug, Clone, Serialize)]
struct SectionView<'a> {
    anchor: String,
    label: String,
    /// Borrowed from the meeting's HTML on its page, the item page's own.
    html: std::borrow::Cow<'a, str>,
    url: String,
    is_decision: bool,
    is_attachments: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct AttachmentView {
    title: String,
    href: Option<String>,
    format: Option<String>,
    /// "1,5 MB", in the site's language.
    size: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct EntryView<'a> {
    closed: bool,
    number: u32,
    anchor: String,
    /// "Punkt 4" / "Item 4"
    label: String,
    title: String,
    url: String,
    /// Set on the first item of a group (`Sager til behandling`).
    group: Option<String>,
    case: Option<String>,
    /// The case's page, `/sager/2024-029219/`.
    case_url: Option<String>,
    topics: Vec<Link>,
    intro_html: std::borrow::Cow<'a, str>,
    sections: Vec<SectionView<'a>>,
    attachments: Vec<AttachmentView>,
    decision_url: Option<String>,
    outcome: Option<OutcomeView>,
    /// Anchors of the numbers it had before, for old links: the item's
    /// (`punkt-3`) and its decision's (`punkt-3-beslutning`).
    old_anchors: Vec<String>,
    old_decision_anchors: Vec<String>,
    #[serde(flatten)]
    links: ItemLinksView<'a>,
}

/// Where an item leads: its matter's previous and next step, later items
/// that refer to it, and related items with the reasons.
#[derive(Debug, Clone, Default, Serialize)]
struct ItemLinksView<'a> {
    related: Vec<RelatedView<'a>>,
    referenced_by: Vec<ItemLink<'a>>,
    matter_previous: Option<ItemLink<'a>>,
    matter_next: Option<ItemLink<'a>>,
    /// Promises to return, each with the item that took it up.
    follow_ups: Vec<FollowUpView<'a>>,
    /// Earlier items whose promise this one takes up.
    follows_up: Vec<ItemLink<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct FollowUpView<'a> {
    text: &'a str,
    /// "Fulgt op: 4. april 2024, punkt 5".
    closed_by: Option<Link>,
    open: bool,
}

/// A link to an item of another meeting, with enough to recognise it.
#[derive(Debug, Clone, Serialize)]
struct ItemLink<'a> {
    /// "Punkt 4: Status ift. sundhedstjek på botilbud"
    label: String,
    url: String,
    /// "Referat – DAS Social, 4. april 2024", from its meeting's summary.
    meeting: &'a str,
    date_iso: &'a str,
}

#[derive(Debug, Clone, Serialize)]
struct RelatedView<'a> {
    #[serde(flatten)]
    item: ItemLink<'a>,
    /// Why: "samme sag", "emne: Socialtilsyn Nord", "lignende emne" …
    reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct MeetingView<'a> {
    #[serde(flatten)]
    summary: &'a MeetingSummary,
    #[serde(flatten)]
    facts: &'a MeetingFacts,
    intro_html: std::borrow::Cow<'a, str>,
    entries: Vec<EntryView<'a>>,
    /// Heading levels: items under group headings stand one level deeper.
    levels: HeadingLevels,
    referenced_by: Vec<ItemLink<'a>>,
    previous: Option<Link>,
    next: Option<Link>,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct HeadingLevels {
    group: u8,
    item: u8,
    section: u8,
}

impl HeadingLevels {
    fn new(depth: u8) -> Self {
        HeadingLevels {
            group: 2,
            item: 2 + depth,
            section: 3 + depth,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct YearGroup {
    year: i32,
    meetings: Vec<MeetingSummary>,
}

#[derive(Debug, Clone, Serialize)]
struct TopicSummary {
    name: String,
    description: String,
    url: String,
    item_count: usize,
    first: Option<String>,
    last: Option<String>,
}

/// What every page shares, made once per build.
pub struct Common<'a> {
    pub archive: &'a Archive,
    strings: &'a Strings,
    site: SiteView,
    /// The meetings' text as HTML for their pages, shared with the other
    /// outputs that show it.
    pub texts: super::text::Texts<'a>,
    /// Each meeting's summary, made when first asked: a meeting is named on
    /// its items' pages and in every link to one of its items.
    summaries: Vec<std::sync::OnceLock<MeetingSummary>>,
    /// Whether every decision fits in one CSV file, reckoned once for the
    /// files, `archive.json` and the data page.
    whole_decisions_csv: std::sync::OnceLock<bool>,
}

impl<'a> Common<'a> {
    pub fn new(archive: &'a Archive, theme: &'a Theme) -> Self {
        let strings = &theme.strings;
        let bodies: Vec<Link> = archive
            .bodies
            .iter()
            .filter(|b| !b.meetings.is_empty())
            .map(|b| Link {
                label: b.name.clone(),
                url: archive.url(&b.page()),
            })
            .collect();
        let home_url = archive.url("");
        let bodies_url =
            (bodies.len() > MENU_BODIES).then(|| format!("{home_url}#{}", routes::BODIES_ANCHOR));
        let site = SiteView {
            title: archive.site.title.clone(),
            description: archive.site.description.clone(),
            lang: archive.site.language,
            base_url: archive.site.base.as_str().to_string(),
            home_url,
            topics_url: archive.url(routes::TOPICS),
            cases_url: archive.url(routes::CASES),
            data_url: archive.url(routes::ARCHIVE_JSON),
            stylesheet_url: archive.url(routes::STYLESHEET),
            script_url: archive.url(routes::COPY_LINK_SCRIPT),
            years: archive
                .years
                .iter()
                .map(|y| Link {
                    label: y.year.to_string(),
                    url: archive.url(&y.page()),
                })
                .collect(),
            bodies,
            bodies_url,
            bodies_anchor: routes::BODIES_ANCHOR,
            has_topics: !archive.topics.is_empty(),
            has_cases: !archive.cases.is_empty(),
        };
        Common {
            archive,
            strings,
            site,
            texts: super::text::Texts::new(archive),
            summaries: archive
                .meetings
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            whole_decisions_csv: std::sync::OnceLock::new(),
        }
    }

    /// Whether the CSV of every decision is written (see
    /// [`super::opendata::MAX_DATA_FILE`]).
    pub fn whole_decisions_csv(&self) -> bool {
        *self.whole_decisions_csv.get_or_init(|| {
            super::opendata::whole_decisions_fit(self.archive, super::opendata::MAX_DATA_FILE)
        })
    }

    pub(super) fn t(&self, key: &str) -> String {
        self.strings.get(key).to_string()
    }

    /// The theme's templates with what every page shows, the site and the
    /// strings, given once for the whole render instead of to each page.
    pub fn templates(&self, tera: &tera::Tera) -> tera::Tera {
        let mut tera = tera.clone();
        let globals = tera.global_context();
        globals.insert("site", &self.site);
        globals.insert("t", &self.strings.text);
        tera
    }

    /// A hash of the theme's `identity` and the templates' globals (see
    /// [`Common::templates`]): with the template and a page's view, what
    /// the page is made of.
    pub fn layout(&self, identity: u64) -> u64 {
        let mut json = identity.to_le_bytes().to_vec();
        // Both are plain text and structs: they are JSON.
        let _ = serde_json::to_writer(&mut json, &self.site);
        json.push(0);
        let _ = serde_json::to_writer(&mut json, &self.strings.text);
        crate::output::hash(&json)
    }

    /// A page's own view; the site and the strings are in the templates'
    /// globals (see [`Common::templates`]).
    fn context(&self, page: PageMeta) -> Context<'_> {
        let mut ctx = Context::new();
        ctx.insert("page", page);
        ctx
    }

    fn home_link(&self) -> Link {
        Link {
            label: self.t("home"),
            url: self.site.home_url.clone(),
        }
    }

    fn kind_label(&self, kind: Kind) -> String {
        self.t(match kind {
            Kind::Referat => "kind_referat",
            Kind::Dagsorden => "kind_dagsorden",
        })
    }

    pub(super) fn meeting_title(&self, m: &Meeting) -> String {
        super::labels::meeting_title(self.archive, self.strings, m)
    }

    fn meeting_summary(&self, i: usize) -> MeetingSummary {
        self.summary(i).clone()
    }

    /// The summary of meeting `i`, made once.
    fn summary(&self, i: usize) -> &MeetingSummary {
        self.summaries[i].get_or_init(|| self.make_summary(i))
    }

    fn make_summary(&self, i: usize) -> MeetingSummary {
        let m = &self.archive.meetings[i];
        let body = self.archive.body_of(m);
        let items = m.entries.iter().filter_map(Entry::item);
        MeetingSummary {
            title: self.meeting_title(m),
            url: self.archive.url(&m.page()),
            date: self.strings.date_long(m.date),
            date_iso: when::iso_date(m.date),
            kind: self.kind_label(m.kind),
            body: Link {
                label: body.name.clone(),
                url: self.archive.url(&body.page()),
            },
            item_count: m.entries.len(),
            decision_count: items.filter(|it| it.decision_anchor().is_some()).count(),
        }
    }

    fn item_url(&self, m: &Meeting, anchor: &str) -> String {
        format!("{}#{anchor}", self.archive.url(&m.page()))
    }

    fn item_summary(&self, r: ItemRef) -> Option<ItemSummary<'_>> {
        let item = self.archive.item(r)?;
        let summary = self.summary(r.meeting);
        let page = &summary.url;
        let decision = item.section(SectionKind::Decision);
        Some(ItemSummary {
            title: &item.title,
            number: item.number,
            url: format!("{page}#{}", item.anchor()),
            decision_url: decision
                .map(|_| format!("{page}#{}", routes::decision_anchor(item.number))),
            decision_excerpt: decision
                .map(|d| excerpt(&d.content.text, 220))
                .filter(|e| !e.is_empty()),
            outcome: self.outcome(item),
            meeting: summary,
        })
    }

    /// The address of the page of an item's case.
    pub(super) fn case_url(&self, item: &Item) -> Option<String> {
        item.case_index
            .and_then(|c| self.archive.cases.get(c))
            .map(|c| self.archive.url(&routes::case(&c.slug)))
    }

    /// The page of a case, `/sager/2024-029219/`: its items in date order,
    /// across meetings and bodies, each with its outcome and the start of
    /// its decision.
    pub fn case(&self, i: usize) -> Context<'_> {
        let case = &self.archive.cases[i];
        let items: Vec<ItemSummary> = case
            .items
            .iter()
            .filter_map(|r| self.item_summary(*r))
            .collect();
        let title = self
            .strings
            .get("case_title")
            .replace("{number}", &case.number);
        let date = |s: Option<&ItemSummary>| s.map_or(String::new(), |s| s.meeting.date.clone());
        let (first, last) = (date(items.first()), date(items.last()));
        let dates = if first == last {
            first
        } else {
            format!("{first}–{last}")
        };
        let description = self
            .strings
            .get("case_description")
            .replace("{number}", &case.number)
            .replace("{count}", &items.len().to_string())
            .replace("{dates}", &dates);
        let mut ctx = self.context(PageMeta {
            title: title.clone(),
            description: description.clone(),
            canonical: self.archive.permalink(&routes::case(&case.slug)),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: self.t("cases"),
                    url: self.site.cases_url.clone(),
                },
            ],
        });
        ctx.insert(
            "case",
            serde_json::json!({
                "number": case.number,
                "title": title,
                "description": description,
                "item_count": items.len(),
            }),
        );
        ctx.insert("items", items);
        ctx.insert("marks", self.timeline(&case.items));
        ctx.insert("legend", self.timeline_legend());
        ctx
    }

    /// A timeline of items (oldest first): every year from the first to the
    /// last, and in it a mark per meeting, with the outcome that says most
    /// of its items (rejected, approved, amended, postponed, noted,
    /// discussed, none).
    fn timeline(&self, items: &[ItemRef]) -> Vec<TimelineYear> {
        let archive = self.archive;
        let mut meetings: Vec<(usize, Vec<&Item>, ItemRef)> = Vec::new();
        for r in items {
            let Some(item) = archive.item(*r) else {
                continue;
            };
            match meetings.last_mut() {
                Some((m, list, _)) if *m == r.meeting => list.push(item),
                _ => meetings.push((r.meeting, vec![item], *r)),
            }
        }
        let rank = |o: Outcome| match o {
            Outcome::Rejected => 0,
            Outcome::Approved => 1,
            Outcome::ApprovedAmended => 2,
            Outcome::Postponed => 3,
            Outcome::Noted => 4,
            Outcome::Discussed => 5,
            Outcome::None => 6,
        };
        let mut years: Vec<TimelineYear> = Vec::new();
        for (mi, list, first) in meetings {
            let m = &archive.meetings[mi];
            let year = chrono::Datelike::year(&m.date);
            while years.last().is_some_and(|y| y.year + 1 < year) {
                let next = years.last().map_or(year, |y| y.year + 1);
                years.push(TimelineYear {
                    year: next,
                    marks: Vec::new(),
                });
            }
            if years.last().map(|y| y.year) != Some(year) {
                years.push(TimelineYear {
                    year,
                    marks: Vec::new(),
                });
            }
            let outcome = list
                .iter()
                .map(|i| i.outcome)
                .min_by_key(|o| rank(*o))
                .unwrap_or_default();
            let title = match list.as_slice() {
                [one] => one.title.clone(),
                many => self
                    .strings
                    .get("timeline_items")
                    .replace("{count}", &many.len().to_string()),
            };
            let label = match outcome {
                Outcome::None => self.t("timeline_no_outcome"),
                o => self.t(&format!("outcome_{}", o.slug())),
            };
            let day = self.strings.date_long(m.date);
            let day = day
                .trim_end_matches(&year.to_string())
                .trim_end()
                .to_string();
            if let Some(y) = years.last_mut() {
                y.marks.push(TimelineMark {
                    url: self.item_url(m, &routes::item_anchor(first.number)),
                    day,
                    date_iso: when::iso_date(m.date),
                    title,
                    slug: outcome.slug(),
                    symbol: outcome_symbol(outcome),
                    label,
                });
            }
        }
        years
    }

    /// The symbols of a timeline with their words, for its legend.
    fn timeline_legend(&self) -> Vec<serde_json::Value> {
        Outcome::ALL
            .iter()
            .map(|&o| {
                serde_json::json!({
                    "slug": o.slug(),
                    "symbol": outcome_symbol(o),
                    "label": match o {
                        Outcome::None => self.t("timeline_no_outcome"),
                        o => self.t(&format!("outcome_{}", o.slug())),
                    },
                })
            })
            .collect()
    }

    /// The outcome's label, or none when there is no outcome to show.
    pub(super) fn outcome(&self, item: &Item) -> Option<OutcomeView> {
        (item.outcome != Outcome::None).then(|| OutcomeView {
            slug: item.outcome.slug(),
            label: self.t(&format!("outcome_{}", item.outcome.slug())),
        })
    }

    fn topic_links(&self, item: &Item) -> Vec<Link> {
        item.topics
            .iter()
            .map(|&t| {
                let topic = &self.archive.topics[t];
                Link {
                    label: topic.name.clone(),
                    url: self.archive.url(&topic.page()),
                }
            })
            .collect()
    }

    pub fn home(&self) -> Context<'_> {
        let archive = self.archive;
        let latest: Vec<MeetingSummary> = (0..archive.meetings.len())
            .rev()
            .take(8)
            .map(|i| self.meeting_summary(i))
            .collect();
        let mut decisions = Vec::new();
        'outer: for mi in (0..archive.meetings.len()).rev() {
            for item in archive.meetings[mi].entries.iter().filter_map(Entry::item) {
                if item.decision_anchor().is_none() || item.routine {
                    continue;
                }
                if let Some(s) = self.item_summary(ItemRef {
                    meeting: mi,
                    number: item.number,
                }) {
                    if s.decision_excerpt.is_some() {
                        decisions.push(s);
                    }
                }
                if decisions.len() == 8 {
                    break 'outer;
                }
            }
        }
        let years: Vec<(Link, usize)> = archive
            .years
            .iter()
            .map(|y| {
                (
                    Link {
                        label: y.year.to_string(),
                        url: archive.url(&y.page()),
                    },
                    y.meetings.len(),
                )
            })
            .collect();
        let description = if archive.site.description.is_empty() {
            self.t("home_description")
        } else {
            archive.site.description.clone()
        };
        let mut ctx = self.context(PageMeta {
            title: archive.site.title.clone(),
            description,
            canonical: archive.permalink(""),
            breadcrumbs: Vec::new(),
        });
        ctx.insert("latest_meetings", latest);
        ctx.insert("latest_decisions", decisions);
        ctx.insert("years", years);
        ctx.insert("topics", self.topic_summaries());
        ctx.insert("meeting_count", archive.meetings.len());
        ctx
    }

    pub fn not_found(&self) -> Context<'_> {
        let mut ctx = self.context(PageMeta {
            title: self.t("not_found_title"),
            description: self.t("not_found_text"),
            canonical: self.archive.permalink(routes::NOT_FOUND_FILE),
            breadcrumbs: vec![self.home_link()],
        });
        let years: Vec<(Link, usize)> = Vec::new();
        ctx.insert("years", years);
        let latest: Vec<MeetingSummary> = (0..self.archive.meetings.len())
            .rev()
            .take(5)
            .map(|i| self.meeting_summary(i))
            .collect();
        ctx.insert("latest_meetings", latest);
        ctx
    }

    pub fn year(&self, i: usize) -> Context<'_> {
        let year = &self.archive.years[i];
        let meetings: Vec<MeetingSummary> = year
            .meetings
            .iter()
            .map(|&m| self.meeting_summary(m))
            .collect();
        let title = self
            .strings
            .get("year_title")
            .replace("{year}", &year.year.to_string());
        let mut ctx = self.context(PageMeta {
            description: self
                .strings
                .get("year_description")
                .replace("{year}", &year.year.to_string())
                .replace("{count}", &meetings.len().to_string()),
            title,
            canonical: self.archive.permalink(&year.page()),
            breadcrumbs: vec![self.home_link()],
        });
        ctx.insert("year", year.year);
        ctx.insert("meetings", meetings);
        ctx
    }

    pub fn body(&self, i: usize) -> Context<'_> {
        let body = &self.archive.bodies[i];
        let mut groups: Vec<YearGroup> = Vec::new();
        for &m in &body.meetings {
            let year = chrono::Datelike::year(&self.archive.meetings[m].date);
            if groups.last().map(|g| g.year) != Some(year) {
                groups.push(YearGroup {
                    year,
                    meetings: Vec::new(),
                });
            }
            if let Some(g) = groups.last_mut() {
                g.meetings.push(self.meeting_summary(m));
            }
        }
        let description = if body.description.is_empty() {
            self.strings
                .get("body_description")
                .replace("{body}", &body.name)
        } else {
            body.description.clone()
        };
        let mut ctx = self.context(PageMeta {
            title: body.name.clone(),
            description,
            canonical: self.archive.permalink(&body.page()),
            breadcrumbs: vec![self.home_link()],
        });
        ctx.insert(
            "body",
            serde_json::json!({
                "name": body.name,
                "full_name": body.full_name,
                "description": body.description,
                "meeting_count": body.meetings.len(),
            }),
        );
        ctx.insert("years", groups);
        ctx.insert(
            "follow_ups_url",
            self.archive.url(&routes::follow_ups(&body.slug)),
        );
        ctx
    }

    fn topic_summaries(&self) -> Vec<TopicSummary> {
        self.archive
            .topics
            .iter()
            .map(|t| {
                let date = |r: &ItemRef| {
                    self.strings
                        .date_long(self.archive.meetings[r.meeting].date)
                };
                TopicSummary {
                    name: t.name.clone(),
                    description: t.description.clone(),
                    url: self.archive.url(&t.page()),
                    item_count: t.items.len(),
                    first: t.items.first().map(date),
                    last: t.items.last().map(date),
                }
            })
            .collect()
    }

    /// The index of cases, `/sager/`: the years in which cases first came
    /// up, newest first, each with its number of cases and its page.
    pub fn cases(&self) -> Context<'_> {
        let archive = self.archive;
        let mut ctx = self.context(PageMeta {
            title: self.t("cases"),
            description: self
                .strings
                .get("cases_description")
                .replace("{count}", &archive.cases.len().to_string()),
            canonical: archive.permalink(routes::CASES),
            breadcrumbs: vec![self.home_link()],
        });
        let groups: Vec<serde_json::Value> = archive
            .case_years()
            .iter()
            .map(|(year, cases)| {
                serde_json::json!({
                    "year": year,
                    "url": archive.url(&routes::cases_year(*year)),
                    "count": if cases.len() == 1 {
                        self.t("cases_count_one")
                    } else {
                        super::labels::fill(
                            self.strings.get("cases_count"),
                            &[("count", &cases.len().to_string())],
                        )
                    },
                })
            })
            .collect();
        ctx.insert("groups", groups);
        ctx
    }

    /// The cases that first came up in `year`, `/sager/aar-2024/`: every
    /// case number with the title of its first item, its number of items
    /// and its first and last dates, newest first.
    pub fn cases_year(&self, year: i32) -> Context<'_> {
        let archive = self.archive;
        let years = archive.case_years();
        let list: &[usize] = years
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(&[], |(_, l)| l.as_slice());
        let cases: Vec<serde_json::Value> = list
            .iter()
            .map(|&c| {
                let case = &archive.cases[c];
                let dates = case.items.iter().map(|r| archive.meetings[r.meeting].date);
                let first = dates.clone().min().unwrap_or_default();
                let last = dates.max().unwrap_or(first);
                let title = case
                    .items
                    .first()
                    .and_then(|r| archive.item(*r))
                    .map_or(String::new(), |i| i.title.clone());
                serde_json::json!({
                    "number": case.number,
                    "url": archive.url(&routes::case(&case.slug)),
                    "title": title,
                    "item_count": case.items.len(),
                    "first": self.strings.date_long(first),
                    "first_iso": when::iso_date(first),
                    "last": self.strings.date_long(last),
                    "last_iso": when::iso_date(last),
                })
            })
            .collect();
        let year_text = year.to_string();
        let mut ctx = self.context(PageMeta {
            title: super::labels::fill(
                self.strings.get("cases_year_title"),
                &[("year", &year_text)],
            ),
            description: super::labels::fill(
                self.strings.get("cases_year_description"),
                &[("count", &list.len().to_string()), ("year", &year_text)],
            ),
            canonical: archive.permalink(&routes::cases_year(year)),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: self.t("cases"),
                    url: archive.url(routes::CASES),
                },
            ],
        });
        let nav: Vec<serde_json::Value> = years
            .iter()
            .map(|(y, _)| {
                serde_json::json!({
                    "year": y,
                    "url": archive.url(&routes::cases_year(*y)),
                    "current": *y == year,
                })
            })
            .collect();
        ctx.insert("years", nav);
        ctx.insert("cases", cases);
        ctx
    }

    pub fn topics(&self) -> Context<'_> {
        let mut ctx = self.context(PageMeta {
            title: self.t("topics"),
            description: self.t("topics_description"),
            canonical: self.archive.permalink(routes::TOPICS),
            breadcrumbs: vec![self.home_link()],
        });
        ctx.insert("topics", self.topic_summaries());
        ctx
    }

    /// A large topic's years, each with its page and its number of items
    /// (see [`super::pages::topic_years`]); `current` marks the page's own.
    fn topic_year_links(&self, i: usize, current: Option<i32>) -> Vec<serde_json::Value> {
        let slug = &self.archive.topics[i].slug;
        super::pages::topic_years(self.archive, i)
            .into_iter()
            .map(|(year, count)| {
                serde_json::json!({
                    "year": year,
                    "url": self.archive.url(&routes::topic_year(slug, year)),
                    "count": count,
                    "current": current == Some(year),
                })
            })
            .collect()
    }

    pub fn topic(&self, i: usize) -> Context<'_> {
        let topic = &self.archive.topics[i];
        let years = self.topic_year_links(i, None);
        let mut timeline: Vec<YearItems> = Vec::new();
        // A large topic lists its items on a page per year.
        for r in topic.items.iter().filter(|_| years.is_empty()) {
            let year = chrono::Datelike::year(&self.archive.meetings[r.meeting].date);
            if timeline.last().map(|g| g.year) != Some(year) {
                timeline.push(YearItems {
                    year,
                    items: Vec::new(),
                });
            }
            if let (Some(g), Some(s)) = (timeline.last_mut(), self.item_summary(*r)) {
                g.items.push(s);
            }
        }
        let description = if topic.description.is_empty() {
            self.strings
                .get("topic_description")
                .replace("{topic}", &topic.name)
        } else {
            topic.description.clone()
        };
        let mut ctx = self.context(PageMeta {
            title: topic.name.clone(),
            description,
            canonical: self.archive.permalink(&topic.page()),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: self.t("topics"),
                    url: self.site.topics_url.clone(),
                },
            ],
        });
        ctx.insert(
            "topic",
            serde_json::json!({
                "name": topic.name,
                "description": topic.description,
                "item_count": topic.items.len(),
            }),
        );
        ctx.insert("timeline", timeline);
        ctx.insert("years", years);
        ctx.insert("marks", self.timeline(&topic.items));
        ctx.insert("legend", self.timeline_legend());
        ctx
    }

    /// A large topic's items of one year, `/emner/rammeaftale/2024/`.
    pub fn topic_year(&self, i: usize, year: i32) -> Context<'_> {
        let archive = self.archive;
        let topic = &archive.topics[i];
        let items: Vec<ItemSummary> = topic
            .items
            .iter()
            .filter(|r| chrono::Datelike::year(&archive.meetings[r.meeting].date) == year)
            .filter_map(|r| self.item_summary(*r))
            .collect();
        let year_text = year.to_string();
        let count = items.len().to_string();
        let fill = |key: &str| {
            super::labels::fill(
                self.strings.get(key),
                &[
                    ("topic", topic.name.as_str()),
                    ("year", &year_text),
                    ("count", &count),
                ],
            )
        };
        let mut ctx = self.context(PageMeta {
            title: fill("topic_year_title"),
            description: fill("topic_year_description"),
            canonical: archive.permalink(&routes::topic_year(&topic.slug, year)),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: self.t("topics"),
                    url: self.site.topics_url.clone(),
                },
                Link {
                    label: topic.name.clone(),
                    url: archive.url(&topic.page()),
                },
            ],
        });
        ctx.insert("years", self.topic_year_links(i, Some(year)));
        ctx.insert("items", items);
        ctx
    }

    pub fn meeting(&self, i: usize) -> Context<'_> {
        let archive = self.archive;
        let m = &archive.meetings[i];
        let summary = self.summary(i);
        let mut last_group: Option<&str> = None;
        let html = self.texts.meeting(i);
        let entries: Vec<EntryView> = m
            .entries
            .iter()
            .zip(&html.items)
            .map(|(e, item_html)| {
                let label = self
                    .strings
                    .get("item_label")
                    .replace("{number}", &e.number().to_string());
                match e {
                    Entry::Closed { number } => EntryView {
                        closed: true,
                        number: *number,
                        anchor: routes::item_anchor(*number),
                        title: self.t("closed_item"),
                        label,
                        url: self.item_url(m, &routes::item_anchor(*number)),
                        group: None,
                        case: None,
                        case_url: None,
                        topics: Vec::new(),
                        intro_html: "".into(),
                        sections: Vec::new(),
                        attachments: Vec::new(),
                        decision_url: None,
                        outcome: None,
                        old_anchors: Vec::new(),
                        old_decision_anchors: Vec::new(),
                        links: ItemLinksView::default(),
                    },
                    Entry::Item(item) => {
                        let group = match (&item.group, last_group) {
                            (Some(g), last) if last != Some(g.as_str()) => Some(g.clone()),
                            _ => None,
                        };
                        if item.group.is_some() {
                            last_group = item.group.as_deref();
                        }
                        let item_html = item_html.as_ref();
                        EntryView {
                            closed: false,
                            number: item.number,
                            anchor: item.anchor(),
                            label,
                            title: item.title.clone(),
                            url: self.item_url(m, &item.anchor()),
                            group,
                            case: item.case.clone(),
                            case_url: self.case_url(item),
                            topics: self.topic_links(item),
                            intro_html: item_html.map_or("".into(), |h| h.intro.clone().into()),
                            sections: item
                                .sections
                                .iter()
                                .enumerate()
                                .map(|(si, s)| SectionView {
                                    anchor: item.section_anchor(s.kind),
                                    label: self.t(&format!("section_{}", s.kind.slug())),
                                    html: item_html
                                        .and_then(|h| h.sections.get(si))
                                        .map_or("".into(), |h| h.clone().into()),
                                    url: self.item_url(m, &item.section_anchor(s.kind)),
                                    is_decision: s.kind == SectionKind::Decision,
                                    is_attachments: s.kind == SectionKind::Attachments,
                                })
                                .collect(),
                            attachments: self.attachments(item),
                            decision_url: item.decision_anchor().map(|a| self.item_url(m, &a)),
                            outcome: self.outcome(item),
                            old_anchors: item
                                .old_numbers
                                .iter()
                                .map(|&n| routes::item_anchor(n))
                                .collect(),
                            old_decision_anchors: item
                                .old_numbers
                                .iter()
                                .filter(|_| item.has_decision())
                                .map(|&n| routes::decision_anchor(n))
                                .collect(),
                            links: self.item_links(item),
                        }
                    }
                }
            })
            .collect();
        let neighbour = |j: Option<usize>| {
            j.map(|j| Link {
                label: self.meeting_title(&archive.meetings[j]),
                url: archive.url(&archive.meetings[j].page()),
            })
        };
        let titles: Vec<&str> = entries
            .iter()
            .filter(|e| !e.closed)
            .map(|e| e.title.as_str())
            .collect();
        let description = excerpt(
            &format!(
                "{}. {}",
                self.strings
                    .get("meeting_description")
                    .replace("{count}", &entries.len().to_string()),
                titles.join(" · ")
            ),
            300,
        );
        let body = archive.body_of(m);
        let mut ctx = self.context(PageMeta {
            title: summary.title.clone(),
            description,
            canonical: archive.permalink(&m.page()),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: body.name.clone(),
                    url: archive.url(&body.page()),
                },
                // The year among the body's meetings, not all bodies' year.
                Link {
                    label: chrono::Datelike::year(&m.date).to_string(),
                    url: format!(
                        "{}#aar-{}",
                        archive.url(&body.page()),
                        chrono::Datelike::year(&m.date)
                    ),
                },
            ],
        });
        let view = MeetingView {
            summary,
            facts: &m.facts,
            intro_html: html.intro.clone().into(),
            levels: HeadingLevels::new(m.group_depth()),
            entries,
            referenced_by: m
                .referenced_by
                .iter()
                .filter_map(|r| self.item_link(*r))
                .collect(),
            previous: neighbour(m.previous),
            next: neighbour(m.next),
        };
        ctx.insert("meeting", view);
        self.texts.done(i);
        ctx
    }

    fn item_links<'s>(&'s self, item: &'s crate::model::Item) -> ItemLinksView<'s> {
        ItemLinksView {
            related: item
                .related
                .iter()
                .filter_map(|r| {
                    Some(RelatedView {
                        item: self.item_link(r.target)?,
                        reasons: r.reasons.iter().map(|x| self.reason(*x)).collect(),
                    })
                })
                .collect(),
            referenced_by: item
                .referenced_by
                .iter()
                .filter_map(|r| self.item_link(*r))
                .collect(),
            matter_previous: item.matter_previous.and_then(|r| self.item_link(r)),
            matter_next: item.matter_next.and_then(|r| self.item_link(r)),
            follow_ups: item
                .follow_ups
                .iter()
                .map(|f| FollowUpView {
                    text: &f.text,
                    closed_by: f.closed_by.and_then(|r| self.short_item_link(r)),
                    open: f.open,
                })
                .collect(),
            follows_up: item
                .follows_up
                .iter()
                .filter_map(|r| self.item_link(*r))
                .collect(),
        }
    }

    /// "4. april 2024, punkt 5", with the item's address.
    fn short_item_link(&self, r: ItemRef) -> Option<Link> {
        let m = &self.archive.meetings[r.meeting];
        let item = self.archive.item(r)?;
        Some(Link {
            label: self
                .strings
                .get("follow_up_item")
                .replace("{date}", &self.strings.date_long(m.date))
                .replace("{number}", &item.number.to_string()),
            url: self.item_url(m, &item.anchor()),
        })
    }

    /// The open promises to return of a body, newest first: the page
    /// `/das-social/opfoelgning/`.
    pub fn follow_ups(&self, b: usize) -> Context<'_> {
        let archive = self.archive;
        let body = &archive.bodies[b];
        let mut open = Vec::new();
        for &mi in &body.meetings {
            let m = &archive.meetings[mi];
            for item in m.entries.iter().filter_map(Entry::item) {
                for f in item.follow_ups.iter().filter(|f| f.open) {
                    if let Some(link) = self.item_link(ItemRef {
                        meeting: mi,
                        number: item.number,
                    }) {
                        open.push(serde_json::json!({
                            "item": link,
                            "text": f.text,
                            "date": self.strings.date_long(m.date),
                        }));
                    }
                }
            }
        }
        let title = self
            .strings
            .get("follow_ups_title")
            .replace("{body}", &body.name);
        let mut ctx = self.context(PageMeta {
            title: title.clone(),
            description: self
                .strings
                .get("follow_ups_description")
                .replace("{body}", &body.name),
            canonical: archive.permalink(&routes::follow_ups(&body.slug)),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: body.name.clone(),
                    url: archive.url(&body.page()),
                },
            ],
        });
        ctx.insert("title", title);
        ctx.insert("follow_ups", open);
        ctx
    }

    fn item_link(&self, r: ItemRef) -> Option<ItemLink<'_>> {
        let item = self.archive.item(r)?;
        let meeting = self.summary(r.meeting);
        Some(ItemLink {
            label: format!(
                "{}: {}",
                super::labels::item_label(self.strings, item),
                item.title
            ),
            url: format!("{}#{}", meeting.url, item.anchor()),
            meeting: &meeting.title,
            date_iso: &meeting.date_iso,
        })
    }

    fn reason(&self, reason: Reason) -> String {
        match reason {
            Reason::SameCase => self.t("reason_same_case"),
            Reason::RefersTo => self.t("reason_refers_to"),
            Reason::ReferredBy => self.t("reason_referred_by"),
            Reason::Similar => self.t("reason_similar"),
            Reason::Topic(t) => self
                .strings
                .get("reason_topic")
                .replace("{topic}", &self.archive.topics[t].name),
        }
    }

    /// "840 kB", "1,5 MB": a file size with the site's decimal separator.
    fn file_size(&self, bytes: u64) -> String {
        let (value, unit) = match bytes {
            0..1_000 => return format!("{bytes}\u{a0}B"),
            1_000..1_000_000 => (bytes as f64 / 1e3, "kB"),
            _ => (bytes as f64 / 1e6, "MB"),
        };
        let text = if value < 10.0 {
            format!("{value:.1}")
        } else {
            format!("{value:.0}")
        };
        // A no-break space keeps the number and its unit on one line.
        format!(
            "{}\u{a0}{unit}",
            text.replace('.', self.strings.get("decimal_separator"))
        )
    }

    /// An item's attachments with their addresses, formats and sizes.
    pub(super) fn attachments(&self, item: &Item) -> Vec<AttachmentView> {
        item.attachments
            .iter()
            .map(|a| AttachmentView {
                title: a.title.clone(),
                href: a.href.as_ref().map(|h| self.attachment_href(h)),
                format: a.format.clone(),
                size: a.size.map(|b| self.file_size(b)),
            })
            .collect()
    }

    /// Site-absolute attachment paths (`/bilag/x.pdf`) follow the base path.
    fn attachment_href(&self, href: &str) -> String {
        match href.strip_prefix('/') {
            Some(rest) if !href.starts_with("//") => self.archive.url(rest),
            _ => href.to_string(),
        }
    }
}

/// The start of a text, cut at a word boundary, with an ellipsis when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("Godkendt", 10), "Godkendt");
        assert_eq!(
            excerpt("Dagsordenen blev godkendt uden bemærkninger", 20),
            "Dagsordenen blev…"
        );
    }

    /// An excerpt of an item's lead (what the model keeps of its first text)
    /// is the excerpt of the whole text, shorter or longer than either.
    #[test]
    fn an_excerpt_of_the_lead_is_that_of_the_whole_text() {
        use crate::model::{lead, LEAD_CHARS};
        let long = "Æblerne på øen blev talt, og tallet var højt. ".repeat(40);
        let start = |n: usize| long.chars().take(n).collect::<String>();
        let texts = [
            String::new(),
            "  Godkendt.  ".to_string(),
            start(299),
            start(301),
            start(420),
            long.clone(),
        ];
        for text in &texts {
            for max in [220, 250, 300, LEAD_CHARS - 1] {
                assert_eq!(excerpt(&lead(text, LEAD_CHARS), max), excerpt(text, max));
            }
        }
        assert_eq!(lead(&long, LEAD_CHARS).chars().count(), LEAD_CHARS);
    }
}
