//! Writes a synthetic archive for benchmarks (see `protokol::synthetic`).
//!
//! cargo run --release --example gen-corpus -- --meetings 10000 --out /tmp/arkiv

use std::path::PathBuf;

fn main() {
    let mut meetings = 1000usize;
    let mut out = PathBuf::from("synthetic-archive");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--meetings" => {
                meetings = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--meetings N")
            }
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            other => {
                eprintln!("unknown argument {other}\nusage: gen-corpus --meetings N --out DIR");
                std::process::exit(2);
            }
        }
    }
    match protokol::synthetic::generate(meetings, &out) {
        Ok(s) => eprintln!(
            "wrote {} meetings of {} bodies and {} topics to {}",
            s.meetings,
            s.bodies,
            s.topics,
            out.display()
        ),
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
