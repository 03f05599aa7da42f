//! `protokol init`: a new archive folder that builds at once.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    ("config.toml", include_str!("skeleton/config.toml")),
    ("data/bodies.toml", include_str!("skeleton/bodies.toml")),
    ("data/topics.toml", include_str!("skeleton/topics.toml")),
    (
        "content/das-social/2024-05-27-referat.md",
        include_str!("skeleton/meeting.md"),
    ),
    ("static/.gitkeep", ""),
    ("templates/.gitkeep", ""),
];

pub fn init(path: &Path) -> Result<(), Diagnostics> {
    if path.exists() {
        let empty = std::fs::read_dir(path)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::new(path, "the folder exists and is not empty")
                .expected("a new folder name, or an empty folder")
                .into());
        }
    }
    for (rel, text) in FILES {
        let target = path.join(rel);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Diagnostic::new(dir, format!("cannot create the folder: {e}")))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| Diagnostic::new(&target, format!("cannot write the file: {e}")))?;
    }
    Ok(())
}
