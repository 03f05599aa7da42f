//! Following a matter across meetings: topics assigned from the text, explicit
//! references to other meetings, related items and the links back.
//!
//! Nothing here compares every item with every other: similar items are found
//! through an inverted index of each item's most telling words, and the other
//! kinds of link through indexes by case number, topic and date.

pub mod dates;
mod similar;
pub mod text;
mod topics;

use crate::content::{ItemSource, Kind, MeetingSource};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub use topics::TopicMatcher;

/// One public item as the linker sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemKey {
    /// Index of the meeting in the model's order (oldest first).
    pub meeting: usize,
    pub number: u32,
}

/// Why two items are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "topic", rename_all = "snake_case")]
pub enum Reason {
    /// They carry the same case number.
    SameCase,
    /// This item refers to the other.
    RefersTo,
    /// The other item refers to this one.
    ReferredBy,
    /// They share a topic (index into the topics).
    Topic(usize),
    /// Their texts are alike.
    Similar,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub target: ItemKey,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// A reference found in an item's text, resolved to a meeting of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The words as written: "4. april 2024".
    pub text: String,
    pub meeting: usize,
    /// The item, when the text names one or one item of that meeting clearly
    /// treats the same matter.
    pub item: Option<u32>,
}

pub use crate::config::Linking as Settings;

/// Everything the linker found.
#[derive(Debug, Default)]
pub struct Links {
    /// Final topics of each item: explicit, plus assigned, minus excluded.
    pub topics: HashMap<ItemKey, Vec<usize>>,
    pub references: HashMap<ItemKey, Vec<Reference>>,
    /// Items that refer to an item, oldest first.
    pub referenced_by: HashMap<ItemKey, Vec<ItemKey>>,
    /// Items that refer to a meeting as a whole, oldest first.
    pub meeting_referenced_by: HashMap<usize, Vec<ItemKey>>,
    pub related: HashMap<ItemKey, Vec<Related>>,
    /// The previous and next step of the item's matter.
    pub matter: HashMap<ItemKey, (Option<ItemKey>, Option<ItemKey>)>,
}

/// A meeting as the linker needs it.
pub struct MeetingInfo<'a> {
    pub body: &'a str,
    pub date: NaiveDate,
    pub kind: Kind,
    pub source: &'a MeetingSource,
}

/// Titles of routine items that neither get nor give similarity links.
pub fn is_routine(title: &str) -> bool {
    let t = title.trim().to_lowercase();
    let t = t.trim_end_matches(['.', ':']);
    const STARTS: &[&str] = &[
        "godkendelse af dagsorden",
        "godkendelse af referat",
        "godkendelse af dagsordenen",
        "godkendelse af referatet",
        "eventuelt",
        "evt",
        "næste møde",
        "eventuelt og næste møde",
        "approval of the agenda",
        "approval of the minutes",
        "any other business",
        "next meeting",
    ];
    STARTS
        .iter()
        .any(|s| t == *s || t.starts_with(&format!("{s} ")))
}

/// The item's text, intro and sections a line apart, made in `text`.
fn item_text_into(item: &ItemSource, text: &mut String) {
    text.clear();
    text.push_str(&item.intro);
    for s in &item.sections {
        text.push('\n');
        text.push_str(&s.markdown);
    }
}

