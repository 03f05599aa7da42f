//! The importer over the real archive of DAS Social (five published
//! documents, 2014–2025, as PDF-extracted text), copied into the repository
//! at `tests/fixtures/das-social/`.

use protokol::import::{import_text, import_text_with, topics, ImportOptions, Imported};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/das-social")
}

fn source(name: &str) -> String {
    std::fs::read_to_string(corpus_dir().join(name)).expect("fixture copy of the corpus file")
}

fn import(text: &str) -> Imported {
    import_text(text, "das-social").expect("import")
}

/// A meeting file read back: the front matter and the items.
struct Parsed {
    front: toml::Table,
    items: Vec<ParsedItem>,
}

#[derive(Debug)]
struct ParsedItem {
    number: u32,
    title: String,
    keys: toml::Table,
    sections: Vec<String>,
    group: Option<String>,
}

/// Reads a meeting file the way the content format describes it.
fn parse(markdown: &str) -> Parsed {
    let rest = markdown
        .strip_prefix("+++\n")
        .expect("front matter opens the file");
    let end = rest.find("\n+++\n").expect("front matter closes");
    let front: toml::Table = toml::from_str(&rest[..end]).expect("front matter is TOML");
    let body = &rest[end + 5..];
    let mut items: Vec<ParsedItem> = Vec::new();
    let mut group = None;
    let lines: Vec<&str> = body.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(g) = l.strip_prefix("# ") {
            group = Some(g.to_string());
        } else if let Some(h) = l.strip_prefix("## ") {
            let (num, title) = h.split_once(". ").expect("item heading `N. Title`");
            let mut keys = toml::Table::new();
            if lines.get(i + 1) == Some(&"") && lines.get(i + 2) == Some(&"+++") {
                let close = (i + 3..lines.len())
                    .find(|&k| lines[k] == "+++")
                    .expect("item block closes");
                keys = toml::from_str(&lines[i + 3..close].join("\n")).expect("item block is TOML");
                i = close;
            }
            items.push(ParsedItem {
                number: num.parse().expect("item number"),
                title: title.to_string(),
                keys,
                sections: Vec::new(),
                group: group.clone(),
            });
        } else if let Some(s) = l.strip_prefix("### ") {
            items
                .last_mut()
                .expect("section inside an item")
                .sections
                .push(s.to_string());
        }
        i += 1;
    }
    Parsed { front, items }
}

struct Expect {
    file: &'static str,
    date: &'static str,
    kind: &'static str,
    case_numbers: &'static [&'static str],
    items: &'static [(u32, &'static str)],
    /// Item number → case number.
    cases: &'static [(u32, &'static str)],
    decisions: &'static [u32],
}

