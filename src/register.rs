//! The body register as data: which bodies existed on the round's date, and how to recognise a
//! body from the loose ways replies and folder names write its name. The register knows time:
//! every row a code ever had (a CCG, then the Sub-ICB Location that kept its code), the ICB each
//! place joined, and who succeeded whom, so a reply signed with an earlier or later name still
//! links and rounds years apart can follow one body through its mergers.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{path}: cannot read register: {source}")]
    Read { path: PathBuf, source: csv::Error },
    #[error("{path}: line {line}: {message}")]
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
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

/// An Integrated Care Board (`icb.csv`): not surveyed itself, it answers for its places.
#[derive(Debug, Clone, Deserialize)]
pub struct Icb {
    pub code: String,
    pub name: String,
    pub opened: String,
    #[serde(default)]
    pub closed: String,
    #[serde(default)]
    pub region: String,
}

/// A Sub-ICB Location (`sub_icb_locations.csv`): a 2021/22 CCG kept under its code inside an ICB.
#[derive(Debug, Clone, Deserialize)]
struct SubIcbLocation {
    code: String,
    name: String,
    opened: String,
    icb_code: String,
}

/// How a body came to carry a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    /// Its name in the register on the round's date.
    Registered,
    /// A name the same code carried at another time (a CCG's Sub-ICB Location name, or the CCG
    /// name of a Sub-ICB Location).
    SameCode,
    /// "NHS Cheshire and Merseyside ICB - 27D": the ICB's name and the place's code.
    IcbPlace,
    /// The name of a body that closed before the round and whose successors lead to this one.
    Predecessor,
}

/// One name a body carried and from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyName {
    pub name: String,
    pub kind: NameKind,
    /// The code that carried the name (the predecessor's, for `Predecessor`).
    pub code: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug)]
pub struct Register {
    /// Bodies open on the round's date, in code order: the surveyed population.
    pub bodies: Vec<Body>,
    /// Every row of the register over time, by code then opening date (a code may have several:
    /// the CCG, then its Sub-ICB Location).
    pub history: Vec<Body>,
    /// The ICBs (`icb.csv` beside the register), by code.
    pub icbs: BTreeMap<String, Icb>,
    /// Sub-ICB Location code -> its ICB's code.
    pub icb_of: BTreeMap<String, String>,
    /// Every name each surveyed body is known by, registered name first.
    pub names: BTreeMap<String, Vec<BodyName>>,
    by_norm: HashMap<String, usize>,
    by_initials: HashMap<String, Vec<usize>>,
}

/// Words that every body's name carries or that replies add or drop freely.
const NOISE: &[&str] = &[
    "nhs",
    "ccg",
    "ccgs",
    "clinical",
    "commissioning",
    "group",
    "the",
    "of",
    "cg",
];

