//! Site settings from `config.toml`.

use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::path::Path;

/// The interface language of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default)]
    pub linking: Linking,
    #[serde(default)]
    pub search: Search,
}

/// `[search]`: how the full-text index is made.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Search {
    /// No longer used: the index is one for the whole archive, however
    /// large. Still read, so that older archives' settings keep working.
    pub records_per_index: Option<usize>,
}

/// `[linking]`: how items are tied together across meetings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Linking {
    /// How strongly an item's text must match a topic's names and keywords
    /// to be filed under it: a name in the title counts 3, in the text 1, a
    /// keyword in the text 0.5, per mention.
    pub topic_threshold: f32,
    /// How many related items an item shows.
    pub related: usize,
}

impl Default for Linking {
    fn default() -> Self {
        Linking {
            topic_threshold: 3.0,
            related: 5,
        }
    }
}

fn default_theme() -> String {
    "default".into()
}

fn default_output() -> String {
    "public".into()
}

impl Config {
    pub const FILE: &'static str = "config.toml";

    /// Reads `config.toml` from the archive root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(Self::FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(Self::FILE, format!("cannot read the site settings: {e}"))
                .expected("a file config.toml in the archive folder (protokol init makes one)")
        })?;
        let mut config: Config =
            crate::toml_file::parse(Path::new(Self::FILE), &text, &text, 0, "config.toml")?;
        config
            .set_base_url(&config.base_url.clone())
            .map_err(|msg| {
                let offset = text.find("base_url").unwrap_or(0);
                Diagnostic::new(Self::FILE, msg)
                    .at_offset(&text, offset)
                    .expected("an address such as \"https://moeder.example.dk/\"")
            })?;
        Ok(config)
    }

    /// Sets the base URL, normalised to end in exactly one slash.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("the base_url \"{url}\" is not a web address"));
        }
        let scheme_end = url.find("://").map_or(0, |i| i + 3);
        if url[scheme_end..].trim_matches('/').is_empty() {
            return Err(format!("the base_url \"{url}\" has no host name"));
        }
        self.base_url = format!("{}/", url.trim_end_matches('/'));
        Ok(())
    }

    /// The path part of the base URL, always starting and ending with `/`:
    /// `https://x.dk/arkiv/` → `/arkiv/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => self.base_url[after_scheme + i..].to_string(),
            None => "/".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Config {
        let mut c: Config = toml::from_str("title = \"t\"\nbase_url = \"https://x\"").unwrap();
        c.set_base_url(url).unwrap();
        c
    }

    #[test]
    fn base_path_of_root_and_subpath() {
        assert_eq!(config("https://x.dk").base_path(), "/");
        assert_eq!(config("https://x.dk/arkiv").base_path(), "/arkiv/");
        assert_eq!(config("https://x.dk/a/b/").base_url, "https://x.dk/a/b/");
    }

    #[test]
    fn base_url_must_be_a_web_address() {
        let mut c = config("https://x.dk");
        assert!(c.set_base_url("x.dk").is_err());
        assert!(c.set_base_url("https://").is_err());
    }
}
