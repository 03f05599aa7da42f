//! A synthetic archive for benchmarks and scale tests: Danish-like meetings
//! of many bodies over twenty years, with matters that recur across meetings
//! under one case number, topics, references to earlier meetings by date,
//! decisions of every outcome, promises to return to a matter (some taken up
//! by a later item of the same case or by one that refers back to them,
//! others left open), a few closed items and a few meetings that are not
//! public. The same arguments always give the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "kommunerne",
    "regionen",
    "borgere",
    "tilbud",
    "indsats",
    "samarbejde",
    "udvikling",
    "økonomi",
    "kapacitet",
    "målgruppe",
    "pladser",
    "takster",
    "aftale",
    "styring",
    "kvalitet",
    "opfølgning",
    "forløb",
    "rehabilitering",
    "handicap",
    "psykiatri",
    "misbrug",
    "børn",
    "unge",
    "familier",
    "botilbud",
    "døgntilbud",
    "specialiseret",
    "socialområde",
    "indskrivninger",
    "ventetid",
    "rekruttering",
    "medarbejdere",
    "kompetencer",
    "faglighed",
    "dokumentation",
    "data",
    "analyse",
    "tendenser",
    "udgifter",
    "budget",
    "rammeaftale",
    "forudsætninger",
    "sekretariatet",
    "arbejdsgruppe",
    "kommissorium",
    "handleplan",
    "strategi",
    "evaluering",
    "proces",
    "tidsplan",
    "høring",
    "udmøntning",
    "initiativer",
    "fokusområde",
    "pårørende",
    "netværk",
    "lovgivning",
    "reform",
    "finansiering",
    "puljer",
    "ansøgning",
    "forsøg",
    "modeller",
    "erfaringer",
    "viden",
    "praksis",
    "anbefalinger",
    "rapport",
    "redegørelse",
    "status",
    "overblik",
    "behov",
    "visitation",
    "myndighed",
    "leverandører",
    "private",
    "kommunale",
    "regionale",
    "tværgående",
    "fælles",
    "lokale",
    "nationale",
    "koordinering",
    "ledelse",
    "tilsyn",
    "sanktioner",
    "dialog",
    "møder",
    "workshop",
    "temadrøftelse",
    "perspektiver",
    "løsninger",
    "udfordringer",
    "muligheder",
    "risici",
    "konsekvenser",
    "vurdering",
    "beregning",
    "prognose",
    "efterspørgsel",
    "udbud",
    "belægning",
    "underskud",
    "overskud",
    "regnskab",
    "årsrapport",
    "nøgletal",
    "benchmark",
];

const VERBS: &[&str] = &[
    "drøftes",
    "belyses",
    "vurderes",
    "præsenteres",
    "fremlægges",
    "undersøges",
    "beskrives",
    "prioriteres",
    "koordineres",
    "evalueres",
    "justeres",
    "godkendes",
    "videreføres",
    "styrkes",
];

const LINKS: &[&str] = &[
    "i forhold til",
    "med afsæt i",
    "på baggrund af",
    "herunder",
    "samt",
    "og",
    "med fokus på",
    "på tværs af",
    "i samarbejde med",
    "med henblik på",
    "for så vidt angår",
];

use crate::content::MONTH_NAMES as MONTHS;

const BODY_STEMS: &[&str] = &[
    "Social",
    "Børne- og Unge",
    "Sundheds",
    "Ældre",
    "Beskæftigelses",
    "Handicap",
    "Psykiatri",
    "Økonomi",
    "Teknik- og Miljø",
    "Kultur- og Fritids",
    "Skole",
    "Erhvervs",
    "Klima",
    "Plan",
];

const BODY_KINDS: &[&str] = &[
    "udvalget",
    "styregruppen",
    "forum",
    "rådet",
    "direktørkredsen",
];

const TOPIC_HEADS: &[&str] = &[
    "sikrede institutioner",
    "socialtilsyn",
    "sundhedstjek",
    "botilbudspladser",
    "rammeaftale",
    "neurorehabilitering",
    "misbrugsbehandling",
    "anbringelser",
    "plejefamilier",
    "hjemløshed",
    "autisme",
    "hjerneskade",
    "demens",
    "udviklingshæmning",
    "selvskade",
    "spiseforstyrrelser",
    "krisecentre",
    "forsorgshjem",
    "takstudvikling",
    "rekruttering",
];

