//! Surveys as data: a schema file declares each field, its type, its periods and the label
//! patterns that find it, so a new questionnaire needs a new TOML file and no new code.

use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{path}: cannot read schema: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: invalid schema: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: field `{field}`: bad pattern `{pattern}`: {source}")]
    Pattern { path: PathBuf, field: String, pattern: String, source: regex::Error },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Money,
    Count,
    YesNo,
    Category,
}

#[derive(Debug, Deserialize)]
struct RawSchema {
    name: String,
    title: String,
    #[serde(default)]
    derived: toml::Table,
    #[serde(default)]
    checks: Vec<toml::Table>,
    /// FOI fields against official tables (`[[official]]`), read by analyse::official.
    #[serde(default)]
    official: Vec<toml::Table>,
    field: Vec<RawField>,
}

#[derive(Debug, Deserialize)]
struct RawField {
    id: String,
    #[serde(rename = "type")]
    kind: FieldType,
    #[serde(default)]
    periods: Vec<String>,
    question: String,
    labels: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    codes: Vec<RawCode>,
    /// For yes/no fields: what a "partially" answer counts as ("no" for 7-day questions).
    #[serde(default)]
    partial_is: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawCode {
    code: String,
    patterns: Vec<String>,
}

#[derive(Debug)]
pub struct Code {
    pub code: String,
    pub patterns: Vec<Regex>,
}

#[derive(Debug)]
pub struct Field {
    pub id: String,
    pub kind: FieldType,
    pub periods: Vec<String>,
    pub question: String,
    labels: Vec<Regex>,
    exclude: Vec<Regex>,
    pub codes: Vec<Code>,
    pub partial_is: Option<String>,
    /// Every period the schema declares for the field, before a round chose its own.
    pub declared_periods: Vec<String>,
}

impl Field {
    /// The length of the longest label pattern match in `text`, if the field's labels match
    /// and none of its exclusions do. Longer matches are more specific.
    pub fn label_match(&self, text: &str) -> Option<usize> {
        if self.exclude.iter().any(|r| r.is_match(text)) {
            return None;
        }
        self.labels.iter().filter_map(|r| r.find(text).map(|m| m.len())).max()
    }