/// Runs the linker over the public meetings (oldest first) and their public items.
pub fn run(meetings: &[MeetingInfo], matcher: &TopicMatcher, settings: &Settings) -> Links {
    // The public items, flat.
    let mut keys: Vec<ItemKey> = Vec::new();
    let mut sources: Vec<&ItemSource> = Vec::new();
    for (mi, m) in meetings.iter().enumerate() {
        for item in m.source.items.iter().filter(|i| !i.closed) {
            keys.push(ItemKey {
                meeting: mi,
                number: item.number,
            });
            sources.push(item);
        }
    }
    let index: HashMap<ItemKey, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let directory = Directory::new(meetings);
    let routine: Vec<bool> = sources.iter().map(|s| is_routine(&s.title)).collect();

    let clock = std::time::Instant::now();
    let lap = |what: &str| crate::timing::lap_since(what, clock);
    // Per item, in parallel: the text's topics and references.
    struct Found {
        topics: Vec<usize>,
        references: Vec<Reference>,
    }
    // Each worker makes the items' texts in one buffer of its own.
    let found: Vec<Found> = (0..keys.len())
        .into_par_iter()
        .map_init(String::new, |body, i| {
            let src = sources[i];
            let key = keys[i];
            item_text_into(src, body);
            let body = body.as_str();
            let topics = matcher.assign(
                &src.title,
                body,
                &src.topics,
                &src.not_topics,
                settings.topic_threshold,
            );
            let meeting = &meetings[key.meeting];
            let mut references = Vec::new();
            for text in [src.title.as_str(), body] {
                for mention in dates::find(text, meeting.date) {
                    if let Some((target, item)) = directory.resolve(key.meeting, &mention) {
                        let r = Reference {
                            text: text[mention.span.clone()].to_string(),
                            meeting: target,
                            item: item.filter(|n| {
                                index.contains_key(&ItemKey {
                                    meeting: target,
                                    number: *n,
                                })
                            }),
                        };
                        if !references.contains(&r) {
                            references.push(r);
                        }
                    }
                }
            }
            Found { topics, references }
        })
        .collect();

    lap("topics and references");
    // Similar texts.
    let vectors = similar::vectors(&sources, &routine);
    lap("word vectors");
    let neighbours = similar::neighbours(&vectors, &keys, &routine);
    lap("similar items");

    let mut links = Links::default();
    for (i, f) in found.iter().enumerate() {
        links.topics.insert(keys[i], f.topics.clone());
    }

    // References that name only a meeting point at the item of that meeting
    // that treats the same matter, when one clearly does.
    let mut by_meeting: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        by_meeting.entry(k.meeting).or_default().push(i);
    }
    for (i, f) in found.into_iter().enumerate() {
        let key = keys[i];
        let mut refs = f.references;
        for r in &mut refs {
            if r.item.is_none() && !routine[i] {
                let best = by_meeting
                    .get(&r.meeting)
                    .into_iter()
                    .flatten()
                    .filter(|&&j| !routine[j])
                    .map(|&j| (similar::cosine(&vectors[i], &vectors[j]), j))
                    .filter(|(s, _)| *s >= similar::REFERENCE_MIN)
                    .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
                if let Some((_, j)) = best {
                    r.item = Some(keys[j].number);
                }
            }
            match r.item {
                Some(n) => links
                    .referenced_by
                    .entry(ItemKey {
                        meeting: r.meeting,
                        number: n,
                    })
                    .or_default()
                    .push(key),
                None => links
                    .meeting_referenced_by
                    .entry(r.meeting)
                    .or_default()
                    .push(key),
            }
        }
        if !refs.is_empty() {
            links.references.insert(key, refs);
        }
    }
    for v in links
        .referenced_by
        .values_mut()
        .chain(links.meeting_referenced_by.values_mut())
    {
        v.sort();
        v.dedup();
    }
    // The word vectors are done with: let them go before the ranking (at
    // 10,000 meetings some hundreds of megabytes).
    drop(vectors);

    // Matters: items with the same case number, and chains of references.
    let cases = case_groups(&keys, &sources);
    for group in cases.values() {
        for (pos, &i) in group.iter().enumerate() {
            let prev = pos.checked_sub(1).map(|p| keys[group[p]]);
            let next = group.get(pos + 1).map(|&n| keys[n]);
            links.matter.insert(keys[i], (prev, next));
        }
    }
    for (from, refs) in &links.references {
        for r in refs {
            let Some(n) = r.item else { continue };
            let to = ItemKey {
                meeting: r.meeting,
                number: n,
            };
            if to.meeting >= from.meeting {
                continue;
            }
            let entry = links.matter.entry(*from).or_insert((None, None));
            if entry.0.is_none() {
                entry.0 = Some(to);
            }
            let back = links.matter.entry(to).or_insert((None, None));
            if back.1.is_none() || back.1.is_some_and(|b| b > *from) {
                back.1 = Some(*from);
            }
        }
    }

    lap("back-links and matters");
    // Related items, ranked.
    let topic_items = topic_index(&keys, &links.topics);
    let mut case_of: HashMap<usize, &[usize]> = HashMap::new();
    for group in cases.values() {
        for &i in group {
            case_of.insert(i, group);
        }
    }
    let related: Vec<Vec<Related>> = (0..keys.len())
        .into_par_iter()
        .map(|i| {
            rank(
                i,
                &keys,
                &index,
                &links,
                case_of.get(&i).copied().unwrap_or(&[]),
                &topic_items,
                &neighbours[i],
                settings.related,
            )
        })
        .collect();
    for (i, r) in related.into_iter().enumerate() {
        if !r.is_empty() {
            links.related.insert(keys[i], r);
        }
    }
    lap("ranking");
    links
}