const TOPIC_TAILS: &[&str] = &["", " i Nord", " for unge", " for voksne"];

const PHASES: &[&str] = &[
    "Status på",
    "Opfølgning på",
    "Drøftelse af",
    "Godkendelse af",
    "Orientering om",
    "Evaluering af",
    "Handleplan for",
    "Økonomi i",
];

struct Body {
    slug: String,
    name: String,
}

struct Topic {
    slug: String,
    name: String,
    keywords: Vec<String>,
}

/// A matter followed through several meetings of one body.
struct Matter {
    topic: usize,
    subject: String,
    case: String,
    /// Date and item number of its last step, for references.
    last: Option<(i32, u32, u32, u32)>,
    /// Never taken up again: a promise made in it stays open.
    dropped: bool,
}

/// How a promise to return is kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// A later item of the same case.
    SameCase,
    /// A later item of a new case on the same topic that refers back to it.
    Reference,
}

/// A promise to return, to be kept at the body's meeting `at` (its number).
struct Promise {
    matter: usize,
    keep: Keep,
    at: usize,
}

/// The decision texts of each outcome, as the outcome rules read them
/// (`crate::model::outcome`).
const APPROVED: &[&str] = &[
    "Godkendt.",
    "Indstillingen blev godkendt.",
    "Det indstillede blev godkendt.",
    "Indstillingen blev tiltrådt.",
];
const APPROVED_AMENDED: &[&str] = &[
    "Godkendt med de faldne bemærkninger.",
    "Indstillingen blev godkendt med forbehold for finansieringen.",
    "Godkendt, idet",
];
const NOTED: &[&str] = &[
    "Orienteringen blev taget til efterretning.",
    "Taget til efterretning.",
    "Styregruppen tog orienteringen til efterretning.",
];
const DISCUSSED: &[&str] = &[
    "Drøftet.",
    "Styregruppen drøftede sagen.",
    "Sagen blev drøftet.",
];
const POSTPONED: &[&str] = &["Sagen blev udsat.", "Punktet blev udsat.", "Udsat."];
const REJECTED: &[&str] = &[
    "Indstillingen blev ikke godkendt.",
    "Forslaget blev forkastet.",
    "Indstillingen blev afvist.",
];
const NONE: &[&str] = &["Ingen bemærkninger."];

/// A sentence of the archive's words without verbs of decision, for the
/// context of a decision.
fn plain_sentence(rng: &mut Rng) -> String {
    let n = 6 + rng.below(6);
    let words: Vec<&str> = (0..n)
        .map(|i| {
            if i % 4 == 2 {
                *rng.pick(LINKS)
            } else {
                *rng.pick(WORDS)
            }
        })
        .collect();
    words.join(" ")
}

/// A decision of a random outcome, and whether it may promise to return.
fn decision(rng: &mut Rng) -> (String, bool) {
    let roll = rng.below(100);
    let (list, promises) = match roll {
        0..40 => (APPROVED, true),
        40..52 => (APPROVED_AMENDED, true),
        52..70 => (NOTED, true),
        70..85 => (DISCUSSED, true),
        85..92 => (POSTPONED, false),
        92..96 => (REJECTED, false),
        _ => (NONE, false),
    };
    let text = *rng.pick(list);
    let text = if text.ends_with("idet") {
        format!("{text} {}.", plain_sentence(rng))
    } else {
        text.to_string()
    };
    (text, promises)
}

/// A promise to return (see `crate::model::followup`), after a meeting in
/// `year`.
fn promise(rng: &mut Rng, year: i32) -> String {
    match rng.below(5) {
        0 => "Sagen forelægges på næste møde.".to_string(),
        1 => format!("Punktet drøftes igen primo {}.", year + 1),
        2 => "Sekretariatet vender tilbage med en status.".to_string(),
        3 => format!(
            "Der følges op på mødet i {}.",
            MONTHS[rng.below(MONTHS.len())]
        ),
        _ => format!("Sagen tages op igen i {}.", year + 1),
    }
}