const MEETINGS: &[Expect] = &[
    Expect {
        file: "002_2f4a689209dd3462.txt",
        date: "2014-03-06",
        kind: "referat",
        case_numbers: &["2014-185", "2014-41682"],
        items: &[
            (1, "Godkendelse af dagsorden"),
            (2, "Godkendelse af referat fra møde den 8. januar 2014"),
            (3, "Godkendelse af udkast til Udviklingsstrategi 2015"),
            (4, "Godkendelse af Takstanalyse 2014"),
            (5, "Udmøntning af det forstærkede samarbejde"),
            (6, "Socialtilsyn Nord"),
            (7, "Dimensionering af socialtilsynene – genoptagelse af sag fra den 15. november 2013"),
            (8, "Den Administrative Styregruppes døgnseminar den 12.-13. juni 2014"),
            (9, "Orientering om VUM-temadag"),
            (10, "Orientering om møde i KL’s koordinationsforum for lands- og landsdelsdækkende tilbud og sikrede institutioner den 4. februar 2014"),
            (11, "Orientering om udkast til lovforslag om national koordinationsstruktur"),
            (12, "Orientering om Rigsrevisionens varslede undersøgelse af hjemløseindsatsen"),
            (13, "Evt."),
            (14, "Næste møde den 12.-13. juni 2014"),
        ],
        cases: &[],
        decisions: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    Expect {
        file: "004_7a3d788e8650d448.txt",
        date: "2020-10-19",
        kind: "dagsorden",
        case_numbers: &[],
        items: &[
            (1, "Godkendelse af dagsorden"),
            (2, "Godkendelse af referat fra mødet den 17. august 2020"),
            (3, "Udmøntning af fokusområde 1 og 2 i Nordjysk Socialaftale 2021-2022"),
            (4, "Organisering i regi af Den Administrative Styregruppe"),
            (5, "Årshjul 2021"),
            (6, "Økonomisk bæredygtighed af Kvisten"),
            (7, "Godkendelse af kommissorier for tilbud i det forstærkede samarbejdes nødsfor"),
            (8, "Analyse vedr. selvskadende unge"),
            (9, "Ind- og udmelding af tilbud til Nordjysk Socialaftale for 2021"),
            (10, "Drøftelse om kapacitet i forhold til de sikrede institutioner"),
            (11, "Samarbejdsaftale med DASSOS Midtjylland"),
            (12, "Orientering om ændret praksis fra Grønland vedr. dømte udviklingshæmmede"),
            (13, "Orientering: Status på ommærkning af pladser i psykiatrien"),
            (14, "Orientering: Status på Socialfagligt fokus på beskæftigelse"),
            (15, "Orienteringer fra FU"),
            (16, "Evt."),
            (17, "Næste møde"),
        ],
        cases: &[],
        decisions: &[],
    },
    Expect {
        file: "003_a41c31f462ac0e64.txt",
        date: "2024-04-04",
        kind: "referat",
        case_numbers: &["2024-018827"],
        items: &[
            (1, "Temadrøftelse - Opfølgning på KDK drøftelse"),
            (2, "Godkendelse af dagsorden"),
            (3, "Godkendelse af referat fra seneste møde"),
            (4, "Status ift. sundhedstjek på botilbud"),
            (5, "CU - fornyet behandling vedr. indsatsen til borgere med udviklingshæmning og dom med behov for anbringelse i sikret afdeling"),
            (6, "Udvikling af tilbudsviften og lånepuljer for 2025/2026"),
            (7, "Det forstærkede samarbejde - årsrapporter 2023"),
            (8, "Status på udmøntning af Nordjysk Socialaftale 23-24"),
            (9, "Forslag til workshop/laboratorium vedr. fokusområde 3a og 3b samt opfølgning på konklusionerne fra Komponent-analysen"),
            (10, "Trepartsaftale og overenskomstlønninger på socialområdet"),
            (11, "Rekruttering og fastholdelse af pædagoger"),
            (12, "Erstatningsbyggeri på Området for Voksne med Udviklingshæmning - Sødisebakke"),
            (13, "Eventuelt"),
            (14, "Næste møde"),
        ],
        cases: &[(4, "2024-018827"), (5, "2024-018827"), (7, "2024-018827"), (8, "2024-018827"), (9, "2024-018827")],
        decisions: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    },
    Expect {
        file: "000_2ec232dbc1644d5f.txt",
        date: "2024-05-27",
        kind: "referat",
        case_numbers: &["2024-029219"],
        items: &[
            (1, "Temadrøftelse vedr. Neurocenter Østerskoven"),
            (2, "Godkendelse af dagsorden"),
            (3, "Godkendelse af referat fra seneste møde"),
            (4, "Årsrapport fra Socialtilsyn Nord 2023"),
            (5, "Første behandling af Nordjysk Socialaftale 2025-2026"),
            (6, "Behandling af udvalgte målgrupper med behov for særligt fokus i Nordjysk Socialaftale for 2025-2026"),
            (7, "Første behandling af Styringsaftale for 2025-2026"),
            (8, "Behandling af forslag til opfølgning på børn og unge med autismespektrumforstyrrelser"),
            (9, "Input til kommende møde i Psykiatripartnerskabet"),
            (10, "Afslutning af de to centrale udmeldinger for hhv. punktskriftindsatser til børn og unge med alvorlig synsnedsættelse og tegnsprogsindsatser til børn og unge med et varigt høretab"),
            (11, "Orienteringspunkter"),
            (12, "Eventuelt"),
            (13, "Næste møde"),
        ],
        cases: &[
            (1, "2024-029219"),
            (4, "2024-029219"),
            (5, "2024-029219"),
            (6, "2024-029219"),
            (7, "2024-029219"),
            (8, "2024-029219"),
            (9, "2024-029219"),
            (10, "2024-029219"),
            (11, "2024-029219"),
        ],
        decisions: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    },
    Expect {
        file: "001_878a6e2a89d23899.txt",
        date: "2025-01-09",
        kind: "referat",
        case_numbers: &["2024-079097"],
        items: &[
            (1, "Godkendelse af dagsorden"),
            (2, "Godkendelse af referat fra seneste møde"),
            (3, "Sundhedstjek på botilbud"),
            (4, "Faste læger på botilbud"),
            (5, "Forslag om øget kapacitet på de sikrede institutioner"),
            (6, "Orienteringsskrivelse vedr. forsyningsforpligtelse - botilbud til domfældte med udviklingshæmning"),
            (7, "Fælles møde med KDK 24.1.25"),
            (8, "Socialpolitisk Dialogforum 2025"),
            (9, "Pædagogdimensionering 2025"),
            (11, "Eventuelt"),
            (12, "Næste møde"),
        ],
        cases: &[
            (3, "2024-079097"),
            (4, "2024-079097"),
            (5, "2024-079097"),
            (6, "2024-079097"),
            (7, "2024-079097"),
            (8, "2024-079097"),
            (9, "2024-079097"),
        ],
        decisions: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12],
    },
];

