//! Suppliers: a normalised key that joins the spellings of one supplier (case, punctuation,
//! Ltd/Limited, "St."/"Saint", "&"/"and", an NHS organisation code appended, names cut at 35
//! or 40 characters), withheld payees as `REDACTED`, and the spellings each key joined.

use super::schema::SupplierRules;
use std::collections::{BTreeMap, BTreeSet};

/// The key every withheld payee shares.
pub const REDACTED: &str = "REDACTED";

/// Lower case, apostrophes dropped, `&` as `and`, other punctuation as space.
pub fn words_of(s: &str) -> Vec<String> {
    let lowered = s
        .to_lowercase()
        .replace(['\'', '’', '‘', '`'], "")
        .replace('&', " and ");
    let cleaned: String = lowered
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.split_whitespace().map(str::to_owned).collect()
}

/// Whether a supplier as written is a withheld payee.
pub fn is_redacted(supplier: &str, rules: &SupplierRules) -> bool {
    let form = words_of(supplier).join(" ");
    rules.redacted.iter().any(|r| words_of(r).join(" ") == form)
        || rules.redacted_prefixes.iter().any(|p| {
            let p = words_of(p).join(" ");
            form == p || form.starts_with(&format!("{p} "))
        })
}

/// An NHS organisation code appended to a name: `RXR`, `RM3`, `RX7`, or its first letter
/// left by a cut (`... NHS Trust R`).
fn is_org_code(word: &str) -> bool {
    let b = word.as_bytes();
    !b.is_empty()
        && b.len() <= 3
        && b[0] == b'r'
        && b[1..].iter().all(|c| c.is_ascii_alphanumeric())
        && (b.len() == 1
            || b[1..]
                .iter()
                .any(|c| c.is_ascii_alphabetic() || c.is_ascii_digit()))
}

/// The key of one spelling (before spellings are joined): words, rewritten and without legal
/// forms, articles or a trailing organisation code.
pub fn spelling_key(supplier: &str, rules: &SupplierRules) -> String {
    let mut words = words_of(supplier);
    let trusty = words
        .iter()
        .any(|w| ["nhs", "trust", "tr", "ft", "foundation", "found"].contains(&w.as_str()));
    if trusty && words.len() >= 3 && words.last().is_some_and(|w| is_org_code(w)) {
        words.pop();
    }
    // A word cut short at the end of a truncated name: "... NHS" cut to "NH".
    if words.len() >= 3
        && words
            .last()
            .is_some_and(|w| w.len() < 3 && "nhs".starts_with(w.as_str()))
    {
        words.pop();
    }
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let w = rules.same_words.get(&w).cloned().unwrap_or(w);
        for part in w.split_whitespace() {
            if !rules.drop_words.iter().any(|d| d == part) {
                out.push(part.to_owned());
            }
        }
    }
    let key = out.join(" ");
    rules.aliases.get(&key).cloned().unwrap_or(key)
}

