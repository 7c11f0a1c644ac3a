//! Email addresses: surrounding noise trimmed, case folded, provider rules applied.

use super::Invalid;

/// Email rules per provider that decide which spellings are the same mailbox.
///
/// Domains are compared case-insensitively after [`EmailPolicy::domain_aliases`] have
/// been applied, so rules for `gmail.com` also cover `googlemail.com` by default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct EmailPolicy {
    /// Domains where dots in the local part are ignored (gmail.com, googlemail.com).
    pub ignore_dots: Vec<String>,
    /// Domains where `+tag` suffixes are dropped; `"*"` stands for every domain.
    pub strip_plus_tags: Vec<String>,
    /// Domain aliases mapped to one canonical domain (googlemail.com → gmail.com).
    pub domain_aliases: Vec<(String, String)>,
}

/// The default drops `+tag` suffixes at every domain: sub-addressing (RFC 5233) is
/// how people give shops a tagged address, the big providers (Gmail, Outlook, iCloud,
/// Yahoo's aliases aside) and most mail servers deliver `ana+shop@` to `ana@`, and a
/// `+` is rare in a local part otherwise. Dots are ignored at Gmail only.
impl Default for EmailPolicy {
    fn default() -> Self {
        EmailPolicy {
            ignore_dots: vec!["gmail.com".into()],
            strip_plus_tags: vec!["*".into()],
            domain_aliases: vec![("googlemail.com".into(), "gmail.com".into())],
        }
    }
}

impl EmailPolicy {
    /// A policy that changes nothing beyond case and syntax (no provider rules).
    pub fn literal() -> Self {
        EmailPolicy {
            ignore_dots: Vec::new(),
            strip_plus_tags: Vec::new(),
            domain_aliases: Vec::new(),
        }
    }
}

/// Longest address accepted (RFC 5321 path limit minus the angle brackets).
pub const MAX_EMAIL_LEN: usize = 254;
/// Longest local part accepted (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;

/// An email address in canonical form under `policy`.
///
/// Trims spaces, quotes, angle brackets, a `mailto:` prefix and trailing dots, takes
/// the address out of `"Name <address>"`, lower-cases it, then applies the policy's
/// domain aliases, `+tag` stripping and dot removal. Syntax errors (no `@`, two `@`,
/// empty local part or domain, a domain without a dot, illegal characters, too long)
/// give [`Invalid`] with the reason.
///
/// ```
/// use sameas::normalize::{normalize_email, EmailPolicy};
/// let policy = EmailPolicy::default();
/// assert_eq!(
///     normalize_email(" <mailto:Jo.Hn+news@GoogleMail.com>. ", &policy).unwrap(),
///     "john@gmail.com"
/// );
/// assert!(normalize_email("john.example.com", &policy).is_err());
/// ```
pub fn normalize_email(raw: &str, policy: &EmailPolicy) -> Result<String, Invalid> {
    let mut out = String::with_capacity(raw.len());
    normalize_email_into(raw, policy, &mut out)?;
    Ok(out)
}

/// [`normalize_email`] appended to `out` (left as it was on an error).
pub(crate) fn normalize_email_into(
    raw: &str,
    policy: &EmailPolicy,
    out: &mut String,
) -> Result<(), Invalid> {
    let start = out.len();
    let result = email_into(raw, policy, out, start);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Writes the address lower-cased at `start` of `out`, checks it, then applies the
/// provider's rules to it in place (alias domain, plus tag, dots): no allocation
/// unless the domain is an alias.
fn email_into(
    raw: &str,
    policy: &EmailPolicy,
    out: &mut String,
    start: usize,
) -> Result<(), Invalid> {
    let addr = strip_noise(raw);
    if addr.is_empty() {
        return Err(Invalid::new("empty email"));
    }
    if addr.len() > MAX_EMAIL_LEN * 4 {
        return Err(Invalid::new("email too long"));
    }
    push_lowercase(addr, out);
    let lower = out.get(start..).unwrap_or_default();
    let Some(at) = lower.find('@') else {
        return Err(Invalid::new("no @ in email"));
    };
    let (local, domain) = (
        lower.get(..at).unwrap_or(""),
        lower.get(at + 1..).unwrap_or(""),
    );
    if domain.contains('@') {
        return Err(Invalid::new("more than one @ in email"));
    }
    check_local(local)?;
    check_domain(domain)?;
    let alias = policy
        .domain_aliases
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(domain))
        .map(|(_, canonical)| canonical.to_lowercase());
    if let Some(alias) = &alias {
        check_domain(alias)?;
    }
    let domain = alias.as_deref().unwrap_or(domain);
    let local_end = if contains_domain(&policy.strip_plus_tags, domain) {
        local.find('+').unwrap_or(at)
    } else {
        at
    };
    let drop_dots = contains_domain(&policy.ignore_dots, domain);
    // The canonical form, in place: alias domain, plus tag dropped, dots dropped.
    if let Some(alias) = alias {
        out.truncate(start + at + 1);
        out.push_str(&alias);
    }
    out.drain(start + local_end..start + at);
    let mut local_len = local_end;
    if drop_dots {
        while let Some(dot) = out.get(start..start + local_len).and_then(|l| l.find('.')) {
            out.remove(start + dot);
            local_len -= 1;
        }
    }
    if local_len == 0 {
        return Err(Invalid::new("empty local part after provider rules"));
    }
    check_local(out.get(start..start + local_len).unwrap_or(""))?;
    if out.len() - start > MAX_EMAIL_LEN {
        return Err(Invalid::new("email too long"));
    }
    Ok(())
}

