//! A small CSV reader (RFC 4180: quoted fields, doubled quotes, newlines inside
//! quotes, CRLF) that reports errors with the file and line they happened on.

use sameas::config::{infer_schema, ColumnRoles};
use sameas::{Record, Schema};
use std::path::Path;

/// A parsed CSV file: header and rows, each row with the line it started on.
pub struct CsvFile {
    pub header: Vec<String>,
    pub rows: Table,
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
    let mut rows = parse(text).map_err(|(line, msg)| format!("{name}:{line}: {msg}"))?;
    let Some((_, header)) = rows.iter().next() else {
        return Err(format!(
            "{name}: the file is empty (a header row is needed)"
        ));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    rows.remove_first();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            return Err(format!("{name}:1: column {} has an empty name", i + 1));
        }
        if header[..i].contains(h) {
            return Err(format!("{name}:1: column {h:?} appears twice"));
        }
    }
    for (line, row) in rows.iter() {
        if row.len() != header.len() {
            return Err(format!(
                "{name}:{line}: malformed row: {} fields, the header has {}",
                row.len(),
                header.len()
            ));
        }
    }
    Ok(CsvFile { header, rows })
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
        .map(|(_, row)| data.iter().map(|&i| row.get(i)).collect())
        .collect();
    let schema = infer_schema(&columns, &samples).map_err(|e| format!("{name}: {e}"))?;
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let mut records = Vec::with_capacity(file.rows.len());
    let mut truth = Vec::with_capacity(file.rows.len());
    for (line, row) in file.rows.iter() {
        let source = roles.source.map_or(stem.as_str(), |i| row.get(i));
        let mut b = Record::builder(&schema, row.get(roles.id).trim()).source(source);
        for &i in &data {
            if schema.column(&file.header[i]).is_some() {
                b = b.value(&file.header[i], row.get(i));
            }
        }
        records.push(b.build().map_err(|e| format!("{name}:{line}: {e}"))?);
        truth.push(row.get(truth_column).trim().to_string());
    }
    Ok(Labelled {
        schema,
        records,
        truth,
    })
}

/// Rows of CSV text, stored flat: every field's unquoted text one after another in
/// one string, with the end of each field and the first field of each row. A million
/// rows of a dozen fields are three allocations, not twelve million strings.
#[derive(Debug, Default, PartialEq)]
pub struct Table {
    text: String,
    /// End offset in `text` of each field.
    ends: Vec<usize>,
    /// Each row: the 1-based line it starts on and the index in `ends` of its first
    /// field.
    rows: Vec<(usize, usize)>,
}

/// One row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'t> {
    table: &'t Table,
    /// Index in `table.ends` of the first field, and of the one after the last.
    fields: (usize, usize),
}

impl<'t> Row<'t> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.1 - self.fields.0
    }

    /// Field `i` (empty past the last).
    pub fn get(&self, i: usize) -> &'t str {
        let f = self.fields.0 + i;
        if f >= self.fields.1 {
            return "";
        }
        let start = f.checked_sub(1).map_or(0, |p| self.table.ends[p]);
        &self.table.text[start..self.table.ends[f]]
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'t str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Table {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Rows in order, each with the line it starts on.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Row<'_>)> + '_ {
        (0..self.rows.len()).map(|r| (self.rows[r].0, self.row(r)))
    }

    /// Row `r` (0-based, the header removed) with the line it starts on.
    pub fn at(&self, r: usize) -> (usize, Row<'_>) {
        (self.rows[r].0, self.row(r))
    }

    fn row(&self, r: usize) -> Row<'_> {
        let first = self.rows[r].1;
        let end = self.rows.get(r + 1).map_or(self.ends.len(), |next| next.1);
        Row {
            table: self,
            fields: (first, end),
        }
    }

    /// Drops the first row (the header, once read); its text stays unused in the
    /// buffer.
    fn remove_first(&mut self) {
        if !self.rows.is_empty() {
            self.rows.remove(0);
        }
    }

    /// Ends the field being written.
    fn end_field(&mut self) {
        self.ends.push(self.text.len());
    }

    /// Ends the row being written (its fields from `ends[first..]`), which started on
    /// `line`; a row of one empty field (a blank line) is dropped.
    fn end_row(&mut self, line: usize, first: usize, keep_blank: bool) {
        let blank = self.ends.len() == first + 1
            && first.checked_sub(1).map_or(0, |p| self.ends[p]) == self.text.len();
        if blank && !keep_blank {
            self.ends.truncate(first);
        } else {
            self.rows.push((line, first));
        }
    }
}

/// The field separator of CSV text: whichever of comma, semicolon (spreadsheets in
/// locales with a decimal comma write it), tab and bar the header line holds most
/// often outside quotes; a comma when it holds none of them.
pub fn separator(text: &str) -> u8 {
    let header = text.split(['\n', '\r']).next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                if let Some((_, n)) = counts.iter_mut().find(|(c, _)| *c == b) {
                    *n += 1;
                }
            }
        }
    }
    // The first of the most frequent: a comma on a tie.
    let most = counts.iter().map(|&(_, n)| n).max().unwrap_or(0);
    counts
        .iter()
        .find(|&&(_, n)| n == most)
        .map_or(b',', |&(c, _)| c)
}

