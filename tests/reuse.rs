//! The outputs for finding and reusing the archive, checked with independent
//! parsers: Atom feeds, iCalendar files, JSON against the published schemas,
//! the sitemap as XML, the CSV of decisions, and link previews.

mod common;

use common::*;
use std::path::Path;

/// A second meeting beside the example one: an agenda for a later date with
/// no times, an item with Danish words to search for, and a closed item.
const AGENDA: &str = "+++
body = \"das-social\"
date = 2024-11-04
kind = \"dagsorden\"
location = \"Rådhuset; mødelokale 1, Aalborg\"
+++

## 1. Botilbuddene i Nordjylland

+++
emner = [\"socialtilsyn-nord\"]
sagsnr = \"2024-029219\"
+++

### Sagsfremstilling

Kapaciteten på botilbuddene drøftes, med \"tal\" & <tegn>.

### Beslutning

Styregruppen godkendte en kapacitetsanalyse.

Den skal foreligge i 2025, \"som aftalt\".

## 2. Lukket sag om Xyzzyvej

+++
lukket = true
+++

### Beslutning

Tiltrådt.
";

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2024-11-04-dagsorden.md"),
        AGENDA,
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    (archive, out)
}

fn files_ending(out: &Path, suffix: &str) -> Vec<(String, Vec<u8>)> {
    snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(suffix))
        .collect()
}

#[test]
fn feeds_are_valid_atom_with_dates_from_the_meetings() {
    let (_archive, out) = built();
    let feeds = files_ending(&out, ".atom");
    // The site, each body and each topic, with meetings and with decisions;
    // each case, with its steps.
    let data = archive_data(&out);
    let cases: std::collections::BTreeSet<&str> = data["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["items"].as_array().unwrap())
        .filter_map(|i| i["case_number"].as_str())
        .collect();
    let expected = 2
        * (1 + data["bodies"].as_array().unwrap().len() + data["topics"].as_array().unwrap().len())
        + cases.len();
    assert_eq!(
        feeds.len(),
        expected,
        "{:?}",
        feeds.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, bytes) in &feeds {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let feed: atom_syndication::Feed = text
            .parse()
            .unwrap_or_else(|e| panic!("{path} is not Atom: {e}"));
        assert!(
            feed.id().starts_with("https://moeder.example.dk/"),
            "{path}"
        );
        assert!(
            feed.links().iter().any(|l| l.rel() == "self"),
            "{path} has no self link"
        );
        assert!(!feed.authors().is_empty(), "{path} has no author");
        for entry in feed.entries() {
            assert!(entry.id().starts_with("https://moeder.example.dk/"));
            assert!(!entry.title().is_empty());
            assert!(!entry.links().is_empty());
        }
    }
    let site: atom_syndication::Feed = read(out.join("beslutninger.atom")).parse().unwrap();
    let entries = site.entries();
    let data = archive_data(&out);
    let decisions = data["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["items"].as_array().unwrap())
        .filter(|i| !i["decision_url"].is_null())
        .count();
    assert_eq!(
        entries.len(),
        decisions.min(100),
        "every public decision, up to 100"
    );
    // Newest first; dates and times of the meetings, in Copenhagen time.
    assert_eq!(
        entries[0].id(),
        "https://moeder.example.dk/das-social/2025-01-09-referat/#punkt-1-beslutning"
    );
    assert_eq!(
        entries[0].updated().to_rfc3339(),
        "2025-01-09T00:00:00+01:00"
    );
    let november = entries
        .iter()
        .find(|e| e.id().contains("2024-11-04-dagsorden/#punkt-1-"))
        .expect("the added agenda's decision");
    assert_eq!(november.updated().to_rfc3339(), "2024-11-04T00:00:00+01:00");
    let april = entries
        .iter()
        .find(|e| e.id().contains("2024-04-04-referat/#punkt-4-"))
        .expect("the April 2024 decision");
    assert_eq!(april.updated().to_rfc3339(), "2024-04-04T12:00:00+02:00");
    assert_eq!(site.updated().to_rfc3339(), "2025-01-09T00:00:00+01:00");

    let topic: atom_syndication::Feed = read(out.join("emner/socialtilsyn-nord/moeder.atom"))
        .parse()
        .unwrap();
    // The added agenda, the report of 2024 and the two items of 2014.
    assert_eq!(topic.entries().len(), 3, "one entry a meeting");

    // Pages link to their feeds.
    let home = read(out.join("index.html"));
    assert!(home.contains("href=/moeder.atom rel=alternate type=application/atom+xml"));
    let body = read(out.join("das-social/index.html"));
    assert!(body.contains("href=/das-social/beslutninger.atom rel=alternate"));
    let topic_page = read(out.join("emner/socialtilsyn-nord/index.html"));
    assert!(topic_page.contains("href=/emner/socialtilsyn-nord/moeder.atom"));
}

#[test]
fn calendars_are_valid_icalendar() {
    let (_archive, out) = built();
    let bytes = std::fs::read(out.join("das-social/moeder.ics")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.ends_with("\r\n"));
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "a line without CRLF: {line:?}");
        assert!(line.len() <= 77, "a line longer than 75 octets: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(&text);
    let root = icalendar::parser::read_calendar_simple(&unfolded).expect("valid iCalendar");
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].name, "VCALENDAR");
    let names: Vec<&str> = root[0].components.iter().map(|c| c.name.as_str()).collect();
    // One event a meeting day: five in the archive and the added agenda.
    assert_eq!(
        names,
        [
            "VTIMEZONE",
            "VEVENT",
            "VEVENT",
            "VEVENT",
            "VEVENT",
            "VEVENT",
            "VEVENT"
        ]
    );
    for required in ["VERSION", "PRODID"] {
        assert!(root[0].properties.iter().any(|p| p.name == required));
    }

    let event_on = |day: &str| -> usize {
        root[0]
            .components
            .iter()
            .position(|c| {
                c.properties
                    .iter()
                    .any(|p| p.name == "UID" && p.val.as_str().contains(day))
            })
            .unwrap_or_else(|| panic!("no event on {day}"))
    };
    let prop = |event: usize, name: &str| -> String {
        let c = &root[0].components[event];
        let p = c
            .properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        let params: Vec<String> = p
            .params
            .iter()
            .map(|x| format!("{}={}", x.key, x.val.as_ref().map_or("", |v| v.as_str())))
            .collect();
        format!("{};{}", params.join(";"), p.val)
    };
    let april = event_on("20240404");
    assert_eq!(
        prop(april, "DTSTART"),
        "TZID=Europe/Copenhagen;20240404T120000"
    );
    assert_eq!(
        prop(april, "DTEND"),
        "TZID=Europe/Copenhagen;20240404T160000"
    );
    assert_eq!(prop(april, "DTSTAMP"), ";20240404T000000Z");
    assert_eq!(prop(april, "UID"), ";das-social-20240404@moeder.example.dk");
    // A meeting without times is a whole day.
    let november = event_on("20241104");
    assert_eq!(prop(november, "DTSTART"), "VALUE=DATE;20241104");
    assert_eq!(prop(november, "DTEND"), "VALUE=DATE;20241105");
    assert!(text.contains("LOCATION:Rådhuset\\; mødelokale 1\\, Aalborg\r\n"));

    // An agenda and the minutes of one day are one event.
    let (archive, _) = built();
    write(
        archive
            .path()
            .join("content/das-social/2024-05-27-dagsorden.md"),
        "+++\nbody = \"das-social\"\ndate = 2024-05-27\nkind = \"dagsorden\"\n+++\n\n## 1. Godkendelse af dagsorden\n",
    );
    let out = archive.path().join("out2");
    build(archive.path(), &out);
    let text = read(out.join("das-social/moeder.ics"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 6);
    assert!(text.contains("URL:https://moeder.example.dk/das-social/2024-05-27-referat/"));
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&read(repo().join("docs").join(schema))).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema is valid JSON Schema")
}