fn sentence(rng: &mut Rng, extra: &[&str]) -> String {
    let mut s = String::new();
    let n = 8 + rng.below(10);
    for i in 0..n {
        let word = if !extra.is_empty() && rng.chance(12) {
            *rng.pick(extra)
        } else if i % 5 == 3 {
            *rng.pick(LINKS)
        } else if i == n / 2 {
            *rng.pick(VERBS)
        } else {
            *rng.pick(WORDS)
        };
        if i > 0 {
            s.push(' ');
        }
        s.push_str(word);
    }
    let mut chars = s.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

fn paragraph(rng: &mut Rng, extra: &[&str], sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng, extra))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes an archive of `meetings` meetings into `out`, replacing it.
pub fn generate(meetings: usize, out: &Path) -> std::io::Result<Summary> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    let mut rng = Rng(0x5EED_2014);

    // Bodies: about one per 400 meetings, at least three.
    let body_count = (meetings / 400).clamp(3, BODY_STEMS.len() * BODY_KINDS.len());
    let mut bodies = Vec::new();
    for i in 0..body_count {
        let name = format!(
            "{}{}",
            BODY_STEMS[i % BODY_STEMS.len()],
            BODY_KINDS[i / BODY_STEMS.len()]
        );
        bodies.push(Body {
            slug: crate::slug::slugify(&name),
            name,
        });
    }
    let mut topics = Vec::new();
    for (i, head) in TOPIC_HEADS.iter().enumerate() {
        for tail in TOPIC_TAILS.iter().take(1 + i % 3) {
            let name = format!("{head}{tail}");
            let mut chars = name.chars();
            let name = format!("{}{}", chars.next().unwrap().to_uppercase(), chars.as_str());
            topics.push(Topic {
                slug: crate::slug::slugify(&name),
                keywords: vec![
                    head.to_string(),
                    format!("{head}ne"),
                    WORDS[i * 3 % WORDS.len()].to_string(),
                ],
                name,
            });
        }
    }

    write(&out.join("config.toml"), "title = \"Syntetisk mødearkiv\"\nbase_url = \"https://arkiv.example.dk/\"\nlanguage = \"da\"\n")?;
    let mut text = String::new();
    for b in &bodies {
        writeln!(text, "[{}]\nname = \"{}\"\n", b.slug, b.name).unwrap();
    }
    write(&out.join("data/bodies.toml"), &text)?;
    text.clear();
    for t in &topics {
        let keywords: Vec<String> = t.keywords.iter().map(|k| format!("\"{k}\"")).collect();
        writeln!(
            text,
            "[{}]\nname = \"{}\"\nkeywords = [{}]\n",
            t.slug,
            t.name,
            keywords.join(", ")
        )
        .unwrap();
    }
    write(&out.join("data/topics.toml"), &text)?;

    // Meetings: spread over 2006-2025 for each body, in date order.
    let per_body = meetings.div_ceil(body_count);
    let mut case_counter = 0u32;
    let mut written = 0usize;
    for body in &bodies {
        let mut matters: Vec<Matter> = Vec::new();
        let mut promises: Vec<Promise> = Vec::new();
        let count = per_body.min(meetings - written);
        let days_total = 20 * 365;
        let mut previous_day = -1i64;
        for k in 0..count {
            // A day in the twenty years, evenly spread, a little jitter, never twice.
            let mut day = (k as i64 * days_total / count.max(1) as i64) + rng.below(3) as i64;
            if day <= previous_day {
                day = previous_day + 1;
            }
            previous_day = day;
            let (year, month, dom) = date_of(2006, day);
            let kind = if rng.chance(85) {
                "referat"
            } else {
                "dagsorden"
            };
            let items = 10 + rng.below(7);
            // One meeting in two hundred is not public.
            let public = rng.below(200) != 0;
            let mut md = String::with_capacity(48_000);
            writeln!(
                md,
                "+++\nbody = \"{}\"\ndate = {year:04}-{month:02}-{dom:02}\nkind = \"{kind}\"\nstart = \"{:02}:00\"\nend = \"{:02}:00\"\nlocation = \"Rådhuset, mødelokale {}\"\npresent = [\"Anne Krøjer\", \"Søren Aalund\", \"Rikke Albrektsen\"]\n{}+++\n",
                body.slug,
                9 + rng.below(5),
                14 + rng.below(3),
                1 + rng.below(9),
                if public { "" } else { "public = false\n" }
            )
            .unwrap();
            for n in 1..=items as u32 {
                if n == 1 {
                    writeln!(md, "## 1. Godkendelse af dagsorden\n\n### Indstilling\n\nDet indstilles, at dagsordenen godkendes.\n").unwrap();
                    if kind == "referat" {
                        writeln!(md, "### Beslutning\n\nGodkendt.\n").unwrap();
                    }
                    continue;
                }
                if n == 2 {
                    writeln!(md, "## 2. Godkendelse af referat fra seneste møde\n\n### Indstilling\n\nDet indstilles, at referatet fra seneste møde godkendes.\n").unwrap();
                    if kind == "referat" {
                        writeln!(md, "### Beslutning\n\nGodkendt.\n").unwrap();
                    }
                    continue;
                }
                if n == items as u32 {
                    writeln!(md, "## {n}. Eventuelt\n\nIntet.\n").unwrap();
                    continue;
                }
                // Keep a promise that is due, continue a matter, or start a
                // new one.
                let due = promises.iter().position(|p| p.at <= k);
                let kept = due.map(|i| promises.remove(i));
                let recent = matters.len().saturating_sub(40);
                let open: Vec<usize> = (recent..matters.len())
                    .filter(|&i| !matters[i].dropped)
                    .collect();
                let mut refers_to = None;
                let m = match kept {
                    Some(p) if p.keep == Keep::SameCase => p.matter,
                    _ if kept.is_none() && !open.is_empty() && rng.chance(55) => *rng.pick(&open),
                    _ => {
                        case_counter += 1;
                        // A new case on the topic of the promise it keeps.
                        let topic = match &kept {
                            Some(p) => {
                                refers_to = matters[p.matter].last;
                                matters[p.matter].topic
                            }
                            None => rng.below(topics.len()),
                        };
                        matters.push(Matter {
                            topic,
                            subject: format!("{} {}", topics[topic].keywords[0], rng.pick(WORDS)),
                            case: format!("{year}-{:06}", case_counter),
                            last: None,
                            dropped: false,
                        });
                        matters.len() - 1
                    }
                };
                let closed = rng.chance(3);
                let matter = &matters[m];
                let topic = &topics[matter.topic];
                let extra: Vec<&str> = topic.keywords.iter().map(String::as_str).collect();
                writeln!(
                    md,
                    "## {n}. {} {}\n\n+++\nsagsnr = \"{}\"{}\n+++\n",
                    rng.pick(PHASES),
                    matter.subject,
                    matter.case,
                    if closed { "\nlukket = true" } else { "" }
                )
                .unwrap();
                writeln!(md, "### Resumé\n\n{}\n", paragraph(&mut rng, &extra, 3)).unwrap();
                let mut presentation = String::new();
                if let Some((y, mo, d, item)) = refers_to {
                    writeln!(
                        presentation,
                        "Sagen følger op på punkt {item} på mødet den {d}. {} {y}, hvor der blev lovet en opfølgning. {}\n",
                        MONTHS[mo as usize - 1],
                        sentence(&mut rng, &extra)
                    )
                    .unwrap();
                }
                if let Some((y, mo, d, item)) = matter.last {
                    writeln!(
                        presentation,
                        "På mødet den {d}. {} {y} blev sagen behandlet under punkt {item}. {}\n",
                        MONTHS[mo as usize - 1],
                        sentence(&mut rng, &extra)
                    )
                    .unwrap();
                }
                for _ in 0..(4 + rng.below(4)) {
                    writeln!(presentation, "{}\n", paragraph(&mut rng, &extra, 4)).unwrap();
                }
                if rng.chance(20) {
                    presentation.push_str("| Kommune | Pladser | Udgift |\n|---|---:|---:|\n");
                    for _ in 0..4 {
                        writeln!(
                            presentation,
                            "| {} | {} | {} |",
                            rng.pick(&["Aalborg", "Hjørring", "Thisted", "Rebild", "Morsø"]),
                            rng.below(90),
                            rng.below(9000)
                        )
                        .unwrap();
                    }
                    presentation.push('\n');
                }
                writeln!(md, "### Sagsfremstilling\n\n{presentation}").unwrap();
                writeln!(
                    md,
                    "### Indstilling\n\nDet indstilles, at\n\n1. {}\n2. {}\n",
                    sentence(&mut rng, &extra),
                    sentence(&mut rng, &[])
                )
                .unwrap();
                if rng.chance(50) {
                    writeln!(
                        md,
                        "### Bilag\n\n- Notat om {}\n- [Bilag {n}](/bilag/{case}.pdf)\n",
                        matter.subject,
                        case = matter.case
                    )
                    .unwrap();
                }
                if kind == "referat" {
                    let (mut text, may_promise) = decision(&mut rng);
                    // A promise to return: kept by a later item of the same
                    // case, by a new one that refers back, or never.
                    if may_promise && public && !closed && rng.chance(15) {
                        text.push(' ');
                        text.push_str(&promise(&mut rng, year));
                        let at = k + 1 + rng.below(6);
                        match rng.below(100) {
                            0..45 => promises.push(Promise {
                                matter: m,
                                keep: Keep::SameCase,
                                at,
                            }),
                            45..65 => {
                                promises.push(Promise {
                                    matter: m,
                                    keep: Keep::Reference,
                                    at,
                                });
                                matters[m].dropped = true;
                            }
                            _ => matters[m].dropped = true,
                        }
                    }
                    writeln!(md, "### Beslutning\n\n{text}\n").unwrap();
                }
                matters[m].last = Some((year, month, dom, n));
            }
            let path = out
                .join("content")
                .join(&body.slug)
                .join(format!("{year:04}-{month:02}-{dom:02}-{kind}.md"));
            write(&path, &md)?;
            written += 1;
        }
    }
    Ok(Summary {
        meetings: written,
        bodies: bodies.len(),
        topics: topics.len(),
    })
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub meetings: usize,
    pub bodies: usize,
    pub topics: usize,
}

