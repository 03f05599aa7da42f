//! The small data files that describe bodies (`data/bodies.toml`) and topics
//! (`data/topics.toml`).

use crate::diagnostic::Diagnostic;
use crate::slug::is_slug;
use serde::Deserialize;
use std::path::Path;

pub const BODIES_FILE: &str = "data/bodies.toml";
pub const TOPICS_FILE: &str = "data/topics.toml";

/// Slugs the site uses for its own pages; a body may not take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "emner", "data", "static", "soeg", "search", "feeds", "404", "aar", "om", "pagefind", "sager",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyEntry {
    name: String,
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

/// A committee, board or other body whose meetings the archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyInfo {
    pub slug: String,
    pub name: String,
    pub full_name: Option<String>,
    pub description: String,
    pub aliases: Vec<String>,
}

/// A subject followed across meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub keywords: Vec<String>,
}

/// Reads `data/bodies.toml`. A missing file is an error: every meeting names its body.
pub fn load_bodies(root: &Path) -> Result<Vec<BodyInfo>, Diagnostic> {
    let Some(text) = read(root, BODIES_FILE, true)? else {
        return Ok(Vec::new());
    };
    let entries: toml::map::Map<String, toml::Value> = parse_table(&text, BODIES_FILE)?;
    let mut bodies = Vec::with_capacity(entries.len());
    for (slug, value) in entries {
        check_slug(&text, BODIES_FILE, &slug, true)?;
        let entry: BodyEntry = entry_from(&text, BODIES_FILE, &slug, value, "a body")?;
        bodies.push(BodyInfo {
            slug,
            name: entry.name,
            full_name: entry.full_name,
            description: entry.description,
            aliases: entry.aliases,
        });
    }
    bodies.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(bodies)
}

/// Reads `data/topics.toml`; an archive without topics is fine.
pub fn load_topics(root: &Path) -> Result<Vec<TopicInfo>, Diagnostic> {
    let Some(text) = read(root, TOPICS_FILE, false)? else {
        return Ok(Vec::new());
    };
    let entries: toml::map::Map<String, toml::Value> = parse_table(&text, TOPICS_FILE)?;
    let mut topics = Vec::with_capacity(entries.len());
    for (slug, value) in entries {
        check_slug(&text, TOPICS_FILE, &slug, false)?;
        let entry: TopicEntry = entry_from(&text, TOPICS_FILE, &slug, value, "a topic")?;
        topics.push(TopicInfo {
            slug,
            name: entry.name,
            description: entry.description,
            aliases: entry.aliases,
            keywords: entry.keywords,
        });
    }
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(topics)
}

fn read(root: &Path, file: &str, required: bool) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(root.join(file)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        Err(e) => Err(Diagnostic::new(file, format!("cannot read the file: {e}"))
            .expected("a file that describes each body, see docs/content-format.md")),
    }
}

fn parse_table(text: &str, file: &str) -> Result<toml::map::Map<String, toml::Value>, Diagnostic> {
    crate::toml_file::parse(Path::new(file), text, text, 0, file)
}

/// Finds where the table `[slug]` starts, for error positions.
fn table_offset(text: &str, slug: &str) -> usize {
    [
        format!("[{slug}]"),
        format!("[\"{slug}\"]"),
        format!("['{slug}']"),
    ]
    .iter()
    .find_map(|header| text.find(header.as_str()))
    .unwrap_or(0)
}

fn check_slug(text: &str, file: &str, slug: &str, body: bool) -> Result<(), Diagnostic> {
    let at = table_offset(text, slug);
    if !is_slug(slug) {
        return Err(
            Diagnostic::new(file, format!("\"{slug}\" cannot be used in addresses"))
                .at_offset(text, at)
                .expected(format!(
                    "a name of lowercase letters a-z, digits and hyphens, such as \"{}\"",
                    crate::slug::slugify(slug)
                )),
        );
    }
    if body && (RESERVED_SLUGS.contains(&slug) || slug.bytes().all(|b| b.is_ascii_digit())) {
        return Err(Diagnostic::new(
            file,
            format!("the body name \"{slug}\" is taken by the site itself"),
        )
        .at_offset(text, at)
        .expected(format!(
            "a name that is not a number and not one of {}",
            RESERVED_SLUGS.join(", ")
        )));
    }
    Ok(())
}

fn entry_from<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    slug: &str,
    value: toml::Value,
    what: &str,
) -> Result<T, Diagnostic> {
    value.try_into().map_err(|e: toml::de::Error| {
        let at = table_offset(text, slug);
        let inner = Diagnostic::new(file, "").at_offset(text, at);
        let message = e.message().trim().to_string();
        let (line, column) = (inner.line, inner.column);
        Diagnostic::new(file, format!("{what} [{slug}]: {message}"))
            .at_line(text, line, column)
            .expected("the keys described in docs/content-format.md (name is required)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, text: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn bodies_are_read_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            BODIES_FILE,
            "[kkr]\nname = \"KKR\"\n[das-social]\nname = \"DAS Social\"\naliases = [\"DAS\"]\n",
        );
        let bodies = load_bodies(dir.path()).unwrap();
        assert_eq!(bodies.len(), 2);
        assert_eq!(bodies[0].slug, "das-social");
        assert_eq!(bodies[0].aliases, vec!["DAS".to_string()]);
    }

    #[test]
    fn a_body_slug_must_be_usable_in_addresses() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            BODIES_FILE,
            "[x]\nname = \"X\"\n\n[\"DAS Social\"]\nname = \"D\"\n",
        );
        let err = load_bodies(dir.path()).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("cannot be used in addresses"));
        assert!(err.expected.unwrap().contains("das-social"));
    }

    #[test]
    fn reserved_and_numeric_body_slugs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), BODIES_FILE, "[emner]\nname = \"X\"\n");
        assert!(load_bodies(dir.path())
            .unwrap_err()
            .message
            .contains("taken"));
        write(dir.path(), BODIES_FILE, "[2024]\nname = \"X\"\n");
        assert!(load_bodies(dir.path())
            .unwrap_err()
            .message
            .contains("taken"));
    }

    #[test]
    fn a_body_without_name_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            BODIES_FILE,
            "[a]\nname = \"A\"\n[b]\nfull_name = \"B\"\n",
        );
        let err = load_bodies(dir.path()).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("[b]"), "{}", err.message);
    }

    #[test]
    fn topics_file_is_optional() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_topics(dir.path()).unwrap().is_empty());
    }
}
