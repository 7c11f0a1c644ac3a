//! The strategy comparison table: one row per match strategy, as aligned text for
//! terminals or as Markdown for the README.

use std::fmt::Write as _;

/// One match strategy's result on a data set, a row of the comparison table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StrategyRow {
    /// The strategy's name (e.g. "exact keys", "Fellegi-Sunter + EM").
    pub name: String,
    /// Precision (pairwise or cluster, as the table's caption says).
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// How many record pairs the strategy compared.
    pub pairs_compared: u64,
    /// Wall-clock time of the strategy, in seconds.
    pub seconds: f64,
}

const HEADERS: [&str; 6] = [
    "strategy",
    "precision",
    "recall",
    "F1",
    "pairs compared",
    "seconds",
];

/// The cells of one row as text: metrics to 4 decimals, pairs with thousands
/// separators, seconds to 3 decimals.
fn cells(row: &StrategyRow) -> [String; 6] {
    [
        row.name.clone(),
        format!("{:.4}", row.precision),
        format!("{:.4}", row.recall),
        format!("{:.4}", row.f1),
        thousands(row.pairs_compared),
        format!("{:.3}", row.seconds),
    ]
}

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Pads `text` to `width` characters, left- or right-aligned.
fn pad(out: &mut String, text: &str, width: usize, left: bool) {
    let fill = width.saturating_sub(text.chars().count());
    if !left {
        out.extend(std::iter::repeat(' ').take(fill));
    }
    out.push_str(text);
    if left {
        out.extend(std::iter::repeat(' ').take(fill));
    }
}

/// The rows as an aligned plain-text table (names left-aligned, numbers
/// right-aligned, a dashed rule under the header), one line per row, for terminals.
pub fn format_strategy_table(rows: &[StrategyRow]) -> String {
    let body: Vec<[String; 6]> = rows.iter().map(cells).collect();
    format_text_table(&HEADERS, &body)
}

/// The rows as a GitHub-flavoured Markdown table (numbers right-aligned), for the
/// README; `|` in names is escaped.
#[allow(dead_code)] // the `strategies` bench prints plain text only
pub fn format_strategy_table_markdown(rows: &[StrategyRow]) -> String {
    let body: Vec<[String; 6]> = rows.iter().map(cells).collect();
    format_markdown_table(&HEADERS, &body)
}

/// Any table as aligned plain text: the first column left-aligned, the others
/// right-aligned, a dashed rule under the header.
pub fn format_text_table<R: AsRef<[String]>>(headers: &[&str], body: &[R]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in body {
        for (w, cell) in widths.iter_mut().zip(row.as_ref()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, &width)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            pad(&mut text, cell, width, i == 0);
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, headers);
    let rules: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    line(
        &mut out,
        &rules.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for row in body {
        line(
            &mut out,
            &row.as_ref().iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    out
}

/// Any table as GitHub-flavoured Markdown: the first column left-aligned (`|` in it
/// escaped), the others right-aligned.
#[allow(dead_code)] // the `strategies` bench prints plain text only
pub fn format_markdown_table<R: AsRef<[String]>>(headers: &[&str], body: &[R]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(
        out,
        "|---{}|",
        "|--:".repeat(headers.len().saturating_sub(1))
    );
    for row in body {
        let mut cells = row.as_ref().to_vec();
        if let Some(first) = cells.first_mut() {
            *first = first.replace('|', "\\|").replace('\n', " ");
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)] // the `strategies` bench builds this module without its tests
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(123_456_789), "123,456,789");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn text_table_is_aligned() {
        let rows = [
            StrategyRow {
                name: "exact keys".into(),
                precision: 1.0,
                recall: 0.41234,
                f1: 0.584,
                pairs_compared: 1_234_567,
                seconds: 0.0123,
            },
            StrategyRow {
                name: "Fellegi–Sunter + EM + TF".into(),
                precision: 0.99,
                recall: 0.98,
                f1: 0.985,
                pairs_compared: 12,
                seconds: 12.5,
            },
        ];
        let table = format_strategy_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("strategy "));
        assert!(lines[1].starts_with("------------------------  ---------"));
        assert!(lines[2].contains("1,234,567") && lines[2].contains("0.4123"));
        // Every line ends at the same column (right-aligned last column), in chars.
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width), "{table}");
        // Numbers line up: the precision column ends at the same place.
        let end = |l: &str, pat: &str| l.find(pat).map(|i| l[..i].chars().count() + pat.len());
        assert_eq!(end(lines[0], "precision"), end(lines[2], "1.0000"));
        assert_eq!(end(lines[0], "precision"), end(lines[3], "0.9900"));
        assert!(lines[3].ends_with("12.500"));

        let md = format_strategy_table_markdown(&rows);
        assert_eq!(md.lines().count(), 4);
        assert_eq!(
            md.lines().next(),
            Some("| strategy | precision | recall | F1 | pairs compared | seconds |")
        );
        assert!(md.contains("| exact keys | 1.0000 | 0.4123 | 0.5840 | 1,234,567 | 0.012 |"));
        assert_eq!(format_strategy_table(&[]).lines().count(), 2);
    }
}