const SECTIONS: [&str; 6] = [
    "Resumé",
    "Baggrund",
    "Sagsfremstilling",
    "Indstilling",
    "Bilag",
    "Beslutning",
];

fn check_meeting(e: &Expect, imported: &Imported) {
    let p = parse(&imported.markdown);
    assert_eq!(
        imported.file_name,
        format!("{}-{}.md", e.date, e.kind),
        "{}",
        e.file
    );
    assert_eq!(p.front["body"].as_str(), Some("das-social"));
    let date = p.front["date"].as_datetime().map(|d| d.to_string());
    assert_eq!(date.as_deref(), Some(e.date), "{}", e.file);
    assert_eq!(p.front["kind"].as_str(), Some(e.kind), "{}", e.file);
    let cases: Vec<&str> = p
        .front
        .get("case_numbers")
        .and_then(|c| c.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(cases, e.case_numbers, "{}", e.file);
    let items: Vec<(u32, &str)> = p
        .items
        .iter()
        .map(|i| (i.number, i.title.as_str()))
        .collect();
    assert_eq!(items, e.items, "{}", e.file);
    let item_cases: Vec<(u32, &str)> = p
        .items
        .iter()
        .filter_map(|i| {
            i.keys
                .get("case")
                .and_then(|c| c.as_str())
                .map(|c| (i.number, c))
        })
        .collect();
    assert_eq!(item_cases, e.cases, "{}", e.file);
    let decisions: Vec<u32> = p
        .items
        .iter()
        .filter(|i| i.sections.iter().any(|s| s == "Beslutning"))
        .map(|i| i.number)
        .collect();
    assert_eq!(decisions, e.decisions, "{}", e.file);
    for it in &p.items {
        let mut seen = BTreeSet::new();
        for s in &it.sections {
            assert!(
                SECTIONS.contains(&s.as_str()),
                "{}: unknown section {s} in item {}",
                e.file,
                it.number
            );
            assert!(
                seen.insert(s.clone()),
                "{}: section {s} twice in item {}",
                e.file,
                it.number
            );
        }
        assert!(!it
            .keys
            .get("closed")
            .and_then(|c| c.as_bool())
            .unwrap_or(false));
    }
}

#[test]
fn meetings_items_cases_and_decisions() {
    for e in MEETINGS {
        let text = source(e.file);
        check_meeting(e, &import(&text));
    }
}

#[test]
fn meeting_facts_from_the_headers() {
    let text = source("002_2f4a689209dd3462.txt");
    let p = parse(&import(&text).markdown);
    assert_eq!(p.front["start"].as_str(), Some("13:00"));
    assert_eq!(p.front["end"].as_str(), Some("15:00"));
    assert_eq!(
        p.front["location"].as_str(),
        Some("Den Sikrede Institution Kompasset, Saturnvej 2, 9700 Brønderslev")
    );
    assert_eq!(
        p.front["minute_taker"].as_str(),
        Some("Sekretariat for Rammeaftaler")
    );
    let present = p.front["present"].as_array().unwrap();
    assert_eq!(present.len(), 15);
    assert!(present
        .iter()
        .any(|v| v.as_str() == Some("Thomas Gajhede Haugaard (Sekretariat for Rammeaftaler)")));
    assert!(present
        .iter()
        .any(|v| v.as_str() == Some("Britta Bruun-Schmidt (Vesthimmerlands Kommune)")));
    assert_eq!(p.front["absent"].as_array().unwrap().len(), 6);

    let text = source("003_a41c31f462ac0e64.txt");
    let p = parse(&import(&text).markdown);
    assert_eq!(
        p.front["location"].as_str(),
        Some("Hjulmagervej 22, 9000 Aalborg. Lokale 1")
    );
    assert_eq!(p.front["start"].as_str(), Some("12:00"));
    assert_eq!(p.front["present"].as_array().unwrap().len(), 8);
    assert_eq!(p.front["absent"].as_array().unwrap().len(), 5);
    assert_eq!(
        p.front["others"].as_array().unwrap()[0].as_str(),
        Some("Nanna Bang Hjørringgaard, Rammeaftalesekretariat")
    );

    let text = source("001_878a6e2a89d23899.txt");
    let p = parse(&import(&text).markdown);
    assert_eq!(p.front["present"].as_array().unwrap().len(), 6);
    assert_eq!(p.front["others"].as_array().unwrap().len(), 5);

    let text = source("004_7a3d788e8650d448.txt");
    let p = parse(&import(&text).markdown);
    assert_eq!(
        p.front["location"].as_str(),
        Some("Teams – link i mødeindkaldelse")
    );
    assert!(p.front.get("absent").is_none());
}

#[test]
fn groups_become_level_one_headings() {
    let text = source("004_7a3d788e8650d448.txt");
    let p = parse(&import(&text).markdown);
    let group = |n: u32| {
        p.items
            .iter()
            .find(|i| i.number == n)
            .unwrap()
            .group
            .clone()
            .unwrap()
    };
    assert_eq!(group(1), "Velkomst");
    assert_eq!(group(3), "Sager til behandling");
    assert_eq!(group(11), "Sager til behandling");
    assert_eq!(group(12), "Sager til orientering");
    assert_eq!(group(17), "Afslutning");

    let text = source("002_2f4a689209dd3462.txt");
    let p = parse(&import(&text).markdown);
    let group = |n: u32| {
        p.items
            .iter()
            .find(|i| i.number == n)
            .unwrap()
            .group
            .clone()
    };
    assert_eq!(group(2), None);
    assert_eq!(group(3).as_deref(), Some("Sager til behandling"));
    assert_eq!(
        group(9).as_deref(),
        Some("Sager til forventet efterretning")
    );
}

#[test]
fn page_breaks_and_hyphenation_are_joined() {
    let text = source("002_2f4a689209dd3462.txt");
    let md = import(&text).markdown;
    assert!(md.contains("de kommunale og regionale indmeldinger og udviklingstendenser"));
    assert!(md
        .contains("Sekretariatet har på baggrund af indmeldingerne og drøftelserne den 8. januar"));
    assert!(md.contains("genåbnet en DUT-forhandling"));
    assert!(md.contains("efterspurgt en nærmere afklaring af begrebet ”tilsynsenhed”"));
    assert!(md.contains("for rammeaftaletilbuddene – omregnet til faste priser"));
    assert!(!md.contains("13/16"));
    assert!(!md.contains("Click here"));
    assert!(!md.contains("aalborg@aalborg.dk"));
    // The quoted minutes of an earlier meeting do not start a new item or section.
    assert!(md.contains("> ”9. Socialtilsyn Nord"));

    let text = source("000_2ec232dbc1644d5f.txt");
    let md = import(&text).markdown;
    assert!(md.contains("hvis de ikke har en barnets plan/ungeplan, eller at planen er forældet."));
    assert!(md.contains("organisering af døgnbehandlingsindsatsen til udsatte gravide med et skadeligt rusmiddelbrug kom den 14. maj 2024"));
    assert!(md.contains("blev der den 19. marts udsendt en Early Warning."));
    assert!(!md.contains("Mødet den 27.05.2024"));
    assert!(!md.contains("Punkt 4."));
    assert!(md.contains("#### Drøftelse"));

    let text = source("001_878a6e2a89d23899.txt");
    let md = import(&text).markdown;
    assert!(md.contains("(der arbejdes på dette i KL-regi), men det kan evt. blive relevant"));
    assert!(md.contains("Overenskomst for almen praksis indeholder et tiltag"));
}

#[test]
fn html_and_tables_become_markdown() {
    let text = source("004_7a3d788e8650d448.txt");
    let md = import(&text).markdown;
    let body = &md[md.find("\n## 1.").unwrap()..];
    for tag in ["<ol", "<ul", "<p>", "</p>", "<i>", "<u>", "(#)"] {
        assert!(!body.contains(tag), "{tag} left in the output");
    }
    assert!(md.contains("- Referatet kan findes her"));
    assert!(
        md.contains("| Initiativ i Nordjysk Socialaftale | Forslag til retning for udmøntningen |")
    );
    assert!(md.contains("| Kommune | Tilbud | Ændring |"));
    assert!(md.contains("#### Fokusområde 1: Sammen om en styrket socialpsykiatri"));
    assert!(md.contains("- Underskud over 500.000 kr. finansieres delt mellem Region Nordjylland og kommunerne i Nordjylland, hvor:\n  - i. Region Nordjylland finansierer 25 procent af underskuddet"));

    let text = source("003_a41c31f462ac0e64.txt");
    let md = import(&text).markdown;
    assert!(
        md.contains("| *Region Nordjylland:* | *6* |\n| --- | --- |\n| *Region Midt:* | *34* |")
    );
    assert!(md.contains(
        "henvises til \"Vejledning for anvendelse af overenskomstens ydelser\" side 177-178."
    ));
    assert!(!md.contains("Indholdsfortegnelse"));
}

/// Letters and digits only, lowercase: whitespace, punctuation, hyphens,
/// Markdown syntax and bullets do not count.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .map(|c| if c == 'é' { 'e' } else { c })
        .collect()
}