/// Letters and digits alone: "place 2 be" and "place2be" are one supplier.
fn squashed(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Spellings joined into suppliers: each spelling key maps to the key of its supplier.
#[derive(Debug, Default)]
pub struct SupplierIndex {
    /// spelling key -> supplier key.
    pub key_of: BTreeMap<String, String>,
    /// supplier key -> the spellings (as written) it joined.
    pub spellings: BTreeMap<String, BTreeSet<String>>,
}

impl SupplierIndex {
    /// Join spelling keys: equal once spaces are gone, or one a prefix of another (a name cut
    /// at a fixed width) when the shorter has at least two words and eight letters. Every
    /// group's key is its longest spelling key (ties: the first in order).
    pub fn build<'a>(spellings: impl Iterator<Item = (&'a str, &'a str)>) -> SupplierIndex {
        // (spelling key, as written)
        let mut by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, written) in spellings {
            if key == REDACTED {
                continue;
            }
            by_key
                .entry(key.to_owned())
                .or_default()
                .insert(written.to_owned());
        }
        let keys: Vec<String> = by_key.keys().cloned().collect();
        let sq: Vec<String> = keys.iter().map(|k| squashed(k)).collect();
        let mut parent: Vec<usize> = (0..keys.len()).collect();
        fn root(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        // Sorted by squashed form, a prefix sits right before the names it begins.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| sq[a].cmp(&sq[b]).then(a.cmp(&b)));
        for (n, &i) in order.iter().enumerate() {
            let short = &sq[i];
            let joinable = short.len() >= 8 && keys[i].split(' ').count() >= 2;
            for &j in &order[n + 1..] {
                if !sq[j].starts_with(short.as_str()) {
                    break;
                }
                if sq[j] == *short || joinable {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..keys.len() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut index = SupplierIndex::default();
        for members in groups.values() {
            let best = members
                .iter()
                .copied()
                .max_by(|&a, &b| keys[a].len().cmp(&keys[b].len()).then(b.cmp(&a)))
                .unwrap_or(members[0]);
            let key = keys[best].replace(' ', "-");
            for &m in members {
                index.key_of.insert(keys[m].clone(), key.clone());
                index
                    .spellings
                    .entry(key.clone())
                    .or_default()
                    .extend(by_key[&keys[m]].iter().cloned());
            }
        }
        index
    }

    pub fn key(&self, spelling_key: &str) -> String {
        if spelling_key == REDACTED {
            return REDACTED.to_owned();
        }
        self.key_of
            .get(spelling_key)
            .cloned()
            .unwrap_or_else(|| spelling_key.replace(' ', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> SupplierRules {
        super::super::schema::SpendSchema::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spend.toml"),
        )
        .unwrap()
        .suppliers
    }

    #[test]
    fn spellings_of_one_hospice_share_a_key() {
        let r = rules();
        let a = spelling_key("ST CATHERINES HOSPICE LTD", &r);
        assert_eq!(a, spelling_key("St Catherine's Hospice", &r));
        assert_eq!(a, spelling_key("Saint Catherine’s Hospice Limited", &r));
        assert_eq!(a, "st catherines hospice");
        assert_eq!(
            spelling_key("Calderdale & Huddersfield NHS Foundation Trust RWY", &r),
            spelling_key("Calderdale and Huddersfield NHS Foundation Trust", &r)
        );
        assert_eq!(
            spelling_key("Harrogate and District NHS Found Trust", &r),
            spelling_key("HARROGATE AND DISTRICT NHS FOUNDATION TRUST", &r)
        );
        assert_eq!(
            spelling_key("Lancashire Teaching Hospitals NHS FT", &r),
            spelling_key("Lancashire Teaching Hospitals NHS Foundation Trust RXN", &r)
        );
    }

    #[test]
    fn withheld_payees_are_redacted() {
        let r = rules();
        for s in [
            "REDACTED",
            "Individual",
            "PRIVATE INDIVIDUAL",
            "DETAILS WITHHELD FOR PATIENT CONFIDENTIALITY PURPOSES",
            "Redacted - Personal Data",
            "Withheld - personal data",
        ] {
            assert!(is_redacted(s, &r), "{s}");
        }
        assert!(!is_redacted("Individual Care Services Ltd", &r));
    }

    #[test]
    fn cut_names_join_the_full_name() {
        let r = rules();
        let written = [
            "Greater Manchester West Mental Health NH",
            "GREATER MANCHESTER WEST MENTAL HEALTH NHS FOUNDATION TRUST",
            "Greater Manchester West Mental Health Fo",
            "Place 2 Be",
            "PLACE2BE",
            "Bolton Council",
        ];
        let keys: Vec<String> = written.iter().map(|w| spelling_key(w, &r)).collect();
        let index = SupplierIndex::build(keys.iter().map(String::as_str).zip(written));
        let k: Vec<String> = keys.iter().map(|k| index.key(k)).collect();
        assert_eq!(
            k[0],
            "greater-manchester-west-mental-health-foundation-trust"
        );
        assert_eq!(k[1], k[0]);
        assert_eq!(k[2], k[0]);
        assert_eq!(k[3], k[4]);
        assert_ne!(k[5], k[0]);
        assert_eq!(index.spellings[&k[0]].len(), 3);
    }
}
