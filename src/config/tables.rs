//! One schema for tables of several sources that name their columns their own way:
//! which field each column feeds.

use super::{date_parts_of, infer_field_kind};
use crate::error::{Error, ErrorKind, Result};
use crate::record::{Column, DateParts, FieldKind, Schema};

/// One table's data columns and a few of its rows (each row's values of those
/// columns, in that order), for [`infer_schema_of_tables`] and [`align_to_schema`].
#[derive(Debug, Clone, Copy)]
pub struct TableSample<'a> {
    /// The data columns' names.
    pub columns: &'a [&'a str],
    /// Sample rows.
    pub rows: &'a [Vec<&'a str>],
}

/// One schema for several tables — one per source system, each naming its columns its
/// own way — and, for each table, the schema column each of its columns feeds
/// ([`Schema::column`]; `None`: not used).
///
/// Within a table, columns named as an existing field (or date part) feed it first.
/// Each other column feeds the first field of its kind that its table does not feed
/// yet, so a CRM's `first_name` and a web shop's `forename` are one given-name field
/// (named as the first table names it) and records of the two sources are compared on
/// it; a kind's extra columns (a second address) make fields of their own, except
/// e-mails and phones: every column named as an e-mail (`email_2`, `work_email`) feeds
/// the first e-mail field as another value, and every column named as a phone the
/// first phone field (not those of someone else: `manager_email`, `company_phone`,
/// `fax` meet by name only). Free text,
/// categories and strong or device identifiers meet by name only: two systems'
/// customer numbers are not one identifier. A birth date in three columns joins a
/// date field of another table that has no parts yet. A column named twice in one
/// table is an error.
///
/// ```
/// use sameas::config::{infer_schema_of_tables, TableSample};
/// let (crm, shop) = (["first_name", "email"], ["forename", "e_mail", "notes"]);
/// let (schema, feeds) = infer_schema_of_tables(&[
///     TableSample { columns: &crm, rows: &[] },
///     TableSample { columns: &shop, rows: &[] },
/// ])?;
/// assert_eq!(schema.len(), 3);
/// let shop_feeds: Vec<Option<&str>> = feeds[1].iter().map(|f| f.as_deref()).collect();
/// assert_eq!(shop_feeds, [Some("first_name"), Some("email"), Some("notes")]);
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn infer_schema_of_tables(
    tables: &[TableSample<'_>],
) -> Result<(Schema, Vec<Vec<Option<String>>>)> {
    let mut aligner = Aligner {
        schema: Schema::new(),
        may_add: true,
    };
    let feeds = tables
        .iter()
        .map(|t| aligner.feed(t))
        .collect::<Result<_>>()?;
    Ok((aligner.schema, feeds))
}

/// Which column of `schema` (a configuration's, fixed) each column of `table` feeds,
/// matched as [`infer_schema_of_tables`] matches them, without adding fields: the
/// configuration printed for files of differently named columns reads them again.
///
/// ```
/// use sameas::config::{align_to_schema, TableSample};
/// use sameas::{FieldKind, Schema};
/// let schema = Schema::from_fields([("first_name", FieldKind::GivenName)])?;
/// let feeds = align_to_schema(&schema, TableSample { columns: &["forename", "notes"], rows: &[] })?;
/// assert_eq!(feeds, [Some("first_name".to_string()), None]);
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn align_to_schema(schema: &Schema, table: TableSample<'_>) -> Result<Vec<Option<String>>> {
    Aligner {
        schema: schema.clone(),
        may_add: false,
    }
    .feed(&table)
}

/// The schema being built (or a fixed one) and whether columns may add fields.
struct Aligner {
    schema: Schema,
    may_add: bool,
}

impl Aligner {
    /// The schema column each column of `table` feeds, adding fields when allowed.
    fn feed(&mut self, table: &TableSample<'_>) -> Result<Vec<Option<String>>> {
        let columns = table.columns;
        if let Some(twice) = columns
            .iter()
            .enumerate()
            .find_map(|(i, c)| columns[..i].contains(c).then_some(c))
        {
            return Err(Error::new(
                ErrorKind::InvalidSchema,
                format!("column {twice:?} appears twice in one table"),
            ));
        }
        let mut feed: Vec<Option<String>> = vec![None; columns.len()];
        // The fields this table's columns feed.
        let mut used: Vec<usize> = Vec::new();
        // First by name.
        for (i, &column) in columns.iter().enumerate() {
            if let Some(Column::Field(f) | Column::DatePart(f, _)) = self.schema.column(column) {
                used.push(f);
                feed[i] = Some(column.to_string());
            }
        }
        // A date in parts whose columns are new: onto a date field without parts, else
        // a new field where the year column stands.
        let parts = date_parts_of(columns)
            .filter(|p| p.names().iter().all(|n| self.schema.column(n).is_none()));
        let mut new_parts = None;
        if let Some(parts) = parts {
            let open = self.unused_field(FieldKind::DateOfBirth, &used);
            // A fixed schema takes no parts it does not name.
            let open = open.filter(|&f| self.may_add && self.schema.fields()[f].parts.is_none());
            match open {
                Some(field) => {
                    self.schema =
                        std::mem::take(&mut self.schema).attach_date_parts(field, parts.clone())?;
                    used.push(field);
                    self.feed_parts(columns, &parts, &mut feed);
                }
                None if self.may_add => new_parts = Some(parts),
                None => {}
            }
        }
        // Then by kind, in column order.
        for (i, &column) in columns.iter().enumerate() {
            if feed[i].is_some() {
                continue;
            }
            if let Some(parts) = new_parts.as_ref().filter(|p| p.names().contains(&column)) {
                if column == parts.year {
                    let name = parts.names().join("+");
                    self.schema =
                        std::mem::take(&mut self.schema).with_date_parts(name, parts.clone())?;
                    used.push(self.schema.len() - 1);
                    self.feed_parts(columns, parts, &mut feed);
                }
                continue;
            }
            let samples: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|r| r.get(i).copied())
                .take(200)
                .collect();
            let Some(kind) = infer_field_kind(column, &samples) else {
                continue;
            };
            let open = if !shares_by_kind(kind) || names_someone_else(column) {
                None
            } else if holds_several(kind) && infer_field_kind(column, &[]) == Some(kind) {
                // Only a column named as one (`email_2`, `mobile`), so that a reader that
                // sees names only maps it alike. An unused field first: a fixed schema's
                // `email_2` field still gets the second e-mail column.
                self.unused_field(kind, &used)
                    .or_else(|| self.unused_field(kind, &[]))
            } else {
                self.unused_field(kind, &used)
            };
            let field = match open {
                Some(field) => field,
                None if self.may_add => {
                    self.schema = std::mem::take(&mut self.schema).with_field(column, kind)?;
                    self.schema.len() - 1
                }
                None => continue,
            };
            used.push(field);
            feed[i] = Some(self.schema.fields()[field].name.clone());
        }
        Ok(feed)
    }

    /// The first field of `kind` that the table does not feed yet (and that names no
    /// one else's contact).
    fn unused_field(&self, kind: FieldKind, used: &[usize]) -> Option<usize> {
        let fields = self.schema.fields().iter().enumerate();
        fields
            .filter(|(_, f)| f.kind == kind && !names_someone_else(&f.name))
            .map(|(i, _)| i)
            .find(|i| !used.contains(i))
    }

    /// Each part column feeds itself (the schema knows it as a part).
    fn feed_parts(&self, columns: &[&str], parts: &DateParts, feed: &mut [Option<String>]) {
        for (i, column) in columns.iter().enumerate() {
            if parts.names().contains(column) {
                feed[i] = Some(column.to_string());
            }
        }
    }
}