/// Lower-case, `&` as `and`, punctuation as space, without the words every name shares.
pub fn normalise_name(s: &str) -> String {
    let lowered = s
        .to_lowercase()
        .replace('&', " and ")
        .replace(['\'', '’'], "");
    let cleaned: String = lowered
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned
        .split_whitespace()
        .filter(|w| !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn initials(norm: &str) -> String {
    norm.split_whitespace()
        .filter(|w| *w != "and")
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The rows of one register CSV.
fn read_rows<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, RegisterError> {
    let mut reader = csv::Reader::from_path(path).map_err(|source| RegisterError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut rows = Vec::new();
    for row in reader.deserialize::<T>() {
        rows.push(row.map_err(|e| RegisterError::Row {
            path: path.to_owned(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?);
    }
    Ok(rows)
}

/// The file beside the register, when it is there.
fn companion(path: &Path, name: &str) -> Option<std::path::PathBuf> {
    let p = path.parent()?.join(name);
    (p.is_file() && p != path).then_some(p)
}

impl Register {
    /// The register at `path` on the date `as_of`. Beside it, `sub_icb_locations.csv` (the CCGs
    /// kept as Sub-ICB Locations from 2022-07-01, under their codes) and `icb.csv` (the ICBs)
    /// are read when present: each place is a row of the register from the day it opened, and
    /// its ICB's name with its code is one more name for it.
    pub fn load(path: &Path, as_of: &str) -> Result<Register, RegisterError> {
        let mut all: Vec<Body> = read_rows(path)?;
        let mut icbs = BTreeMap::new();
        if let Some(p) = companion(path, "icb.csv") {
            for icb in read_rows::<Icb>(&p)? {
                icbs.insert(icb.code.clone(), icb);
            }
        }
        let mut icb_of = BTreeMap::new();
        if let Some(p) = companion(path, "sub_icb_locations.csv") {
            for place in read_rows::<SubIcbLocation>(&p)? {
                // A place is the same body as the CCG of its code: one more row of its history.
                let previous = all
                    .iter()
                    .filter(|b| b.code == place.code)
                    .max_by(|a, b| a.opened.cmp(&b.opened));
                let (patients, children) = previous
                    .map(|b| (b.registered_patients, b.population_0_17))
                    .unwrap_or((None, None));
                icb_of.insert(place.code.clone(), place.icb_code.clone());
                all.push(Body {
                    code: place.code,
                    name: place.name,
                    opened: place.opened,
                    closed: String::new(),
                    successor: String::new(),
                    registered_patients: patients,
                    population_0_17: children,
                });
            }
        }
        Ok(Self::from_history(all, as_of, icbs, icb_of))
    }

    /// A register of these bodies only, all surveyed, each known by its one name.
    pub fn from_bodies(bodies: Vec<Body>) -> Register {
        Self::from_history(bodies, "", BTreeMap::new(), BTreeMap::new())
    }

    /// The bodies open on `as_of` (every row when it is empty), each known by every name its
    /// code carried, its ICB's name with its code, and its predecessors' names.
    fn from_history(
        mut history: Vec<Body>,
        as_of: &str,
        icbs: BTreeMap<String, Icb>,
        icb_of: BTreeMap<String, String>,
    ) -> Register {
        history.sort_by(|a, b| a.code.cmp(&b.code).then(a.opened.cmp(&b.opened)));
        let mut bodies: Vec<Body> = history
            .iter()
            .filter(|b| as_of.is_empty() || b.open_on(as_of))
            .cloned()
            .collect();
        bodies.sort_by(|a, b| a.code.cmp(&b.code));
        bodies.dedup_by(|a, b| a.code == b.code);
        let mut r = Register {
            bodies,
            history,
            icbs,
            icb_of,
            names: BTreeMap::new(),
            by_norm: HashMap::new(),
            by_initials: HashMap::new(),
        };
        let mut names: BTreeMap<String, Vec<BodyName>> = BTreeMap::new();
        for b in &r.bodies {
            let mut list = vec![BodyName {
                name: b.name.clone(),
                kind: NameKind::Registered,
                code: b.code.clone(),
                from: b.opened.clone(),
                to: b.closed.clone(),
            }];
            for h in r
                .history
                .iter()
                .filter(|h| h.code == b.code && h.name != b.name)
            {
                list.push(BodyName {
                    name: h.name.clone(),
                    kind: NameKind::SameCode,
                    code: h.code.clone(),
                    from: h.opened.clone(),
                    to: h.closed.clone(),
                });
            }
            if let Some(icb) = r.icb_of.get(&b.code).and_then(|c| r.icbs.get(c)) {
                list.push(BodyName {
                    name: format!("{} - {}", icb.name, b.code),
                    kind: NameKind::IcbPlace,
                    code: b.code.clone(),
                    from: icb.opened.clone(),
                    to: icb.closed.clone(),
                });
            }
            names.insert(b.code.clone(), list);
        }
        if !as_of.is_empty() {
            for h in r
                .history
                .iter()
                .filter(|h| !h.closed.is_empty() && h.closed.as_str() < as_of)
            {
                if let Some(code) = r.body_on(&h.code, as_of)
                    && code != h.code
                    && let Some(list) = names.get_mut(&code)
                {
                    list.push(BodyName {
                        name: h.name.clone(),
                        kind: NameKind::Predecessor,
                        code: h.code.clone(),
                        from: h.opened.clone(),
                        to: h.closed.clone(),
                    });
                }
            }
        }
        for (i, b) in r.bodies.iter().enumerate() {
            let norm = normalise_name(&b.name);
            r.by_initials.entry(initials(&norm)).or_default().push(i);
            r.by_norm.insert(norm, i);
        }
        // Other names never take a name a surveyed body carries now, nor one two bodies share.
        let mut other: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, b) in r.bodies.iter().enumerate() {
            for n in names
                .get(&b.code)
                .into_iter()
                .flatten()
                .filter(|n| n.kind != NameKind::Registered)
            {
                let norm = normalise_name(&n.name);
                if !norm.is_empty() && !r.by_norm.contains_key(&norm) {
                    let v = other.entry(norm).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }
        for (norm, v) in other {
            if let [i] = v.as_slice() {
                r.by_norm.insert(norm, *i);
            }
        }
        r.names = names;
        r
    }

    /// The code that stands for body `code` on `date`: itself while a row of that code is open
    /// then, else its successor's, followed through every merger. `None` when the chain ends in a
    /// body this register does not hold, or the body had not opened by then.
    pub fn body_on(&self, code: &str, date: &str) -> Option<String> {
        let mut code = code.to_owned();
        for _ in 0..32 {
            let rows: Vec<&Body> = self.history.iter().filter(|b| b.code == code).collect();
            if rows.is_empty() {
                return None;
            }
            if rows.iter().any(|b| b.open_on(date)) {
                return Some(code);
            }
            // Not open: before it opened there is no body; after it closed, its successor.
            if rows.iter().all(|b| b.opened.as_str() > date) {
                return None;
            }
            let last = rows.iter().max_by(|a, b| a.opened.cmp(&b.opened))?;
            if last.successor.is_empty() {
                return None;
            }
            code = last.successor.clone();
        }
        None
    }

    /// A body's name on a date (any row of the code), else its latest.
    pub fn name_on(&self, code: &str, date: &str) -> Option<&str> {
        let rows: Vec<&Body> = self.history.iter().filter(|b| b.code == code).collect();
        rows.iter()
            .find(|b| b.open_on(date))
            .or(rows.last())
            .map(|b| b.name.as_str())
    }

    /// The ICB whose exact name (normalised) the text is: an ICB answering for its places.
    pub fn match_icb(&self, text: &str) -> Option<&Icb> {
        let norm = normalise_name(text);
        if norm.is_empty() {
            return None;
        }
        self.icbs.values().find(|i| normalise_name(&i.name) == norm)
    }

    /// The surveyed bodies that are places of an ICB.
    pub fn places_of(&self, icb: &str) -> Vec<&Body> {
        self.bodies
            .iter()
            .filter(|b| self.icb_of.get(&b.code).is_some_and(|c| c == icb))
            .collect()
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
            return Some(NameMatch {
                body: &self.bodies[i],
                how: "exact".into(),
            });
        }
        if let Some(b) = self
            .bodies
            .iter()
            .find(|b| b.code.eq_ignore_ascii_case(text.trim()))
        {
            return Some(NameMatch {
                body: b,
                how: "code".into(),
            });
        }
        if !norm.contains(' ')
            && (2..=5).contains(&norm.len())
            && let Some([i]) = self.by_initials.get(&norm).map(|v| v.as_slice())
        {
            return Some(NameMatch {
                body: &self.bodies[*i],
                how: "initials".into(),
            });
        }
        // Small misspellings: the best normalised-Levenshtein score, clearly ahead of the next.
        // The score is at most shorter/longer length (the distance is at least the difference in
        // length), so names whose lengths alone put them below FUZZY_MIN - FUZZY_LEAD (less a
        // margin for rounding) can neither be the best nor decide the lead: they are not scored.
        // Where one of them would have been the runner-up, the best leads it by more than
        // FUZZY_LEAD anyway, hence a missing runner-up counts as 0.
        const FUZZY_MIN: f64 = 0.82;
        const FUZZY_LEAD: f64 = 0.08;
        if self.bodies.len() < 2 {
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
        // A body known by several names is one candidate: the runner-up is another body.
        let mut seen = std::collections::HashSet::new();
        scored.retain(|s| seen.insert(s.1));
        let next = scored.get(1).map_or(0.0, |s| s.0);
        match scored.first() {
            Some(&(best, i)) if best >= FUZZY_MIN && best - next >= FUZZY_LEAD => Some(NameMatch {
                body: &self.bodies[i],
                how: format!("fuzzy {best:.2}"),
            }),
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
        assert_eq!(
            Register::load(&path, "2016-06-01").unwrap().bodies.len(),
            209
        );
        assert_eq!(
            Register::load(&path, "2021-04-01").unwrap().bodies.len(),
            106
        );
    }

    #[test]
    fn loose_names_link_to_one_body() {
        let r = register();
        let code = |t: &str| r.match_name(t).map(|m| m.body.code.clone());
        assert_eq!(code("NHS Blackpool CCG").as_deref(), Some("00R"));
        assert_eq!(
            code("blackpool clinical commissioning group").as_deref(),
            Some("00R")
        );
        assert_eq!(code("NHS Fylde & Wyre CCG").as_deref(), Some("02M"));
        assert_eq!(
            code("HARTLEPOOL AND STOCKTON-ON-TEES CCG").as_deref(),
            Some("00K")
        );
        assert_eq!(code("nhs greaer preston ccg").as_deref(), Some("01E"));
        assert_eq!(code("Wandsworth").as_deref(), Some("08X"));
        assert_eq!(code("Question"), None);
        assert_eq!(code("Total mental health"), None);
    }

    #[test]
    fn exact_matches_only_the_normalised_name() {
        let r = register();
        let code = |t: &str| r.match_exact(t).map(|b| b.code.clone());
        assert_eq!(
            code("blackpool clinical commissioning group").as_deref(),
            Some("00R")
        );
        assert_eq!(code("NHS Fylde & Wyre CCG").as_deref(), Some("02M"));
        // A misspelling match_name finds by fuzzy matching is not an exact match.
        assert_eq!(
            r.match_name("nhs greaer preston ccg")
                .map(|m| m.how.starts_with("fuzzy")),
            Some(true)
        );
        assert_eq!(code("nhs greaer preston ccg"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn a_place_keeps_its_code_and_every_name() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv");
        // In 2021 the CCG's own name links, and so do its later names as a Sub-ICB Location.
        let r = Register::load(&path, "2021-06-01").unwrap();
        for name in [
            "NHS Cheshire CCG",
            "NHS Cheshire Sub-ICB Location",
            "NHS Cheshire and Merseyside ICB - 27D",
        ] {
            assert_eq!(
                r.match_exact(name).map(|b| b.code.as_str()),
                Some("27D"),
                "{name}"
            );
        }
        // In 2023 the place is surveyed under its code; its CCG name still links to it.
        let r = Register::load(&path, "2023-06-01").unwrap();
        assert_eq!(r.bodies.len(), 106);
        assert_eq!(
            r.match_exact("NHS Cheshire CCG").map(|b| b.code.as_str()),
            Some("27D")
        );
        assert_eq!(
            r.get("27D").map(|b| b.name.as_str()),
            Some("NHS Cheshire Sub-ICB Location")
        );
        // A predecessor's name (Eastern Cheshire, closed 2020) links to the body that took it over.
        assert_eq!(
            r.match_exact("NHS Eastern Cheshire CCG")
                .map(|b| b.code.as_str()),
            Some("27D")
        );
        assert_eq!(
            r.match_icb("NHS Cheshire and Merseyside ICB")
                .map(|i| i.code.as_str()),
            Some("QYG")
        );
        assert_eq!(r.places_of("QYG").len(), 9);
    }

    #[test]
    fn bodies_are_followed_through_mergers() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv");
        let r = Register::load(&path, "2016-06-01").unwrap();
        // Central Manchester (00W) became NHS Manchester CCG (14L) in April 2017.
        assert_eq!(r.body_on("00W", "2016-06-01").as_deref(), Some("00W"));
        assert_eq!(r.body_on("00W", "2018-06-01").as_deref(), Some("14L"));
        // Eastern Cheshire: Cheshire CCG in 2020, the Sub-ICB Location of the same code in 2023.
        assert_eq!(r.body_on("01C", "2023-06-01").as_deref(), Some("27D"));
        // Before a body opened there is none.
        assert_eq!(r.body_on("27D", "2016-06-01"), None);
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
        assert_eq!(
            register()
                .match_name("blackpol")
                .map(|m| m.body.code.clone())
                .as_deref(),
            Some("00R")
        );
    }
}