fn assert_valid(validator: &jsonschema::Validator, path: &str, bytes: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{path}: {errors:#?}");
}

#[test]
fn json_files_follow_their_schemas() {
    let (_archive, out) = built();
    let archive_schema = validator("archive.schema.json");
    let meeting_schema = validator("meeting.schema.json");
    assert_valid(
        &archive_schema,
        "archive.json",
        &std::fs::read(out.join("data/archive.json")).unwrap(),
    );
    let parts = files_ending(&out, ".json")
        .into_iter()
        .filter(|(p, _)| p.starts_with("data/archive/"))
        .collect::<Vec<_>>();
    assert!(!parts.is_empty());
    for (path, bytes) in &parts {
        assert_valid(&archive_schema, path, bytes);
        assert!(bytes.len() <= 20_000_000, "{path} is over 20 MB");
    }
    // Every part is listed in the index, and every listed part is there.
    let index: serde_json::Value =
        serde_json::from_str(&read(out.join("data/archive.json"))).unwrap();
    let listed: Vec<String> = index["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["url"]
                .as_str()
                .unwrap()
                .trim_start_matches("https://moeder.example.dk/")
                .to_string()
        })
        .collect();
    let mut listed = listed;
    listed.sort();
    let written: Vec<String> = parts.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(listed, written);
    assert!(
        !meeting_schema.is_valid(&index),
        "an index is not a meeting"
    );
    let meetings = files_ending(&out, "/meeting.json");
    assert_eq!(meetings.len(), 6);
    for (path, bytes) in &meetings {
        assert_valid(&meeting_schema, path, bytes);
    }
    // The published schemas are the documented ones.
    assert_eq!(
        read(out.join("data/meeting.schema.json")),
        read(repo().join("docs/meeting.schema.json"))
    );
    let meeting: serde_json::Value = serde_json::from_str(&read(
        out.join("das-social/2024-04-04-referat/meeting.json"),
    ))
    .unwrap();
    assert_eq!(meeting["start_date"], "2024-04-04T12:00:00+02:00");
    assert_eq!(meeting["status"], "passed");
    assert_eq!(meeting["items"][1]["title"], "Godkendelse af dagsorden");
    assert_eq!(meeting["items"][1]["resolution"], "Godkendt");
    assert_eq!(meeting["items"][1]["public"], true);
    // Bad data is caught: the schema is not a formality.
    let mut broken = meeting.clone();
    broken["items"][0]["url"] = "not an address".into();
    assert!(!meeting_schema.is_valid(&broken));
}

