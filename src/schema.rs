//! Surveys as data: a schema file declares each field, its type, its periods and the label
//! patterns that find it, so a new questionnaire needs a new TOML file and no new code.

pub mod check;
pub mod derived;

pub use check::{Check, OnFail};
pub use derived::{Derived, PaceRule};

use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Denominators every round has: columns of the body register.
pub const REGISTER_DENOMINATORS: &[&str] = &["registered_patients", "population_0_17"];

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{path}: cannot read schema: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid schema: {message}")]
    Invalid { path: PathBuf, message: String },
    /// A mistake found once the file was read: the line and key it is at, and what was expected.
    #[error("{path}: line {line}: key `{key}`: {message}")]
    At {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
    #[error(
        "no file `{name}` in {searched} (searched in this order: --schemas DIR, the round's schemas/, the project's schemas/)"
    )]
    NotFound { name: String, searched: String },
    #[error("{path}: field `{field}`: bad pattern `{pattern}`: {source}")]
    Pattern {
        path: PathBuf,
        field: String,
        pattern: String,
        source: regex::Error,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Money,
    Count,
    /// A measured quantity with decimals and a declared `unit` (weeks, days, percent, ...).
    Number,
    YesNo,
    Category,
}

impl FieldType {
    /// Money, counts and numbers: the types with totals, quartiles and ranges.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Money | FieldType::Count | FieldType::Number
        )
    }
}

/// The unit a `number` field is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Hours,
    Days,
    Weeks,
    Months,
    Years,
    Percent,
    People,
    Items,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::Days => "days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::Years => "years",
            Unit::Percent => "percent",
            Unit::People => "people",
            Unit::Items => "items",
        }
    }
}

/// What a "partially" answer to a yes/no question counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialIs {
    Yes,
    No,
    Unclear,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    name: String,
    title: String,
    /// Reference tables (named in a round's `[reference]`) the checks and ratios may divide by.
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    derived: BTreeMap<String, Spanned<Derived>>,
    #[serde(default)]
    checks: Vec<Spanned<Check>>,
    /// FOI fields against official tables, read by analyse::official.
    #[serde(default)]
    official: Vec<Spanned<Official>>,
    /// Which round's figure `foi compare` uses where two rounds give the same body and period.
    #[serde(default)]
    restated: Restated,
    field: Vec<Spanned<RawField>>,
}

/// Where two rounds give the same body and period (a figure restated), which one is used for
/// change over time: the later round (the default) or the earlier one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restated {
    #[default]
    Later,
    Earlier,
}

/// One `[[official]]` entry: an FOI field against the same body and period in an official table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Official {
    /// The summary.json key: `official.<key>.<period>.*`.
    pub key: String,
    /// The FOI field compared.
    pub field: String,
    /// The import recipe of the official table, relative to the schemas folder.
    pub recipe: PathBuf,
    /// The figures agree when FOI / official is within 1 ± tolerance.
    pub tolerance: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: String,
    #[serde(rename = "type")]
    kind: FieldType,
    #[serde(default)]
    periods: Vec<String>,
    question: String,
    /// A short name for tables and charts (default: the question).
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    unit: Option<Unit>,
    labels: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    codes: Vec<RawCode>,
    /// For yes/no fields: what a "partially" answer counts as ("no" for 7-day questions).
    #[serde(default)]
    partial_is: Option<PartialIs>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    code: String,
    #[serde(default)]
    label: Option<String>,
    patterns: Vec<String>,
}

#[derive(Debug)]
pub struct Code {
    pub code: String,
    /// How the report names it (default: the code).
    pub label: Option<String>,
    pub patterns: Vec<Regex>,
}

#[derive(Debug)]
pub struct Field {
    pub id: String,
    pub kind: FieldType,
    pub periods: Vec<String>,
    pub question: String,
    /// A short name for tables and charts, if declared.
    pub label: Option<String>,
    /// The unit of a `number` field.
    pub unit: Option<Unit>,
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
        self.labels
            .iter()
            .filter_map(|r| r.find(text).map(|m| m.len()))
            .max()
    }

    /// Period keys of the cells this field has: one empty period when it has none.
    pub fn period_keys(&self) -> Vec<String> {
        if self.periods.is_empty() {
            vec![String::new()]
        } else {
            self.periods.clone()
        }
    }

    /// How a report names the field: its short label, else its question.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.question)
    }
}

