//! Numeric and date distances.

use crate::record::Date;

/// Absolute difference `|a - b|`, for amounts and measurements compared
/// with a tolerance.
///
/// Equal values (including equal infinities) give 0. When the difference is
/// undefined (a NaN input, or opposite infinities give NaN) the result is
/// `f64::INFINITY`, so "within tolerance" tests fail rather than pass.
///
/// ```
/// assert_eq!(sameas::similarity::absolute_difference(3.5, 1.0), 2.5);
/// assert_eq!(sameas::similarity::absolute_difference(f64::NAN, 1.0), f64::INFINITY);
/// ```
pub fn absolute_difference(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0;
    }
    let d = (a - b).abs();
    if d.is_nan() {
        f64::INFINITY
    } else {
        d
    }
}

/// Relative difference `|a - b| / max(|a|, |b|)`, scale-free.
///
/// In [0, 2] (2 only for opposite signs); 0 when `a == b` (including both 0).
/// When undefined (a NaN input, or an infinity against a different value)
/// the result is 1.0, the "completely different" value for same-sign inputs.
///
/// ```
/// assert_eq!(sameas::similarity::relative_difference(90.0, 100.0), 0.1);
/// assert_eq!(sameas::similarity::relative_difference(0.0, 0.0), 0.0);
/// assert_eq!(sameas::similarity::relative_difference(f64::NAN, 1.0), 1.0);
/// ```
pub fn relative_difference(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0;
    }
    let scale = a.abs().max(b.abs());
    let r = (a - b).abs() / scale;
    if r.is_finite() {
        r
    } else if a.is_finite() && b.is_finite() {
        // `a - b` overflowed: both are huge, so divide first.
        (a / scale - b / scale).abs()
    } else {
        1.0
    }
}

/// Number of days between two dates (order does not matter), for
/// "within N days" date comparisons.
///
/// ```
/// use sameas::record::Date;
/// use sameas::similarity::days_between;
/// let a = Date::new(2024, 2, 28).unwrap();
/// let b = Date::new(2024, 3, 1).unwrap();
/// assert_eq!(days_between(a, b), 2);
/// assert_eq!(days_between(b, a), 2);
/// ```
pub fn days_between(a: Date, b: Date) -> u32 {
    // Valid dates span years 1..=9999: at most ~3.65 million days apart.
    u32::try_from(a.ordinal().abs_diff(b.ordinal())).unwrap_or(u32::MAX)
}
