//! The first stage: read and check the archive's files.
//!
//! Everything here is about form: a file that parses, keys that exist, bodies
//! and topics that are described. How meetings relate is the model's business.

/// The Danish month names, January first, as minutes write them in dates
/// ("4. april 2024").
pub const MONTH_NAMES: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

pub mod data;
pub mod meeting;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
pub use data::{BodyInfo, TopicInfo};
mod outcome;
pub use meeting::{ItemSource, Kind, MeetingFacts, MeetingSource, Pos, SectionKind, SectionSource};
pub use outcome::Outcome;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// Everything read from an archive folder.
#[derive(Debug, Clone)]
pub struct Content {
    pub root: PathBuf,
    pub config: Config,
    pub bodies: Vec<BodyInfo>,
    pub topics: Vec<TopicInfo>,
    /// Meetings in the order of their paths.
    pub meetings: Vec<MeetingSource>,
}

/// Reads and checks the whole archive at `root`. All problems found are
/// reported together, each with its file, line and column.
pub fn load(root: &Path) -> Result<Content, Diagnostics> {
    let config = Config::load(root)?;
    let mut errors = Vec::new();
    let bodies = data::load_bodies(root).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let topics = data::load_topics(root).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let files = meeting_files(root)?;
    let results: Vec<Result<MeetingSource, Diagnostic>> = files
        .par_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
                Diagnostic::new(rel, format!("cannot read the file: {e}"))
                    .expected("a readable text file in UTF-8")
            })?;
            let meeting = meeting::parse(rel, &text)?;
            check_references(&meeting, &bodies, &topics)?;
            Ok(meeting)
        })
        .collect();
    let mut meetings = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(m) => meetings.push(m),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(Content {
            root: root.to_path_buf(),
            config,
            bodies,
            topics,
            meetings,
        })
    } else {
        Err(Diagnostics(errors))
    }
}

/// The meeting files under `content/`, relative to the root, sorted.
fn meeting_files(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(Diagnostic::new(CONTENT_DIR, "there is no content folder")
            .expected("a folder content/ with one Markdown file per meeting"));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .and_then(|p| p.strip_prefix(root).ok())
                .map_or_else(|| PathBuf::from(CONTENT_DIR), Path::to_path_buf);
            Diagnostic::new(path, format!("cannot read the folder: {e}"))
        })?;
        crate::paths::refuse_link(root, &entry)?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with(".md") && !name.starts_with('.') {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(rel.to_path_buf());
        }
    }
    Ok(files)
}

/// Checks that a meeting's body and topics are described in the data files.
pub fn check_references(
    meeting: &MeetingSource,
    bodies: &[BodyInfo],
    topics: &[TopicInfo],
) -> Result<(), Diagnostic> {
    let at = |pos: Pos, message: String| {
        let mut d = Diagnostic::new(&meeting.path, message);
        d.line = pos.line;
        d.column = pos.column;
        d
    };
    if !bodies.iter().any(|b| b.slug == meeting.body) {
        let known: Vec<&str> = bodies.iter().map(|b| b.slug.as_str()).collect();
        return Err(at(
            meeting.body_pos,
            format!("unknown body \"{}\"", meeting.body),
        )
        .expected(if known.is_empty() {
            format!("a body described in {}", data::BODIES_FILE)
        } else {
            format!(
                "one of the bodies in {}: {}",
                data::BODIES_FILE,
                known.join(", ")
            )
        }));
    }
    let topic_slugs: HashSet<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
    for item in &meeting.items {
        for (slug, pos) in item.topics.iter().chain(&item.not_topics) {
            if !topic_slugs.contains(slug.as_str()) {
                return Err(at(
                    *pos,
                    format!("item {}: unknown topic \"{slug}\"", item.number),
                )
                .expected(format!("a topic described in {}", data::TOPICS_FILE)));
            }
        }
    }
    Ok(())
}