#[derive(Debug)]
pub struct Schema {
    pub name: String,
    pub title: String,
    pub fields: Vec<Field>,
    /// Derived statistics as declared, by name (sorted), read by analyse.
    pub derived: Vec<(String, Derived)>,
    /// Declared plausibility checks, typed and validated on load, run by validate.
    pub checks: Vec<Check>,
    /// Reference tables the checks and ratios may divide by.
    pub references: Vec<String>,
    /// Declared comparisons with official tables (`[[official]]`), read by analyse::official.
    pub official: Vec<Official>,
    /// Which round's figure `foi compare` uses for a restated figure.
    pub restated: Restated,
}

fn compile(path: &Path, field: &str, pattern: &str) -> Result<Regex, SchemaError> {
    Regex::new(&format!("(?i){pattern}")).map_err(|source| SchemaError::Pattern {
        path: path.to_owned(),
        field: field.to_owned(),
        pattern: pattern.to_owned(),
        source,
    })
}

/// The file `name` names in the search order `dirs`: a path to an existing file as it is, else
/// `<dir>/<name>` (with `.toml` added to a bare schema name) in the first dir that has it.
pub fn locate(name: &str, dirs: &[PathBuf]) -> Result<PathBuf, SchemaError> {
    let as_path = Path::new(name);
    if as_path.is_file() {
        return Ok(as_path.to_owned());
    }
    let rel = if name.ends_with(".toml") || name.ends_with(".csv") {
        name.to_owned()
    } else {
        format!("{name}.toml")
    };
    dirs.iter()
        .map(|d| d.join(&rel))
        .find(|p| p.is_file())
        .ok_or_else(|| SchemaError::NotFound {
            name: rel,
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at)
        .map(|t| t.matches('\n').count() + 1)
        .unwrap_or(1)
}

/// The line of `key = ...` in the table starting at byte `start`, else the table's own line.
fn key_line(text: &str, start: usize, key: &str) -> usize {
    let first = line_of(text, start);
    for (i, line) in text.lines().enumerate().skip(first) {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return i + 1;
        }
    }
    first
}

/// Whether `p` is a period in the one spelling the project uses: a financial year "2015-16".
pub fn canonical_period(p: &str) -> bool {
    let b = p.as_bytes();
    if b.len() != 7
        || b[4] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
    {
        return false;
    }
    let (Ok(y), Ok(n)) = (p[..4].parse::<u32>(), p[5..].parse::<u32>()) else {
        return false;
    };
    (y + 1) % 100 == n
}

/// What a period was probably meant to be ("2017/18" -> "2017-18"), for the error message.
fn period_hint(p: &str) -> String {
    let digits: String = p.chars().filter(|c| c.is_ascii_digit()).collect();
    let guess = match digits.len() {
        6 => format!("{}-{}", &digits[..4], &digits[4..]),
        8 => format!("{}-{}", &digits[..4], &digits[6..]),
        _ => String::new(),
    };
    if canonical_period(&guess) {
        format!(" (did you mean \"{guess}\"?)")
    } else {
        String::new()
    }
}