/// Asserts two texts are equal, showing where they first differ.
fn assert_same(a: &str, b: &str, what: &str) {
    if a != b {
        let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        let ctx = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(60))
                .take(120)
                .collect::<String>()
        };
        panic!("{what}: differ at {at}:\n  {}\n  {}", ctx(a), ctx(b));
    }
}

fn strip_tags(s: &str) -> String {
    let re = regex::Regex::new(r"<[^>]*>").unwrap();
    re.replace_all(s, " ").into_owned()
}

/// Is the source line noise the importer may drop (page headers and
/// footers, status and item markers, template residue, letterhead, the table
/// of contents, labels of the header)?
fn is_noise(line: &str, toc: bool) -> bool {
    static NOISE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
        r"^(Mødet den \d\d\.\d\d\.\d{4}.*|DAS Social|Åben|Lukket|Punkt \d+\.|\d+/\d+|Click here to enter text\.|Indholdsfortegnelse|(Dagsorden|Referat) til .*|Referat|Dagsorden|Øvrige|oplysninger|deltagere|Øvrige oplysninger|Afbud)$",
    )
    .unwrap()
    });
    let t = line.trim();
    NOISE.is_match(t) || t.contains('@') || t.contains("9931 3131") || (toc && t.contains('\t'))
}

/// Every line of the source that is not noise appears in the imported file,
/// compared letters-only (so whitespace, hyphenation at line ends, bullets
/// and Markdown syntax do not matter). Header lines count too: their
/// labels are removed and their values must be in the front matter.
#[test]
fn no_text_is_lost() {
    let dir = corpus_dir();
    let labels = regex::Regex::new(
        r"^\s*(Møde|Tid|Sted|Deltagere|Afbud|Referent|Sagsnr\./Dok\.nr\.|Til stede|Fraværende|Øvrige deltagere|Velkomst|Sager til behandling|Sager til orientering|Afslutning)(?:\s|$)",
    )
    .unwrap();
    let bullet = regex::Regex::new(r"^\s*(o|•|○|-|–|\u{F0B7})\s+").unwrap();
    let time_line = regex::Regex::new(r"^\s*(Tid|Mødet den \d)").unwrap();
    let title_time = regex::Regex::new(r"^Mødet den \d+\. \w+ \d{4}, kl\.").unwrap();
    for e in MEETINGS {
        let text = std::fs::read_to_string(dir.join(e.file)).unwrap();
        let md = import(&text).markdown;
        let out = letters(&md);
        let mut in_toc = false;
        let mut missing = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim() == "Indholdsfortegnelse" {
                in_toc = true;
            }
            if in_toc && line.trim() == "Referat" {
                in_toc = false;
            }
            if is_noise(line, in_toc) {
                continue;
            }
            // Header values: dates and times are normalised in the front
            // matter, and " og " joins the last two names of a list.
            if line.contains("<ol") {
                continue;
            }
            let value = labels.replace(line, "");
            let value = bullet.replace(&value, "");
            if time_line.is_match(line) || title_time.is_match(line.trim()) {
                continue;
            }
            for part in strip_tags(&value).split(" og ") {
                let l = letters(part);
                if !l.is_empty() && !out.contains(&l) {
                    missing.push(format!("{}:{}: {}", e.file, n + 1, line.trim()));
                    break;
                }
            }
        }
        assert!(missing.is_empty(), "text lost:\n{}", missing.join("\n"));
    }
}

