//! `--pairs FILE`: every scored candidate pair as CSV; and, with `--truth`, how well
//! the probabilities and confidences are calibrated.

use sameas::eval::{auc, placements, Reliability};
use sameas::ProfileGraph;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `left_id,right_id,probability,match_weight,band,pair_probability` and one
/// column per comparison (its level label), one row per scored pair, sorted by ids
/// (`probability` reads the pair with its profiles, `pair_probability` is its own;
/// see [`sameas::profiles::PairRow`]). RFC 4180,
/// like the profiles CSV: CRLF rows, and every text field (ids, names, labels)
/// written by [`csv::field`](crate::csv::field) — quoted when needed, and guarded
/// against spreadsheet formula injection (an id `=HYPERLINK(…)` is written
/// `'=HYPERLINK(…)`). Numbers are written as they are (a negative weight stays a
/// number).
pub fn write(graph: &ProfileGraph, path: &Path) -> Result<(), String> {
    use crate::csv::field;
    let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut out = BufWriter::new(file);
    let mut header =
        String::from("left_id,right_id,probability,match_weight,band,pair_probability");
    for name in graph.comparison_names() {
        header.push(',');
        header.push_str(&field(name));
    }
    write!(out, "{header}\r\n").map_err(fail)?;
    for row in graph.pair_rows() {
        write!(
            out,
            "{},{},{:.6},{:.4},{},{:.6}",
            field(row.left),
            field(row.right),
            row.probability,
            row.match_weight,
            field(&row.band.to_string()),
            row.pair_probability
        )
        .map_err(fail)?;
        for level in &row.levels {
            write!(out, ",{}", field(level)).map_err(fail)?;
        }
        write!(out, "\r\n").map_err(fail)?;
    }
    out.flush().map_err(fail)
}

/// What calibration against the truth measured.
pub struct Calibration {
    pub reliability: Reliability,
    /// AUC of record confidence: correctly placed records against records that share
    /// their profile with another person.
    pub confidence_auc: f64,
    /// Records in profiles of two or more, and how many of them share their profile
    /// with another person.
    pub placed: (usize, usize),
}

/// Measures the reliability of pair probabilities (ten bins) and the AUC of record
/// confidence.
pub fn calibration(
    graph: &ProfileGraph,
    ids: &[&str],
    truth: &[u32],
) -> Result<Calibration, String> {
    let reliability = Reliability::of_graph(graph, ids, truth, 10).map_err(|e| e.to_string())?;
    let placed = placements(graph, ids, truth).map_err(|e| e.to_string())?;
    let misplaced = placed.iter().filter(|(_, clean)| !clean).count();
    Ok(Calibration {
        reliability,
        confidence_auc: auc(&placed),
        placed: (placed.len(), misplaced),
    })
}

/// Prints the reliability table and the confidence AUC.
pub fn print(c: &Calibration) -> Result<(), String> {
    outln!("calibration of pair probabilities (truth known):")?;
    outln!("{}", c.reliability)?;
    let (placed, misplaced) = c.placed;
    if misplaced == 0 || misplaced == placed {
        outln!(
            "record confidence AUC undefined: {misplaced} of {placed} records in profiles of two or more share a profile with another person"
        )?;
    } else {
        outln!(
            "record confidence AUC {:.4} (correctly placed vs sharing a profile with another person; {misplaced} of {placed} records in profiles of two or more)",
            c.confidence_auc
        )?;
    }
    Ok(())
}
