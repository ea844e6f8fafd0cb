//! The body register as data: which bodies existed on the round's date, and how to recognise a
//! body from the loose ways replies and folder names write its name.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{path}: cannot read register: {source}")]
    Read { path: PathBuf, source: csv::Error },
    #[error("{path}: line {line}: {message}")]
    Row { path: PathBuf, line: u64, message: String },
}

#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    pub code: String,
    pub name: String,
    pub opened: String,
    #[serde(default)]
    pub closed: String,
    #[serde(default)]
    pub successor: String,
    #[serde(default, rename = "registered_patients_2016q1")]
    pub registered_patients: Option<f64>,
    #[serde(default, rename = "population_0_17_est_2016q1")]
    pub population_0_17: Option<f64>,
}

impl Body {
    fn open_on(&self, date: &str) -> bool {
        self.opened.as_str() <= date && (self.closed.is_empty() || self.closed.as_str() >= date)
    }
}

/// A name match and how it was made (`exact`, `initials`, `fuzzy 0.93`).
#[derive(Debug, Clone)]
pub struct NameMatch<'a> {
    pub body: &'a Body,
    pub how: String,
}

#[derive(Debug)]
pub struct Register {
    /// Bodies open on the round's date, in code order: the surveyed population.
    pub bodies: Vec<Body>,
    by_norm: HashMap<String, usize>,
    by_initials: HashMap<String, Vec<usize>>,
}

/// Words that every body's name carries or that replies add or drop freely.
const NOISE: &[&str] = &["nhs", "ccg", "ccgs", "clinical", "commissioning", "group", "the", "of", "cg"];

/// Lower-case, `&` as `and`, punctuation as space, without the words every name shares.
pub fn normalise_name(s: &str) -> String {
    let lowered = s.to_lowercase().replace('&', " and ").replace(['\'', '’'], "");
    let cleaned: String = lowered.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    cleaned.split_whitespace().filter(|w| !NOISE.contains(w)).collect::<Vec<_>>().join(" ")
}

fn initials(norm: &str) -> String {
    norm.split_whitespace().filter(|w| *w != "and").filter_map(|w| w.chars().next()).collect()
}

impl Register {
    pub fn load(path: &Path, as_of: &str) -> Result<Register, RegisterError> {
        let mut reader = csv::Reader::from_path(path).map_err(|source| RegisterError::Read { path: path.to_owned(), source })?;
        let mut all = Vec::new();
        for row in reader.deserialize::<Body>() {
            let body = row.map_err(|e| RegisterError::Row {
                path: path.to_owned(),
                line: e.position().map(|p| p.line()).unwrap_or(0),
                message: e.to_string(),
            })?;
            all.push(body);
        }
        Ok(Self::from_bodies(all.into_iter().filter(|b| b.open_on(as_of)).collect()))
    }