/// Re-wraps every line longer than `width` at word boundaries.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.chars().count() <= width || line.contains('<') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut cur = String::new();
        for word in line.split(' ') {
            if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&cur);
                out.push('\n');
                cur.clear();
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        out.push_str(&cur);
        out.push('\n');
    }
    out
}

#[test]
fn rewrapped_and_windows_copies_give_the_same_items() {
    for e in MEETINGS {
        let text = source(e.file);
        let original = import(&text);
        let crlf = import(&text.replace('\n', "\r\n"));
        assert_eq!(
            crlf.markdown, original.markdown,
            "{}: \\r\\n changes the output",
            e.file
        );
        let paged = import(&text.replacen("\n\n", "\n\u{000C}\n", 40));
        check_meeting(e, &paged);
        let wrapped = rewrap(&text, 60);
        let imported = import(&wrapped);
        check_meeting(e, &imported);
        // No text appears or disappears through the wrapping.
        assert_same(
            &letters(&imported.markdown),
            &letters(&original.markdown),
            e.file,
        );
        let extra_blank = import(&text.replace("\n\n", "\n\n\n"));
        check_meeting(e, &extra_blank);
    }
}

#[test]
fn importing_twice_gives_the_same_bytes() {
    for e in MEETINGS {
        let text = source(e.file);
        assert_eq!(import(&text).markdown, import(&text).markdown);
    }
}

