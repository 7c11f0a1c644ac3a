//! Columns from Python (a dict of lists) into sameas records, with little work per cell.
//!
//! Reading the Python objects needs the GIL; building the records does not, so the
//! cells are first copied into plain Rust values ([`Table`]) and the records are built
//! afterwards with the GIL released.

use crate::error::{bad, IntoPy};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use sameas::config::{align_to_schema, TableSample};
use sameas::record::Column;
use sameas::{Error, ErrorKind, FieldKind, Record, Schema};

/// One cell: no value, one value, or several (a list in the cell).
#[derive(Debug, Clone)]
pub enum Cell {
    /// Missing (None, NaN, empty list).
    Empty,
    /// One value.
    One(String),
    /// Several values of a multi-valued field.
    Many(Vec<String>),
}

impl Cell {
    /// The first value, for inference samples.
    pub fn first(&self) -> &str {
        match self {
            Cell::Empty => "",
            Cell::One(s) => s,
            Cell::Many(v) => v.first().map(String::as_str).unwrap_or(""),
        }
    }
}

/// The input as plain Rust values: record ids, sources, observation times and one
/// column of cells per data field, all of the same length.
#[derive(Debug, Default)]
pub struct Table {
    /// Record ids (empty when no id column was named).
    pub ids: Vec<String>,
    /// Source system per record.
    pub sources: Option<Vec<String>>,
    /// Seconds since the Unix epoch per record.
    pub observed: Option<Vec<i64>>,
    /// Data columns in input order.
    pub fields: Vec<(String, Vec<Cell>)>,
    /// Number of rows.
    pub rows: usize,
}

/// Which columns play which role.
pub struct Roles<'a> {
    /// The record id column (required for records).
    pub id: Option<&'a str>,
    /// The source system column.
    pub source: Option<&'a str>,
    /// The observation time column.
    pub observed_at: Option<&'a str>,
    /// Columns to skip.
    pub ignore: &'a [String],
    /// Read at most this many rows (for inference samples).
    pub limit: Option<usize>,
}

