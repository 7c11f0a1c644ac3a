//! A small CSV reader (RFC 4180: quoted fields, doubled quotes, newlines inside
//! quotes, CRLF) that reports errors with the file and line they happened on.

use std::path::Path;

/// A parsed CSV file: header and rows, each row with the line it started on.
pub struct CsvFile {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads and parses `path`; every error message names the file (and line).
pub fn read(path: &Path) -> Result<CsvFile, String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut records = parse(text).map_err(|(line, msg)| format!("{name}:{line}: {msg}"))?;
    if records.is_empty() {
        return Err(format!(
            "{name}: the file is empty (a header row is needed)"
        ));
    }
    let (_, header) = records.remove(0);
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            return Err(format!("{name}:1: column {} has an empty name", i + 1));
        }
        if header[..i].contains(h) {
            return Err(format!("{name}:1: column {h:?} appears twice"));
        }
    }
    for (line, row) in &records {
        if row.len() != header.len() {
            return Err(format!(
                "{name}:{line}: malformed row: {} fields, the header has {}",
                row.len(),
                header.len()
            ));
        }
    }
    Ok(CsvFile {
        header,
        rows: records,
    })
}

/// Rows of a CSV text, each with the 1-based line it starts on.
pub type Rows = Vec<(usize, Vec<String>)>;

/// Parses CSV text into rows. Blank lines are skipped. An error gives the line and
/// what is wrong.
pub fn parse(text: &str) -> Result<Rows, (usize, String)> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted_field => {
                in_quotes = true;
                quoted_field = true;
            }
            '"' => return Err((line, "a quote inside an unquoted field".into())),
            ',' => {
                row.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                quoted_field = false;
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push((row_line, std::mem::take(&mut row)));
                }
                row.clear();
                line += 1;
                row_line = line;
            }
            _ if quoted_field => return Err((line, "text after a closing quote".into())),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err((row_line, "a quoted field is never closed".into()));
    }
    if !field.is_empty() || quoted_field || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_newlines() {
        let rows = parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",z\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].1, vec!["x, y", "say \"hi\""]);
        assert_eq!(
            rows[2],
            (3, vec!["multi\nline".to_string(), "z".to_string()])
        );
        assert_eq!(parse("a\n\"open").unwrap_err().0, 2);
        assert!(parse("a\"b\n").is_err());
    }
}