/// `cargo run --example import_corpus` regenerated the committed archive.
#[test]
fn committed_archive_is_regenerated_output() {
    let dir = corpus_dir();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let topics =
        topics::from_toml(&std::fs::read_to_string(root.join("data/topics.toml")).unwrap())
            .unwrap();
    for e in MEETINGS {
        let text = std::fs::read_to_string(dir.join(e.file)).unwrap();
        let options = ImportOptions {
            topics: topics.clone(),
            ..Default::default()
        };
        let imported = import_text_with(&text, "das-social", &options).unwrap();
        let committed =
            std::fs::read_to_string(root.join("content/das-social").join(&imported.file_name))
                .unwrap();
        assert!(
            committed == imported.markdown,
            "{} is not the importer's output; run `cargo run --example import_corpus`",
            imported.file_name
        );
    }
}

#[test]
fn topics_are_assigned_from_titles() {
    let text = source("000_2ec232dbc1644d5f.txt");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let topics =
        topics::from_toml(&std::fs::read_to_string(root.join("data/topics.toml")).unwrap())
            .unwrap();
    let options = ImportOptions {
        topics,
        ..Default::default()
    };
    let p = parse(
        &import_text_with(&text, "das-social", &options)
            .unwrap()
            .markdown,
    );
    let topics_of = |n: u32| -> Vec<String> {
        p.items
            .iter()
            .find(|i| i.number == n)
            .and_then(|i| i.keys.get("topics"))
            .and_then(|t| t.as_array())
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(topics_of(1), ["neurocenter-oesterskoven"]);
    assert_eq!(topics_of(4), ["socialtilsyn-nord"]);
    assert_eq!(topics_of(5), ["nordjysk-socialaftale"]);
    assert!(topics_of(2).is_empty());
}

const CLOSED: &str = "\
Mødet den 09.01.2025 DAS Social

Åben

Punkt 1.

Godkendelse af dagsorden

Indstilling

Det indstilles, at Den Administrative Styregruppe

1. Godkender dagsordenen

Beslutning:

Godkendt
 Mødet den 09.01.2025 DAS Social

Lukket

Punkt 2.

Køb af en ejendom

2025-000002

Resumé

En fortrolig sag om en ejendom.

Beslutning:

Godkendt
 Mødet den 09.01.2025 DAS Social

Åben

Punkt 4.

Næste møde

Beslutning:

Ingen bemærkninger.
";

#[test]
fn closed_items_are_marked_and_gaps_kept() {
    let imported = import(CLOSED);
    let p = parse(&imported.markdown);
    let numbers: Vec<u32> = p.items.iter().map(|i| i.number).collect();
    assert_eq!(numbers, [1, 2, 4]);
    let closed: Vec<bool> = p
        .items
        .iter()
        .map(|i| {
            i.keys
                .get("closed")
                .and_then(|c| c.as_bool())
                .unwrap_or(false)
        })
        .collect();
    assert_eq!(closed, [false, true, false]);
    // Only the number of a closed item reaches the file.
    assert_eq!(p.items[1].title, "Lukket punkt");
    assert!(p.items[1].keys.get("case").is_none());
    assert!(p.items[1].sections.is_empty());
    for secret in ["Køb af en ejendom", "2025-000002", "fortrolig"] {
        assert!(!imported.markdown.contains(secret), "{secret}");
    }
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.message.contains("missing") && w.line > 1));

    // The same in the letter layout, with a closed marker line.
    let letter = "Møde Den Administrative Styregruppe\nTid 6. marts 2014, kl. 13.00-15.00\n\n1. Godkendelse af dagsorden\n\nReferat\nGodkendt\n\nLukket punkt\n\n2. Personalesag\n\nReferat\nDrøftet\n\n5. Evt.\n\nIngen bemærkninger\n";
    let p = parse(&import(letter).markdown);
    let items: Vec<(u32, bool)> = p
        .items
        .iter()
        .map(|i| {
            (
                i.number,
                i.keys
                    .get("closed")
                    .and_then(|c| c.as_bool())
                    .unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(items, [(1, false), (2, true), (5, false)]);
}

#[test]
fn unplaced_text_is_kept_and_reported() {
    let text = "Møde Den Administrative Styregruppe\nTid 6. marts 2014, kl. 13.00-15.00\nEn note uden plads\n\n1. Godkendelse af dagsorden\n\nReferat\nGodkendt\n";
    let imported = import(text);
    assert!(imported.markdown.contains("En note uden plads"));
    let _ = parse(&imported.markdown);
}
