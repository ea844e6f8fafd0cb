//! Claims check: a round may hold `claims.toml`, published statements (a count or a percent,
//! with an optional denominator and a tolerance) to reproduce from the round's own statistics.
//! Where a published percent fits no whole-number fraction k/n for any n up to the number who
//! answered, the check says so and gives the nearest fraction: a misprint finder.

use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// What a published figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A percent: also checked for a whole-number fraction it could be.
    #[default]
    Percent,
    /// A count.
    Count,
}

/// One published statement (`[[claim]]`), read strictly: an unknown key is an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The statement as published.
    pub text: String,
    /// The summary key it is about, e.g. `camhs.2015-16.percent_kept_pace`.
    pub key: String,
    pub value: f64,
    /// `percent` (the default) or `count`.
    #[serde(default)]
    pub kind: ClaimKind,
    /// The published denominator, if any (a percent "of 77 CCGs").
    #[serde(default)]
    pub denominator: Option<u32>,
    /// The summary key holding the number who answered (the largest denominator to try).
    #[serde(default)]
    pub denominator_key: Option<String>,
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
}

fn default_tolerance() -> f64 {
    0.5
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimsFile {
    #[serde(default)]
    claim: Vec<Claim>,
}

/// What the check found for one claim.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub claim: Claim,
    pub ours: Option<f64>,
    pub reproduced: bool,
    /// For a percent: whether any k/n (n up to the number who answered) rounds to it, and the
    /// nearest fraction.
    pub fits_fraction: Option<bool>,
    pub nearest: Option<(u32, u32)>,
    /// The largest denominator tried: the published one, else the number who answered.
    pub max_denominator: Option<u32>,
}

pub fn load(round_dir: &Path) -> Result<Vec<Claim>, ClaimsError> {
    let path = round_dir.join("claims.toml");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ClaimsError::Invalid {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let f: ClaimsFile = toml::from_str(&text).map_err(|e| ClaimsError::Invalid {
        path,
        message: e.to_string(),
    })?;
    Ok(f.claim)
}

/// The fraction k/n (n from 1 to `max_n`) nearest to `percent`, and whether one rounds to it at
/// the precision it was published with.
pub fn nearest_fraction(percent: f64, max_n: u32) -> (bool, (u32, u32)) {
    let decimals = {
        let s = format!("{percent}");
        s.split('.').nth(1).map(|d| d.len()).unwrap_or(0) as i32
    };
    let half = 0.5 * 10f64.powi(-decimals);
    let mut best = (0u32, 1u32);
    let mut best_err = f64::MAX;
    let mut fits = false;
    for n in 1..=max_n.max(1) {
        let k = ((percent / 100.0) * n as f64).round() as u32;
        for k in [k.saturating_sub(1), k, k + 1] {
            if k > n {
                continue;
            }
            let p = 100.0 * k as f64 / n as f64;
            let err = (p - percent).abs();
            if err <= half + 1e-9 {
                fits = true;
            }
            if err < best_err - 1e-12 {
                best_err = err;
                best = (k, n);
            }
        }
    }
    (fits, best)
}

pub fn check(claims: &[Claim], summary: &BTreeMap<String, Json>) -> Vec<Verdict> {
    claims
        .iter()
        .map(|c| {
            let ours = summary.get(&c.key).and_then(|v| v.as_f64());
            let reproduced = ours.is_some_and(|o| (o - c.value).abs() <= c.tolerance);
            let (fits_fraction, nearest, max_denominator) = if c.kind == ClaimKind::Percent {
                let max_n = c
                    .denominator
                    .or_else(|| {
                        c.denominator_key
                            .as_ref()
                            .and_then(|k| summary.get(k))
                            .and_then(|v| v.as_u64())
                            .map(|v| v as u32)
                    })
                    .unwrap_or(1000);
                let (fits, near) = nearest_fraction(c.value, max_n);
                (Some(fits), Some(near), Some(max_n))
            } else {
                (None, None, None)
            };
            Verdict {
                claim: c.clone(),
                ours,
                reproduced,
                fits_fraction,
                nearest,
                max_denominator,
            }
        })
        .collect()
}

/// A sentence for the report.
pub fn describe(v: &Verdict) -> String {
    let unit = if v.claim.kind == ClaimKind::Percent {
        "%"
    } else {
        ""
    };
    let ours = v
        .ours
        .map(|o| format!("{o}{unit}"))
        .unwrap_or_else(|| "no such statistic".into());
    let mut s = format!(
        "\"{}\" — published {}{}, ours {} ({}): {}.",
        v.claim.text,
        v.claim.value,
        unit,
        ours,
        v.claim.key,
        if v.reproduced {
            "reproduced"
        } else {
            "NOT reproduced"
        }
    );
    if let (Some(false), Some((k, n))) = (v.fits_fraction, v.nearest) {
        s.push_str(&format!(
            " No whole-number fraction k/n with n up to {} gives {}%; the nearest is {k}/{n} = {:.1}% (a possible misprint).",
            v.max_denominator.map(|d| d.to_string()).unwrap_or_else(|| "the number who answered".into()),
            v.claim.value,
            100.0 * k as f64 / n as f64
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_that_no_fraction_gives_is_a_misprint() {
        // 45.5% fits 5/11 (= 35/77); 45.3% of at most 20 fits nothing (nearest 5/11 = 45.45%).
        assert_eq!(nearest_fraction(45.5, 77), (true, (5, 11)));
        let (fits, near) = nearest_fraction(45.3, 20);
        assert!(!fits);
        assert_eq!(near, (5, 11));
    }

    #[test]
    fn a_claims_file_is_read_strictly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |text: &str| std::fs::write(dir.path().join("claims.toml"), text).unwrap();
        write("[[claim]]\ntext='t'\nkey='k'\nvalue=1\nkind='count'\n");
        assert_eq!(load(dir.path()).expect("valid")[0].kind, ClaimKind::Count);
        write("[[claim]]\ntext='t'\nkey='k'\nvalue=1\ntolerence=2\n");
        let e = load(dir.path()).expect_err("misspelt key").to_string();
        assert!(e.contains("claims.toml") && e.contains("tolerence"), "{e}");
        write("[[claim]]\ntext='t'\nkey='k'\nvalue=1\nkind='ratio'\n");
        let e = load(dir.path()).expect_err("unknown kind").to_string();
        assert!(e.contains("ratio"), "{e}");
    }

    #[test]
    fn claims_are_reproduced_within_tolerance() {
        let mut summary = BTreeMap::new();
        summary.insert("x.percent".to_string(), serde_json::json!(45.5));
        let c = Claim {
            text: "t".into(),
            key: "x.percent".into(),
            value: 46.0,
            kind: ClaimKind::Percent,
            denominator: Some(77),
            denominator_key: None,
            tolerance: 1.0,
        };
        let v = check(&[c], &summary);
        assert!(v[0].reproduced);
        assert!(describe(&v[0]).contains("reproduced"));
    }
}
