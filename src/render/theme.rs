//! The theme: Tera templates, static files and the interface strings of each
//! language. The default theme is built into the program, so an archive needs
//! no theme folder of its own; files in `themes/NAME/` and `templates/`
//! replace the built-in ones of the same name.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embedded!(
    "templates/base.html",
    "templates/components.html",
    "templates/index.html",
    "templates/meeting.html",
    "templates/year.html",
    "templates/body.html",
    "templates/topics.html",
    "templates/topic.html",
    "templates/topic-year.html",
    "templates/case.html",
    "templates/cases.html",
    "templates/cases-year.html",
    "templates/follow-ups.html",
    "templates/404.html",
    "templates/head.html",
    "templates/item.html",
    "templates/search.html",
    "templates/data.html",
    "pages/data.da.md",
    "pages/data.en.md",
    "i18n/da.toml",
    "i18n/en.toml",
    "static/style.css",
    "static/copy-link.js",
    "static/search.js",
);

pub struct Theme {
    pub tera: tera::Tera,
    /// Files copied to the site under `static/`, by their path below `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
    pub strings: Strings,
    /// Markdown texts of the theme's own pages, by name: `data.da.md`.
    pub pages: BTreeMap<String, String>,
    /// A hash of every template as written and of the strings: two themes
    /// of the same identity lay out the same view alike.
    pub identity: u64,
}

/// The interface strings of the site's language.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct Strings {
    /// Month names, January first.
    pub months: Vec<String>,
    /// Every other string, by key.
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

impl Strings {
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.text.get(key).map_or(key, String::as_str)
    }

    /// "27. maj 2024" or "27 May 2024".
    pub fn date_long(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self
            .months
            .get(date.month0() as usize)
            .map_or("", String::as_str);
        super::labels::fill(
            self.get("date_long"),
            &[
                ("day", &date.day().to_string()),
                ("month", month),
                ("year", &date.year().to_string()),
            ],
        )
    }
}

