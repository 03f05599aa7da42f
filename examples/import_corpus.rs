//! Regenerates the example archive from the raw corpus:
//! `content/das-social/*.md` from the PDF-extracted texts in
//! `../shared/corpus/raw/` (relative to the repository root), with the
//! topics of `data/topics.toml`.
//!
//! Run with `cargo run --example import_corpus`; pass `--check` to compare
//! instead of write (exit code 1 when a file differs).

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let raw = root.join("../shared/corpus/raw");
    let check = std::env::args().any(|a| a == "--check");
    if !raw.is_dir() {
        eprintln!("the raw corpus is not at {}; nothing to do", raw.display());
        return;
    }
    let topics_toml = std::fs::read_to_string(root.join("data/topics.toml")).unwrap_or_default();
    let topics = protokol::import::topics::from_toml(&topics_toml).expect("data/topics.toml");
    let out_dir = root.join("content/das-social");
    std::fs::create_dir_all(&out_dir).expect("content/das-social");
    let mut files: Vec<_> = std::fs::read_dir(&raw)
        .expect("raw corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut differ = false;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let options = protokol::import::ImportOptions {
            topics: topics.clone(),
            ..Default::default()
        };
        let imported = match protokol::import::import_text_with(&text, "das-social", &options) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        };
        let target = out_dir.join(&imported.file_name);
        for w in &imported.warnings {
            eprintln!(
                "{}:{}: warning: {}",
                path.file_name().unwrap().to_string_lossy(),
                w.line,
                w.message
            );
        }
        if check {
            let old = std::fs::read_to_string(&target).unwrap_or_default();
            if old != imported.markdown {
                eprintln!("{} differs", target.display());
                differ = true;
            }
        } else {
            std::fs::write(&target, &imported.markdown).expect("write");
            println!(
                "{} → content/das-social/{}",
                path.file_name().unwrap().to_string_lossy(),
                imported.file_name
            );
        }
    }
    if differ {
        std::process::exit(1);
    }
}
