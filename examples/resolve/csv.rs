//! A small CSV reader (RFC 4180: quoted fields, doubled quotes, newlines inside
//! quotes, CRLF) that reports errors with the file and line they happened on.

use sameas::config::{infer_schema, ColumnRoles};
use sameas::{Record, Schema};
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
        let (line, column) = position(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        format!("{name}:{line}: not UTF-8 text (column {column}; save the file as UTF-8)")
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

/// The 1-based line and column (in characters) just after `valid`, UTF-8 text.
fn position(valid: &[u8]) -> (usize, usize) {
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
    // Valid UTF-8 up to here: count the characters (bytes that do not continue one).
    let column = 1 + valid[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

/// One field of CSV output (RFC 4180): quoted when it holds a comma, a quote, CR or
/// LF, quotes doubled. A field a spreadsheet would run as a formula — one that starts
/// with `=`, `+`, `-`, `@`, a tab or CR — gets a leading `'` first, so that opening
/// the file in a spreadsheet shows the text instead of evaluating it.
#[allow(dead_code)] // used by the `resolve` example only
pub fn field(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row of CSV output: the fields (see [`field`]) joined by commas, ending in CRLF
/// as RFC 4180 says.
#[allow(dead_code)] // used by the `resolve` example only
pub fn row<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// Records of one CSV file with their true entities.
#[allow(dead_code)] // the `resolve` example reads several files its own way
pub struct Labelled {
    /// The inferred schema of the data columns.
    pub schema: Schema,
    /// The records, in file order.
    pub records: Vec<Record>,
    /// The true entity of each record (same order).
    pub truth: Vec<String>,
}

/// Reads a CSV file whose column `truth` holds each record's true entity: the record
/// id column is found by [`ColumnRoles::detect`], every other column's kind is
/// inferred ([`infer_schema`], from the first 500 rows); the source is the `source`
/// column, else the file's stem. For the `accuracy` and `compare_strategies` examples.
#[allow(dead_code)] // the `resolve` example reads several files its own way
pub fn read_labelled(path: &Path, truth: &str) -> Result<Labelled, String> {
    let name = path.display();
    let file = read(path)?;
    let roles = ColumnRoles::detect(&file.header, None, None, Some(truth))
        .map_err(|e| format!("{name}: {}", e.message()))?;
    let truth_column = roles
        .truth
        .ok_or_else(|| format!("{name}: no column {truth:?}"))?;
    let data: Vec<usize> = (0..file.header.len())
        .filter(|&i| roles.is_data(i))
        .collect();
    let columns: Vec<&str> = data.iter().map(|&i| file.header[i].as_str()).collect();
    let samples: Vec<Vec<&str>> = file
        .rows
        .iter()
        .take(500)
        .map(|(_, row)| data.iter().map(|&i| row[i].as_str()).collect())
        .collect();
    let schema = infer_schema(&columns, &samples).map_err(|e| format!("{name}: {e}"))?;
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut records = Vec::with_capacity(file.rows.len());
    let mut truth = Vec::with_capacity(file.rows.len());
    for (line, row) in &file.rows {
        let source = roles
            .source
            .map_or_else(|| stem.clone(), |i| row[i].clone());
        let mut b = Record::builder(&schema, row[roles.id].trim()).source(source);
        for &i in &data {
            if schema.index_of(&file.header[i]).is_some() {
                b = b.value(&file.header[i], row[i].as_str());
            }
        }
        records.push(b.build().map_err(|e| format!("{name}:{line}: {e}"))?);
        truth.push(row[truth_column].trim().to_string());
    }
    Ok(Labelled {
        schema,
        records,
        truth,
    })
}

/// Rows of a CSV text, each with the 1-based line it starts on.
pub type Rows = Vec<(usize, Vec<String>)>;

/// Parses CSV text into rows; rows end in LF, CRLF or CR. Blank lines are skipped.
/// An error gives the line and what is wrong.
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
            // LF, CRLF, and a CR alone (old Mac files) end a row.
            '\n' | '\r' => {
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
        // Old Mac line endings: a CR alone ends a row (inside quotes it is data).
        let rows = parse("id,name\r1,\"a\rb\"\r2,c\r").unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[1].1, vec!["1", "a\rb"]);
        assert_eq!(rows[2], (3, vec!["2".to_string(), "c".to_string()]));
        assert!(parse("a\"b\n").is_err());
    }

    #[test]
    fn written_fields_read_back() {
        let tricky = [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            "",
            "Ünï",
        ];
        let text = row(&tricky);
        assert!(text.ends_with("\r\n"));
        assert_eq!(
            parse(&text).unwrap(),
            vec![(1, tricky.map(String::from).to_vec())]
        );
        for formula in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let back = &parse(&row(&[formula])).unwrap()[0].1[0];
            assert_eq!(back, &format!("'{formula}"));
        }
    }

    #[test]
    fn utf8_errors_name_line_and_column() {
        assert_eq!(position(b""), (1, 1));
        assert_eq!(position(b"id\n1,Jos"), (2, 6));
        assert_eq!(position("a\nb\n\u{e9}\u{e9}".as_bytes()), (3, 3));
    }
}
