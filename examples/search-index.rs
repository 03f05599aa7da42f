//! Loads an archive, builds its model, then writes only its search index
//! (into memory, not to disk) and reports what that cost: CPU time of the
//! whole process during the index, wall time, the growth of peak memory,
//! and the number and size of the files by kind.
//!
//! cargo run --release --example search-index -- ARCHIVE [OUT]
//!
//! With OUT, the index files are also written below that folder (as they
//! would be below the site's `pagefind/`), to see what a query downloads.
//! Loading and modelling the archive are reported on a line of their own.

use std::collections::BTreeMap;
use std::time::Instant;

/// The command's allocator (see `src/main.rs`), so that the figures are the
/// command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use protokol::timing::cpu_seconds;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: search-index ARCHIVE [OUT]");
        std::process::exit(2);
    };
    let out = std::env::args().nth(2).map(std::path::PathBuf::from);
    let (load_cpu, load_wall) = (cpu_seconds(), Instant::now());
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
    let items = archive.item_count();
    println!(
        "loading and modelling: {:.2} s of CPU, {:.2} s of wall",
        cpu_seconds() - load_cpu,
        load_wall.elapsed().as_secs_f64()
    );
    // The meetings' HTML is shared with the pages in a build: made first,
    // outside the measurement.
    let texts = protokol::render::text::Texts::new(&archive);
    {
        use rayon::prelude::*;
        (0..archive.meetings.len()).into_par_iter().for_each(|i| {
            texts.meeting(i);
        });
    }
    let memory_before = protokol::model::peak_memory().unwrap_or(0);
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let strings = &theme.strings;
    let records_of =
        |m: usize| protokol::render::search::meeting_records(&archive, strings, m, &texts);
    let result = protokol::search::index(
        archive.site.language,
        protokol::render::search::meta_fields(&archive, &texts),
        items,
        archive.meetings.len(),
        &records_of,
        &|_, _| false,
        &mut |file| {
            let kind = match file.name.split_once('/') {
                Some((dir, _)) => dir.to_string(),
                None => file.name.rsplit('.').next().unwrap_or("").to_string(),
            };
            let k = kinds.entry(kind).or_default();
            k.0 += 1;
            k.1 += file.bytes.len();
            if let Some(dir) = &out {
                let path = dir.join(protokol::routes::SEARCH_INDEX).join(&file.name);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &file.bytes));
                if let Err(e) = written {
                    eprintln!("{}: {e}", path.display());
                    std::process::exit(1);
                }
            }
            Ok(())
        },
    );
    let (cpu, wall) = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
    if result.is_err() {
        eprintln!("the index could not be written");
        std::process::exit(1);
    }
    let memory = protokol::model::peak_memory()
        .unwrap_or(0)
        .saturating_sub(memory_before);
    println!(
        "{} meetings, {items} items: index in {cpu:.2} s of CPU ({:.1} µs per item), {wall:.2} s of wall, peak memory +{} MB",
        archive.meetings.len(),
        cpu * 1e6 / items.max(1) as f64,
        memory / 1024
    );
    let (mut files, mut bytes) = (0, 0);
    for (kind, (n, b)) in &kinds {
        println!("  {kind:<10} {n:>7} files {:>10.1} MB", *b as f64 / 1e6);
        files += n;
        bytes += b;
    }
    println!(
        "  {:<10} {files:>7} files {:>10.1} MB",
        "all",
        bytes as f64 / 1e6
    );
}