/// The date `day` days after 1 January of `start_year`.
fn date_of(start_year: i32, day: i64) -> (i32, u32, u32) {
    use chrono::Datelike;
    let date = chrono::NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or_default()
        + chrono::Duration::days(day);
    (date.year(), date.month(), date.day())
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, Outcome};

    #[test]
    fn the_archive_has_every_outcome_promises_kept_and_open_and_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("arkiv");
        let summary = generate(400, &root).unwrap();
        assert_eq!(summary.meetings, 400);
        let content = crate::content::load(&root).unwrap();
        let closed = content
            .meetings
            .iter()
            .flat_map(|m| &m.items)
            .filter(|i| i.closed)
            .count();
        let hidden = content.meetings.iter().filter(|m| !m.public).count();
        assert!(closed > 50, "closed items: {closed}");
        assert!(hidden >= 1, "meetings that are not public: {hidden}");

        let archive = crate::model::build(&content).unwrap();
        let items: Vec<_> = archive
            .meetings
            .iter()
            .flat_map(|m| m.entries.iter().filter_map(Entry::item))
            .collect();
        for outcome in Outcome::ALL {
            let n = items.iter().filter(|i| i.outcome == outcome).count();
            assert!(n * 100 > items.len(), "{outcome:?}: {n} of {}", items.len());
        }
        let follow_ups: Vec<_> = items.iter().flat_map(|i| &i.follow_ups).collect();
        let kept = follow_ups.iter().filter(|f| f.closed_by.is_some()).count();
        let open = follow_ups.iter().filter(|f| f.open).count();
        assert!(follow_ups.len() > 100, "promises: {}", follow_ups.len());
        assert!(
            kept * 3 > follow_ups.len(),
            "kept: {kept} of {}",
            follow_ups.len()
        );
        assert!(
            open * 10 > follow_ups.len(),
            "open: {open} of {}",
            follow_ups.len()
        );
        // Kept both by the same case and by a new case that refers back.
        let (mut same_case, mut other_case) = (0, 0);
        for item in &items {
            for f in &item.follow_ups {
                let Some(later) = f.closed_by.and_then(|r| archive.item(r)) else {
                    continue;
                };
                if later.case == item.case {
                    same_case += 1;
                } else {
                    other_case += 1;
                }
                assert!(later.follows_up.iter().any(|r| archive.item(*r).is_some()));
            }
        }
        assert!(
            same_case > 20 && other_case > 10,
            "{same_case} {other_case}"
        );
        // Every kind of promise the rules know occurs.
        for phrase in [
            "forelægges på næste møde",
            "drøftes igen primo",
            "vender tilbage med en status",
            "følges op på mødet i",
            "tages op igen i",
        ] {
            assert!(
                follow_ups.iter().any(|f| f.text.contains(phrase)),
                "{phrase}"
            );
        }
    }

    #[test]
    fn the_same_arguments_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        generate(60, &a).unwrap();
        generate(60, &b).unwrap();
        let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
            let mut files: Vec<_> = walkdir::WalkDir::new(root)
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let rel = e.path().strip_prefix(root).unwrap();
                    (rel.display().to_string(), fs::read(e.path()).unwrap())
                })
                .collect();
            files.sort();
            files
        };
        assert_eq!(files(&a), files(&b));
    }
}
