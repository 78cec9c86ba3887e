//! The journal lines behind a deletion nobody asked for: the request that created the
//! connection, and every `DELETE` of it, of its source and of its destination, in the order the
//! server received them (status 0: the connection was dropped, the request perhaps applied).

use airbyte::mock::JournalEntry;

/// The lines about the connection `id` named `name` that uses `uses` (source, destination).
pub(crate) fn evidence(
    journal: &[JournalEntry],
    id: &str,
    name: &str,
    uses: Option<&[String; 2]>,
) -> Vec<String> {
    let touches = |path: &str| {
        path.ends_with(id) || uses.is_some_and(|uses| uses.iter().any(|used| path.ends_with(used)))
    };
    journal
        .iter()
        .filter(|entry| {
            let created = entry.method == "POST"
                && entry.path.ends_with("/connections")
                && entry.body.get("name").and_then(|value| value.as_str()) == Some(name);
            created || (entry.method == "DELETE" && touches(&entry.path))
        })
        .map(|entry| {
            format!(
                "#{} {} {} -> {}",
                entry.seq, entry.method, entry.path, entry.status
            )
        })
        .collect()
}