    pub fn from_bodies(mut bodies: Vec<Body>) -> Register {
        bodies.sort_by(|a, b| a.code.cmp(&b.code));
        let mut by_norm = HashMap::new();
        let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, b) in bodies.iter().enumerate() {
            let norm = normalise_name(&b.name);
            by_initials.entry(initials(&norm)).or_default().push(i);
            by_norm.insert(norm, i);
        }
        Register { bodies, by_norm, by_initials }
    }

    pub fn get(&self, code: &str) -> Option<&Body> {
        self.bodies.iter().find(|b| b.code == code)
    }

    /// The body whose normalised name is exactly the text's, and no looser match: what a thread's
    /// correspondence must say to link it. Cheap: one hash lookup.
    pub fn match_exact(&self, text: &str) -> Option<&Body> {
        let norm = normalise_name(text);
        if norm.is_empty() || norm.len() > 80 {
            return None;
        }
        self.by_norm.get(&norm).map(|&i| &self.bodies[i])
    }

    /// The body a short piece of text names, only when one body fits clearly.
    pub fn match_name(&self, text: &str) -> Option<NameMatch<'_>> {
        let norm = normalise_name(text);
        if norm.is_empty() || norm.len() > 80 {
            return None;
        }
        if let Some(&i) = self.by_norm.get(&norm) {
            return Some(NameMatch { body: &self.bodies[i], how: "exact".into() });
        }
        if let Some(b) = self.bodies.iter().find(|b| b.code.eq_ignore_ascii_case(text.trim())) {
            return Some(NameMatch { body: b, how: "code".into() });
        }
        if !norm.contains(' ') && (2..=5).contains(&norm.len())
            && let Some([i]) = self.by_initials.get(&norm).map(|v| v.as_slice()) {
                return Some(NameMatch { body: &self.bodies[*i], how: "initials".into() });
            }
        // Small misspellings: the best normalised-Levenshtein score, clearly ahead of the next.
        // The score is at most shorter/longer length (the distance is at least the difference in
        // length), so names whose lengths alone put them below FUZZY_MIN - FUZZY_LEAD (less a
        // margin for rounding) can neither be the best nor decide the lead: they are not scored.
        // Where one of them would have been the runner-up, the best leads it by more than
        // FUZZY_LEAD anyway, hence a missing runner-up counts as 0.
        const FUZZY_MIN: f64 = 0.82;
        const FUZZY_LEAD: f64 = 0.08;
        if self.by_norm.len() < 2 {
            return None;
        }
        let len = norm.chars().count();
        let mut scored: Vec<(f64, usize)> = self
            .by_norm
            .iter()
            .filter(|(n, _)| {
                let other = n.chars().count();
                len.min(other) as f64 / len.max(other) as f64 >= FUZZY_MIN - FUZZY_LEAD - 0.01
            })
            .map(|(n, &i)| (strsim::normalized_damerau_levenshtein(n, &norm), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let next = scored.get(1).map_or(0.0, |s| s.0);
        match scored.first() {
            Some(&(best, i)) if best >= FUZZY_MIN && best - next >= FUZZY_LEAD => {
                Some(NameMatch { body: &self.bodies[i], how: format!("fuzzy {best:.2}") })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Register {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv");
        Register::load(&path, "2016-06-01").unwrap()
    }

    #[test]
    fn as_of_selects_the_bodies_open_that_day() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv");
        assert_eq!(Register::load(&path, "2016-06-01").unwrap().bodies.len(), 209);
        assert_eq!(Register::load(&path, "2021-04-01").unwrap().bodies.len(), 106);
    }

    #[test]
    fn loose_names_link_to_one_body() {
        let r = register();
        let code = |t: &str| r.match_name(t).map(|m| m.body.code.clone());
        assert_eq!(code("NHS Blackpool CCG").as_deref(), Some("00R"));
        assert_eq!(code("blackpool clinical commissioning group").as_deref(), Some("00R"));
        assert_eq!(code("NHS Fylde & Wyre CCG").as_deref(), Some("02M"));
        assert_eq!(code("HARTLEPOOL AND STOCKTON-ON-TEES CCG").as_deref(), Some("00K"));
        assert_eq!(code("nhs greaer preston ccg").as_deref(), Some("01E"));
        assert_eq!(code("Wandsworth").as_deref(), Some("08X"));
        assert_eq!(code("Question"), None);
        assert_eq!(code("Total mental health"), None);
    }

    #[test]
    fn exact_matches_only_the_normalised_name() {
        let r = register();
        let code = |t: &str| r.match_exact(t).map(|b| b.code.clone());
        assert_eq!(code("blackpool clinical commissioning group").as_deref(), Some("00R"));
        assert_eq!(code("NHS Fylde & Wyre CCG").as_deref(), Some("02M"));
        // A misspelling match_name finds by fuzzy matching is not an exact match.
        assert_eq!(r.match_name("nhs greaer preston ccg").map(|m| m.how.starts_with("fuzzy")), Some(true));
        assert_eq!(code("nhs greaer preston ccg"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn fuzzy_needs_a_runner_up_to_lead() {
        // One body: no runner-up to be clearly ahead of, as before the length filter.
        let one = Register::from_bodies(vec![Body {
            code: "00R".into(),
            name: "NHS Blackpool CCG".into(),
            opened: "2013-04-01".into(),
            closed: String::new(),
            successor: String::new(),
            registered_patients: None,
            population_0_17: None,
        }]);
        assert!(one.match_name("blackpol").is_none());
        assert_eq!(register().match_name("blackpol").map(|m| m.body.code.clone()).as_deref(), Some("00R"));
    }
}
