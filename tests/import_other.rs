//! The importer over the minutes of five other publishers (copies in
//! `tests/fixtures/other/`): each document is imported with the body found
//! in its text, the archive is built, and every item's number, title, case
//! number and decision is checked; closed items reach no file of the site.

mod common;

use common::{protokol, repo, stderr};
use protokol::import::{bodies_from_toml, import_document, ImportOptions};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/other")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("fixture copy in the repository")
}

/// An archive with the repository's config and bodies and no meetings.
fn empty_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::copy(repo().join("config.toml"), dir.path().join("config.toml")).unwrap();
    std::fs::copy(
        repo().join("data/bodies.toml"),
        dir.path().join("data/bodies.toml"),
    )
    .unwrap();
    dir
}

struct Item {
    number: u32,
    title: String,
    case: Option<String>,
    closed: bool,
    sections: Vec<String>,
}

/// The front matter and the items of a meeting file.
fn parse(markdown: &str) -> (toml::Table, Vec<Item>) {
    let rest = markdown.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++\n").expect("front matter closes");
    let front: toml::Table = toml::from_str(&rest[..end]).expect("front matter is TOML");
    let lines: Vec<&str> = rest[end + 5..].lines().collect();
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(h) = lines[i].strip_prefix("## ") {
            let (num, title) = h.split_once(". ").expect("`N. Title`");
            let mut keys = toml::Table::new();
            if lines.get(i + 1) == Some(&"") && lines.get(i + 2) == Some(&"+++") {
                let close = (i + 3..lines.len()).find(|&k| lines[k] == "+++").unwrap();
                keys = toml::from_str(&lines[i + 3..close].join("\n")).unwrap();
                i = close;
            }
            items.push(Item {
                number: num.parse().unwrap(),
                title: title.to_string(),
                case: keys.get("case").and_then(|c| c.as_str()).map(String::from),
                closed: keys.get("closed").and_then(|c| c.as_bool()) == Some(true),
                sections: Vec::new(),
            });
        } else if let Some(s) = lines[i].strip_prefix("### ") {
            items.last_mut().unwrap().sections.push(s.to_string());
        }
        i += 1;
    }
    (front, items)
}

struct Expect {
    file: &'static str,
    body: &'static str,
    date: &'static str,
    /// (number, title, case, has a decision); a closed item as "" title.
    items: &'static [(u32, &'static str, Option<&'static str>, bool)],
    /// Words that must not reach the meeting file (closed items, noise).
    absent: &'static [&'static str],
    /// Words of the items that must be kept.
    present: &'static [&'static str],
}

