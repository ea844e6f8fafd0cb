//! The declared spend schema (`schemas/spend.toml`): the canonical columns of a transparency
//! file and every header spelling known for each, how withheld payees are written, the words
//! a supplier's key drops or rewrites, and the category mapping. All of it data: a new
//! spelling is a line in the file, not code.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SpendSchemaError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The canonical columns (HM Treasury's transparency columns and the extras bodies add).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Date,
    Supplier,
    Amount,
    TransactionId,
    ExpenseType,
    ExpenseArea,
    Entity,
    DepartmentFamily,
    InvoiceNumber,
    SupplierId,
    VatNumber,
    CostCentre,
    Description,
    Month,
    FinYear,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplierRules {
    pub redacted: Vec<String>,
    #[serde(default)]
    pub redacted_prefixes: Vec<String>,
    #[serde(default)]
    pub drop_words: Vec<String>,
    #[serde(default)]
    pub same_words: BTreeMap<String, String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRules {
    pub hospice_words: Vec<String>,
    #[serde(default)]
    pub hospice_suppliers: Vec<String>,
    pub camhs_suppliers: Vec<String>,
    pub nhs_trust_words: Vec<String>,
    /// Words naming suppliers that are plainly `other` (not listed when paid a lot).
    #[serde(default)]
    pub other_words: Vec<String>,
    pub palliative_words: Vec<String>,
    pub camhs_words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendSchema {
    pub title: String,
    pub large_supplier: f64,
    pub columns: BTreeMap<Column, Vec<String>>,
    pub suppliers: SupplierRules,
    pub categories: CategoryRules,
    pub crosscheck: CrosscheckRules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosscheckRules {
    /// Within this fraction either way, payments and the FOI figure are consistent.
    pub tolerance: f64,
    /// FOI field id -> what payments it is checked against.
    pub fields: BTreeMap<String, Topic>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub topic: String,
    /// Category names (`hospice`, `palliative_nhs`, `camhs`, `other`).
    pub categories: Vec<String>,
}

/// A header cell as compared: lower case, `£` and `&` kept, other punctuation as space.
pub fn header_form(s: &str) -> String {
    let lowered = s.to_lowercase();
    let cleaned: String = lowered
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '£' || c == '&' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl SpendSchema {
    pub fn load(path: &Path) -> Result<SpendSchema, SpendSchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpendSchemaError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|message| SpendSchemaError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    pub fn parse(text: &str) -> Result<SpendSchema, String> {
        let schema: SpendSchema = toml::from_str(text).map_err(|e| e.to_string())?;
        for needed in [Column::Date, Column::Supplier, Column::Amount] {
            if schema.columns.get(&needed).is_none_or(|v| v.is_empty()) {
                return Err(format!("[columns] must give spellings for `{needed:?}`"));
            }
        }
        for (field, t) in &schema.crosscheck.fields {
            if let Some(bad) = t
                .categories
                .iter()
                .find(|c| super::category::Category::parse(c).is_none())
            {
                return Err(format!(
                    "[crosscheck.fields.{field}]: `{bad}` is not a category (hospice, palliative_nhs, camhs, other)"
                ));
            }
        }
        Ok(schema)
    }

    /// The column a header cell names, if any.
    pub fn column_of(&self, header: &str) -> Option<Column> {
        let form = header_form(header);
        if form.is_empty() {
            return None;
        }
        self.columns
            .iter()
            .find(|(_, spellings)| spellings.iter().any(|s| header_form(s) == form))
            .map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> SpendSchema {
        SpendSchema::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spend.toml"))
            .unwrap()
    }

    #[test]
    fn header_spellings_match_loosely() {
        let s = shipped();
        assert_eq!(s.column_of("Amount in Sterling £"), Some(Column::Amount));
        assert_eq!(s.column_of("  EXPENSE  AREA "), Some(Column::ExpenseArea));
        assert_eq!(s.column_of("Date paid"), Some(Column::Date));
        assert_eq!(s.column_of("£"), Some(Column::Amount));
        assert_eq!(s.column_of("Merchant Name"), Some(Column::Supplier));
        assert_eq!(s.column_of("Colour"), None);
    }

    #[test]
    fn unknown_column_is_refused() {
        let text = "title = \"t\"\nlarge_supplier = 1.0\n[columns]\ndate=[\"D\"]\nsupplier=[\"S\"]\namount=[\"A\"]\ncolour=[\"C\"]\n[suppliers]\nredacted=[]\n[categories]\nhospice_words=[]\ncamhs_suppliers=[]\nnhs_trust_words=[]\npalliative_words=[]\ncamhs_words=[]\n[crosscheck]\ntolerance=0.02\n[crosscheck.fields]\n";
        assert!(SpendSchema::parse(text).unwrap_err().contains("colour"));
    }
}
