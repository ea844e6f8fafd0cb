//! The round folder contract (README: The round folder): `round.toml`, the schema and register it names, and
//! the reference tables joined to answers.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: key `{key}`: {message}")]
    Key {
        path: PathBuf,
        key: String,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    title: String,
    schema: String,
    bodies: String,
    as_of: String,
    #[serde(default)]
    reference: BTreeMap<String, String>,
    /// Optional: the financial years this round asked about (an extension of the round folder contract).
    /// Without it they are the years `request.txt` names.
    #[serde(default)]
    periods: Option<Vec<String>>,
    /// Optional: limits on what one file may cost (an extension of the round folder contract).
    #[serde(default)]
    limits: Option<crate::ingest::limits::Limits>,
}

/// One reference table: value by (body code, period); period is empty where the table has none.
pub type Reference = HashMap<(String, String), f64>;

#[derive(Debug)]
pub struct Round {
    pub dir: PathBuf,
    /// The folder's name: the default output folder is `reports/<name>/`.
    pub name: String,
    pub title: String,
    pub schema: String,
    pub bodies: String,
    pub as_of: String,
    /// Reference tables by the name `round.toml` gives them (a field id or a denominator).
    pub reference: BTreeMap<String, Reference>,
    /// The financial years the request asked about: `periods` in round.toml, else every year
    /// `request.txt` names; empty when neither says (then every period the schema declares).
    pub periods: Vec<String>,
    pub limits: crate::ingest::limits::Limits,
}

impl Round {
    pub fn load(dir: &Path) -> Result<Round, RoundError> {
        let path = dir.join("round.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| RoundError::Read {
            path: path.clone(),
            source,
        })?;
        if text
            .lines()
            .any(|l| l.split('#').next().unwrap_or("").replace(' ', "") == "kind=\"spend\"")
        {
            let message = "a spend round (kind = \"spend\"): `foi run` reads it with the spend pipeline, not as an FOI survey".into();
            return Err(RoundError::Invalid { path, message });
        }
        let raw: RawRound = toml::from_str(&text).map_err(|e| RoundError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if !is_date(&raw.as_of) {
            return Err(RoundError::Key {
                path,
                key: "as_of".into(),
                message: format!("`{}` is not a YYYY-MM-DD date", raw.as_of),
            });
        }
        let mut reference = BTreeMap::new();
        for (name, rel) in &raw.reference {
            let table = load_reference(&dir.join(rel)).map_err(|message| RoundError::Key {
                path: path.clone(),
                key: format!("reference.{name}"),
                message,
            })?;
            reference.insert(name.clone(), table);
        }
        let periods = match raw.periods {
            Some(list) => {
                for p in &list {
                    if crate::standardise::period::periods_in(p).as_slice() != [p.clone()] {
                        return Err(RoundError::Key {
                            path,
                            key: "periods".into(),
                            message: format!("`{p}` is not a financial year written as 2015-16"),
                        });
                    }
                }
                list
            }
            None => std::fs::read_to_string(dir.join("request.txt"))
                .map(|t| crate::standardise::period::periods_in(&t))
                .unwrap_or_default(),
        };
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "round".into());
        Ok(Round {
            dir: dir.to_owned(),
            name,
            title: raw.title,
            schema: raw.schema,
            bodies: raw.bodies,
            as_of: raw.as_of,
            reference,
            periods,
            limits: raw.limits.unwrap_or_default(),
        })
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `body_code,period,value` (UTF-8): the tidy official tables of a round's reference/; or a
/// `.toml` import recipe (src/reference) naming the published file.
fn load_reference(path: &Path) -> Result<Reference, String> {
    // An import recipe: the official table read from the file it is published in.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return crate::reference::load_table(path);
    }
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Reference::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("{}: {e}", path.display()))?;
        let (Some(code), Some(period), Some(value)) = (row.get(0), row.get(1), row.get(2)) else {
            return Err(format!(
                "{}: line {}: expected body_code,period,value",
                path.display(),
                i + 2
            ));
        };
        let Ok(v) = value.trim().parse::<f64>() else {
            return Err(format!(
                "{}: line {}: value `{value}` is not a number",
                path.display(),
                i + 2
            ));
        };
        out.insert((code.trim().to_owned(), period.trim().to_owned()), v);
    }
    Ok(out)
}