/// Parses CSV text into rows, fields split at its [`separator`]; rows end in LF,
/// CRLF or CR. Blank lines are skipped. An error gives the line and what is wrong.
///
/// Works on bytes: the delimiters are ASCII, so every cut falls between characters,
/// and a run of plain text is copied at once.
pub fn parse(text: &str) -> Result<Table, (usize, String)> {
    parse_with(text, separator(text))
}

/// [`parse`] with fields split at `separator`.
fn parse_with(text: &str, separator: u8) -> Result<Table, (usize, String)> {
    let bytes = text.as_bytes();
    let mut t = Table {
        text: String::with_capacity(text.len()),
        ..Table::default()
    };
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut row_first = 0usize;
    let mut field_start = 0usize;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut i = 0;
    while i < bytes.len() {
        if in_quotes {
            // Copy up to the next quote or line feed.
            let run = bytes[i..]
                .iter()
                .position(|&b| b == b'"' || b == b'\n')
                .map_or(bytes.len(), |p| i + p);
            t.text.push_str(&text[i..run]);
            i = run;
            match bytes.get(i) {
                Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                    t.text.push('"');
                    i += 2;
                }
                Some(b'"') => {
                    in_quotes = false;
                    i += 1;
                }
                Some(_) => {
                    line += 1;
                    t.text.push('\n');
                    i += 1;
                }
                None => {}
            }
            continue;
        }
        match bytes[i] {
            b'"' if t.text.len() == field_start && !quoted_field => {
                in_quotes = true;
                quoted_field = true;
            }
            b'"' => return Err((line, "a quote inside an unquoted field".into())),
            b if b == separator => {
                t.end_field();
                field_start = t.text.len();
                quoted_field = false;
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            // LF, CRLF, and a CR alone (old Mac files) end a row.
            b'\n' | b'\r' => {
                t.end_field();
                t.end_row(row_line, row_first, false);
                row_first = t.ends.len();
                field_start = t.text.len();
                quoted_field = false;
                line += 1;
                row_line = line;
            }
            _ if quoted_field => return Err((line, "text after a closing quote".into())),
            _ => {
                let run = bytes[i..]
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\r' | b'\n') || b == separator)
                    .map_or(bytes.len(), |p| i + p);
                t.text.push_str(&text[i..run]);
                i = run;
                continue;
            }
        }
        i += 1;
    }
    if in_quotes {
        return Err((row_line, "a quoted field is never closed".into()));
    }
    if t.text.len() != field_start || quoted_field || t.ends.len() != row_first {
        t.end_field();
        t.end_row(row_line, row_first, true);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as owned strings, each with its line.
    type Owned = Vec<(usize, Vec<String>)>;

    /// The rows of `text` as owned strings, for comparing.
    fn parse(text: &str) -> Result<Owned, (usize, String)> {
        owned(super::parse(text)?)
    }

    /// As `parse`, fields split at commas whatever the header holds.
    fn parse_commas(text: &str) -> Result<Owned, (usize, String)> {
        owned(super::parse_with(text, b',')?)
    }

    fn owned(table: Table) -> Result<Owned, (usize, String)> {
        Ok(table
            .iter()
            .map(|(line, row)| (line, row.iter().map(String::from).collect()))
            .collect())
    }

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
        assert!(parse("\"a\"b\n").is_err());
        // Blank lines are skipped; a last row without a line end is kept.
        let rows = parse("a,b\n\n\r\n1,2\n\"\"").unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[1], (4, vec!["1".to_string(), "2".to_string()]));
        assert_eq!(rows[2], (5, vec![String::new()]));
        assert_eq!(parse("x,\n").unwrap()[0].1, vec!["x", ""]);
        assert_eq!(parse("é,\"ü\"\"\"\n").unwrap()[0].1, vec!["é", "ü\""]);
    }

    #[test]
    fn semicolons_tabs_and_bars_separate_when_the_header_says_so() {
        let semi = parse("id;name;city\n1;\"Pop; Ana\";Cluj, RO\n").unwrap();
        assert_eq!(semi[1].1, vec!["1", "Pop; Ana", "Cluj, RO"]);
        let tab = parse("id\tname\n1\tAna, Maria\n").unwrap();
        assert_eq!(tab[1].1, vec!["1", "Ana, Maria"]);
        assert_eq!(parse("id|name\n1|Ana\n").unwrap()[1].1, vec!["1", "Ana"]);
        // A separator inside a quoted header name does not count; a comma wins ties.
        assert_eq!(separator("\"a;b;c\",d\n"), b',');
        assert_eq!(separator("a;b,c\n"), b',');
        assert_eq!(separator("name\n"), b',');
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
            let back = &parse_commas(&row(&[formula])).unwrap()[0].1[0];
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
