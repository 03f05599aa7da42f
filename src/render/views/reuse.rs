//! Views of the pages that help people find and reuse the archive: the search
//! page, the data page, a page per item (so that a shared link to a decision
//! shows that decision), and what every page's head says to machines (feeds,
//! data files, Open Graph, schema.org JSON-LD).

use super::Context;
use super::{
    excerpt, AttachmentView, Common, ItemLinksView, Link, MeetingSummary, OutcomeView, PageMeta,
    SectionView,
};
use crate::content::SectionKind;
use crate::model::{Entry, Meeting};
use crate::render::pages::{Address, Anchors, Urls};
use crate::render::{calendar, feeds, opendata, when};
use crate::routes;
use serde::Serialize;

/// Which page a head is for.
#[derive(Debug, Clone, Copy)]
pub enum HeadScope {
    Site,
    Body(usize),
    Topic(usize),
    Case(usize),
    Meeting(usize),
    /// An item's page, by its meeting.
    Item(usize),
}

#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub media_type: &'static str,
    pub label: String,
    pub url: String,
}

/// What a page's `<head>` tells feed readers, crawlers and link previews.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    /// `website` or `article`.
    pub og_type: &'static str,
    /// `da_DK` or `en_GB`.
    pub og_locale: &'static str,
    pub feeds: Vec<Link>,
    pub alternates: Vec<Alternate>,
    /// schema.org JSON-LD, with `<`, `>` and `&` escaped for a script element.
    pub json_ld: Option<String>,
    /// The search page and the data page, for the menu and footer.
    pub search_url: String,
    pub data_page_url: String,
}

#[derive(Debug, Clone, Serialize)]
struct ItemPageView<'a> {
    label: String,
    title: String,
    anchor: String,
    meeting: &'a MeetingSummary,
    /// The item on its meeting page.
    in_meeting_url: String,
    case: Option<String>,
    case_url: Option<String>,
    topics: Vec<Link>,
    intro_html: String,
    sections: Vec<SectionView<'a>>,
    attachments: Vec<AttachmentView>,
    outcome: Option<OutcomeView>,
    #[serde(flatten)]
    links: ItemLinksView<'a>,
}

#[derive(Debug, Clone, Serialize)]
struct SearchView {
    pagefind_url: String,
    /// The further parts of the index, merged into the first by the page.
    script_url: String,
    years: Vec<String>,
    bodies: Vec<String>,
    topics: Vec<String>,
    /// The outcomes that occur, as their labels, in the order of the scale.
    outcomes: Vec<String>,
    decision_value: &'static str,
    topic_links: Vec<Link>,
}

