//! Runs the leak guard alone over a site already built, one file after the
//! other on one thread, and reports what it cost: the time to collect the
//! secret texts, the CPU time to check the files, and the bytes checked.
//!
//! cargo run --release --example leak-check -- ARCHIVE SITE [--compare]
//!
//! With `--compare`, also the time of one Aho-Corasick automaton over every
//! text (titles, case numbers and runs of words alike) on every file.

use std::time::Instant;

use protokol::timing::cpu_seconds;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(site)) = (args.first(), args.get(1)) else {
        eprintln!("usage: leak-check ARCHIVE SITE [--compare]");
        std::process::exit(2);
    };
    let Ok(content) = protokol::content::load(std::path::Path::new(root)) else {
        eprintln!("the archive has errors");
        std::process::exit(1);
    };
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let mut guard = protokol::leak::Guard::new(&content);
    guard.measure_time();
    let collect = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
    // The files are read once alone, for the CPU time of reading them.
    let before = cpu_seconds();
    let mut read = 0u64;
    for file in &files {
        read += std::fs::read(file).map_or(0, |b| b.len() as u64);
    }
    let reading = cpu_seconds() - before;
    let before = cpu_seconds();
    // CPU time per kind of file: its extension, and for pages whether it is
    // an item's page (`punkt-N/`), a case's or another.
    let mut kinds: std::collections::BTreeMap<String, (f64, u64, u64, u64)> = Default::default();
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let rel = file.strip_prefix(site).unwrap_or(file).to_string_lossy();
        // This thread's CPU clock: reading the process's from /proc for
        // each of 250,000 files cost more than checking most of them.
        let at = protokol::timing::thread_cpu_nanos();
        let (checked, passed) = (guard.checked_bytes(), guard.passed_over_bytes());
        guard.check(&rel, &bytes);
        let k = kinds.entry(kind_of(&rel)).or_default();
        k.0 += protokol::timing::thread_cpu_nanos().saturating_sub(at) as f64 / 1e9;
        k.1 += bytes.len() as u64;
        k.2 += guard.checked_bytes() - checked;
        k.3 += guard.passed_over_bytes() - passed;
    }
    let check_cpu = cpu_seconds() - before - reading;
    // For comparison: one automaton over every text, on every file.
    let all = aho_corasick::AhoCorasick::new(guard.texts()).ok();
    let before = cpu_seconds();
    let mut all_found = 0;
    if let (Some(ac), true) = (&all, args.len() > 2) {
        for file in &files {
            let Ok(bytes) = std::fs::read(file) else {
                continue;
            };
            let data = protokol::leak::inflate(&bytes).unwrap_or(bytes);
            all_found += usize::from(ac.find(&data[..]).is_some());
        }
    }
    let all_cpu = cpu_seconds() - before - reading;
    println!(
        "{} texts ({} runs of words): collected in {:.2} s of CPU ({:.2} s wall)",
        guard.needles(),
        guard.runs(),
        collect.0,
        collect.1
    );
    println!(
        "{} files, {} MB read, {} MB checked: {:.2} s of CPU ({:.2} s measured in the guard)",
        files.len(),
        read / 1_000_000,
        guard.checked_bytes() / 1_000_000,
        check_cpu,
        guard.check_seconds()
    );
    if args.len() > 2 {
        println!(
            "one automaton over every text instead: {all_cpu:.2} s of CPU, {all_found} files with a finding"
        );
    }
    println!(
        "{} MB passed over as markup seen clean; by kind of file (CPU, MB as written, checked, passed over):",
        guard.passed_over_bytes() / 1_000_000
    );
    for (kind, (cpu, bytes, checked, passed)) in &kinds {
        println!(
            "  {kind:<24} {cpu:>7.2} s  {:>6} {:>6} {:>6}",
            bytes / 1_000_000,
            checked / 1_000_000,
            passed / 1_000_000
        );
    }
    println!("{} findings", guard.findings().len());
    for f in guard.findings().iter().take(5) {
        println!("  {} {} {} {:?}", f.path, f.what, f.kind, f.text);
    }
}

/// The kind of an output file, for the table of costs: its extension, with
/// item pages, cases, data and the search index apart.
fn kind_of(rel: &str) -> String {
    let ext = rel.rsplit('.').next().unwrap_or("");
    let first = rel.split('/').next().unwrap_or("");
    if rel.contains("/punkt-") {
        format!("item {ext}")
    } else if matches!(first, "sager" | "pagefind" | "data") {
        format!("{first} {ext}")
    } else {
        format!("other {ext}")
    }
}
