//! A synthetic archive for benchmarks and scale tests: Danish-like meetings
//! of many bodies over twenty years, with matters that recur across meetings
//! under one case number, topics, references to earlier meetings by date, and
//! a few closed items. The same arguments always give the same bytes.

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
            let mut md = String::with_capacity(48_000);
            writeln!(
                md,
                "+++\nbody = \"{}\"\ndate = {year:04}-{month:02}-{dom:02}\nkind = \"{kind}\"\nstart = \"{:02}:00\"\nend = \"{:02}:00\"\nlocation = \"Rådhuset, mødelokale {}\"\npresent = [\"Anne Krøjer\", \"Søren Aalund\", \"Rikke Albrektsen\"]\n+++\n",
                body.slug,
                9 + rng.below(5),
                14 + rng.below(3),
                1 + rng.below(9)
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
                // Continue a matter, or start a new one.
                let m = if !matters.is_empty() && rng.chance(55) {
                    let from = matters.len().saturating_sub(40);
                    from + rng.below(matters.len() - from)
                } else {
                    case_counter += 1;
                    let topic = rng.below(topics.len());
                    matters.push(Matter {
                        topic,
                        subject: format!("{} {}", topics[topic].keywords[0], rng.pick(WORDS)),
                        case: format!("{year}-{:06}", case_counter),
                        last: None,
                    });
                    matters.len() - 1
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
                    writeln!(md, "### Beslutning\n\n{}\n", paragraph(&mut rng, &extra, 2)).unwrap();
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
