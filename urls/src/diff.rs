//! What changed between two versions of a catalog: endpoints added, removed, or
//! whose attributes (requirement, platforms, category, ...) changed.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Catalog, Endpoint};

/// Kind of change.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new catalog.
    Added,
    /// Only in the old catalog.
    Removed,
    /// In both, with different attributes.
    Changed,
}

/// One attribute that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldChange {
    /// Attribute name.
    pub field: String,
    /// Old value (empty when absent).
    pub old: String,
    /// New value.
    pub new: String,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The endpoint's URL pattern or prose.
    pub target: String,
    /// Port a client uses.
    pub port: u16,
    /// Geography code.
    pub geography: String,
    /// Attribute changes (for `changed`).
    pub fields: Vec<FieldChange>,
    /// Location in the old catalog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_source: Option<String>,
    /// Location in the new catalog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_source: Option<String>,
}

/// Endpoints are the same endpoint when target, port and geography agree
/// (case-insensitive): sheets move and descriptions get reworded between versions.
type Key = (String, u16, String);

fn key(e: &Endpoint) -> Key {
    (
        target(e).to_lowercase(),
        e.effective_port(),
        e.geography.code().to_string(),
    )
}

/// The target as compared and shown: a prose row's text with its spaces
/// and line breaks made single spaces, as for the attributes (a reflowed
/// note is the same note, and a line break would split the table's row).
fn target(e: &Endpoint) -> String {
    normalise(&e.display_target())
}

fn attributes(e: &Endpoint) -> Vec<(&'static str, String)> {
    let opt = |o: &Option<String>| o.as_deref().map(normalise).unwrap_or_default();
    vec![
        ("requirement", e.requirement.to_string()),
        ("platforms", e.platforms.summary()),
        ("category", opt(&e.category)),
        ("service", opt(&e.service)),
        ("description", opt(&e.description)),
        ("comments", opt(&e.comments)),
    ]
}

/// Whitespace differences (trailing spaces, line breaks) are not changes.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares two catalogs. Result is sorted by target, then kind.
pub fn diff(old: &Catalog, new: &Catalog) -> Vec<Change> {
    let mut old_by: BTreeMap<Key, Vec<&Endpoint>> = BTreeMap::new();
    for e in &old.endpoints {
        old_by.entry(key(e)).or_default().push(e);
    }
    let mut new_by: BTreeMap<Key, Vec<&Endpoint>> = BTreeMap::new();
    for e in &new.endpoints {
        new_by.entry(key(e)).or_default().push(e);
    }
    let mut out = Vec::new();
    let change = |kind, e: &Endpoint, fields, old_source, new_source| Change {
        kind,
        target: target(e),
        port: e.effective_port(),
        geography: e.geography.code().to_string(),
        fields,
        old_source,
        new_source,
    };
    for (k, olds) in &old_by {
        let news = new_by.get(k).map(Vec::as_slice).unwrap_or_default();
        // Rows alike in every attribute pair first (round 21: old x and y,
        // new y, read as "x became y" and "y removed"); the rest pair in
        // order, and what is left is added or removed.
        let mut left: Vec<Option<&Endpoint>> = news.iter().copied().map(Some).collect();
        let mut pairs: Vec<(&Endpoint, Option<&Endpoint>)> = Vec::new();
        let mut unpaired: Vec<&Endpoint> = Vec::new();
        for o in olds {
            match left
                .iter_mut()
                .find(|n| n.is_some_and(|n| attributes(n) == attributes(o)))
            {
                Some(slot) => pairs.push((o, slot.take())),
                None => unpaired.push(o),
            }
        }
        for o in unpaired {
            let n = left.iter_mut().find(|n| n.is_some()).and_then(Option::take);
            pairs.push((o, n));
        }
        for (o, partner) in pairs {
            match partner {
                None => out.push(change(
                    ChangeKind::Removed,
                    o,
                    Vec::new(),
                    Some(o.source.to_string()),
                    None,
                )),
                Some(n) => {
                    let fields: Vec<FieldChange> = attributes(o)
                        .into_iter()
                        .zip(attributes(n))
                        .filter(|(a, b)| a.1 != b.1)
                        .map(|(a, b)| FieldChange {
                            field: a.0.to_string(),
                            old: a.1,
                            new: b.1,
                        })
                        .collect();
                    if !fields.is_empty() {
                        out.push(change(
                            ChangeKind::Changed,
                            n,
                            fields,
                            Some(o.source.to_string()),
                            Some(n.source.to_string()),
                        ));
                    }
                }
            }
        }
        for n in left.into_iter().flatten() {
            out.push(change(
                ChangeKind::Added,
                n,
                Vec::new(),
                None,
                Some(n.source.to_string()),
            ));
        }
    }
    for (k, news) in &new_by {
        if !old_by.contains_key(k) {
            for n in news {
                out.push(change(
                    ChangeKind::Added,
                    n,
                    Vec::new(),
                    None,
                    Some(n.source.to_string()),
                ));
            }
        }
    }
    out.sort_by(|a, b| {
        (a.target.to_lowercase(), a.port, &a.geography, a.kind).cmp(&(
            b.target.to_lowercase(),
            b.port,
            &b.geography,
            b.kind,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{LoadOptions, load_bytes};

    fn catalog(text: &str) -> Catalog {
        load_bytes(
            std::path::Path::new("list.txt"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap()
    }

    /// Round 21: rows alike pair first.
    #[test]
    fn alike_rows_pair_before_the_rest() {
        let old = catalog("URL,Category\na.test,x\na.test,y\n");
        let new = catalog("URL,Category\na.test,y\n");
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, ChangeKind::Removed);
        assert!(
            changes[0]
                .old_source
                .as_deref()
                .is_some_and(|s| s.ends_with(":2")),
            "{changes:?}"
        );
    }

    #[test]
    fn a_reflowed_prose_row_is_the_same_row() {
        let old = catalog("a.example.com\nSee the   vendor's note for\tproxies\n");
        let new = catalog("a.example.com\nsee the vendor's note for proxies\n");
        assert_eq!(diff(&old, &new), Vec::new());
        let newer = catalog("a.example.com\nSee the new note\n");
        let changes = diff(&old, &newer);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(changes.iter().all(|c| !c.target.contains(['\t', '\n'])));
    }
}
