//! An import recipe: a small TOML file saying where an official table sits in the file it is
//! published in (by heading text, never by cell address), what its values mean, how its rows
//! and columns add up to one figure per body and period, and which declared checks it must pass.
//! Parsed strictly: an unknown key is an error naming the file and the key.

use super::ReferenceError;
use crate::schema::Check;
use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What a value is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Pounds sterling.
    Gbp,
    /// People, patients, contacts: a count.
    Count,
    /// A share or proportion as the table writes it.
    Ratio,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Gbp => "gbp",
            Unit::Count => "count",
            Unit::Ratio => "ratio",
        }
    }
}

/// What several rows with the same body code are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rows {
    /// One row per body: a second row with the same code is a duplicate, listed in the report,
    /// and the body's figure is left out unless both rows say the same.
    #[default]
    One,
    /// Rows are parts of their body (GP practices of a CCG): summed.
    Sum,
}

/// One set of columns that adds to the figure: every column whose heading path has a level
/// matching `heading` (a case-insensitive regular expression), times `weight`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    pub heading: String,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

fn star() -> Vec<String> {
    vec!["*".into()]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    /// A regular expression for the sheet's name; omitted for a file of one grid (CSV).
    #[serde(default)]
    pub sheet: Option<String>,
    /// A regular expression for the heading of the column holding body codes.
    pub code_heading: String,
    /// A regular expression with one capture group taking the body code out of the cell
    /// (`^([A-Z0-9]{3})00$` for a five-character PCO code); without it the cell is the code.
    #[serde(default)]
    pub code_pattern: Option<String>,
    /// The period of every value (`2015-16`), when the columns do not name one.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub rows: Rows,
    /// Cell texts that mean "suppressed": missing, never zero.
    #[serde(default = "star")]
    pub suppressed: Vec<String>,
    pub series: Vec<RawSeries>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecipe {
    name: String,
    title: String,
    meaning: String,
    unit: Unit,
    source: PathBuf,
    #[serde(default)]
    published_by: String,
    #[serde(default)]
    register: Option<PathBuf>,
    #[serde(default)]
    as_of: Option<String>,
    table: RawTable,
    #[serde(default)]
    checks: Vec<toml::Table>,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub heading: Regex,
    pub weight: f64,
}

/// A recipe ready to run: patterns compiled, paths resolved against the recipe's folder.
#[derive(Debug, Clone)]
pub struct Recipe {
    pub path: PathBuf,
    pub name: String,
    pub title: String,
    pub meaning: String,
    pub unit: Unit,
    pub source: PathBuf,
    pub published_by: String,
    /// The body register the codes are checked against, and the day whose bodies count.
    pub register: Option<(PathBuf, String)>,
    pub sheet: Option<Regex>,
    pub code_heading: Regex,
    pub code_pattern: Option<Regex>,
    pub period: Option<String>,
    pub rows: Rows,
    pub suppressed: Vec<String>,
    pub series: Vec<Series>,
    /// Declared checks, as the schema's `[[checks]]` (validate::checks), on the imported values.
    pub checks: Vec<Check>,
}

/// The check kinds that make sense on one table of values.
const CHECK_KINDS: &[&str] = &[
    "range",
    "year_on_year_factor",
    "per_head_range",
    "below_population",
];

/// The field name imported values carry through the declared checks.
pub const CHECK_FIELD: &str = "value";

impl Recipe {
    pub fn load(path: &Path) -> Result<Recipe, ReferenceError> {
        let text = std::fs::read_to_string(path).map_err(|source| ReferenceError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Recipe, ReferenceError> {
        let invalid = |key: &str, message: String| ReferenceError::Recipe {
            path: path.to_owned(),
            key: key.to_owned(),
            message,
        };
        let raw: RawRecipe =
            toml::from_str(text).map_err(|e| invalid("", e.to_string().trim_end().to_owned()))?;
        let regex = |key: &str, pattern: &str| {
            Regex::new(&format!("(?i){pattern}"))
                .map_err(|e| invalid(key, format!("bad pattern `{pattern}`: {e}")))
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let t = &raw.table;
        if t.series.is_empty() {
            return Err(invalid(
                "table.series",
                "no [[table.series]] declared".into(),
            ));
        }
        let mut series = Vec::new();
        for (i, s) in t.series.iter().enumerate() {
            if !s.weight.is_finite() {
                return Err(invalid(
                    &format!("table.series[{i}].weight"),
                    "not a finite number".into(),
                ));
            }
            series.push(Series {
                heading: regex(&format!("table.series[{i}].heading"), &s.heading)?,
                weight: s.weight,
            });
        }
        let code_pattern = match &t.code_pattern {
            Some(p) => {
                let r = regex("table.code_pattern", p)?;
                if r.captures_len() != 2 {
                    return Err(invalid(
                        "table.code_pattern",
                        format!("`{p}` needs exactly one capture group (the code)"),
                    ));
                }
                Some(r)
            }
            None => None,
        };
        if let Some(p) = &t.period
            && crate::standardise::period::periods_in(p).as_slice() != [p.clone()]
        {
            return Err(invalid(
                "table.period",
                format!("`{p}` is not a financial year written as 2015-16"),
            ));
        }
        for (i, c) in raw.checks.iter().enumerate() {
            let kind = c.get("kind").and_then(|k| k.as_str()).unwrap_or("");
            if !CHECK_KINDS.contains(&kind) {
                return Err(invalid(
                    &format!("checks[{i}].kind"),
                    format!("`{kind}` is not one of {}", CHECK_KINDS.join(", ")),
                ));
            }
            if c.get("field")
                .is_some_and(|f| f.as_str() != Some(CHECK_FIELD))
            {
                return Err(invalid(
                    &format!("checks[{i}].field"),
                    format!(
                        "a recipe's checks apply to its values: leave `field` out (or `{CHECK_FIELD}`)"
                    ),
                ));
            }
        }
        let mut checks = Vec::new();
        for (i, mut c) in raw.checks.into_iter().enumerate() {
            c.insert("field".into(), toml::Value::String(CHECK_FIELD.into()));
            let check = Check::deserialize(toml::Value::Table(c))
                .map_err(|e| invalid(&format!("checks[{i}]"), e.to_string()))?;
            checks.push(check);
        }
        let register = match (raw.register, raw.as_of) {
            (Some(r), Some(d)) => Some((dir.join(r), d)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(invalid(
                    "as_of",
                    "`register` needs `as_of`: the day whose bodies the codes are checked against"
                        .into(),
                ));
            }
            (None, Some(_)) => return Err(invalid("register", "`as_of` needs `register`".into())),
        };
        Ok(Recipe {
            path: path.to_owned(),
            name: raw.name,
            title: raw.title,
            meaning: raw.meaning,
            unit: raw.unit,
            source: dir.join(raw.source),
            published_by: raw.published_by,
            register,
            sheet: t
                .sheet
                .as_deref()
                .map(|s| regex("table.sheet", s))
                .transpose()?,
            code_heading: regex("table.code_heading", &t.code_heading)?,
            code_pattern,
            period: t.period.clone(),
            rows: t.rows,
            suppressed: t.suppressed.iter().map(|s| s.trim().to_owned()).collect(),
            series,
            checks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "name='t'\ntitle='T'\nmeaning='m'\nunit='gbp'\nsource='x.csv'\n[table]\ncode_heading='^code$'\n[[table.series]]\nheading='^value$'\n";

    #[test]
    fn a_minimal_recipe_reads_with_its_defaults() {
        let r = Recipe::parse(MINIMAL, Path::new("/r/recipes/t.toml")).unwrap();
        assert_eq!(r.source, Path::new("/r/recipes/x.csv"));
        assert_eq!(r.rows, Rows::One);
        assert_eq!(r.suppressed, vec!["*".to_owned()]);
        assert_eq!(r.series[0].weight, 1.0);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_file_and_key() {
        let e = Recipe::parse(&format!("{MINIMAL}colour='red'\n"), Path::new("t.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.toml") && e.contains("colour"), "{e}");
        let e = Recipe::parse(
            &MINIMAL.replace("[table]", "[table]\nperiod='2016'"),
            Path::new("t.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("table.period"), "{e}");
        let e = Recipe::parse(
            &MINIMAL.replace("[table]", "[table]\ncode_pattern='^...$'"),
            Path::new("t.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("capture group"), "{e}");
        let e = Recipe::parse(
            &format!("{MINIMAL}[[checks]]\nkind='total_is_sum'\n"),
            Path::new("t.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("checks[0].kind"), "{e}");
    }
}
