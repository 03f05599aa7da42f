//! Errors explained in the author's terms: the file, the line and column, what
//! was found and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the archive root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub column: usize,
    pub message: String,
    /// What the author should have written instead.
    pub expected: Option<String>,
    /// The source line the problem is on, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            expected: None,
            source_line: None,
        }
    }

    /// Places the diagnostic at a byte offset of `source`, the file's text.
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.line = line;
        self.column = column;
        self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a 1-based line and column of `source`.
    pub fn at_line(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_owned);
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", display_path(&self.path))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            write!(f, "\n {number} | {src}")?;
            if self.column > 0 {
                let pad: String = src
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {} | {pad}^", " ".repeat(number.len()))?;
            }
        }
        if let Some(expected) = &self.expected {
            write!(f, "\n  expected: {expected}")?;
        }
        Ok(())
    }
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Several diagnostics, shown one after another.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "ab\næøå x\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        // 'x' comes after three two-byte letters and a space.
        assert_eq!(line_column(src, 3 + 7), (2, 5));
    }

    #[test]
    fn display_shows_position_source_and_expectation() {
        let src = "+++\ndate = 2024-13-01\n+++\n";
        let d = Diagnostic::new("content/a.md", "invalid date")
            .at_line(src, 2, 8)
            .expected("a date as YYYY-MM-DD");
        let text = d.to_string();
        assert!(
            text.starts_with("error: content/a.md:2:8: invalid date"),
            "{text}"
        );
        assert!(text.contains(" 2 | date = 2024-13-01"));
        assert!(text.contains("       ^"));
        assert!(text.contains("expected: a date as YYYY-MM-DD"));
    }
}
