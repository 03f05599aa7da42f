//! What the answers to "what became of it" cost on an archive: the outcome
//! rules and the search for promises to return, run again over every item of
//! the model on one thread, and the case pages, the index of cases and the
//! pages of open follow-ups rendered alone; with their counts.
//!
//! cargo run --release --example outcome-cost -- ARCHIVE

use protokol::content::SectionKind;
use protokol::model::Entry;
use std::collections::BTreeMap;
use std::time::Instant;

use protokol::timing::cpu_seconds;

fn text(item: &protokol::model::Item, kind: SectionKind) -> Option<&str> {
    item.sections
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.content.text.as_str())
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: outcome-cost ARCHIVE");
        std::process::exit(2);
    };
    let options = protokol::build::Options {
        root: root.into(),
        ..Default::default()
    };
    let Ok((content, archive)) = protokol::build::load(&options) else {
        eprintln!("the archive has errors");
        std::process::exit(1);
    };
    let Ok(theme) = protokol::render::Theme::load(&content.root, &content.config) else {
        eprintln!("the theme has errors");
        std::process::exit(1);
    };
    let items: Vec<(&protokol::model::Meeting, &protokol::model::Item)> = archive
        .meetings
        .iter()
        .flat_map(|m| {
            m.entries
                .iter()
                .filter_map(Entry::item)
                .map(move |i| (m, i))
        })
        .collect();
    let cpu = cpu_seconds();
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, item) in &items {
        let reading = protokol::model::outcome::read(
            text(item, SectionKind::Recommendation).unwrap_or(""),
            text(item, SectionKind::Decision),
        );
        *outcomes.entry(reading.outcome.slug()).or_default() += 1;
    }
    let outcome_cpu = cpu_seconds() - cpu;
    let cpu = cpu_seconds();
    let mut promises = 0;
    for (m, item) in &items {
        if let Some(decision) = text(item, SectionKind::Decision) {
            promises += protokol::model::followup::find(decision, m.date).len();
        }
    }
    let followup_cpu = cpu_seconds() - cpu;
    println!(
        "{} items; outcome rules {outcome_cpu:.2} s of CPU, promises {followup_cpu:.2} s",
        items.len()
    );
    println!("outcomes read again: {outcomes:?}");
    let mut model: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, item) in &items {
        *model.entry(item.outcome.slug()).or_default() += 1;
    }
    println!("outcomes in the model: {model:?}");
    let follow_ups: Vec<_> = items.iter().flat_map(|(_, i)| &i.follow_ups).collect();
    let kept = follow_ups.iter().filter(|f| f.closed_by.is_some()).count();
    let open = follow_ups.iter().filter(|f| f.open).count();
    println!(
        "promises found again: {promises}; in the model: {}, {kept} kept, {open} open, {} waiting",
        follow_ups.len(),
        follow_ups.len() - kept - open
    );
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in &archive.cases {
        *sizes.entry(c.items.len().min(10)).or_default() += 1;
    }
    println!(
        "{} cases; by number of items (10 = 10 or more): {sizes:?}",
        archive.cases.len()
    );

    for (what, prefix) in [
        ("case pages and the index of cases", "sager/"),
        ("pages of open follow-ups", "/opfoelgning/"),
    ] {
        let wanted = |p: &str| {
            p.ends_with(".html")
                && if prefix.starts_with('/') {
                    p.contains(prefix)
                } else {
                    p.starts_with(prefix)
                }
        };
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        match protokol::render::render_only(&archive, &theme, wanted) {
            Ok(pages) => {
                let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
                let largest = pages.iter().max_by_key(|p| p.bytes.len());
                println!(
                    "{what}: {} pages, {} MB, {:.2} s of CPU ({:.2} s wall); the largest {} ({} kB)",
                    pages.len(),
                    bytes / 1_000_000,
                    cpu_seconds() - cpu,
                    wall.elapsed().as_secs_f64(),
                    largest.map_or("", |p| p.path.as_str()),
                    largest.map_or(0, |p| p.bytes.len() / 1000)
                );
            }
            Err(_) => println!("{what}: the pages have errors"),
        }
    }
}
