//! A payment line's category (README: Spend over £25,000 rounds): `hospice` (every payment to a charitable hospice),
//! `palliative_nhs` (an NHS trust paid for palliative or end-of-life care), `camhs` (a
//! dedicated children's mental health provider, or a line whose area or type names CAMHS),
//! `other` (everything else, withheld payees included). The words and suppliers that decide
//! are the declared mapping in `schemas/spend.toml`; nothing is guessed.

use super::schema::{CategoryRules, SupplierRules};
use super::suppliers::{REDACTED, words_of};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Hospice,
    PalliativeNhs,
    Camhs,
    Other,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Hospice,
        Category::PalliativeNhs,
        Category::Camhs,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Hospice => "hospice",
            Category::PalliativeNhs => "palliative_nhs",
            Category::Camhs => "camhs",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What the mapping says a supplier is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SupplierKind {
    pub hospice: bool,
    pub camhs_provider: bool,
    pub nhs_trust: bool,
    /// Named by the mapping as a kind that is never one of the above (a GP practice, a council).
    pub known_other: bool,
}

impl SupplierKind {
    pub fn label(&self) -> &'static str {
        if self.hospice {
            "hospice"
        } else if self.camhs_provider {
            "camhs_provider"
        } else if self.nhs_trust {
            "nhs_trust"
        } else if self.known_other {
            "other"
        } else {
            ""
        }
    }
}

fn has_phrase(words: &str, phrase: &str) -> bool {
    let p = words_of(phrase).join(" ");
    !p.is_empty() && format!(" {words} ").contains(&format!(" {p} "))
}

/// The kind of a supplier from its key and every spelling it joined.
pub fn supplier_kind(
    key: &str,
    spellings: &BTreeSet<String>,
    rules: &CategoryRules,
    words: &SupplierRules,
) -> SupplierKind {
    if key == REDACTED {
        return SupplierKind::default();
    }
    let key_words = key.replace('-', " ");
    // Each spelling with its abbreviations written out ("NHS Found Trust"), nothing dropped.
    let forms: Vec<String> = spellings
        .iter()
        .map(|s| {
            words_of(s)
                .into_iter()
                .map(|w| words.same_words.get(&w).cloned().unwrap_or(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .chain(std::iter::once(key_words.clone()))
        .collect();
    let starts = |name: &str| {
        let n = words_of(name).join(" ");
        key_words == n || key_words.starts_with(&format!("{n} "))
    };
    SupplierKind {
        hospice: rules
            .hospice_words
            .iter()
            .any(|w| forms.iter().any(|f| has_phrase(f, w)))
            || rules.hospice_suppliers.iter().any(|s| starts(s)),
        camhs_provider: rules
            .camhs_suppliers
            .iter()
            .any(|w| forms.iter().any(|f| has_phrase(f, w))),
        nhs_trust: rules
            .nhs_trust_words
            .iter()
            .any(|w| forms.iter().any(|f| has_phrase(f, w))),
        known_other: rules
            .other_words
            .iter()
            .any(|w| forms.iter().any(|f| has_phrase(f, w))),
    }
}

/// The category of one payment line.
pub fn categorise(
    kind: SupplierKind,
    redacted: bool,
    expense_area: &str,
    expense_type: &str,
    rules: &CategoryRules,
) -> Category {
    if redacted {
        return Category::Other;
    }
    if kind.hospice {
        return Category::Hospice;
    }
    let line = format!(
        "{} | {}",
        expense_area.to_lowercase(),
        expense_type.to_lowercase()
    )
    .replace(['’', '\''], "'");
    let names = |list: &[String]| list.iter().any(|w| line.contains(&w.to_lowercase()));
    if kind.camhs_provider || names(&rules.camhs_words) {
        return Category::Camhs;
    }
    if kind.nhs_trust && names(&rules.palliative_words) {
        return Category::PalliativeNhs;
    }
    Category::Other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spend::schema::SpendSchema;

    fn schema() -> SpendSchema {
        SpendSchema::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spend.toml"),
        )
        .unwrap()
    }

    fn kind(key: &str, spellings: &[&str]) -> SupplierKind {
        let s = schema();
        supplier_kind(
            key,
            &spellings.iter().map(|s| s.to_string()).collect(),
            &s.categories,
            &s.suppliers,
        )
    }

    #[test]
    fn suppliers_are_kinds_by_the_mapping() {
        assert!(kind("bolton-hospice", &["BOLTON HOSPICE LTD"]).hospice);
        assert!(kind("julias-house", &["Julias House"]).hospice);
        assert!(kind("xenzone", &["XENZONE LTD T/A KOOTH"]).camhs_provider);
        assert!(kind("barts-health-trust", &["BARTS HEALTH NHS TR"]).nhs_trust);
        assert!(
            kind(
                "harrogate-and-district-foundation-trust",
                &["Harrogate and District NHS Found Trust"]
            )
            .nhs_trust
        );
        assert_eq!(
            kind("blackpool-gp-federation", &["Blackpool GP Federation Ltd"]),
            SupplierKind::default()
        );
    }

    #[test]
    fn lines_are_categorised_in_spec_order() {
        let s = schema();
        let c = &s.categories;
        let trust = SupplierKind {
            nhs_trust: true,
            ..Default::default()
        };
        let hospice = SupplierKind {
            hospice: true,
            ..Default::default()
        };
        assert_eq!(
            categorise(hospice, false, "Acute", "Grants", c),
            Category::Hospice
        );
        assert_eq!(
            categorise(
                trust,
                false,
                "End of Life - Specialist Palliative Care",
                "Healthcare Services - NHS Trusts",
                c
            ),
            Category::PalliativeNhs
        );
        assert_eq!(
            categorise(trust, false, "Child and Adolescent Mental Health", "x", c),
            Category::Camhs
        );
        assert_eq!(
            categorise(trust, false, "Adult Mental Health", "x", c),
            Category::Other
        );
        // End-of-life care paid to a GP federation or a care home is not palliative_nhs.
        assert_eq!(
            categorise(
                SupplierKind::default(),
                false,
                "END OF LIFE CARE",
                "Healthcare - Voluntary Sector",
                c
            ),
            Category::Other
        );
        assert_eq!(
            categorise(
                SupplierKind::default(),
                false,
                "Children's Emotional Wellbeing",
                "Grants",
                c
            ),
            Category::Camhs
        );
        assert_eq!(
            categorise(hospice, true, "Hospices", "x", c),
            Category::Other
        );
    }
}