    /// Period keys of the cells this field has: one empty period when it has none.
    pub fn period_keys(&self) -> Vec<String> {
        if self.periods.is_empty() { vec![String::new()] } else { self.periods.clone() }
    }
}

#[derive(Debug)]
pub struct Schema {
    pub name: String,
    pub title: String,
    pub fields: Vec<Field>,
    /// Derived statistics as declared (`per_patient`, `kept_pace`), read by analyse.
    pub derived: toml::Table,
    /// Declared plausibility checks, read by validate.
    pub checks: Vec<toml::Table>,
    /// Declared comparisons with official tables (`[[official]]`), read by analyse::official.
    pub official: Vec<toml::Table>,
}

fn compile(path: &Path, field: &str, pattern: &str) -> Result<Regex, SchemaError> {
    Regex::new(&format!("(?i){pattern}")).map_err(|source| SchemaError::Pattern {
        path: path.to_owned(),
        field: field.to_owned(),
        pattern: pattern.to_owned(),
        source,
    })
}

impl Schema {
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| SchemaError::Read { path: path.to_owned(), source })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Schema, SchemaError> {
        let raw: RawSchema = toml::from_str(text)
            .map_err(|e| SchemaError::Invalid { path: path.to_owned(), message: e.to_string() })?;
        let mut fields = Vec::new();
        for f in raw.field {
            let labels = f.labels.iter().map(|p| compile(path, &f.id, p)).collect::<Result<_, _>>()?;
            let exclude = f.exclude.iter().map(|p| compile(path, &f.id, p)).collect::<Result<_, _>>()?;
            let mut codes = Vec::new();
            for c in &f.codes {
                let patterns = c.patterns.iter().map(|p| compile(path, &f.id, p)).collect::<Result<_, _>>()?;
                codes.push(Code { code: c.code.clone(), patterns });
            }
            if f.kind == FieldType::Category && codes.is_empty() {
                return Err(SchemaError::Invalid {
                    path: path.to_owned(),
                    message: format!("category field `{}` declares no codes", f.id),
                });
            }
            fields.push(Field {
                id: f.id,
                kind: f.kind,
                declared_periods: f.periods.clone(),
                periods: f.periods,
                question: f.question,
                labels,
                exclude,
                codes,
                partial_is: f.partial_is,
            });
        }
        if fields.is_empty() {
            return Err(SchemaError::Invalid { path: path.to_owned(), message: "no [[field]] declared".into() });
        }
        Ok(Schema { name: raw.name, title: raw.title, fields, derived: raw.derived, checks: raw.checks, official: raw.official })
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The one field whose labels match `text` most specifically; `None` when none or a tie.
    pub fn match_field(&self, text: &str) -> Option<&Field> {
        let mut scored: Vec<(usize, &Field)> =
            self.fields.iter().filter_map(|f| f.label_match(text).map(|n| (n, f))).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0));
        match scored.as_slice() {
            [] => None,
            [(_, f)] => Some(f),
            [(a, f), (b, _), ..] if a > b => Some(f),
            _ => None,
        }
    }

    /// Keep only the periods a round asked about. A field keeps all its declared periods when
    /// the round names none of them (a request that says "the last three years"); a field
    /// with periods of which the round asked none is dropped (not asked in this round).
    pub fn restrict_periods(&mut self, asked: &[String]) {
        if asked.is_empty() || !self.fields.iter().any(|f| f.periods.iter().any(|p| asked.contains(p))) {
            return;
        }
        for f in &mut self.fields {
            if !f.periods.is_empty() {
                f.periods.retain(|p| asked.contains(p));
            }
        }
        self.fields.retain(|f| f.declared_periods.is_empty() || !f.periods.is_empty());
    }

    /// All periods any field declares, in order.
    pub fn all_periods(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in &self.fields {
            for p in &f.periods {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(name: &str) -> Schema {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(format!("{name}.toml"));
        Schema::load(&path).unwrap()
    }

    #[test]
    fn camhs_labels_tell_the_three_budgets_apart() {
        let s = shipped("camhs");
        let id = |t: &str| s.match_field(t).map(|f| f.id.as_str());
        assert_eq!(id("1a. What was the CCG's total CAMHS budget (all services commissioned by the CCG for under-18s' mental health) in 2014/15?"), Some("camhs_budget"));
        assert_eq!(id("2b. What was the CCG's total mental health budget in 2015/16?"), Some("mh_budget"));
        assert_eq!(id("Total mental health 2014/15 (£000s)"), Some("mh_budget"));
        assert_eq!(id("Future in Mind transformation funding (incl. eating disorders) 15/16"), Some("fim_allocation"));
        assert_eq!(id("How much additional Future in Mind / CAMHS transformation funding (including eating disorders) did the CCG receive in 2015/16?"), Some("fim_allocation"));
        assert_eq!(id("Total CAMHS"), Some("camhs_budget"));
        assert_eq!(id("Adult acute and rehabilitation"), None);
    }

    #[test]
    fn palliative_labels_tell_the_questions_apart() {
        let s = shipped("palliative_care");
        let id = |t: &str| s.match_field(t).map(|f| f.id.as_str());
        assert_eq!(id("1. How many patients in your CCG population are identified as having palliative care needs?"), Some("palliative_patients"));
        assert_eq!(id("Specialist palliative care budget 2015/16 (£000)"), Some("spc_budget"));
        assert_eq!(id("7-day admission to SPC beds"), Some("seven_day_beds"));
        assert_eq!(id("7-day SPC in patients' homes"), Some("seven_day_home"));
        assert_eq!(id("5. Who provides out-of-hours specialist palliative care advice (a hospice, an NHS provider, both, or none)?"), Some("out_of_hours_provider"));
        assert_eq!(id("Pain control team commissioned"), Some("pain_team"));
        assert_eq!(id("7. If so, when does it operate (office hours, extended hours or 24/7)?"), Some("pain_team_hours"));
        assert_eq!(id("Pain team operating hours"), Some("pain_team_hours"));
        assert_eq!(id("Palliative care education for professionals"), Some("education"));
        assert_eq!(id("9. Does the CCG plan to update or review its palliative care services?"), Some("review_planned"));
    }

    #[test]
    fn a_category_without_codes_is_refused_with_the_file_named() {
        let text = "name='x'\ntitle='x'\n[[field]]\nid='c'\ntype='category'\nquestion='q'\nlabels=['c']\n";
        let err = Schema::parse(text, Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("x.toml"), "{err}");
    }
}