#[test]
fn the_sitemap_is_xml_listing_every_page() {
    let (_archive, out) = built();
    let xml = read(out.join("sitemap.xml"));
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut locs = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"loc" => in_loc = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"loc" => in_loc = false,
            quick_xml::events::Event::Text(t) if in_loc => {
                locs.push(String::from_utf8(t.to_vec()).unwrap())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let pages = files_ending(&out, "index.html");
    assert_eq!(locs.len(), pages.len());
    for (path, _) in &pages {
        let url = format!(
            "https://moeder.example.dk/{}",
            path.trim_end_matches("index.html")
        );
        assert!(locs.contains(&url), "{url} is not in the sitemap");
    }
    assert!(!xml.contains("404"));
    assert!(read(out.join("robots.txt")).contains("Sitemap: https://moeder.example.dk/sitemap.xml"));
}

#[test]
fn the_decisions_csv_is_rfc_4180_with_a_byte_order_mark() {
    let (_archive, out) = built();
    let bytes = std::fs::read(out.join("data/beslutninger.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with(
        "date,body,body_name,kind,item_number,title,case_number,decision,url,outcome\r\n"
    ));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // One row per public item with a decision, oldest first.
    let data = archive_data(&out);
    let decisions = data["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["items"].as_array().unwrap())
        .filter(|i| !i["decision_url"].is_null())
        .count();
    assert_eq!(rows.len(), decisions);
    let report = rows
        .iter()
        .find(|r| &r[5] == "Årsrapport fra Socialtilsyn Nord 2023")
        .unwrap();
    assert_eq!(&report[0], "2024-05-27");
    assert_eq!(&report[6], "2024-029219");
    let last = rows
        .iter()
        .find(|r| r[8].contains("2024-11-04-dagsorden"))
        .expect("the added agenda's decision");
    assert_eq!(
        &last[7],
        "Styregruppen godkendte en kapacitetsanalyse. Den skal foreligge i 2025, \"som aftalt\"."
    );
    assert!(text.contains(",\"Styregruppen godkendte en kapacitetsanalyse. Den skal foreligge i 2025, \"\"som aftalt\"\".\","));
    assert_eq!(
        &last[8],
        "https://moeder.example.dk/das-social/2024-11-04-dagsorden/#punkt-1-beslutning"
    );
    // What became of it, read from the decision.
    assert_eq!(&report[9], "discussed");
    assert_eq!(&last[9], "approved");
}

/// The rows of a decisions CSV as written, without the byte order mark and
/// the header.
fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM")).unwrap();
    assert!(text.starts_with("date,body,body_name,kind,item_number,title,case_number,"));
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn the_decisions_are_also_a_csv_per_year_and_the_index_and_data_page_list_them() {
    let (_archive, out) = built();
    let whole = csv_rows(&std::fs::read(out.join("data/beslutninger.csv")).unwrap());
    let data: serde_json::Value =
        serde_json::from_str(&read(out.join("data/archive.json"))).unwrap();
    let listed = &data["decisions_csv"];
    assert_eq!(
        listed["all"],
        "https://moeder.example.dk/data/beslutninger.csv"
    );
    let data_page = read(out.join("data/index.html"));
    let links_to = |path: &str| {
        data_page.contains(&format!("href=/{path}>"))
            || data_page.contains(&format!("href=\"/{path}\""))
    };
    assert!(links_to("data/beslutninger.csv"));
    let mut by_year = Vec::new();
    let mut years = Vec::new();
    for part in listed["years"].as_array().unwrap() {
        let year = part["year"].as_i64().unwrap();
        let path = format!("data/beslutninger/{year}.csv");
        assert_eq!(part["url"], format!("https://moeder.example.dk/{path}"));
        assert!(links_to(&path), "{path}");
        let rows = csv_rows(&std::fs::read(out.join(&path)).unwrap());
        assert!(!rows.is_empty(), "{path}");
        assert!(rows.iter().all(|r| r[0].starts_with(&year.to_string())));
        by_year.extend(rows);
        years.push(year);
    }
    // Every year with a decision, oldest first; together the whole file.
    assert!(
        years.len() >= 3 && years.windows(2).all(|w| w[0] < w[1]),
        "{years:?}"
    );
    assert_eq!(by_year, whole);
    let on_disk: Vec<String> = std::fs::read_dir(out.join("data/beslutninger"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(on_disk.len(), years.len(), "no file that nothing lists");
}

/// Every data file the data page names (in its table and its examples) is
/// in the site: the page's examples keep up with the files.
#[test]
fn the_data_page_names_only_files_that_are_there() {
    let (_archive, out) = built();
    let page = read(out.join("data/index.html"));
    let mut named = std::collections::BTreeSet::new();
    for (at, _) in page.match_indices("data/") {
        let name: String = page[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
            .collect();
        if name.ends_with(".json") || name.ends_with(".csv") {
            named.insert(name);
        }
    }
    for name in [
        "data/archive.json",
        "data/archive/das-social/2024.json",
        "data/beslutninger/2024.csv",
        "data/beslutninger.csv",
    ] {
        assert!(named.contains(name), "{name} is not named: {named:?}");
    }
    for name in &named {
        assert!(out.join(name).is_file(), "the data page names {name}");
    }
    // The example lists the meetings from the parts the index names.
    assert!(page.contains(".parts[].url"));
}

#[test]
fn past_the_limit_the_decisions_are_written_only_by_year() {
    use protokol::render::opendata;
    let archive = example_archive();
    let (_content, model) = load(archive.path());
    let whole = opendata::decisions_csv(&model, None).unwrap();
    // The reckoning never says a file fits that would pass the limit.
    assert!(!opendata::whole_decisions_fit(
        &model,
        whole.len() as u64 - 1
    ));
    assert!(opendata::whole_decisions_fit(
        &model,
        2 * whole.len() as u64
    ));
    let paths = |limit: u64| -> Vec<String> {
        opendata::archive_files_within(&model, limit)
            .unwrap()
            .into_iter()
            .map(|p| p.path)
            .filter(|p| p.ends_with(".csv"))
            .collect()
    };
    let years: Vec<String> = opendata::decision_years(&model)
        .into_iter()
        .map(|y| format!("data/beslutninger/{y}.csv"))
        .collect();
    let mut small = vec!["data/beslutninger.csv".to_string()];
    small.extend(years.iter().cloned());
    assert_eq!(paths(opendata::MAX_DATA_FILE), small);
    assert_eq!(paths(whole.len() as u64 / 2), years);
}

#[test]
fn every_item_has_its_outcome_in_the_data_the_pages_and_the_feeds() {
    let (_archive, out) = built();
    let data = archive_data(&out);
    let items: Vec<&serde_json::Value> = data["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["items"].as_array().unwrap())
        .collect();
    let mut count = std::collections::BTreeMap::new();
    for i in &items {
        *count.entry(i["outcome"].as_str().unwrap()).or_insert(0) += 1;
    }
    // The example archive read by hand (see the outcome rules), and the
    // added agenda's one public item, which has a decision.
    let expected = [
        ("approved", 15),
        ("approved_amended", 5),
        ("discussed", 17),
        ("none", 23),
        ("noted", 9),
        ("postponed", 1),
    ];
    assert_eq!(count.into_iter().collect::<Vec<_>>(), expected);
    // Beside the decision, on the meeting page and the item page.
    let page = read(out.join("das-social/2024-04-04-referat/index.html"));
    let decision = page.split("punkt-10-beslutning").nth(1).unwrap();
    let decision = decision.split("</section>").next().unwrap();
    assert!(decision.contains("Udfald:"), "{decision}");
    assert!(decision.contains(">Udsat</strong>"), "{decision}");
    let item = read(out.join("das-social/2024-05-27-referat/punkt-6/index.html"));
    assert!(item.contains(">Vedtaget med ændringer</strong>"));
    // In the decisions feed, as a category.
    let feed = read(out.join("beslutninger.atom"));
    assert!(feed.contains("<category term=\"Taget til efterretning\"/>"));
}

#[test]
fn a_shared_item_page_shows_the_item_and_its_decision() {
    let (_archive, out) = built();
    let page = read(out.join("das-social/2024-05-27-referat/punkt-4/index.html"));
    assert!(page.contains(
        "<meta content=\"Årsrapport fra Socialtilsyn Nord 2023 · Referat – DAS Social, 27. maj 2024\" property=og:title>"
    ));
    assert!(page.contains(
        "<meta content=\"Beslutning: Tilsynschef Line Hessellund gav en præsentation af de centrale elementer"
    ));
    assert!(page.contains(
        "href=https://moeder.example.dk/das-social/2024-05-27-referat/punkt-4/ rel=canonical"
    ));
    assert!(page.contains("name=twitter:card"));
    // Cards read the Open Graph title and description: not there twice.
    assert!(!page.contains("twitter:title") && !page.contains("twitter:description"));
    // The meeting page links to it, and it back to the meeting.
    let meeting = read(out.join("das-social/2024-05-27-referat/index.html"));
    assert!(meeting.contains("href=/das-social/2024-05-27-referat/punkt-4/"));
    assert!(page.contains("href=/das-social/2024-05-27-referat/#punkt-4"));
}

#[test]
fn json_ld_describes_each_meeting_and_cannot_end_its_script() {
    let archive = example_archive();
    write(
        archive.path().join("content/das-social/2024-11-04-dagsorden.md"),
        "+++\nbody = \"das-social\"\ndate = 2024-11-04\nkind = \"dagsorden\"\nlocation = \"</script><script>alert(1)</script>\"\n+++\n\n## 1. A & B\n",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let page = read(out.join("das-social/2024-11-04-dagsorden/index.html"));
    let json = page
        .split("<script type=application/ld+json>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("a JSON-LD script");
    assert!(!page.contains("<script>alert"));
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["@type"], "Event");
    assert_eq!(
        value["location"]["name"],
        "</script><script>alert(1)</script>"
    );
    assert_eq!(value["startDate"], "2024-11-04");
    assert!(json.contains("\\u003c/script"));
    assert!(json.contains("A \\u0026 B"));
    let minutes = read(out.join("das-social/2024-04-04-referat/index.html"));
    assert!(minutes.contains("\"startDate\":\"2024-04-04T12:00:00+02:00\""));
}

/// A file of the search index as the runtime reads it: gzip, then
/// Pagefind's signature, then the content.
fn unpack(path: &str, bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut plain)
        .unwrap_or_else(|e| panic!("{path} is not gzip: {e}"));
    assert!(plain.starts_with(b"pagefind_dcd"), "{path}: no signature");
    plain.split_off(12)
}

#[test]
fn the_search_index_is_one_for_the_archive_in_pagefinds_format() {
    let archive = example_archive();
    // The setting of the index in parts is still read, and changes nothing.
    let config = archive.path().join("config.toml");
    let text = read(&config);
    write(
        &config,
        &format!("{text}\n[search]\nrecords_per_index = 20\n"),
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let site = snapshot(&out);
    let entries: Vec<&String> = site
        .keys()
        .filter(|p| p.ends_with("pagefind-entry.json"))
        .collect();
    assert_eq!(entries, ["pagefind/pagefind-entry.json"]);
    let entry: serde_json::Value =
        serde_json::from_slice(&site["pagefind/pagefind-entry.json"]).unwrap();
    assert_eq!(entry["version"], "1.6.0");
    let da = &entry["languages"]["da"];
    assert_eq!(da["page_count"], 14 + 17 + 14 + 13 + 11);
    assert_eq!(da["wasm"], "da");
    let meta = format!("pagefind/pagefind.{}.pf_meta", da["hash"].as_str().unwrap());
    let meta = unpack(&meta, &site[&meta]);
    assert!(!meta.is_empty());
    // The runtime is Pagefind's, as shipped, and only the Danish stemmer.
    let runtime = repo().join("src/search/runtime");
    for name in ["pagefind.js", "pagefind-worker.js", "wasm.da.pagefind"] {
        assert!(
            site[&format!("pagefind/{name}")] == std::fs::read(runtime.join(name)).unwrap(),
            "{name} is not the shipped file"
        );
    }
    assert!(!site.contains_key("pagefind/wasm.en.pagefind"));
    assert!(!site.contains_key("pagefind/wasm.unknown.pagefind"));
    // Every public item is a result, once, linking to its place on the
    // meeting page, with the anchor of its decision when it has one.
    let mut urls = Vec::new();
    let mut group_sizes = Vec::new();
    for (path, bytes) in site
        .iter()
        .filter(|(p, _)| p.starts_with("pagefind/fragment/"))
    {
        let group: serde_json::Value = serde_json::from_slice(&unpack(path, bytes)).unwrap();
        let group = group.as_object().expect("a group of fragments");
        group_sizes.push(group.len());
        for fragment in group.values() {
            urls.push(fragment["url"].as_str().unwrap().to_string());
        }
    }
    // Four consecutive items to a fragment file, the last file the rest:
    // 69 items in 18 files, not 69.
    group_sizes.sort_unstable();
    assert_eq!(group_sizes.len(), 18, "{group_sizes:?}");
    assert_eq!(group_sizes[0], 1, "{group_sizes:?}");
    assert!(group_sizes[1..].iter().all(|&n| n == 4), "{group_sizes:?}");
    urls.sort();
    assert_eq!(urls.len(), 69);
    urls.dedup();
    assert_eq!(urls.len(), 69);
    for url in &urls {
        let (page, anchor) = url.split_once('#').expect("an anchor");
        let html = read(out.join(page.trim_start_matches('/')).join("index.html"));
        assert!(
            html.contains(&format!("id=\"{anchor}\"")) || html.contains(&format!("id={anchor}>")),
            "{url}"
        );
    }
    for path in site
        .keys()
        .filter(|p| p.starts_with("pagefind/") && p.contains(".pf_"))
    {
        unpack(path, &site[path]);
    }
    let search = read(out.join("soeg/index.html"));
    assert!(!search.contains("data-pagefind-more"));
    // The outcomes are a filter of the index and of the search form.
    assert!(search.contains("<select name=outcome>"), "{search}");
    for label in ["Vedtaget som indstillet", "Taget til efterretning", "Udsat"] {
        assert!(
            search.contains(&format!("<option>{label}</option>")),
            "{label}"
        );
    }
    let filters: Vec<&String> = site
        .keys()
        .filter(|p| p.starts_with("pagefind/filter/"))
        .collect();
    assert_eq!(filters.len(), 5, "year, body, topic, decision and outcome");
}

#[test]
fn the_case_index_lists_every_case_by_the_year_it_came_up_newest_first() {
    let (_archive, out) = built();
    let page = read(out.join("sager/index.html"));
    assert!(page.contains("<h1>Sager</h1>"), "{page}");
    assert!(page.contains("Alle arkivets 3 sager"), "{page}");
    // The index: the years, newest first, each with its number of cases
    // and its page (a large archive's cases are too many for one page);
    // the old anchors of the years still lead to them.
    let main = page.split("<main").nth(1).unwrap();
    assert!(main.contains("<li id=aar-2025><a href=/sager/aar-2025/>2025</a> <span class=meta>1 sag</span></li><li id=aar-2024><a href=/sager/aar-2024/>2024</a> <span class=meta>2 sager</span></li>"), "{main}");
    assert_eq!(main.matches("<li><a href=/sager/20").count(), 0, "{main}");
    // A year's page: each case of it once, linked to its page, with its
    // first item's title, its number of items and its dates.
    let year = read(out.join("sager/aar-2024/index.html"));
    assert!(year.contains("<h1>Sager fra 2024</h1>"), "{year}");
    assert!(
        year.contains("De 2 sager med sagsnummer, der første gang blev behandlet i 2024"),
        "{year}"
    );
    let main = year.split("<main").nth(1).unwrap();
    let entries: Vec<&str> = main.split("<li><a href=/sager/").skip(1).collect();
    assert_eq!(entries.len(), 3, "the other year and two cases: {year}");
    assert!(
        entries[0].starts_with("aar-2025/>2025</a>"),
        "{}",
        entries[0]
    );
    assert!(
        main.contains("<span aria-current=page>2024</span>"),
        "{main}"
    );
    assert!(entries[1].starts_with("2024-029219/>2024-029219: Temadrøftelse"));
    // Its items of May 2024 and the added agenda of November.
    assert!(entries[1].contains(
        "10 punkter · <time datetime=2024-05-27>27. maj 2024</time> – <time datetime=2024-11-04>4. november 2024</time>"
    ));
    assert!(entries[2].starts_with("2024-018827/>2024-018827: "));
    let newest = read(out.join("sager/aar-2025/index.html"));
    assert!(newest.contains(
        "2024-079097/>2024-079097: Sundhedstjek på botilbud</a> <span class=meta>7 punkter · <time datetime=2025-01-09>9. januar 2025</time></span>"
    ), "{newest}");
    assert!(!out.join("sager/aar-2023").exists());
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://moeder.example.dk/sager/aar-2024/</loc>"));
    // In the sitemap, in the menu of every page and on the home page; each
    // case page leads back to it.
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://moeder.example.dk/sager/</loc>"));
    let menu = "<li><a href=/sager/>Sager</a>";
    for p in [
        "index.html",
        "emner/index.html",
        "das-social/2025-01-09-referat/index.html",
    ] {
        assert!(read(out.join(p)).contains(menu), "{p}");
    }
    assert!(read(out.join("index.html")).contains("<a href=/sager/>Alle sager</a>"));
    let case = read(out.join("sager/2024-079097/index.html"));
    assert!(
        case.contains(
            "<li><a href=/sager/>Sager</a></li><li><span aria-current=page>Sag 2024-079097</span>"
        ),
        "{case}"
    );
}

#[test]
fn every_case_has_a_page_of_its_items_in_date_order_with_a_feed() {
    let (_archive, out) = built();
    // The three case numbers of the example archive (and the pages of the
    // two years they first came up in).
    let mut cases: Vec<String> = std::fs::read_dir(out.join("sager"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("aar-"))
        .collect();
    cases.sort();
    assert_eq!(cases, ["2024-018827", "2024-029219", "2024-079097"]);
    let page = read(out.join("sager/2024-079097/index.html"));
    assert!(page.contains("<h1>Sag 2024-079097</h1>"), "{page}");
    // Its items, each with its outcome and its decision's start.
    let items = page.matches("<p class=item-title>").count();
    assert_eq!(items, 7, "{page}");
    assert_eq!(page.matches("class=outcome>").count(), 7, "{page}");
    assert!(page.contains("class=excerpt"));
    // Across meetings, oldest first: the minutes of 27 May 2024, then the
    // added agenda of 4 November 2024.
    let page = read(out.join("sager/2024-029219/index.html"));
    let list = page.split("<ol class=item-list>").nth(1).unwrap();
    let dates: Vec<&str> = list
        .split("<time datetime=")
        .skip(1)
        .filter_map(|s| s.get(..10))
        .collect();
    assert_eq!(dates.len(), 10, "{page}");
    assert!(dates[..9].iter().all(|d| *d == "2024-05-27"), "{dates:?}");
    assert_eq!(dates[9], "2024-11-04");
    // The items link to it, it is in the sitemap and has a feed.
    let meeting = read(out.join("das-social/2025-01-09-referat/index.html"));
    assert!(meeting.contains("<a href=/sager/2024-079097/>2024-079097</a>"));
    let item = read(out.join("das-social/2025-01-09-referat/punkt-3/index.html"));
    assert!(item.contains("<a href=/sager/2024-079097/>2024-079097</a>"));
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://moeder.example.dk/sager/2024-079097/</loc>"));
    let feed = read(out.join("sager/2024-079097/forloeb.atom"));
    assert_eq!(feed.matches("<entry>").count(), 7, "{feed}");
    // One feed per case, of its steps: the items decided and the one on an
    // agenda, newest first.
    assert!(
        page.contains("href=/sager/2024-029219/forloeb.atom"),
        "{page}"
    );
    assert!(!page.contains("moeder.atom") && !page.contains("beslutninger.atom"));
    for gone in ["moeder.atom", "beslutninger.atom"] {
        assert!(!out.join("sager/2024-029219").join(gone).exists(), "{gone}");
    }
    let steps: atom_syndication::Feed = read(out.join("sager/2024-029219/forloeb.atom"))
        .parse()
        .unwrap();
    assert_eq!(steps.title().as_str(), "2024-029219: sagens forløb");
    let entries = steps.entries();
    assert_eq!(entries.len(), 10);
    assert!(entries[0].updated().to_rfc3339().starts_with("2024-11-04"));
    assert!(entries[0]
        .id()
        .ends_with("/2024-11-04-dagsorden/#punkt-1-beslutning"));
    assert!(entries[1..]
        .iter()
        .all(|e| e.updated().to_rfc3339().starts_with("2024-05-27")));
    // Its timeline: a mark per meeting, each a link with its outcome in words.
    let timeline = page.split("<figure").nth(1).unwrap();
    let timeline = timeline.split("</figure>").next().unwrap();
    assert_eq!(timeline.matches("class=\"mark ").count(), 2, "{timeline}");
    assert!(timeline.contains("9 punkter – Vedtaget med ændringer"));
    assert!(timeline.contains("Botilbuddene i Nordjylland – Vedtaget som indstillet"));
}

#[test]
fn a_cases_feed_has_its_items_also_before_they_are_decided() {
    let archive = example_archive();
    write(
        archive
            .path()
            .join("content/das-social/2024-12-02-dagsorden.md"),
        "+++\nbody = \"das-social\"\ndate = 2024-12-02\nkind = \"dagsorden\"\n+++\n\n\
         ## 1. Botilbuddene i Nordjylland, opfølgning\n\n+++\ncase = \"2024-029219\"\n+++\n\n\
         ### Indstilling\n\nDet indstilles, at kapacitetsanalysen drøftes.\n",
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let steps: atom_syndication::Feed = read(out.join("sager/2024-029219/forloeb.atom"))
        .parse()
        .unwrap();
    let first = &steps.entries()[0];
    assert!(
        first.id().ends_with("/2024-12-02-dagsorden/#punkt-1"),
        "{}",
        first.id()
    );
    assert!(first
        .title()
        .as_str()
        .starts_with("Botilbuddene i Nordjylland, opfølgning ("));
    assert_eq!(
        first.summary().map(|s| s.as_str()),
        Some("Det indstilles, at kapacitetsanalysen drøftes.")
    );
    // The decided items follow, as in the decisions feeds.
    assert!(steps.entries()[1].id().ends_with("-beslutning"));
}

#[test]
fn promises_to_return_are_followed_up_or_shown_as_open() {
    let (_archive, out) = built();
    let data = archive_data(&out);
    let item = |id: &str, n: u64| -> serde_json::Value {
        data["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .and_then(|m| {
                m["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["number"] == n)
                    .cloned()
            })
            .unwrap()
    };
    // "drøftes igen på DAS primo 2025", taken up on 9 January 2025.
    let promise = &item("das-social/2024-04-04-referat", 4)["follow_ups"][0];
    assert!(promise["text"]
        .as_str()
        .unwrap()
        .contains("drøftes igen på DAS primo 2025"));
    assert_eq!(promise["due"], "2025-01/2025-03");
    assert_eq!(
        promise["closed_by"],
        "https://moeder.example.dk/das-social/2025-01-09-referat/#punkt-3"
    );
    assert_eq!(promise["open"], false);
    // "udskydes til DAS mødet 27. Maj", never taken up: open.
    let promise = &item("das-social/2024-04-04-referat", 10)["follow_ups"][0];
    assert_eq!(promise["due"], "2024-05-27");
    assert!(promise["closed_by"].is_null());
    assert_eq!(promise["open"], true);
    // Both ways on the pages.
    let april = read(out.join("das-social/2024-04-04-referat/index.html"));
    assert!(april.contains(
        "Fulgt op: <a href=/das-social/2025-01-09-referat/#punkt-3>9. januar 2025, punkt 3</a>"
    ));
    let january = read(out.join("das-social/2025-01-09-referat/index.html"));
    assert!(january.contains("Opfølgning på:"));
    // The body's page of open promises, newest first.
    let page = read(out.join("das-social/opfoelgning/index.html"));
    assert!(page.contains("<h1>Det har vi lovet at vende tilbage til: DAS Social</h1>"));
    let ten = page.find("2024-04-04-referat/#punkt-10").unwrap();
    let old = page.find("2014-03-06-referat/#punkt-11").unwrap();
    assert!(ten < old, "newest first");
    assert!(
        !page.contains("2024-04-04-referat/#punkt-4>"),
        "a promise kept is not open"
    );
    assert!(read(out.join("das-social/index.html")).contains("href=/das-social/opfoelgning/"));
}

/// Each feed holds the newest of what is in its scope, as many as it takes
/// (`MEETINGS_PER_FEED` meetings, `DECISIONS_PER_FEED` decisions): a feed of
/// a body or a topic passes over the meetings outside it, and one that is
/// full takes no older meeting. Checked against the open data.
#[test]
fn each_feed_holds_the_newest_of_its_scope_up_to_its_size() {
    use protokol::render::feeds::{DECISIONS_PER_FEED, MEETINGS_PER_FEED};
    use std::collections::BTreeMap;
    let (_dir, root) = synthetic_archive(150);
    let out = root.join("out");
    build(&root, &out);
    let data = archive_data(&out);
    let str_of = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    // What each feed may hold, by its path: the address of each meeting or
    // decision in scope, with its date.
    let mut scopes: BTreeMap<String, (usize, Vec<(String, String)>)> = BTreeMap::new();
    let mut add = |path: String, limit: usize, date: &str, id: String| {
        let scope = scopes.entry(path).or_insert((limit, Vec::new()));
        if !scope.1.iter().any(|(_, known)| *known == id) {
            scope.1.push((date.to_string(), id));
        }
    };
    for m in data["meetings"].as_array().unwrap() {
        let (date, url, body) = (str_of(&m["date"]), str_of(&m["url"]), str_of(&m["body"]));
        add("moeder.atom".into(), MEETINGS_PER_FEED, &date, url.clone());
        add(
            format!("{body}/moeder.atom"),
            MEETINGS_PER_FEED,
            &date,
            url.clone(),
        );
        for item in m["items"].as_array().unwrap() {
            let topics: Vec<String> = item["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(str_of)
                .collect();
            for t in &topics {
                add(
                    format!("emner/{t}/moeder.atom"),
                    MEETINGS_PER_FEED,
                    &date,
                    url.clone(),
                );
            }
            let Some(decision) = item["decision_url"].as_str() else {
                continue;
            };
            let decision = decision.to_string();
            add(
                "beslutninger.atom".into(),
                DECISIONS_PER_FEED,
                &date,
                decision.clone(),
            );
            add(
                format!("{body}/beslutninger.atom"),
                DECISIONS_PER_FEED,
                &date,
                decision.clone(),
            );
            for t in &topics {
                add(
                    format!("emner/{t}/beslutninger.atom"),
                    DECISIONS_PER_FEED,
                    &date,
                    decision.clone(),
                );
            }
        }
    }
    let mut full = 0;
    for (path, (limit, in_scope)) in &scopes {
        let feed: atom_syndication::Feed = read(out.join(path))
            .parse()
            .unwrap_or_else(|e| panic!("{path} is not Atom: {e}"));
        let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        let date_of: BTreeMap<&str, &str> = in_scope
            .iter()
            .map(|(date, id)| (id.as_str(), date.as_str()))
            .collect();
        assert_eq!(ids.len(), in_scope.len().min(*limit), "{path}");
        full += usize::from(in_scope.len() > *limit);
        let dates: Vec<&str> = ids
            .iter()
            .map(|id| {
                *date_of
                    .get(id)
                    .unwrap_or_else(|| panic!("{path}: {id} is not in scope"))
            })
            .collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{path}: not newest first"
        );
        let oldest = dates.last().copied().unwrap_or_default();
        for (date, id) in in_scope {
            assert!(
                ids.contains(&id.as_str()) || date.as_str() <= oldest,
                "{path}: {id} of {date} left out, {oldest} taken"
            );
        }
    }
    // The synthetic archive fills the feeds of the site and the bodies, and
    // not those of every topic.
    assert!(
        full >= 4 && full < scopes.len(),
        "{full} of {}",
        scopes.len()
    );
}