/// Whether every column of `kind` feeds one field, however many a table has: a
/// customer's second e-mail or phone (`email_2`, `mobile` beside `phone`) is another
/// value of the same fact, to be compared with every e-mail or phone of the other
/// record; as a field of its own it would meet only the other records' second ones.
fn holds_several(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Email | FieldKind::Phone)
}

/// Words of a column name that make its e-mail or phone someone else's, or shared
/// by many customers (`emergency_contact_phone`, `manager_email`, `company_phone`,
/// `fax`): such a column meets only columns of its own name, never the customer's
/// own contact field.
const SOMEONE_ELSE: [&str; 13] = [
    "emergency",
    "manager",
    "parent",
    "guardian",
    "spouse",
    "partner",
    "company",
    "employer",
    "office",
    "agent",
    "referrer",
    "fax",
    "billing",
];

/// Whether `column` names a contact that is not the customer's own (see
/// [`SOMEONE_ELSE`]).
fn names_someone_else(column: &str) -> bool {
    super::name_tokens(column)
        .iter()
        .any(|w| SOMEONE_ELSE.contains(&w.as_str()))
}

/// Whether columns of `kind` in different tables meet by kind (see
/// [`infer_schema_of_tables`]).
fn shares_by_kind(kind: FieldKind) -> bool {
    !matches!(
        kind,
        FieldKind::FreeText | FieldKind::Category | FieldKind::StrongId | FieldKind::DeviceId
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::DatePart;

    #[test]
    fn tables_of_different_sources_share_fields_by_kind() {
        let infer = |tables: &[&[&str]]| {
            let samples: Vec<TableSample<'_>> = tables
                .iter()
                .map(|columns| TableSample { columns, rows: &[] })
                .collect();
            let (schema, feeds) = infer_schema_of_tables(&samples).unwrap();
            let fields: Vec<String> = schema.fields().iter().map(|f| f.name.clone()).collect();
            let feeds: Vec<Vec<String>> = feeds
                .into_iter()
                .map(|f| f.into_iter().map(Option::unwrap_or_default).collect())
                .collect();
            (schema, fields, feeds)
        };
        let crm: &[&str] = &[
            "first_name",
            "surname",
            "email",
            "email_2",
            "loyalty_id",
            "notes",
        ];
        let shop: &[&str] = &[
            "e_mail",
            "forename",
            "last_name",
            "notes",
            "member_no",
            "comment",
        ];
        let (_, fields, feeds) = infer(&[crm, shop]);
        assert_eq!(
            fields,
            [
                "first_name",
                "surname",
                "email",
                "loyalty_id",
                "notes",
                "member_no",
                "comment"
            ]
        );
        // A second e-mail column is another value of the e-mail field.
        assert_eq!(feeds[0][3], "email");
        // Kinds meet by position within the kind; free text and identifiers by name.
        assert_eq!(
            feeds[1],
            [
                "email",
                "first_name",
                "surname",
                "notes",
                "member_no",
                "comment"
            ]
        );
        // Every e-mail column feeds the one e-mail field; a second address has its own.
        let (_, _, feeds) = infer(&[crm, &["email_2", "mail", "work_email"]]);
        assert_eq!(feeds[1], ["email", "email", "email"]);
        let (_, fields, feeds) = infer(&[&["phone", "mobile", "address", "address_2"]]);
        assert_eq!(fields, ["phone", "address", "address_2"]);
        assert_eq!(feeds[0], ["phone", "phone", "address", "address_2"]);
        // Someone else's contact, or one many customers share, stays apart, named as
        // it is: it meets only columns of its own name.
        let table: &[&str] = &["emergency_contact_phone", "manager_email", "email", "phone"];
        let (_, fields, feeds) = infer(&[table, &["company_phone", "fax", "mobile"]]);
        assert_eq!(
            fields,
            [
                "emergency_contact_phone",
                "manager_email",
                "email",
                "phone",
                "company_phone",
                "fax"
            ]
        );
        assert_eq!(feeds[1], ["company_phone", "fax", "phone"]);
        // A date whole in one table and in parts in another is one field.
        let (schema, fields, feeds) = infer(&[&["dob", "city"], &["by", "bm", "bd", "town"]]);
        assert_eq!(fields, ["dob", "city"]);
        assert_eq!(feeds[1], ["by", "bm", "bd", "city"]);
        assert!(matches!(
            schema.column("bm"),
            Some(Column::DatePart(0, DatePart::Month))
        ));
        let (_, fields, feeds) = infer(&[&["by", "bm", "bd"], &["birth_date"]]);
        assert_eq!(fields, ["by+bm+bd"]);
        assert_eq!(feeds[1], ["by+bm+bd"]);
        // Names first, whatever the column order: a kind's extra column is its own.
        for shop in [&["city", "town"][..], &["town", "city"][..]] {
            let (_, fields, feeds) = infer(&[&["city"], shop]);
            assert_eq!(fields, ["city", "town"], "{shop:?}");
            assert_eq!(feeds[1], shop.to_vec(), "{shop:?}");
        }
        // Parts whose names a table already used as columns are columns again.
        let (_, fields, _) = infer(&[&["dob", "bm"], &["by", "bm", "bd"]]);
        assert_eq!(fields, ["dob", "bm", "by", "bd"]);
        let twice = infer_schema_of_tables(&[TableSample {
            columns: &["a", "a"],
            rows: &[],
        }]);
        assert_eq!(twice.unwrap_err().kind(), ErrorKind::InvalidSchema);
        // Rejected columns feed nothing.
        let (_, _, feeds) = infer(&[&["id", "given_name"], &["entity_id", "fname"]]);
        assert_eq!(feeds, [["", "given_name"], ["", "given_name"]]);
    }

    #[test]
    fn a_fixed_schema_reads_other_spellings_and_adds_nothing() {
        let (schema, _) = infer_schema_of_tables(&[TableSample {
            columns: &["first_name", "surname", "email", "by", "bm", "bd", "notes"],
            rows: &[],
        }])
        .unwrap();
        let shop = [
            "forename",
            "last_name",
            "e_mail",
            "birth_date",
            "notes",
            "comment",
        ];
        let feeds = align_to_schema(
            &schema,
            TableSample {
                columns: &shop,
                rows: &[],
            },
        )
        .unwrap();
        let feeds: Vec<Option<&str>> = feeds.iter().map(|f| f.as_deref()).collect();
        assert_eq!(
            feeds,
            [
                Some("first_name"),
                Some("surname"),
                Some("email"),
                Some("by+bm+bd"),
                Some("notes"),
                None
            ]
        );
        assert!(matches!(
            schema.column("bm"),
            Some(Column::DatePart(_, DatePart::Month))
        ));
        // Every e-mail column feeds the schema's e-mail field.
        let feeds = align_to_schema(
            &schema,
            TableSample {
                columns: &["email_2", "work_email"],
                rows: &[],
            },
        )
        .unwrap();
        assert_eq!(
            feeds,
            [Some("email".to_string()), Some("email".to_string())]
        );
        // A saved configuration with a second e-mail field keeps filling it.
        let two = Schema::from_fields([("email", FieldKind::Email), ("email_2", FieldKind::Email)])
            .unwrap();
        let sample = TableSample {
            columns: &["email", "work_email", "private_email"],
            rows: &[],
        };
        let feeds: Vec<Option<String>> = align_to_schema(&two, sample).unwrap();
        let feeds: Vec<Option<&str>> = feeds.iter().map(|f| f.as_deref()).collect();
        assert_eq!(feeds, [Some("email"), Some("email_2"), Some("email")]);
    }
}