const DOCUMENTS: &[Expect] = &[
    Expect {
        file: "01-bronderslev-2020-01-29.txt",
        body: "byraadet",
        date: "2020-01-29",
        items: &[
            (1, "Fraværende", None, true),
            (2, "Bemærkninger/ændringer til dagsordenen", None, true),
            (3, "Godkendelse af indkaldte stedfortrædere", None, true),
            (4, "Spørgetid for byrådsmedlemmer", None, false),
        ],
        absent: &["Til toppen", "Indholdsfortegnelse"],
        present: &[
            "1\\. stedfortræder på liste V, Kim Østergaard, er derfor indkaldt",
            "#### Personale",
            "Sagsforløb: BY",
            "Kim Østergaard og Ole Andersen godkendt",
        ],
    },
    Expect {
        file: "03-stevns-2018-10-22.txt",
        body: "oeu",
        date: "2018-10-22",
        items: &[
            (159, "Dagsorden - godkendelse", None, true),
            (160, "Temadrøftelse af Statsvej til motorvejen", None, true),
            (161, "", None, false),
            (162, "", None, false),
        ],
        absent: &["Diverse orienteringer", "Underskriftsark", "(Lukket)", "•"],
        present: &[
            "Sagens elementer drøftet, herunder hvordan der arbejdes videre med sagen.",
            "Line Krogh Lay (B) var ligeledes inviteret, men kunne ikke deltage.",
        ],
    },
    Expect {
        file: "06-slagelse-2018-10-01.txt",
        body: "oekonomiudvalget",
        date: "2018-10-01",
        items: &[
            (
                1,
                "Godkendelse af dagsorden (B)",
                Some("330-2018-3619"),
                true,
            ),
            (
                2,
                "Siden sidst fra udvalgets medlemmer (O)",
                Some("330-2018-3619"),
                true,
            ),
            (
                3,
                "Orientering fra borgmester og kommunaldirektør (O)",
                Some("330-2018-3619"),
                true,
            ),
        ],
        absent: &["Beslutning i Økonomiudvalget", "Åbent"],
        present: &[
            "Dok.nr.: 330-2018-500312",
            "Kompetence: Økonomiudvalget",
            "1. at dagsordenen godkendes",
            "Brev til regionen vedrørende nedlæggelse af busruter er afsendt.",
        ],
    },
    Expect {
        file: "10-regionsyddanmark-2011-02-10.txt",
        body: "socialudvalget",
        date: "2011-02-10",
        items: &[
            (1, "Rundvisning", Some("11/171"), true),
            (2, "Orientering", Some("11/171"), false),
        ],
        absent: &["fold dette punkt ind", "Luk alle punkter", "Mødekalender 2011"],
        present: &[
            "Rundvisning og herefter orientering omkring fusionen",
            "Der blev givet en orientering.",
            "Til orientering",
        ],
    },
    Expect {
        file: "12-egebjerg-2002-05-15.txt",
        body: "kommunalbestyrelsen",
        date: "2002-05-15",
        items: &[(
            89,
            "Til efterretning - Kvartalsrapport pr vedr. kommunens samlede budget",
            None,
            false,
        )],
        absent: &["Tandpleje", "Lukket sag", "Sagsid", "Initialer", " åben", "Side i"],
        present: &[
            "# Til efterretning - for åbne døre",
            "Økonomiafdelingen fremsender regnskabsrapport pr på 1. Kommunens samlede budget - Hovedkonto Bilag vedr. Budgetopfølgning på driften pr for samtlige udvalg ligger i sagen.",
        ],
    },
];

fn check(e: &Expect, markdown: &str) {
    let (front, items) = parse(markdown);
    assert_eq!(front["body"].as_str(), Some(e.body), "{}", e.file);
    assert_eq!(
        front["date"]
            .as_datetime()
            .map(|d| d.to_string())
            .as_deref(),
        Some(e.date),
        "{}",
        e.file
    );
    assert_eq!(front["kind"].as_str(), Some("referat"), "{}", e.file);
    let got: Vec<(u32, String, Option<String>, bool)> = items
        .iter()
        .map(|i| {
            (
                i.number,
                if i.closed {
                    String::new()
                } else {
                    i.title.clone()
                },
                i.case.clone(),
                i.sections.iter().any(|s| s == "Beslutning"),
            )
        })
        .collect();
    let want: Vec<(u32, String, Option<String>, bool)> = e
        .items
        .iter()
        .map(|(n, t, c, d)| (*n, t.to_string(), c.map(String::from), *d))
        .collect();
    assert_eq!(got, want, "{}", e.file);
    for i in &items {
        if i.closed {
            assert_eq!(i.title, "Lukket punkt", "{}", e.file);
            assert!(i.sections.is_empty() && i.case.is_none(), "{}", e.file);
        }
    }
    for a in e.absent {
        assert!(!markdown.contains(a), "{}: {a:?} is in the output", e.file);
    }
    for p in e.present {
        assert!(markdown.contains(p), "{}: {p:?} is missing", e.file);
    }
}

fn options() -> ImportOptions {
    ImportOptions {
        bodies: bodies_from_toml(
            &std::fs::read_to_string(repo().join("data/bodies.toml")).unwrap(),
        )
        .unwrap(),
        ..Default::default()
    }
}