/// JSON for a `<script>` element: no `<`, `>` or `&` that could end it.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl Common<'_> {
    fn feed_links(&self, scope: feeds::Scope) -> Vec<Link> {
        feeds::Kind::of(scope)
            .iter()
            .map(|&kind| Link {
                label: feeds::title(self.archive, self.strings, scope, kind),
                url: self.archive.url(&feeds::path(self.archive, scope, kind)),
            })
            .collect()
    }

    fn calendar_link(&self, body: usize) -> Alternate {
        Alternate {
            media_type: "text/calendar",
            label: self
                .strings
                .get("calendar_name")
                .replace("{body}", &self.archive.bodies[body].name),
            url: self.archive.url(&calendar::path(self.archive, body)),
        }
    }

    pub fn head(&self, scope: HeadScope) -> Head {
        let archive = self.archive;
        let mut head = Head {
            og_type: "website",
            og_locale: match archive.site.language {
                "en" => "en_GB",
                _ => "da_DK",
            },
            feeds: Vec::new(),
            alternates: Vec::new(),
            json_ld: None,
            search_url: archive.url(routes::SEARCH),
            data_page_url: archive.url(routes::DATA),
        };
        match scope {
            HeadScope::Site => head.feeds = self.feed_links(feeds::Scope::Site),
            HeadScope::Body(b) => {
                head.feeds = self.feed_links(feeds::Scope::Body(b));
                head.alternates.push(self.calendar_link(b));
            }
            HeadScope::Topic(t) => head.feeds = self.feed_links(feeds::Scope::Topic(t)),
            HeadScope::Case(c) => head.feeds = self.feed_links(feeds::Scope::Case(c)),
            HeadScope::Meeting(i) | HeadScope::Item(i) => {
                let m = &archive.meetings[i];
                head.og_type = "article";
                head.feeds = self.feed_links(feeds::Scope::Body(m.body));
                head.alternates.push(Alternate {
                    media_type: "application/json",
                    label: self.t("meeting_data"),
                    url: archive.url(&opendata::meeting_path(m)),
                });
                head.alternates.push(self.calendar_link(m.body));
                if matches!(scope, HeadScope::Meeting(_)) {
                    head.json_ld = Some(script_json(&self.event_json_ld(m)));
                }
            }
        }
        head
    }

    /// schema.org `Event` for a meeting.
    fn event_json_ld(&self, m: &Meeting) -> serde_json::Value {
        let archive = self.archive;
        let body = archive.body_of(m);
        let start = m.facts.start.as_deref().and_then(when::parse_time);
        let mut event = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.meeting_title(m),
            "url": archive.permalink(&m.page()),
            "startDate": match start {
                Some(_) => when::rfc3339(m.date, m.facts.start.as_deref()),
                None => when::iso_date(m.date),
            },
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "inLanguage": archive.site.language,
            "organizer": {
                "@type": "Organization",
                "name": body.full_name.as_deref().unwrap_or(&body.name),
                "url": archive.permalink(&body.page()),
            },
        });
        if let (Some(_), Some(end)) = (start, m.facts.end.as_deref()) {
            event["endDate"] = when::rfc3339(m.date, Some(end)).into();
        }
        if let Some(location) = &m.facts.location {
            event["location"] = serde_json::json!({
                "@type": "Place",
                "name": location,
                "address": location,
            });
        }
        let titles: Vec<&str> = m
            .entries
            .iter()
            .filter_map(Entry::item)
            .map(|i| i.title.as_str())
            .collect();
        if !titles.is_empty() {
            event["description"] = excerpt(&titles.join(" · "), 500).into();
        }
        event
    }

    /// Item page addresses by anchor, for links from the meeting page.
    pub fn item_pages(&self, i: usize) -> std::collections::BTreeMap<String, String> {
        let m = &self.archive.meetings[i];
        m.entries
            .iter()
            .filter_map(Entry::item)
            .map(|item| {
                (
                    item.anchor().clone(),
                    self.archive.url(&routes::item_page(&m.id, item.number)),
                )
            })
            .collect()
    }

    /// The page of one item, `…/2024-05-27-referat/punkt-4/`.
    pub fn item_page(&self, mi: usize, ei: usize) -> Context<'_> {
        let archive = self.archive;
        let m = &archive.meetings[mi];
        let Some(item) = m.entries[ei].item() else {
            return Context::new();
        };
        let page_url = archive.url(&routes::item_page(&m.id, item.number));
        let summary = self.summary(mi);
        let label = crate::render::labels::item_label(self.strings, item);
        let html = self.texts.item_page(mi, item);
        self.texts.done(mi);
        let decision = item.section(SectionKind::Decision);
        let description = match decision.filter(|d| !d.content.text.trim().is_empty()) {
            Some(d) => format!(
                "{}: {}",
                self.t("section_beslutning"),
                excerpt(&d.content.text, 250)
            ),
            None => {
                let first = item.first_text();
                if first.is_empty() {
                    format!("{label}, {}", summary.title)
                } else {
                    excerpt(first, 250)
                }
            }
        };
        let body = archive.body_of(m);
        let mut ctx = self.context(PageMeta {
            title: format!("{} · {}", item.title, summary.title),
            description,
            canonical: archive.permalink(&routes::item_page(&m.id, item.number)),
            breadcrumbs: vec![
                self.home_link(),
                Link {
                    label: body.name.clone(),
                    url: archive.url(&body.page()),
                },
                Link {
                    label: summary.title.clone(),
                    url: summary.url.clone(),
                },
            ],
        });
        let view = ItemPageView {
            label,
            title: item.title.clone(),
            anchor: item.anchor().clone(),
            in_meeting_url: self.item_url(m, &item.anchor()),
            case: item.case.clone(),
            case_url: self.case_url(item),
            topics: self.topic_links(item),
            intro_html: html.intro,
            sections: item
                .sections
                .iter()
                .zip(html.sections)
                .map(|(s, html)| SectionView {
                    anchor: item.section_anchor(s.kind),
                    label: self.t(&format!("section_{}", s.kind.slug())),
                    html: html.into(),
                    url: format!("{page_url}#{}", item.section_anchor(s.kind)),
                    is_decision: s.kind == SectionKind::Decision,
                    is_attachments: s.kind == SectionKind::Attachments,
                })
                .collect(),
            attachments: self.attachments(item),
            outcome: self.outcome(item),
            links: self.item_links(item),
            meeting: summary,
        };
        ctx.insert("item", view);
        ctx
    }

    /// The search page, `/soeg/`.
    pub fn search(&self) -> Context<'_> {
        let archive = self.archive;
        let mut ctx = self.context(PageMeta {
            title: self.t("search_title"),
            description: self.t("search_description"),
            canonical: archive.permalink(routes::SEARCH),
            breadcrumbs: vec![self.home_link()],
        });
        let view = SearchView {
            pagefind_url: archive.url(routes::SEARCH_INDEX),
            script_url: archive.url(routes::SEARCH_SCRIPT),
            years: archive.years.iter().map(|y| y.year.to_string()).collect(),
            bodies: archive
                .bodies
                .iter()
                .filter(|b| !b.meetings.is_empty())
                .map(|b| b.name.clone())
                .collect(),
            topics: archive
                .topics
                .iter()
                .filter(|t| !t.items.is_empty())
                .map(|t| t.name.clone())
                .collect(),
            outcomes: {
                let mut seen: Vec<crate::model::Outcome> = archive
                    .meetings
                    .iter()
                    .flat_map(|m| m.entries.iter().filter_map(crate::model::Entry::item))
                    .map(|i| i.outcome)
                    .filter(|&o| o != crate::model::Outcome::None)
                    .collect();
                seen.sort_unstable();
                seen.dedup();
                seen.into_iter()
                    .map(|o| self.t(&format!("outcome_{}", o.slug())))
                    .collect()
            },
            decision_value: crate::render::search::HAS_DECISION,
            topic_links: archive
                .topics
                .iter()
                .map(|t| Link {
                    label: t.name.clone(),
                    url: archive.url(&t.page()),
                })
                .collect(),
        };
        ctx.insert("search", view);
        ctx
    }

    /// The data page, `/data/`, with its explanation already rendered.
    pub fn data_page<'a>(&'a self, html: &'a str) -> Context<'a> {
        let archive = self.archive;
        let mut ctx = self.context(PageMeta {
            title: self.t("data_title"),
            description: self.t("data_description"),
            canonical: archive.permalink(routes::DATA),
            breadcrumbs: vec![self.home_link()],
        });
        let mut files = vec![Link {
            label: "archive.json".into(),
            url: archive.url(routes::ARCHIVE_JSON),
        }];
        if self.whole_decisions_csv() {
            files.push(Link {
                label: self.t("data_decisions_all"),
                url: archive.url(opendata::DECISIONS_CSV),
            });
        }
        for year in opendata::decision_years(archive) {
            files.push(Link {
                label: self
                    .t("data_decisions_year")
                    .replace("{year}", &year.to_string()),
                url: archive.url(&routes::decisions_part(year)),
            });
        }
        for (path, _) in opendata::SCHEMAS {
            files.push(Link {
                label: path.trim_start_matches(routes::DATA).to_string(),
                url: archive.url(path),
            });
        }
        let mut subscriptions = self.feed_links(feeds::Scope::Site);
        for (b, body) in archive.bodies.iter().enumerate() {
            if body.meetings.is_empty() {
                continue;
            }
            subscriptions.extend(self.feed_links(feeds::Scope::Body(b)));
            let cal = self.calendar_link(b);
            subscriptions.push(Link {
                label: cal.label,
                url: cal.url,
            });
        }
        ctx.insert("data_html", html);
        ctx.insert("files", files);
        ctx.insert("subscriptions", subscriptions);
        ctx
    }
}
