//! Following a matter across years, on the real DAS Social archive: related
//! items, explicit references, back-links, topic timelines; and the linker at
//! scale on a synthetic archive.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn data(out: &Path) -> Value {
    archive_data(out)
}

fn item<'a>(data: &'a Value, meeting: &str, number: u64) -> &'a Value {
    data["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == meeting)
        .unwrap_or_else(|| panic!("no meeting {meeting}"))["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == number)
        .unwrap_or_else(|| panic!("no item {number} in {meeting}"))
}

fn related_urls(item: &Value) -> Vec<String> {
    item["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect()
}

const BASE: &str = "https://moeder.example.dk/";

fn url(meeting: &str, number: u32) -> String {
    format!("{BASE}{meeting}/#punkt-{number}")
}

#[test]
fn health_checks_at_residential_facilities_link_to_each_other() {
    let out = shared_example().to_path_buf();
    let d = data(&out);
    let april = "das-social/2024-04-04-referat";
    let january = "das-social/2025-01-09-referat";
    assert_eq!(
        item(&d, april, 4)["title"],
        "Status ift. sundhedstjek på botilbud"
    );
    assert_eq!(item(&d, january, 3)["title"], "Sundhedstjek på botilbud");
    assert!(related_urls(item(&d, april, 4)).contains(&url(january, 3)));
    assert!(related_urls(item(&d, january, 3)).contains(&url(april, 4)));
    // The related list on the page says why.
    let page = read(out.join("das-social/2024-04-04-referat/index.html"));
    assert!(
        page.contains(
            "href=/das-social/2025-01-09-referat/#punkt-3>Punkt 3: Sundhedstjek på botilbud</a>"
        ),
        "{page}"
    );
    assert!(page.contains("emne: Sundhedstjek på botilbud"));
}

#[test]
fn capacity_of_the_secure_institutions_links_across_years() {
    let out = shared_example().to_path_buf();
    let d = data(&out);
    let y2020 = "das-social/2020-10-19-dagsorden";
    let y2025 = "das-social/2025-01-09-referat";
    assert!(item(&d, y2020, 10)["title"]
        .as_str()
        .unwrap()
        .contains("sikrede institutioner"));
    assert!(item(&d, y2025, 5)["title"]
        .as_str()
        .unwrap()
        .contains("sikrede institutioner"));
    assert!(related_urls(item(&d, y2020, 10)).contains(&url(y2025, 5)));
    assert!(related_urls(item(&d, y2025, 5)).contains(&url(y2020, 10)));
    for (m, n) in [(y2020, 10), (y2025, 5)] {
        let topics = item(&d, m, n)["topics"].as_array().unwrap().clone();
        assert!(
            topics.contains(&Value::from("sikrede-institutioner")),
            "{m} {n}: {topics:?}"
        );
    }
}

#[test]
fn a_written_reference_to_the_meeting_of_4_april_2024_is_a_link_and_a_back_link() {
    let out = shared_example().to_path_buf();
    let page = read(out.join("das-social/2025-01-09-referat/index.html"));
    // "På DAS-mødet den 4. april 2024 …" in the health-check item of January 2025.
    assert!(
        page.contains(
            "<a class=ref href=/das-social/2024-04-04-referat/#punkt-4>4. april 2024</a>"
        ),
        "{page}"
    );
    let d = data(&out);
    let january = item(&d, "das-social/2025-01-09-referat", 3);
    assert_eq!(january["references"][0]["text"], "4. april 2024");
    assert_eq!(
        january["references"][0]["url"],
        url("das-social/2024-04-04-referat", 4)
    );
    // And the April item says it is referred to later.
    let april = item(&d, "das-social/2024-04-04-referat", 4);
    assert_eq!(
        april["referenced_by"][0],
        url("das-social/2025-01-09-referat", 3)
    );
    let april_page = read(out.join("das-social/2024-04-04-referat/index.html"));
    assert!(april_page.contains("Omtalt senere i"));
    // One matter: the later item is the next step of the earlier one.
    assert_eq!(
        april["matter_next"],
        url("das-social/2025-01-09-referat", 3)
    );
    assert_eq!(
        january["matter_previous"],
        url("das-social/2024-04-04-referat", 4)
    );
}

#[test]
fn the_previous_meeting_is_linked_only_when_the_archive_holds_it() {
    let out = shared_example().to_path_buf();
    let d = data(&out);
    // 27 May 2024 approves the minutes of 4 April 2024, which the archive holds.
    let may = item(&d, "das-social/2024-05-27-referat", 3);
    let refs: Vec<&str> = may["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(
        refs.contains(&format!("{BASE}das-social/2024-04-04-referat/").as_str()),
        "{refs:?}"
    );
    // 4 April 2024 approves the minutes of a meeting the archive lacks: no link
    // to the much older agenda of October 2020.
    let april = item(&d, "das-social/2024-04-04-referat", 3);
    assert!(
        april["references"].as_array().unwrap().is_empty(),
        "{april}"
    );
}

#[test]
fn routine_items_neither_get_nor_give_similarity_links() {
    let out = shared_example().to_path_buf();
    let d = data(&out);
    let routine = [
        "Godkendelse af dagsorden",
        "Eventuelt",
        "Evt.",
        "Næste møde",
    ];
    let mut routine_urls = Vec::new();
    for m in d["meetings"].as_array().unwrap() {
        for i in m["items"].as_array().unwrap() {
            let title = i["title"].as_str().unwrap();
            if routine.contains(&title) || title.starts_with("Godkendelse af referat") {
                routine_urls.push(i["url"].as_str().unwrap().to_string());
                assert!(
                    i["related"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|r| !r["reasons"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|x| x["kind"] == "similar")),
                    "{title} got a similarity link"
                );
            }
        }
    }
    assert!(routine_urls.len() >= 10);
    for m in d["meetings"].as_array().unwrap() {
        for i in m["items"].as_array().unwrap() {
            for r in i["related"].as_array().unwrap() {
                let similar_only = r["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["kind"] == "similar");
                assert!(
                    !(similar_only
                        && routine_urls.contains(&r["url"].as_str().unwrap().to_string())),
                    "{} links to a routine item by similarity",
                    i["url"]
                );
            }
        }
    }
}

#[test]
fn every_topic_page_shows_its_timeline_in_date_order() {
    let out = shared_example().to_path_buf();
    let d = data(&out);
    let topics = d["topics"].as_array().unwrap();
    assert!(topics.len() >= 6);
    for topic in topics {
        let slug = topic["slug"].as_str().unwrap();
        let page = read(out.join(format!("emner/{slug}/index.html")));
        // The topic's items, in the order of the archive (oldest first).
        let mut expected = Vec::new();
        for m in d["meetings"].as_array().unwrap() {
            for i in m["items"].as_array().unwrap() {
                if i["topics"].as_array().unwrap().iter().any(|t| t == slug) {
                    expected.push(
                        i["url"]
                            .as_str()
                            .unwrap()
                            .trim_start_matches(BASE)
                            .to_string(),
                    );
                }
            }
        }
        assert!(!expected.is_empty(), "topic {slug} has no items");
        let mut at = 0;
        for path in &expected {
            let needle = format!("href=/{path}>");
            let found = page[at..]
                .find(&needle)
                .unwrap_or_else(|| panic!("{slug}: {path} missing or out of order"));
            at += found + needle.len();
        }
        assert!(page.contains("<h2 id=aar-"), "{slug}: grouped by year");
    }
    let index = read(out.join("emner/index.html"));
    assert!(index.contains("href=/emner/sundhedstjek-botilbud/"));
}

#[test]
fn an_author_can_exclude_an_item_from_a_topic() {
    let archive = example_archive();
    let file = archive
        .path()
        .join("content/das-social/2025-01-09-referat.md");
    let text = read(&file);
    let heading = "## 4. Faste læger på botilbud\n";
    assert!(text.contains(heading));
    write(
        &file,
        &text.replace(
            heading,
            &format!("{heading}\n+++\nikke_emner = [\"sundhedstjek-botilbud\"]\n+++\n"),
        ),
    );
    let out = archive.path().join("out");
    build(archive.path(), &out);
    let d = data(&out);
    let four = item(&d, "das-social/2025-01-09-referat", 4);
    assert!(
        !four["topics"]
            .as_array()
            .unwrap()
            .contains(&Value::from("sundhedstjek-botilbud")),
        "{four}"
    );
}

#[test]
fn a_synthetic_archive_of_1000_meetings_builds_with_links() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arkiv");
    let summary = protokol::synthetic::generate(1000, &root).unwrap();
    assert_eq!(summary.meetings, 1000);
    // The generator is deterministic.
    let again = dir.path().join("igen");
    protokol::synthetic::generate(1000, &again).unwrap();
    assert_eq!(
        snapshot(&root.join("content")),
        snapshot(&again.join("content"))
    );

    let (content, archive) = load(&root);
    // A few meetings are not public, and the model leaves them out.
    let public = content.meetings.iter().filter(|m| m.public).count();
    assert!((980..1000).contains(&public), "{public}");
    assert_eq!(archive.meetings.len(), public);
    let items: Vec<_> = archive
        .meetings
        .iter()
        .flat_map(|m| m.entries.iter().filter_map(|e| e.item()))
        .collect();
    assert!(items.len() > 10_000);
    let with_related = items.iter().filter(|i| !i.related.is_empty()).count();
    let with_references = items.iter().filter(|i| !i.references.is_empty()).count();
    assert!(
        with_related * 2 > items.len(),
        "most items have related items: {with_related}"
    );
    assert!(
        with_references * 5 > items.len(),
        "many items refer to earlier steps: {with_references}"
    );
    // References to earlier steps resolve to the item named in the text.
    let named = items
        .iter()
        .flat_map(|i| &i.references)
        .filter(|r| r.item.is_some())
        .count();
    assert!(named * 2 > with_references, "{named} of {with_references}");
}

#[test]
fn an_items_own_page_leads_on_through_its_matter_like_the_meeting_page() {
    let out = shared_example().to_path_buf();
    // A reader who lands on the April 2024 item's own page from a shared link.
    let page = read(out.join("das-social/2024-04-04-referat/punkt-4/index.html"));
    let later =
        "href=/das-social/2025-01-09-referat/#punkt-3>Punkt 3: Sundhedstjek på botilbud</a>";
    assert!(page.contains("Omtalt senere i"), "{page}");
    assert!(page.contains("Næste trin i sagen"), "{page}");
    assert!(page.contains(later), "{page}");
    assert!(page.contains("emne: Sundhedstjek på botilbud"), "{page}");
    // Its sections are h2, and so is the heading of the related items.
    assert!(page.contains("<h2 class=related-heading>Relaterede punkter</h2>"));
}

/// A topic of more items than one page lists gets a page per year: its own
/// page keeps the timeline and links the years, each year's page lists that
/// year's items and no other, and together they list every item of it.
#[test]
fn a_large_topic_lists_its_items_on_a_page_per_year() {
    let topic = "nordjysk-socialaftale";
    let (dir, out) = build_with(|root| {
        for (year, n) in [(2022, 110), (2023, 100)] {
            let mut text = format!(
                "+++\nbody = \"das-social\"\ndate = {year}-06-01\nkind = \"referat\"\n+++\n\n"
            );
            for i in 1..=n {
                text += &format!(
                    "## {i}. Status på Styringsaftalen, del {i}\n\n### Beslutning\n\nTaget til efterretning.\n\n"
                );
            }
            write(
                root.join(format!("content/das-social/{year}-06-01-referat.md")),
                &text,
            );
        }
    });
    let (_, archive) = load(dir.path());
    let t = archive.topics.iter().find(|t| t.slug == topic).unwrap();
    assert!(
        t.items.len() > protokol::render::pages::TOPIC_PAGE_ITEMS,
        "{}",
        t.items.len()
    );
    let page = read(out.join(format!("emner/{topic}/index.html")));
    assert!(page.contains("class=timeline"), "the timeline stays");
    assert!(
        !page.contains("class=item-title"),
        "the items are on the years' pages"
    );
    let mut years: Vec<i32> = t
        .items
        .iter()
        .map(|r| chrono::Datelike::year(&archive.meetings[r.meeting].date))
        .collect();
    years.dedup();
    let mut listed = 0;
    for year in &years {
        let url = format!("/emner/{topic}/{year}/");
        assert!(page.contains(&format!("href={url}")), "{url} is linked");
        let year_page = read(out.join(format!("emner/{topic}/{year}/index.html")));
        let items = year_page.matches("class=item-title").count();
        let of_year = t
            .items
            .iter()
            .filter(|r| chrono::Datelike::year(&archive.meetings[r.meeting].date) == *year)
            .count();
        assert_eq!(items, of_year, "{year}");
        assert!(year_page.contains(&format!("<time datetime={year}-")));
        listed += items;
        for other in years.iter().filter(|y| *y != year) {
            assert!(
                !year_page.contains(&format!("<time datetime={other}-")),
                "{year}'s page shows an item of {other}"
            );
        }
    }
    assert_eq!(listed, t.items.len());
}