/// Reads a dict of column name → list of cells.
pub fn read_table(columns: &Bound<'_, PyDict>, roles: &Roles<'_>) -> PyResult<Table> {
    let mut t = Table::default();
    let mut rows: Option<(String, usize)> = None;
    let mut seen_id = false;
    for (name, column) in columns.iter() {
        let name: String = name
            .extract()
            .map_err(|_| bad("column names must be strings"))?;
        if roles.ignore.contains(&name) {
            continue;
        }
        let items = column.downcast::<PyList>().map_err(|_| {
            bad(format!(
                "column {name:?} must be a list (got {})",
                column
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let len = roles.limit.map_or(items.len(), |l| l.min(items.len()));
        match &rows {
            Some((first, n)) if *n != len => {
                return Err(bad(format!(
                    "columns differ in length: {first:?} has {n} rows, {name:?} has {len}"
                )))
            }
            None => rows = Some((name.clone(), len)),
            _ => {}
        }
        let items = items.iter().take(len);
        if Some(name.as_str()) == roles.id {
            seen_id = true;
            t.ids = items
                .map(|o| scalar(&o).map(Option::unwrap_or_default))
                .collect::<PyResult<_>>()?;
        } else if Some(name.as_str()) == roles.source {
            t.sources = Some(
                items
                    .map(|o| scalar(&o).map(Option::unwrap_or_default))
                    .collect::<PyResult<_>>()?,
            );
        } else if Some(name.as_str()) == roles.observed_at {
            t.observed = Some(items.map(|o| seconds(&o, &name)).collect::<PyResult<_>>()?);
        } else {
            t.fields
                .push((name, items.map(|o| cell(&o)).collect::<PyResult<_>>()?));
        }
    }
    if let (Some(id), false) = (roles.id, seen_id) {
        let names: Vec<String> = columns
            .keys()
            .iter()
            .map(|k| k.str().map(|s| s.to_string()).unwrap_or_default())
            .collect();
        return Err(bad(format!(
            "no record id column {id:?} (columns: {}); name one with id=",
            names.join(", ")
        )));
    }
    t.rows = rows.map_or(0, |(_, n)| n);
    Ok(t)
}

/// A cell: a string, a scalar, or a list/tuple of them (several values).
fn cell(o: &Bound<'_, PyAny>) -> PyResult<Cell> {
    if let Ok(s) = o.downcast::<PyString>() {
        return Ok(Cell::One(s.to_cow()?.into_owned()));
    }
    if o.is_none() {
        return Ok(Cell::Empty);
    }
    let many = |it: &mut dyn Iterator<Item = Bound<'_, PyAny>>| -> PyResult<Cell> {
        let mut v = Vec::new();
        for x in it {
            if let Some(s) = scalar(&x)? {
                v.push(s);
            }
        }
        Ok(match v.len() {
            0 => Cell::Empty,
            1 => Cell::One(v.pop().unwrap_or_default()),
            _ => Cell::Many(v),
        })
    };
    if let Ok(l) = o.downcast::<PyList>() {
        return many(&mut l.iter());
    }
    if let Ok(l) = o.downcast::<PyTuple>() {
        return many(&mut l.iter());
    }
    if o.hasattr("ndim")? && o.getattr("ndim")?.extract::<usize>().unwrap_or(0) >= 1 {
        // a numpy array in a cell (list columns read from Parquet or Arrow)
        let l = o.call_method0("tolist")?;
        if let Ok(l) = l.downcast::<PyList>() {
            return many(&mut l.iter());
        }
    }
    Ok(scalar(o)?.map_or(Cell::Empty, Cell::One))
}

/// One scalar as text: strings as they are, integers in decimal, whole floats without
/// a fraction (a pandas integer column with gaps is float), NaN and None as missing,
/// dates in ISO form, anything else through `str()`.
pub fn scalar(o: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(s) = o.downcast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if o.is_none() {
        return Ok(None);
    }
    if o.is_instance_of::<PyBool>() {
        return Ok(Some(o.str()?.to_string().to_ascii_lowercase()));
    }
    if o.is_instance_of::<PyInt>() {
        return Ok(Some(o.str()?.to_string()));
    }
    if let Ok(f) = o.downcast::<PyFloat>() {
        let x = f.value();
        return Ok(if x.is_nan() {
            None
        } else if x.fract() == 0.0 && x.abs() < 1e15 {
            Some(format!("{}", x as i64))
        } else {
            Some(x.to_string())
        });
    }
    if is_missing(o)? {
        return Ok(None);
    }
    if matches!(o.get_type().name()?.to_cow()?.as_ref(), "bool_" | "bool") {
        // numpy booleans, like Python's
        return Ok(Some(o.str()?.to_string().to_ascii_lowercase()));
    }
    if o.hasattr("__index__")? {
        // numpy and other integer scalars
        return Ok(Some(o.call_method0("__index__")?.str()?.to_string()));
    }
    if !o.hasattr("year")? && o.hasattr("__float__")? {
        // numpy floats, Decimal: NaN is missing, whole numbers lose the fraction
        let x: f64 = o.call_method0("__float__")?.extract()?;
        return Ok(if x.is_nan() {
            None
        } else if x.fract() == 0.0 && x.abs() < 1e15 {
            Some(format!("{}", x as i64))
        } else {
            Some(o.str()?.to_string())
        });
    }
    if o.hasattr("year")? && o.hasattr("month")? && o.hasattr("day")? {
        let part = |n: &str| -> PyResult<i64> { o.getattr(n)?.extract() };
        if let (Ok(y), Ok(m), Ok(d)) = (part("year"), part("month"), part("day")) {
            return Ok(Some(format!("{y:04}-{m:02}-{d:02}")));
        }
    }
    Ok(Some(o.str()?.to_string()))
}

/// Whether an object is a missing-value marker of pandas or numpy (`pd.NA`,
/// `pd.NaT`, `numpy.datetime64("NaT")`); None and NaN floats are checked by the callers.
fn is_missing(o: &Bound<'_, PyAny>) -> PyResult<bool> {
    let ty = o.get_type();
    let name = ty.name()?;
    let name = name.to_cow()?;
    Ok(match name.as_ref() {
        "NAType" | "NaTType" => true,
        "datetime64" | "timedelta64" => o.str()?.to_cow()? == "NaT",
        _ => false,
    })
}

/// An observation time: seconds since the epoch (int or float), an ISO 8601 date or
/// date-time string, or an object with `timestamp()` (datetime, pandas Timestamp).
fn seconds(o: &Bound<'_, PyAny>, column: &str) -> PyResult<i64> {
    if o.is_none() || is_missing(o)? {
        return Ok(0);
    }
    if o.is_instance_of::<PyInt>() {
        return o.extract();
    }
    if let Ok(f) = o.downcast::<PyFloat>() {
        let x = f.value();
        return Ok(if x.is_finite() { x as i64 } else { 0 });
    }
    if let Ok(s) = o.downcast::<PyString>() {
        let s = s.to_cow()?;
        if s.trim().is_empty() {
            return Ok(0);
        }
        return parse_iso(&s).ok_or_else(|| {
            bad(format!(
                "column {column:?}: {s:?} is not seconds since the epoch nor an ISO 8601 date"
            ))
        });
    }
    if o.hasattr("timestamp")? {
        let x: f64 = o.call_method0("timestamp")?.extract()?;
        return Ok(if x.is_finite() { x as i64 } else { 0 });
    }
    Err(bad(format!(
        "column {column:?}: cannot read a time from a {}",
        o.get_type().name()?
    )))
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.frac]]` and `Z` or
/// an offset `±HH:MM` / `±HHMM`; or a plain integer of seconds.
pub fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let date = s.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || date.len() != 10 {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut hms = time.split(':');
    let h = num(hms.next()?)?;
    let mi = num(hms.next()?)?;
    let sec = match hms.next() {
        Some(x) => num(x.split('.').next()?)?,
        None => 0,
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    secs += h * 3600 + mi * 60 + sec;
    match offset {
        "" | "Z" | "z" => Some(secs),
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let digits: String = o[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 {
                return None;
            }
            let (oh, om) = (num(&digits[..2])?, num(&digits[2..])?);
            Some(secs - sign * (oh * 3600 + om * 60))
        }
    }
}

/// Builds the records (no GIL needed). Every data column must be a schema column or
/// feed one by its kind ([`align_to_schema`]: `email_2` feeds `email`, as the `resolve`
/// example reads files).
pub fn build_records(schema: &Schema, table: Table) -> sameas::Result<Vec<Record>> {
    let targets = column_targets(schema, &table)?;
    let Table {
        ids,
        sources,
        observed,
        fields,
        rows,
    } = table;
    if ids.len() != rows {
        return Err(Error::new(
            ErrorKind::InvalidRecord,
            "the id column is missing",
        ));
    }
    let mut sources = sources.map(Vec::into_iter);
    let mut observed = observed.map(Vec::into_iter);
    // Each column's place in the schema, found once.
    let mut columns: Vec<(Column, std::vec::IntoIter<Cell>)> = fields
        .into_iter()
        .zip(targets)
        .map(|((_, c), target)| (target, c.into_iter()))
        .collect();
    let mut records = Vec::with_capacity(rows);
    for id in ids {
        let mut b = Record::builder(schema, id.clone());
        if let Some(s) = sources.as_mut().and_then(Iterator::next) {
            b = b.source(s);
        }
        if let Some(t) = observed.as_mut().and_then(Iterator::next) {
            b = b.observed_at(t);
        }
        for (column, cells) in &mut columns {
            match cells.next() {
                Some(Cell::One(s)) => b = b.column_text(*column, &s),
                Some(Cell::Many(v)) => {
                    for s in v {
                        b = b.column_text(*column, &s);
                    }
                }
                Some(Cell::Empty) | None => {}
            }
        }
        records.push(
            b.build()
                .map_err(|e| Error::new(e.kind(), format!("record {id:?}: {}", e.message())))?,
        );
    }
    Ok(records)
}

/// The schema column each data column of `table` feeds; an error names a column that
/// feeds none.
fn column_targets(schema: &Schema, table: &Table) -> sameas::Result<Vec<Column>> {
    let names: Vec<&str> = table.fields.iter().map(|(n, _)| n.as_str()).collect();
    let targets = targets_of(schema, &names)?;
    names
        .iter()
        .zip(targets)
        .map(|(name, target)| match target {
            Some(column) => Ok(column),
            None => schema.field(name).map(|(i, _)| Column::Field(i)),
        })
        .collect()
}

/// Whether records built for `schema` read each of `columns` (see [`targets_of`]).
pub fn columns_read(schema: &Schema, columns: &[String]) -> sameas::Result<Vec<bool>> {
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    Ok(targets_of(schema, &names)?
        .iter()
        .map(Option::is_some)
        .collect())
}

/// The schema column each of `names` feeds: its own name's, else the e-mail or phone
/// field that [`align_to_schema`] matches to a column named as one (`email_2`; by the
/// name alone, so that every batch maps alike), else none.
fn targets_of(schema: &Schema, names: &[&str]) -> sameas::Result<Vec<Option<Column>>> {
    let aligned = if names.iter().all(|n| schema.column(n).is_some()) {
        vec![None; names.len()]
    } else {
        let sample = TableSample {
            columns: names,
            rows: &[],
        };
        align_to_schema(schema, sample)?
    };
    Ok(names
        .iter()
        .zip(aligned)
        .map(|(name, target)| {
            let by_kind = target
                .and_then(|t| schema.column(&t))
                .filter(|&c| is_contact(schema, c));
            schema.column(name).or(by_kind)
        })
        .collect())
}

/// Whether `column` is an e-mail or phone field: the kinds a table's second column
/// feeds (see `config::infer_schema_of_tables`).
fn is_contact(schema: &Schema, column: Column) -> bool {
    let Column::Field(i) = column else {
        return false;
    };
    schema
        .fields()
        .get(i)
        .is_some_and(|f| matches!(f.kind, FieldKind::Email | FieldKind::Phone))
}

/// Reads and builds in one go, releasing the GIL for the build.
pub fn records_from(
    py: Python<'_>,
    schema: &Schema,
    columns: &Bound<'_, PyDict>,
    roles: &Roles<'_>,
) -> PyResult<Vec<Record>> {
    let table = read_table(columns, roles)?;
    py.allow_threads(|| build_records(schema, table)).py()
}

#[cfg(test)]
mod tests {
    use super::parse_iso;

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso("1970-01-01"), Some(0));
        assert_eq!(parse_iso("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(parse_iso("2019-03-04T12:34:56Z"), Some(1_551_702_896));
        assert_eq!(parse_iso("2019-03-04 13:34:56+01:00"), Some(1_551_702_896));
        assert_eq!(parse_iso("12345"), Some(12345));
        assert_eq!(parse_iso("2019-13-04"), None);
        assert_eq!(parse_iso("yesterday"), None);
    }
}
