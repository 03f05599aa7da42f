//! The text of a PDF as `pdftotext -layout` gives it, made into the text the
//! importer reads: the cells of a table (columns apart by three spaces or
//! more) become tab-separated, and two columns of running text side by side
//! are read one after the other.

use regex::Regex;
use std::sync::LazyLock;

static GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S( {3,})\S").unwrap());

/// A line cut into its cells, with the column each cell starts at.
fn cells(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        let start = k;
        let mut end = k;
        while end < chars.len() {
            if chars[end] == ' ' {
                let run = chars[end..].iter().take_while(|c| **c == ' ').count();
                if run >= 3 || end + run >= chars.len() {
                    break;
                }
                end += run;
            } else {
                end += 1;
            }
        }
        out.push((start, chars[start..end].iter().collect::<String>()));
        k = end;
    }
    out
}

/// Is the cell running text (several words, mostly letters)?
fn is_prose(cell: &str) -> bool {
    let words = cell.split_whitespace().count();
    let letters = cell.chars().filter(|c| c.is_alphabetic()).count();
    let digits = cell.chars().filter(|c| c.is_ascii_digit()).count();
    words >= 3 && letters > digits * 4
}

/// Converts one page.
fn page(text: &str, out: &mut String) {
    let lines: Vec<&str> = text.split('\n').collect();
    let split: Vec<Vec<(usize, String)>> = lines.iter().map(|l| cells(l)).collect();
    let mut i = 0;
    while i < lines.len() {
        // Two columns of running text: a run of lines cut in two at about
        // the same column, both halves prose.
        let two = |k: usize, col: Option<usize>| -> Option<usize> {
            let c = &split[k];
            if c.len() != 2 || !is_prose(&c[0].1) && !is_prose(&c[1].1) {
                return None;
            }
            match col {
                Some(col) if c[1].0.abs_diff(col) > 2 => None,
                _ => Some(c[1].0),
            }
        };
        if let Some(col) = two(i, None) {
            let mut j = i + 1;
            while j < lines.len() && two(j, Some(col)).is_some() {
                j += 1;
            }
            let prose = (i..j).filter(|&k| is_prose(&split[k][0].1)).count();
            if j - i >= 3 && prose * 2 >= j - i {
                for column in 0..2 {
                    if column == 1 {
                        out.push('\n');
                    }
                    for row in &split[i..j] {
                        out.push_str(&row[column].1);
                        out.push('\n');
                    }
                }
                i = j;
                continue;
            }
        }
        let line = lines[i];
        if GAP.is_match(line.trim()) {
            let indent = line.len() - line.trim_start().len();
            out.push_str(&line[..indent]);
            let row: Vec<&str> = split[i].iter().map(|(_, c)| c.as_str()).collect();
            out.push_str(&row.join("\t"));
        } else {
            out.push_str(line.trim_end());
        }
        out.push('\n');
        i += 1;
    }
}

/// Converts the output of `pdftotext -layout` (pages apart by form feeds).
pub fn from_layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (k, p) in text.split('\u{000C}').enumerate() {
        if k > 0 {
            out.push('\u{000C}');
        }
        let mut converted = String::new();
        page(p, &mut converted);
        // `split` gives one line more than the page has newlines.
        if converted.ends_with('\n') {
            converted.pop();
        }
        out.push_str(&converted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_tab_rows_and_columns_are_read_in_turn() {
        let text = "Mødet den 04.04.2024 Socialudvalget Side 1\n\n1. Budgetopfølgning\n\nForvaltningen fremlægger den første          Indstilling: Forvaltningen indstiller,\nbudgetopfølgning for 2024. Der er            at udvalget tager orienteringen til\net forventet merforbrug på det               efterretning og beder om en plan\nspecialiserede område.                       for at nedbringe merforbruget.\n\nOmråde                            Budget               Forbrug\nHandicap                          120,5                131,2\n\u{000C}Side 2\n";
        let got = from_layout(text);
        assert_eq!(
            got,
            "Mødet den 04.04.2024 Socialudvalget Side 1\n\n1. Budgetopfølgning\n\nForvaltningen fremlægger den første\nbudgetopfølgning for 2024. Der er\net forventet merforbrug på det\nspecialiserede område.\n\nIndstilling: Forvaltningen indstiller,\nat udvalget tager orienteringen til\nefterretning og beder om en plan\nfor at nedbringe merforbruget.\n\nOmråde\tBudget\tForbrug\nHandicap\t120,5\t131,2\n\u{000C}Side 2\n"
        );
    }
}