#[test]
fn each_document_gives_its_items() {
    for e in DOCUMENTS {
        let imported = import_document(&fixture(e.file), None, &options())
            .unwrap_or_else(|err| panic!("{}: {err}", e.file));
        check(e, &imported.markdown);
        assert_eq!(
            imported.new_body.as_ref().map(|b| b.0.as_str()),
            Some(e.body)
        );
    }
}

#[test]
fn rewrapped_with_crlf_gives_the_same_items() {
    for e in DOCUMENTS {
        let text = fixture(e.file).replace('\n', "\r\n");
        let imported = import_document(&text, None, &options()).unwrap();
        check(e, &imported.markdown);
    }
}

#[test]
fn a_known_alias_names_the_body() {
    let mut opts = options();
    opts.bodies.push(protokol::import::KnownBody {
        slug: "okonomi".into(),
        names: vec!["Økonomiudvalget".into(), "ØU".into()],
    });
    for file in ["03-stevns-2018-10-22.txt", "06-slagelse-2018-10-01.txt"] {
        let imported = import_document(&fixture(file), None, &opts).unwrap();
        assert_eq!(imported.body, "okonomi", "{file}");
        assert!(imported.new_body.is_none());
        assert!(!imported
            .warnings
            .iter()
            .any(|w| w.message.contains("not in data/bodies.toml")));
    }
    // A body given on the command line wins.
    let imported =
        import_document(&fixture("06-slagelse-2018-10-01.txt"), Some("x"), &opts).unwrap();
    assert_eq!(imported.body, "x");
}

#[test]
fn a_folder_is_imported_and_built_and_closed_items_stay_out() {
    let archive = empty_archive();
    let root = archive.path();
    let out = protokol(root, &["import", fixtures().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bodies = std::fs::read_to_string(root.join("data/bodies.toml")).unwrap();
    for e in DOCUMENTS {
        assert!(bodies.contains(&format!("[{}]", e.body)), "{bodies}");
        let file = root
            .join("content")
            .join(e.body)
            .join(format!("{}-referat.md", e.date));
        check(e, &std::fs::read_to_string(&file).unwrap());
    }
    assert!(stderr(&out).contains("added the body `byraadet`"));
    let site = root.join("site");
    common::build(root, &site);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["Diverse orienteringer", "Underskriftsark", "Tandpleje"] {
            assert!(
                !text.contains(secret),
                "{secret} in {}",
                entry.path().display()
            );
        }
        pages += 1;
    }
    assert!(pages > 20);
    assert!(site.join("socialudvalget").is_dir());
    // Importing again adds no body twice.
    let again = protokol(root, &["import", fixtures().to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(root.join("data/bodies.toml")).unwrap(),
        bodies
    );
}

#[test]
fn an_unreadable_document_names_what_is_missing_and_nothing_is_written() {
    let err = import_document(
        "Et brev uden møde.\n\nMed venlig hilsen\nSekretariatet\n",
        None,
        &options(),
    )
    .unwrap_err();
    for part in [
        "the items (punkter)",
        "the date of the meeting",
        "the body (udvalg)",
        "lines 1–5",
    ] {
        assert!(err.message.contains(part), "{}", err.message);
    }
    let err = import_document(
        "Referat 4. april 2024\n\nIngen punkter her.\n",
        Some("x"),
        &options(),
    )
    .unwrap_err();
    assert!(err.message.contains("the items"), "{}", err.message);
    assert!(!err.message.contains("the date"), "{}", err.message);

    // One bad file in a folder: no meeting file and no body is written.
    let archive = empty_archive();
    let root = archive.path();
    let input = root.join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        fixtures().join("06-slagelse-2018-10-01.txt"),
        input.join("a.txt"),
    )
    .unwrap();
    std::fs::write(input.join("b.txt"), "Et brev uden møde.\n").unwrap();
    std::fs::write(input.join("c.md"), "not imported").unwrap();
    let before = std::fs::read_to_string(root.join("data/bodies.toml")).unwrap();
    let out = protokol(root, &["import", input.to_str().unwrap()]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(msg.contains("b.txt"), "{msg}");
    assert!(msg.contains("could not find"), "{msg}");
    assert!(!root.join("content").exists(), "{msg}");
    assert_eq!(
        std::fs::read_to_string(root.join("data/bodies.toml")).unwrap(),
        before
    );
}

/// Lines of a page, one below the other (a blank line leaves a gap).
fn stacked(lines: &[&'static str]) -> Vec<(i32, i32, &'static str)> {
    let mut out = Vec::new();
    let mut y = 800;
    for l in lines {
        if !l.is_empty() {
            out.push((60, y, *l));
        }
        y -= 16;
    }
    out
}

/// A small PDF written by hand: pages of text placed at (x, y), the Danish
/// letters in WinAnsi encoding.
fn write_pdf(path: &Path, pages: &[Vec<(i32, i32, &str)>]) {
    fn latin1(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in s.chars() {
            match c {
                '(' | ')' | '\\' => {
                    out.push(b'\\');
                    out.push(c as u8);
                }
                c if (c as u32) < 256 => out.push(c as u32 as u8),
                _ => out.push(b'?'),
            }
        }
        out
    }
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then page and content per page.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|k| format!("{} 0 R", 4 + 2 * k)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (k, lines) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * k
            )
            .into_bytes(),
        );
        let mut stream = Vec::new();
        for (x, y, text) in lines.iter() {
            stream.extend(format!("BT /F1 10 Tf {x} {y} Td (").into_bytes());
            stream.extend(latin1(text));
            stream.extend(b") Tj ET\n");
        }
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend(stream);
        obj.extend(b"\nendstream");
        objects.push(obj);
    }
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (k, obj) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", k + 1).into_bytes());
        pdf.extend(obj);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    std::fs::write(path, pdf).unwrap();
}

