//! `protokol import`: turns the text of a published agenda or minutes document
//! (as a PDF text extractor gives it) into a meeting file in the content format
//! described in `docs/content-format.md`.

/// A warning about text the importer could not place with certainty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line in the source text.
    pub line: usize,
    pub message: String,
}

/// The result of importing one document.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Suggested file name, e.g. `2024-05-27-referat.md`.
    pub file_name: String,
    /// The complete meeting file (front matter and items).
    pub markdown: String,
    pub warnings: Vec<Warning>,
}

/// An error that stops the import of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

/// Imports one document's text for the body with the given slug.
pub fn import_text(_text: &str, _body: &str) -> Result<Imported, ImportError> {
    Err(ImportError {
        line: 1,
        message: "the importer is not written yet".into(),
    })
}