impl Schema {
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Schema, SchemaError> {
        let invalid = |message: String| SchemaError::Invalid {
            path: path.to_owned(),
            message,
        };
        let at = |span: std::ops::Range<usize>, key: &str, message: String| SchemaError::At {
            path: path.to_owned(),
            line: key_line(text, span.start, key),
            key: key.to_owned(),
            message,
        };
        // toml's message names the line, the column and the key, and lists the keys expected.
        let raw: RawSchema =
            toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_owned()))?;
        let mut fields: Vec<Field> = Vec::new();
        for spanned in raw.field {
            let span = spanned.span();
            let f = spanned.into_inner();
            if fields.iter().any(|g| g.id == f.id) {
                return Err(at(
                    span,
                    "id",
                    format!(
                        "field id `{}` is declared twice; each field needs its own id",
                        f.id
                    ),
                ));
            }
            for p in &f.periods {
                if !canonical_period(p) {
                    return Err(at(
                        span,
                        "periods",
                        format!(
                            "field `{}`: period \"{p}\" is not a financial year written as \"2015-16\"{}",
                            f.id,
                            period_hint(p)
                        ),
                    ));
                }
            }
            if f.kind == FieldType::Number && f.unit.is_none() {
                return Err(at(
                    span,
                    "unit",
                    format!(
                        "number field `{}` declares no unit (one of hours, days, weeks, months, years, percent, people, items)",
                        f.id
                    ),
                ));
            }
            if f.kind != FieldType::Number && f.unit.is_some() {
                return Err(at(
                    span,
                    "unit",
                    format!(
                        "field `{}` is {:?}, not number: only a number field has a unit",
                        f.id, f.kind
                    ),
                ));
            }
            if f.partial_is.is_some() && f.kind != FieldType::YesNo {
                return Err(at(
                    span,
                    "partial_is",
                    format!(
                        "field `{}` is not yes_no: only a yes/no question has a partial answer",
                        f.id
                    ),
                ));
            }
            if f.kind == FieldType::Category && f.codes.is_empty() {
                return Err(at(
                    span,
                    "codes",
                    format!("category field `{}` declares no codes", f.id),
                ));
            }
            if f.kind != FieldType::Category && !f.codes.is_empty() {
                return Err(at(
                    span,
                    "codes",
                    format!(
                        "field `{}` is not a category: only a category field has codes",
                        f.id
                    ),
                ));
            }
            let labels = f
                .labels
                .iter()
                .map(|p| compile(path, &f.id, p))
                .collect::<Result<_, _>>()?;
            let exclude = f
                .exclude
                .iter()
                .map(|p| compile(path, &f.id, p))
                .collect::<Result<_, _>>()?;
            let mut codes: Vec<Code> = Vec::new();
            for c in &f.codes {
                if codes.iter().any(|d| d.code == c.code) {
                    return Err(at(
                        span.clone(),
                        "codes",
                        format!("field `{}`: code `{}` is declared twice", f.id, c.code),
                    ));
                }
                let patterns = c
                    .patterns
                    .iter()
                    .map(|p| compile(path, &f.id, p))
                    .collect::<Result<_, _>>()?;
                codes.push(Code {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    patterns,
                });
            }
            // "unclear": a partial answer is for a person to judge, as when nothing is declared.
            let partial_is = f.partial_is.and_then(|p| match p {
                PartialIs::Yes => Some("yes".to_owned()),
                PartialIs::No => Some("no".to_owned()),
                PartialIs::Unclear => None,
            });
            fields.push(Field {
                id: f.id,
                kind: f.kind,
                declared_periods: f.periods.clone(),
                periods: f.periods,
                question: f.question,
                label: f.label,
                unit: f.unit,
                labels,
                exclude,
                codes,
                partial_is,
            });
        }
        if fields.is_empty() {
            return Err(invalid("no [[field]] declared".into()));
        }
        let ids = || {
            fields
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let known = |id: &str| fields.iter().any(|f| f.id == id);
        let numeric = |id: &str| fields.iter().any(|f| f.id == id && f.kind.is_numeric());
        let denominator_ok = |d: &str| {
            numeric(d)
                || REGISTER_DENOMINATORS.contains(&d)
                || raw.references.iter().any(|r| r == d)
        };
        let denominators = || {
            let mut all: Vec<String> = REGISTER_DENOMINATORS
                .iter()
                .map(|s| s.to_string())
                .collect();
            all.extend(raw.references.iter().cloned());
            all.join(", ")
        };
        for spanned in &raw.checks {
            let span = spanned.span();
            let check = spanned.get_ref();
            for (key, id) in check.fields() {
                if !known(id) {
                    return Err(at(
                        span.clone(),
                        key,
                        format!(
                            "[[checks]] names field `{id}`, which is not declared; fields are: {}",
                            ids()
                        ),
                    ));
                }
            }
            if let Some(d) = check.denominator()
                && !denominator_ok(d)
            {
                return Err(at(
                    span,
                    "denominator",
                    format!(
                        "[[checks]] divides by `{d}`, which is neither a numeric field nor a known denominator ({}; declare others in `references`)",
                        denominators()
                    ),
                ));
            }
        }
        for (name, spanned) in &raw.derived {
            let span = spanned.span();
            let d = spanned.get_ref();
            for (key, id) in d.fields() {
                if !numeric(id) {
                    let why = if known(id) {
                        "is not a money, count or number field"
                    } else {
                        "is not declared"
                    };
                    return Err(at(
                        span.clone(),
                        key,
                        format!(
                            "[derived.{name}] ({}) names field `{id}`, which {why}; fields are: {}",
                            d.kind(),
                            ids()
                        ),
                    ));
                }
            }
            if let Derived::Ratio { denominator, .. } = d
                && !denominator_ok(denominator)
            {
                return Err(at(
                    span,
                    "denominator",
                    format!(
                        "[derived.{name}] divides by `{denominator}`, which is neither a numeric field nor a known denominator ({}; declare others in `references`)",
                        denominators()
                    ),
                ));
            }
            for (key, p) in d.periods() {
                if !canonical_period(p) {
                    return Err(at(
                        span.clone(),
                        key,
                        format!(
                            "[derived.{name}]: period \"{p}\" is not a financial year written as \"2015-16\"{}",
                            period_hint(p)
                        ),
                    ));
                }
            }
            // A period the statistic reads must be one its field is asked for.
            let asked = |id: &str, key: &str, p: Option<&String>| -> Result<(), SchemaError> {
                let Some(p) = p else { return Ok(()) };
                let periods = fields
                    .iter()
                    .find(|f| f.id == id)
                    .map(|f| f.declared_periods.clone())
                    .unwrap_or_default();
                if periods.contains(p) {
                    return Ok(());
                }
                Err(at(
                    span.clone(),
                    key,
                    format!(
                        "[derived.{name}]: field `{id}` is not asked for period \"{p}\"; its periods are: {}",
                        if periods.is_empty() {
                            "none".to_owned()
                        } else {
                            periods.join(", ")
                        }
                    ),
                ))
            };
            match d {
                Derived::Ratio {
                    numerator,
                    numerator_period,
                    ..
                } => asked(numerator, "numerator_period", numerator_period.as_ref())?,
                Derived::Change {
                    field, from, to, ..
                } => {
                    asked(field, "from", from.as_ref())?;
                    asked(field, "to", to.as_ref())?;
                }
                Derived::Compare { .. } => {}
            }
        }
        let mut keys: BTreeMap<String, &str> = BTreeMap::new();
        for (name, spanned) in &raw.derived {
            let key = spanned.get_ref().key(name);
            if let Some(other) = keys.insert(key.clone(), name) {
                return Err(at(
                    spanned.span(),
                    "key",
                    format!(
                        "[derived.{name}] and [derived.{other}] both write summary key `{key}`"
                    ),
                ));
            }
        }
        for spanned in &raw.official {
            let id = &spanned.get_ref().field;
            if !numeric(id) {
                return Err(at(
                    spanned.span(),
                    "field",
                    format!(
                        "[[official]] names field `{id}`, which is not a declared money, count or number field; fields are: {}",
                        ids()
                    ),
                ));
            }
        }
        Ok(Schema {
            name: raw.name,
            title: raw.title,
            fields,
            derived: raw
                .derived
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect(),
            checks: raw.checks.into_iter().map(Spanned::into_inner).collect(),
            references: raw.references,
            official: raw.official.into_iter().map(Spanned::into_inner).collect(),
            restated: raw.restated,
        })
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The one field whose labels match `text` most specifically; `None` when none or a tie.
    pub fn match_field(&self, text: &str) -> Option<&Field> {
        let mut scored: Vec<(usize, &Field)> = self
            .fields
            .iter()
            .filter_map(|f| f.label_match(text).map(|n| (n, f)))
            .collect();
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
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
        if asked.is_empty()
            || !self
                .fields
                .iter()
                .any(|f| f.periods.iter().any(|p| asked.contains(p)))
        {
            return;
        }
        for f in &mut self.fields {
            if !f.periods.is_empty() {
                f.periods.retain(|p| asked.contains(p));
            }
        }
        self.fields
            .retain(|f| f.declared_periods.is_empty() || !f.periods.is_empty());
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
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(format!("{name}.toml"));
        Schema::load(&path).unwrap()
    }

    #[test]
    fn camhs_labels_tell_the_three_budgets_apart() {
        let s = shipped("camhs");
        let id = |t: &str| s.match_field(t).map(|f| f.id.as_str());
        assert_eq!(
            id(
                "1a. What was the CCG's total CAMHS budget (all services commissioned by the CCG for under-18s' mental health) in 2014/15?"
            ),
            Some("camhs_budget")
        );
        assert_eq!(
            id("2b. What was the CCG's total mental health budget in 2015/16?"),
            Some("mh_budget")
        );
        assert_eq!(id("Total mental health 2014/15 (£000s)"), Some("mh_budget"));
        assert_eq!(
            id("Future in Mind transformation funding (incl. eating disorders) 15/16"),
            Some("fim_allocation")
        );
        assert_eq!(
            id(
                "How much additional Future in Mind / CAMHS transformation funding (including eating disorders) did the CCG receive in 2015/16?"
            ),
            Some("fim_allocation")
        );
        assert_eq!(id("Total CAMHS"), Some("camhs_budget"));
        assert_eq!(id("Adult acute and rehabilitation"), None);
    }

    #[test]
    fn palliative_labels_tell_the_questions_apart() {
        let s = shipped("palliative_care");
        let id = |t: &str| s.match_field(t).map(|f| f.id.as_str());
        assert_eq!(
            id(
                "1. How many patients in your CCG population are identified as having palliative care needs?"
            ),
            Some("palliative_patients")
        );
        assert_eq!(
            id("Specialist palliative care budget 2015/16 (£000)"),
            Some("spc_budget")
        );
        assert_eq!(id("7-day admission to SPC beds"), Some("seven_day_beds"));
        assert_eq!(id("7-day SPC in patients' homes"), Some("seven_day_home"));
        assert_eq!(
            id(
                "5. Who provides out-of-hours specialist palliative care advice (a hospice, an NHS provider, both, or none)?"
            ),
            Some("out_of_hours_provider")
        );
        assert_eq!(id("Pain control team commissioned"), Some("pain_team"));
        assert_eq!(
            id("7. If so, when does it operate (office hours, extended hours or 24/7)?"),
            Some("pain_team_hours")
        );
        assert_eq!(id("Pain team operating hours"), Some("pain_team_hours"));
        assert_eq!(
            id("Palliative care education for professionals"),
            Some("education")
        );
        assert_eq!(
            id("9. Does the CCG plan to update or review its palliative care services?"),
            Some("review_planned")
        );
    }

    #[test]
    fn periods_have_one_spelling() {
        assert!(canonical_period("2015-16"));
        assert!(canonical_period("2099-00"));
        for p in ["2017/18", "2015-2016", "15-16", "2015-17", "FY15"] {
            assert!(!canonical_period(p), "{p}");
        }
        assert_eq!(period_hint("2017/18"), " (did you mean \"2017-18\"?)");
        assert_eq!(period_hint("2015/2016"), " (did you mean \"2015-16\"?)");
    }

    #[test]
    fn checks_and_derived_statistics_are_typed() {
        let text = "name='x'\ntitle='x'\n[[field]]\nid='a'\ntype='money'\nperiods=['2015-16','2016-17']\nquestion='q'\nlabels=['a']\n\
            [[checks]]\nkind='range'\nfield='a'\nmax=5\non_fail='unclear'\n[derived.c]\nkind='change'\nfield='a'\n";
        let s = Schema::parse(text, Path::new("x.toml")).unwrap();
        assert_eq!(
            s.checks,
            vec![Check::Range {
                field: "a".into(),
                min: None,
                max: Some(5.0),
                on_fail: OnFail::Unclear
            }]
        );
        assert_eq!(s.derived[0].1.kind(), "change");
        assert_eq!(s.derived[0].1.key("c"), "derived.c");
    }

    #[test]
    fn a_derived_period_must_be_one_the_field_is_asked_for() {
        let text = "name='x'\ntitle='x'\n[[field]]\nid='a'\ntype='money'\nperiods=['2015-16','2016-17']\nquestion='q'\nlabels=['a']\n\
            [derived.c]\nkind='change'\nfield='a'\nfrom='2014-15'\n";
        let err = Schema::parse(text, Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 12") && err.contains("`from`") && err.contains("2015-16, 2016-17"),
            "{err}"
        );
    }

    #[test]
    fn two_derived_statistics_may_not_write_the_same_key() {
        let text = "name='x'\ntitle='x'\n[[field]]\nid='a'\ntype='money'\nperiods=['2015-16','2016-17']\nquestion='q'\nlabels=['a']\n\
            [derived.c]\nkind='change'\nfield='a'\nkey='k'\n[derived.d]\nkind='change'\nfield='a'\nkey='k'\n";
        let err = Schema::parse(text, Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("both write summary key `k`"), "{err}");
    }

    #[test]
    fn a_category_without_codes_is_refused_with_the_file_named() {
        let text =
            "name='x'\ntitle='x'\n[[field]]\nid='c'\ntype='category'\nquestion='q'\nlabels=['c']\n";
        let err = Schema::parse(text, Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("x.toml"), "{err}");
    }
}