/// Case numbers that mark one matter: those used by items of more than one
/// meeting and by at most one item in each meeting (a number on every item
/// of a meeting is the meeting's journal number, not a matter).
fn case_groups(keys: &[ItemKey], sources: &[&ItemSource]) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in sources.iter().enumerate() {
        if let Some(case) = &s.case {
            groups.entry(case.clone()).or_default().push(i);
        }
    }
    groups.retain(|_, items| {
        let mut meetings: Vec<usize> = items.iter().map(|&i| keys[i].meeting).collect();
        let n = meetings.len();
        meetings.dedup();
        meetings.len() == n && n > 1
    });
    groups
}

fn topic_index(
    keys: &[ItemKey],
    topics: &HashMap<ItemKey, Vec<usize>>,
) -> HashMap<usize, Vec<usize>> {
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        for &t in topics.get(k).into_iter().flatten() {
            out.entry(t).or_default().push(i);
        }
    }
    out
}

const SCORE_REFERENCE: f32 = 4.0;
const SCORE_CASE: f32 = 3.0;
const SCORE_TOPIC: f32 = 1.0;
const SCORE_SIMILAR: f32 = 3.0;
/// How many items before and after an item in a topic's timeline are candidates.
const TOPIC_NEIGHBOURS: usize = 3;

#[allow(clippy::too_many_arguments)]
fn rank(
    i: usize,
    keys: &[ItemKey],
    index: &HashMap<ItemKey, usize>,
    links: &Links,
    case_group: &[usize],
    topic_items: &HashMap<usize, Vec<usize>>,
    neighbours: &[(usize, f32)],
    count: usize,
) -> Vec<Related> {
    let key = keys[i];
    let mut scores: BTreeMap<usize, (f32, Vec<Reason>)> = BTreeMap::new();
    let mut add = |j: usize, score: f32, reason: Reason| {
        if keys[j].meeting == key.meeting {
            return;
        }
        let e = scores.entry(j).or_insert((0.0, Vec::new()));
        if !e.1.contains(&reason) {
            e.0 += score;
            e.1.push(reason);
        }
    };
    for &j in case_group {
        add(j, SCORE_CASE, Reason::SameCase);
    }
    for r in links.references.get(&key).into_iter().flatten() {
        if let Some(&j) = r.item.and_then(|n| {
            index.get(&ItemKey {
                meeting: r.meeting,
                number: n,
            })
        }) {
            add(j, SCORE_REFERENCE, Reason::RefersTo);
        }
    }
    for from in links.referenced_by.get(&key).into_iter().flatten() {
        if let Some(&j) = index.get(from) {
            add(j, SCORE_REFERENCE, Reason::ReferredBy);
        }
    }
    for &(j, sim) in neighbours {
        add(j, SCORE_SIMILAR * sim, Reason::Similar);
    }
    // Shared topics add to every candidate, and bring the nearest items of
    // each topic's timeline in.
    let own_topics = links.topics.get(&key).cloned().unwrap_or_default();
    for &t in &own_topics {
        let Some(items) = topic_items.get(&t) else {
            continue;
        };
        let pos = items.binary_search(&i).unwrap_or_else(|p| p);
        let from = pos.saturating_sub(TOPIC_NEIGHBOURS);
        let to = (pos + TOPIC_NEIGHBOURS + 1).min(items.len());
        for &j in &items[from..to] {
            if j != i {
                add(j, SCORE_TOPIC, Reason::Topic(t));
            }
        }
    }
    for (j, entry) in scores.iter_mut() {
        for &t in links.topics.get(&keys[*j]).into_iter().flatten() {
            if own_topics.contains(&t) && !entry.1.contains(&Reason::Topic(t)) {
                entry.0 += SCORE_TOPIC;
                entry.1.push(Reason::Topic(t));
            }
        }
    }
    let mut ranked: Vec<Related> = scores
        .into_iter()
        .map(|(j, (score, mut reasons))| {
            reasons.sort();
            Related {
                target: keys[j],
                score: (score * 1000.0).round() / 1000.0,
                reasons,
            }
        })
        .collect();
    // Highest score first; ties go to the nearer meeting in time, then the
    // older one, then the lower item number, so the order never changes.
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                key.meeting
                    .abs_diff(a.target.meeting)
                    .cmp(&key.meeting.abs_diff(b.target.meeting))
            })
            .then_with(|| a.target.cmp(&b.target))
    });
    ranked.truncate(count);
    ranked
}

