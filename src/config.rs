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
    /// As written; [`Config::base`] is it parsed.
    pub base_url: String,
    #[serde(skip)]
    pub base: BaseUrl,
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
        self.base = BaseUrl::parse(url)?;
        self.base_url = self.base.as_str().to_string();
        Ok(())
    }
}

/// The address the site is published under, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Absolute, ending in exactly one `/`: `https://x.dk/arkiv/`.
    absolute: String,
    /// Where its path starts in `absolute`.
    path_at: usize,
}

impl BaseUrl {
    /// Reads a web address, normalised to end in exactly one `/`.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("the base_url \"{url}\" is not a web address"));
        }
        let scheme_end = url.find("://").map_or(0, |i| i + 3);
        if url[scheme_end..].trim_matches('/').is_empty() {
            return Err(format!("the base_url \"{url}\" has no host name"));
        }
        let absolute = format!("{}/", url.trim_end_matches('/'));
        let path_at = absolute[scheme_end..]
            .find('/')
            .map_or(absolute.len() - 1, |i| scheme_end + i);
        Ok(BaseUrl { absolute, path_at })
    }

    /// `https://x.dk/arkiv/`
    pub fn as_str(&self) -> &str {
        &self.absolute
    }

    /// The path part: `/` or `/arkiv/`.
    pub fn path(&self) -> &str {
        &self.absolute[self.path_at..]
    }

    /// The host's name, without a port: `x.dk`.
    pub fn host(&self) -> &str {
        let rest = self.absolute.split_once("://").map_or("", |(_, r)| r);
        rest.split(['/', ':']).next().unwrap_or(rest)
    }

    /// The address of a site-relative path as used in links: `/arkiv/x/`.
    pub fn url(&self, path: &str) -> String {
        let mut s = String::with_capacity(self.absolute.len() - self.path_at + path.len());
        s.push_str(self.path());
        s.push_str(path);
        s
    }

    /// The absolute address of a site-relative path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.absolute)
    }
}

impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.absolute)
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl {
            absolute: "http://localhost/".into(),
            path_at: "http://localhost".len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_of_root_and_subpath() {
        let root = BaseUrl::parse("https://x.dk").unwrap();
        assert_eq!(root.as_str(), "https://x.dk/");
        assert_eq!(root.path(), "/");
        assert_eq!(root.host(), "x.dk");
        let sub = BaseUrl::parse("https://x.dk/arkiv").unwrap();
        assert_eq!(sub.path(), "/arkiv/");
        assert_eq!(sub.url("emner/"), "/arkiv/emner/");
        assert_eq!(sub.permalink("emner/"), "https://x.dk/arkiv/emner/");
        assert_eq!(
            BaseUrl::parse("https://x.dk/a/b/").unwrap().as_str(),
            "https://x.dk/a/b/"
        );
        assert_eq!(
            BaseUrl::parse("https://moeder.example.dk:8080/arkiv/")
                .unwrap()
                .host(),
            "moeder.example.dk"
        );
    }

    #[test]
    fn base_url_must_be_a_web_address_also_in_the_config() {
        let mut c: Config = toml::from_str("title = \"t\"\nbase_url = \"https://x\"").unwrap();
        assert!(c.set_base_url("x.dk").is_err());
        c.set_base_url("https://x.dk/a").unwrap();
        assert_eq!(c.base.path(), "/a/");
    }

    #[test]
    fn base_url_must_be_a_web_address() {
        assert!(BaseUrl::parse("x.dk").is_err());
        assert!(BaseUrl::parse("https://").is_err());
    }
}
