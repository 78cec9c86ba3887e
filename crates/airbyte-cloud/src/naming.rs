//! Name rules: safe-mode deletes and random name suffixes.

use crate::{Error, ResourceKind, Result};

/// Whether a name passes safe mode: it contains `delete-me` or `deleteme`, case insensitive.
#[must_use]
pub fn is_safe_to_delete(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("delete-me") || lower.contains("deleteme")
}

/// Refuses a delete in safe mode when the name does not allow it.
pub(crate) fn check_safe_mode(
    safe_mode: bool,
    kind: ResourceKind,
    id: &str,
    name: &str,
) -> Result<()> {
    if !safe_mode || is_safe_to_delete(name) {
        return Ok(());
    }
    Err(Error::SafeModeRefusal {
        kind,
        id: id.to_owned(),
        name: name.to_owned(),
    })
}

const CROCKFORD: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A 9-character suffix: 6 characters that sort by creation time (like the start of a ULID),
/// then 3 random ones. Appended to names as ` (ID: <suffix>)`.
#[must_use]
pub fn random_suffix() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    // A ULID's 48-bit timestamp is 10 base-32 characters; keep its 6 most significant.
    let mut time_chars = Vec::with_capacity(10);
    let mut value = millis & ((1u128 << 50) - 1);
    for _ in 0..10 {
        time_chars.push(CROCKFORD[(value % 32) as usize]);
        value /= 32;
    }
    time_chars.reverse();
    let mut out: String = time_chars[..6].iter().map(|&b| b as char).collect();
    for _ in 0..3 {
        out.push(CROCKFORD[fastrand::usize(..CROCKFORD.len())] as char);
    }
    out
}

/// `name (ID: suffix)`.
pub(crate) fn with_random_suffix(name: &str) -> String {
    format!("{name} (ID: {})", random_suffix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_mode_requires_the_marker() {
        assert!(is_safe_to_delete("tmp-DELETE-ME-42"));
        assert!(is_safe_to_delete("DeleteMe source"));
        assert!(!is_safe_to_delete("production postgres"));
        assert!(!is_safe_to_delete("delete me"));
        assert!(check_safe_mode(false, ResourceKind::Source, "s", "prod").is_ok());
        let error = check_safe_mode(true, ResourceKind::Source, "s", "prod").unwrap_err();
        assert!(error.to_string().contains("delete-me"), "{error}");
    }

    #[test]
    fn suffixes_are_short_sortable_and_distinct() {
        let a = random_suffix();
        assert_eq!(a.len(), 9);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        let names: std::collections::HashSet<String> = (0..50).map(|_| random_suffix()).collect();
        assert!(names.len() > 40);
        assert!(with_random_suffix("src").starts_with("src (ID: "));
    }
}
