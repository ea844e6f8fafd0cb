//! A spend round's `round.toml` (README: Spend over £25,000 rounds), read strictly: its own
//! keys, not the FOI round's, so a misspelt key is named rather than ignored.

use crate::ingest::Limits;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a spend round's `round.toml` cannot be used: the FOI round's errors (file, key, why).
pub type SpendRoundError = crate::round::RoundError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpendRound {
    title: String,
    kind: String,
    bodies: String,
    as_of: String,
    #[serde(default)]
    periods: Vec<String>,
    /// FOI field id -> FOI round folder, relative to this round's folder.
    #[serde(default)]
    crosscheck: BTreeMap<String, String>,
    /// What one publication may cost, as a FOI round's `[limits]`.
    #[serde(default)]
    limits: Limits,
}

#[derive(Debug, Clone)]
pub struct SpendRound {
    pub dir: PathBuf,
    pub name: String,
    pub title: String,
    pub bodies: String,
    pub as_of: String,
    /// Financial years covered, `2015-16` (April 2015 to March 2016).
    pub periods: Vec<String>,
    /// FOI field id -> FOI round folder (resolved against `dir`).
    pub crosscheck: BTreeMap<String, PathBuf>,
    /// `[limits]`: the safe defaults unless the round says otherwise.
    pub limits: Limits,
}

/// Whether the round folder's `round.toml` declares `kind = "spend"` (anything unreadable is not).
pub fn is_spend(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("round.toml")) else {
        return false;
    };
    let Ok(value) = toml::from_str::<toml::Table>(&text) else {
        return false;
    };
    value.get("kind").and_then(|k| k.as_str()) == Some("spend")
}

/// `2015-16`: a financial year written the one way the project keys it.
fn is_fy(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && p[..4]
            .parse::<u32>()
            .ok()
            .zip(p[5..].parse::<u32>().ok())
            .is_some_and(|(a, z)| (a + 1) % 100 == z)
}

impl SpendRound {
    pub fn load(dir: &Path) -> Result<SpendRound, SpendRoundError> {
        let path = dir.join("round.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| SpendRoundError::Read {
            path: path.clone(),
            source,
        })?;
        let raw: RawSpendRound = toml::from_str(&text).map_err(|e| SpendRoundError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if raw.kind != "spend" {
            return Err(SpendRoundError::Key {
                path,
                key: "kind".into(),
                message: format!("`{}` is not `spend`", raw.kind),
            });
        }
        let b = raw.as_of.as_bytes();
        if !(b.len() == 10 && b[4] == b'-' && b[7] == b'-') {
            return Err(SpendRoundError::Key {
                path,
                key: "as_of".into(),
                message: format!("`{}` is not a YYYY-MM-DD date", raw.as_of),
            });
        }
        if let Some(bad) = raw.periods.iter().find(|p| !is_fy(p)) {
            return Err(SpendRoundError::Key {
                path,
                key: "periods".into(),
                message: format!("`{bad}` is not a financial year like 2015-16"),
            });
        }
        let mut crosscheck = BTreeMap::new();
        for (field, rel) in raw.crosscheck {
            let target = dir.join(&rel);
            if !target.join("round.toml").is_file() {
                return Err(SpendRoundError::Key {
                    path,
                    key: format!("crosscheck.{field}"),
                    message: format!(
                        "`{rel}` is not a round folder (no round.toml in {})",
                        target.display()
                    ),
                });
            }
            crosscheck.insert(field, target);
        }
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "round".into());
        Ok(SpendRound {
            dir: dir.to_owned(),
            name,
            title: raw.title,
            bodies: raw.bodies,
            as_of: raw.as_of,
            periods: raw.periods,
            crosscheck,
            limits: raw.limits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_are_checked() {
        assert!(is_fy("2015-16"));
        assert!(is_fy("1999-00"));
        assert!(!is_fy("2015-17"));
        assert!(!is_fy("2015"));
    }

    #[test]
    fn unknown_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("round.toml"), "title = \"t\"\nkind = \"spend\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nschema = \"x\"\n").unwrap();
        let e = SpendRound::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("round.toml") && e.contains("schema"), "{e}");
        assert!(is_spend(dir.path()));
    }
}