/// "Seneste møde" is read as the body's previous meeting in the archive only
/// when that is this close; a longer gap means the archive lacks it.
const PREVIOUS_MEETING_MAX_DAYS: i64 = 120;

/// Meetings by date and by body, for resolving references.
struct Directory<'a> {
    meetings: &'a [MeetingInfo<'a>],
    by_date: HashMap<NaiveDate, Vec<usize>>,
    by_body: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Directory<'a> {
    fn new(meetings: &'a [MeetingInfo<'a>]) -> Self {
        let mut by_date: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
        let mut by_body: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in meetings.iter().enumerate() {
            by_date.entry(m.date).or_default().push(i);
            by_body.entry(m.body).or_default().push(i);
        }
        Directory {
            meetings,
            by_date,
            by_body,
        }
    }

    /// The meeting (and item number, when named) a mention points at, if the
    /// archive holds it. A date on which no meeting was held is no reference.
    fn resolve(&self, from: usize, mention: &dates::Mention) -> Option<(usize, Option<u32>)> {
        let here = &self.meetings[from];
        let target = match &mention.target {
            dates::Target::Date { date, alternatives } => std::iter::once(date)
                .chain(alternatives)
                .find_map(|d| self.on_date(here, *d))?,
            dates::Target::PreviousMeeting => {
                let list = self.by_body.get(here.body)?;
                let before = list
                    .iter()
                    .rev()
                    .find(|&&j| self.meetings[j].date < here.date)?;
                let date = self.meetings[*before].date;
                // A gap in the archive: the meeting meant is not in it.
                if (here.date - date).num_days() > PREVIOUS_MEETING_MAX_DAYS {
                    return None;
                }
                self.on_date(here, date)?
            }
        };
        Some((target, mention.item))
    }

    /// The meeting held on `date`: the same body's first, minutes before agenda.
    fn on_date(&self, here: &MeetingInfo, date: NaiveDate) -> Option<usize> {
        if date == here.date {
            return None;
        }
        let list = self.by_date.get(&date)?;
        list.iter().copied().min_by_key(|&j| {
            let m = &self.meetings[j];
            (m.body != here.body, m.kind != Kind::Referat, j)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routine_items() {
        assert!(is_routine("Godkendelse af dagsorden"));
        assert!(is_routine("Godkendelse af referat fra seneste møde"));
        assert!(is_routine("Eventuelt"));
        assert!(is_routine("Evt."));
        assert!(is_routine("Næste møde"));
        assert!(!is_routine("Status ift. sundhedstjek på botilbud"));
        assert!(!is_routine("Eventuelle ændringer i styringsaftalen"));
    }
}