/// Appends `s` lower-cased (as `str::to_lowercase`, without allocating for ASCII).
fn push_lowercase(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

fn contains_domain(list: &[String], domain: &str) -> bool {
    list.iter()
        .any(|d| d == "*" || d.eq_ignore_ascii_case(domain))
}

/// Removes what surrounds an address in messy data.
fn strip_noise(raw: &str) -> &str {
    let mut s = raw;
    // "Name <address>": keep what is inside the last angle brackets.
    if let (Some(open), Some(close)) = (s.rfind('<'), s.rfind('>')) {
        if open < close {
            s = s.get(open + 1..close).unwrap_or(s);
        }
    }
    let noise = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ',' | ';');
    s = s.trim_matches(noise);
    if s.len() >= 7
        && s.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        s = s.get(7..).unwrap_or("");
    }
    s.trim_matches(noise)
        .trim_end_matches(|c: char| c == '.' || noise(c))
}

fn check_local(local: &str) -> Result<(), Invalid> {
    if local.is_empty() {
        return Err(Invalid::new("empty local part"));
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(Invalid::new("local part longer than 64 bytes"));
    }
    // Two dots found by a byte scan: a substring search costs more on a short part.
    let double_dot = local.as_bytes().windows(2).any(|w| w == b"..");
    if local.starts_with('.') || local.ends_with('.') || double_dot {
        return Err(Invalid::new("misplaced dot in local part"));
    }
    if let Some(c) = local.chars().find(|&c| !is_local_char(c)) {
        return Err(Invalid::new(format!(
            "illegal character {c:?} in local part"
        )));
    }
    Ok(())
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '!'
                | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '/'
                | '='
                | '?'
                | '^'
                | '_'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '-'
        )
        || (!c.is_ascii() && c.is_alphanumeric() && !c.is_uppercase())
}

fn check_domain(domain: &str) -> Result<(), Invalid> {
    if domain.is_empty() {
        return Err(Invalid::new("empty domain"));
    }
    if !domain.contains('.') {
        return Err(Invalid::new("domain without a dot"));
    }
    if domain.len() > 253 {
        return Err(Invalid::new("domain too long"));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(Invalid::new("empty label in domain"));
        }
        if label.len() > 63 {
            return Err(Invalid::new("domain label longer than 63 bytes"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(Invalid::new("domain label starts or ends with '-'"));
        }
        if let Some(c) = label.chars().find(|&c| !is_domain_char(c)) {
            return Err(Invalid::new(format!("illegal character {c:?} in domain")));
        }
    }
    if domain
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Invalid::new("numeric top-level domain"));
    }
    Ok(())
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_lowercase()
        || c.is_ascii_digit()
        || c == '-'
        || (!c.is_ascii() && c.is_alphanumeric() && !c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Result<String, String> {
        normalize_email(s, &EmailPolicy::default()).map_err(|e| e.reason)
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            norm("John.Doe@Example.COM"),
            Ok("john.doe@example.com".into())
        );
        assert_eq!(norm("j.o.h.n+x@gmail.com"), Ok("john@gmail.com".into()));
        assert_eq!(norm("john@googlemail.com"), Ok("john@gmail.com".into()));
        assert_eq!(norm("\"Jane\" <jane@ex.ro>"), Ok("jane@ex.ro".into()));
        assert_eq!(norm("MAILTO:jane@ex.ro."), Ok("jane@ex.ro".into()));
        assert_eq!(norm("jane+x@ex.ro"), Ok("jane@ex.ro".into()));
        assert_eq!(
            norm("Lotolf88+Shop@Outlook.de"),
            Ok("lotolf88@outlook.de".into())
        );
        // Dots still count outside Gmail.
        assert_eq!(norm("ja.ne+x@ex.ro"), Ok("ja.ne@ex.ro".into()));
    }

    #[test]
    fn invalid_reasons() {
        assert_eq!(norm("jane.ex.ro"), Err("no @ in email".into()));
        assert_eq!(norm("a@b@c.ro"), Err("more than one @ in email".into()));
        assert_eq!(norm("@ex.ro"), Err("empty local part".into()));
        assert_eq!(norm("jane@"), Err("empty domain".into()));
        assert_eq!(norm("jane@localhost"), Err("domain without a dot".into()));
        assert_eq!(norm("   "), Err("empty email".into()));
        assert!(norm("ja ne@ex.ro").is_err());
        assert!(norm("+tag@gmail.com").is_err());
        let long = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        assert!(norm(&long).is_err());
    }
}