#[test]
fn a_pdf_is_imported_directly() {
    let archive = empty_archive();
    let root = archive.path();
    let pdf = root.join("referat.pdf");
    write_pdf(
        &pdf,
        &[
            stacked(&[
                "Socialudvalget - Referat - 4. april 2024",
                "",
                "Mødested: Rådhuset, mødelokale 2",
                "",
                "1. Godkendelse af dagsorden",
                "",
                "Sagsnr.: 24/1001",
                "",
                "Beslutning",
                "",
                "Godkendt.",
                "",
                "2. Lukket - Køb af ejendom",
                "",
                "Beslutning",
                "",
                "Fortroligt.",
            ]),
            stacked(&[
                "Side 2",
                "",
                "3. Tilsyn med bosteder i Østbyen",
                "",
                "Sagsfremstilling",
                "",
                "Tilsynet har besøgt fem bosteder.",
                "",
                "Beslutning",
                "",
                "Taget til efterretning.",
            ]),
        ],
    );
    let out = protokol(root, &["import", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = root.join("content/socialudvalget/2024-04-04-referat.md");
    let md = std::fs::read_to_string(&file).unwrap();
    let (front, items) = parse(&md);
    assert_eq!(front["location"].as_str(), Some("Rådhuset, mødelokale 2"));
    let got: Vec<(u32, &str, Option<&str>, bool)> = items
        .iter()
        .map(|i| (i.number, i.title.as_str(), i.case.as_deref(), i.closed))
        .collect();
    assert_eq!(
        got,
        [
            (1, "Godkendelse af dagsorden", Some("24/1001"), false),
            (2, "Lukket punkt", None, true),
            (3, "Tilsyn med bosteder i Østbyen", None, false),
        ]
    );
    assert!(!md.contains("Køb af ejendom") && !md.contains("Fortroligt"));
    assert!(!md.contains("Side 2"));
    assert!(md.contains("Tilsynet har besøgt fem bosteder."));
    common::build(root, &root.join("site"));
}

/// Two columns of running text, a table and a page header: the columns are
/// read one after the other, the table stays a table, the header goes.
#[test]
fn a_pdf_with_two_columns_a_table_and_a_page_header() {
    let archive = empty_archive();
    let root = archive.path();
    let pdf = root.join("udvalg.pdf");
    let mut first = vec![
        (60, 810, "Mødet den 04.04.2024 Socialudvalget Side 1"),
        (60, 770, "1. Budgetopfølgning"),
    ];
    let left = [
        "Forvaltningen fremlægger den første",
        "budgetopfølgning for 2024. Der er",
        "et forventet merforbrug på det",
        "specialiserede område.",
    ];
    let right = [
        "Indstilling: Forvaltningen indstiller,",
        "at udvalget tager orienteringen til",
        "efterretning og beder om en plan",
        "for at nedbringe merforbruget.",
    ];
    for (k, (a, b)) in left.iter().zip(right).enumerate() {
        let y = 740 - 14 * k as i32;
        first.push((60, y, a));
        first.push((320, y, b));
    }
    let rows = [
        ("Område", "Budget", "Forbrug"),
        ("Handicap", "120,5", "131,2"),
        ("Psykiatri", "80,0", "78,4"),
    ];
    for (k, (a, b, c)) in rows.iter().enumerate() {
        let y = 660 - 14 * k as i32;
        first.push((60, y, a));
        first.push((220, y, b));
        first.push((360, y, c));
    }
    let second = vec![
        (60, 810, "Mødet den 04.04.2024 Socialudvalget Side 2"),
        (60, 770, "Beslutning"),
        (60, 750, "Taget til efterretning."),
    ];
    write_pdf(&pdf, &[first, second]);
    let out = protokol(root, &["import", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md =
        std::fs::read_to_string(root.join("content/socialudvalget/2024-04-04-referat.md")).unwrap();
    assert!(md.contains("Forvaltningen fremlægger den første budgetopfølgning for 2024. Der er et forventet merforbrug på det specialiserede område.\n\nIndstilling: Forvaltningen indstiller, at udvalget tager orienteringen til efterretning og beder om en plan for at nedbringe merforbruget."), "{md}");
    assert!(
        md.contains(
            "| Område | Budget | Forbrug |\n| --- | --- | --- |\n| Handicap | 120,5 | 131,2 |"
        ),
        "{md}"
    );
    assert!(!md.contains("Mødet den"), "{md}");
    let (_, items) = parse(&md);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].sections, ["Beslutning"]);
}

#[test]
fn a_pdf_without_pdftotext_says_how_to_install_it() {
    let archive = empty_archive();
    let root = archive.path();
    let pdf = root.join("referat.pdf");
    write_pdf(
        &pdf,
        &[stacked(&[
            "Byrådet - Referat - 4. april 2024",
            "",
            "1. Evt.",
        ])],
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
        .arg("--root")
        .arg(root)
        .arg("import")
        .arg(&pdf)
        .env("PATH", "")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(msg.contains("apt-get install poppler-utils"), "{msg}");
    assert!(!root.join("content").exists());
}

/// The example archive's own documents, imported without `--body`, give the
/// committed meeting files byte for byte.
#[test]
fn the_example_archive_imports_to_its_committed_files_without_a_body() {
    let archive = common::example_archive();
    let root = archive.path();
    let out_dir = root.join("again");
    let fixtures = repo().join("tests/fixtures/das-social");
    let out = protokol(
        root,
        &[
            "import",
            fixtures.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("not in data/bodies.toml"),
        "{}",
        stderr(&out)
    );
    let mut n = 0;
    for entry in std::fs::read_dir(root.join("content/das-social")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        assert_eq!(
            std::fs::read_to_string(out_dir.join(name)).unwrap(),
            std::fs::read_to_string(&path).unwrap(),
            "{}",
            name.to_string_lossy()
        );
        n += 1;
    }
    assert_eq!(n, 5);
}
