//! Loads an archive and builds its model (with the linking) and stops there:
//! the linking stage measured alone, without rendering or writing.
//!
//! PROTOKOL_TIMINGS=1 cargo run --release --example model-only -- ARCHIVE

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: model-only ARCHIVE");
        std::process::exit(2);
    };
    let options = protokol::build::Options {
        root: root.into(),
        ..Default::default()
    };
    match protokol::build::load(&options) {
        Ok((_, archive)) => eprintln!(
            "modelled {} meetings (peak memory {} MB)",
            archive.meetings.len(),
            protokol::model::peak_memory().unwrap_or(0) / 1024
        ),
        Err(errors) => {
            eprintln!("{} errors", errors.0.len());
            std::process::exit(1);
        }
    }
}