impl Theme {
    /// Loads the theme named in the config, with the archive's own overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = BTreeMap::new();
        for (path, bytes) in DEFAULT_THEME {
            files.insert(
                path.to_string(),
                (Path::new("themes/default").join(path), bytes.to_vec()),
            );
        }
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            read_dir_into(root, &theme_dir, "", &mut files)?;
        } else if config.theme != "default" {
            return Err(Diagnostic::new(
                "config.toml",
                format!("the theme \"{}\" is not in the themes folder", config.theme),
            )
            .expected(format!(
                "a folder themes/{}/ in the archive, or theme = \"default\"",
                config.theme
            ))
            .into());
        }
        let own = root.join("templates");
        if own.is_dir() {
            read_dir_into(root, &own, "templates/", &mut files)?;
        }

        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        // Tera's own escaping without `/` (every address would otherwise carry
        // `&#x2F;` for each slash): values stand in text or quoted attribute
        // values, where the five of `markdown::escape` are enough.
        tera.set_escape_fn(crate::markdown::escape_into);
        let mut templates = Vec::new();
        let mut static_files = BTreeMap::new();
        let mut pages = BTreeMap::new();
        let mut strings_file = None;
        let lang_file = format!("i18n/{}.toml", config.language.code());
        for (key, (path, bytes)) in &files {
            if let Some(name) = key.strip_prefix("templates/") {
                let text = String::from_utf8(bytes.clone())
                    .map_err(|_| Diagnostic::new(path, "the template is not UTF-8 text"))?;
                templates.push((name.to_string(), text, path.clone()));
            } else if let Some(name) = key.strip_prefix("static/") {
                // Stylesheets and scripts made small once, here.
                let bytes = if name.ends_with(".css") {
                    super::compact::css(bytes)
                } else if name.ends_with(".js") {
                    super::compact::js(bytes)
                } else {
                    bytes.clone()
                };
                static_files.insert(name.to_string(), bytes);
            } else if let Some(name) = key.strip_prefix("pages/") {
                pages.insert(
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
            } else if *key == lang_file {
                strings_file = Some((path.clone(), bytes.clone()));
            }
        }
        // The templates as written first, so that an error names the file and
        // line the author wrote; then each made small once here rather than
        // every page after rendering (kept as written if it no longer parses).
        let compiled = |t: &[(String, String, PathBuf)]| {
            let mut tera = tera.clone();
            tera.add_raw_templates(
                t.iter()
                    .map(|(name, text, _)| (name.as_str(), text.as_str())),
            )
            .map(|()| tera)
        };
        let written = compiled(&templates).map_err(|e| load_error(&templates, &e))?;
        let small: Vec<(String, String, PathBuf)> = templates
            .iter()
            .map(|(name, text, path)| (name.clone(), super::compact::template(text), path.clone()))
            .collect();
        let tera = compiled(&small).unwrap_or(written);

        let (path, bytes) = strings_file.ok_or_else(|| {
            Diagnostic::new(
                lang_file.clone(),
                "the theme has no strings for the language",
            )
            .expected("language = \"da\" or \"en\"")
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let strings: Strings = crate::toml_file::parse(&path, &text, &text, 0, "the strings")?;
        let mut all = Vec::new();
        for (name, text, _) in &templates {
            for part in [name.as_bytes(), text.as_bytes()] {
                all.extend_from_slice(&(part.len() as u64).to_le_bytes());
                all.extend_from_slice(part);
            }
        }
        all.extend_from_slice(&bytes);
        Ok(Theme {
            tera,
            static_files,
            strings,
            pages,
            identity: crate::output::hash(&all),
        })
    }

    /// The Markdown of a theme page, or an empty text if it has none.
    pub fn page(&self, name: &str) -> &str {
        self.pages.get(name).map_or("", String::as_str)
    }
}

fn read_dir_into(
    root: &Path,
    dir: &Path,
    prefix: &str,
    files: &mut BTreeMap<String, (PathBuf, Vec<u8>)>,
) -> Result<(), Diagnostics> {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Diagnostic::new(dir, format!("cannot read the folder: {e}")))?;
        crate::paths::refuse_link(root, &entry)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let key = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
        let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let bytes = std::fs::read(entry.path())
            .map_err(|e| Diagnostic::new(shown, format!("cannot read the file: {e}")))?;
        files.insert(key, (shown.to_path_buf(), bytes));
    }
    Ok(())
}

/// A template error while a page is made, in the template `path`.
pub fn template_error(path: &Path, err: &tera::Error) -> Diagnostics {
    error_in(path, err, None)
}

/// A template error, told in the author's terms: the template and, when
/// Tera says where in `source` (the template as written), the line and
/// column with the line shown.
fn error_in(path: &Path, err: &tera::Error, source: Option<&str>) -> Diagnostics {
    let found = report(err);
    let message = match found {
        Some(r) => r.message().to_string(),
        None => chain(err),
    };
    let mut d = Diagnostic::new(path, format!("template error: {message}"));
    if let (Some(r), Some(source)) = (found, source) {
        // Columns come 0-based; a diagnostic's are 1-based.
        d = d.at_line(source, r.span().start_line, r.span().start_col + 1);
    }
    d.expected("a valid Tera template, see the templates in themes/default/templates")
        .into()
}

/// A template error while the templates are loaded: named by the file of
/// the template Tera names, or else the templates folder.
fn load_error(templates: &[(String, String, PathBuf)], err: &tera::Error) -> Diagnostics {
    let named = report(err).map(tera::ReportError::filename);
    match templates
        .iter()
        .find(|(name, _, _)| Some(name.as_str()) == named)
    {
        Some((_, text, path)) => error_in(path, err, Some(text)),
        None => error_in(Path::new("templates"), err, None),
    }
}

/// Where in a template the error is, when Tera says.
fn report(err: &tera::Error) -> Option<&tera::ReportError> {
    match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    }
}

/// An error and its causes, innermost last.
fn chain(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}
