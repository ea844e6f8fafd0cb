//! Link: decide which body each reply thread speaks for, from the thread's own words (who the
//! request went to, who signed), the names inside its files and, last, the folder's name. A
//! thread that cannot be linked with confidence is flagged for a person, never guessed.

use crate::ingest::{Cell, Document, Format};
use crate::register::Register;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The body a thread is linked to and the evidence.
#[derive(Debug, Clone)]
pub struct Link {
    pub code: Option<String>,
    /// How: `correspondence`, `file names`, `folder name (fuzzy 0.91)`; or why not.
    pub how: String,
}

static ADDRESSEE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:foi\s+requests\s+at\s+)?([^<]+?)\s*(?:<.*)?$").unwrap());
static DEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s*dear\s+(.+?),?\s*$").unwrap());

/// Names the thread's correspondence gives for the body: the request's addressee and greeting.
fn correspondence_names(doc: &Document) -> Vec<String> {
    let mut names = Vec::new();
    for block in &doc.texts {
        let from_requester = block
            .header("from")
            .is_some_and(|f| f.to_lowercase().contains("whatdotheyknow"));
        if from_requester {
            if let Some(to) = block.header("to")
                && let Some(c) = ADDRESSEE.captures(to)
            {
                names.push(c[1].trim().to_owned());
            }
            if let Some(c) = block.lines.iter().find_map(|l| DEAR.captures(&l.text)) {
                names.push(c[1].trim().to_owned());
            }
        } else if !block.headers.is_empty() {
            // The body's own signature: the last short lines of its messages.
            let tail: Vec<&str> = block
                .lines
                .iter()
                .rev()
                .map(|l| l.text.trim())
                .filter(|t| !t.is_empty())
                .take(4)
                .collect();
            names.extend(tail.into_iter().filter(|t| t.len() < 80).map(str::to_owned));
        }
    }
    names
}

/// Short texts inside a file that may be a body's name (a cover sheet's first cell, a letterhead).
fn names_in_file(doc: &Document) -> Vec<String> {
    let mut names = Vec::new();
    for sheet in &doc.sheets {
        for row in sheet.rows.iter().take(6) {
            for cell in row {
                if let Cell::Text(t) = cell
                    && t.len() < 80
                {
                    names.push(t.trim().to_owned());
                }
            }
        }
    }
    for block in doc.texts.iter().take(1) {
        names.extend(
            block
                .lines
                .iter()
                .take(5)
                .map(|l| l.text.trim().to_owned())
                .filter(|t| !t.is_empty() && t.len() < 80),
        );
    }
    names
}

/// A thread folder's name as words: `nhs_fylde_and_wyre_ccg_2` -> `nhs fylde and wyre ccg`.
pub fn slug_words(slug: &str) -> String {
    let words: Vec<&str> = slug
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let trimmed: Vec<&str> = match words.split_last() {
        Some((last, rest)) if last.chars().all(|c| c.is_ascii_digit()) => rest.to_vec(),
        _ => words,
    };
    trimmed.join(" ")
}

/// Link every thread folder to a body.
pub fn link_threads(docs: &[Document], register: &Register) -> BTreeMap<String, Link> {
    let mut by_thread: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in docs {
        if let Some(t) = &d.thread {
            by_thread.entry(t.clone()).or_default().push(d);
        }
    }
    let mut out = BTreeMap::new();
    for (thread, docs) in by_thread {
        out.insert(thread.clone(), link_thread(&thread, &docs, register));
    }
    out
}

fn exact_codes(names: &[String], register: &Register) -> Vec<String> {
    let mut codes: Vec<String> = names
        .iter()
        .filter_map(|n| register.match_exact(n).map(|b| b.code.clone()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn link_thread(thread: &str, docs: &[&Document], register: &Register) -> Link {
    let corr: Vec<String> = docs
        .iter()
        .filter(|d| d.format == Format::Correspondence)
        .flat_map(|d| correspondence_names(d))
        .collect();
    let by_corr = exact_codes(&corr, register);
    if let [code] = by_corr.as_slice() {
        return Link {
            code: Some(code.clone()),
            how: "correspondence".into(),
        };
    }
    if by_corr.len() > 1 {
        return Link {
            code: None,
            how: format!(
                "correspondence names several bodies: {}",
                by_corr.join(", ")
            ),
        };
    }
    let in_files: Vec<String> = docs
        .iter()
        .filter(|d| d.format != Format::Correspondence)
        .flat_map(|d| names_in_file(d))
        .collect();
    let by_files = exact_codes(&in_files, register);
    // An ICB's reply: its files name its places, each answer credited to the one it names.
    if let Some(link) = icb_link(&corr, register) {
        return link;
    }
    let by_slug = register.match_name(&slug_words(thread));
    match (by_files.as_slice(), by_slug) {
        ([code], Some(m)) if &m.body.code != code => Link {
            code: None,
            how: format!("file names {code} but folder name suggests {}", m.body.code),
        },
        ([code], _) => Link {
            code: Some(code.clone()),
            how: "names in the reply's files".into(),
        },
        ([], Some(m)) => Link {
            code: Some(m.body.code.clone()),
            how: format!("folder name ({})", m.how),
        },
        ([], None) => Link {
            code: None,
            how: "no body named in the thread, its files or its folder name".into(),
        },
        (many, _) => Link {
            code: None,
            how: format!("files name several bodies: {}", many.join(", ")),
        },
    }
}

/// A thread from an ICB (its correspondence names the ICB and no body): with one surveyed place,
/// the reply is that place's; with several, each answer is credited to the place its row or
/// column names (as a support unit's joint reply is), and the thread itself to none.
fn icb_link(corr: &[String], register: &Register) -> Option<Link> {
    let mut icbs: Vec<&crate::register::Icb> =
        corr.iter().filter_map(|n| register.match_icb(n)).collect();
    icbs.sort_by(|a, b| a.code.cmp(&b.code));
    icbs.dedup_by(|a, b| a.code == b.code);
    let [icb] = icbs.as_slice() else { return None };
    let places = register.places_of(&icb.code);
    Some(match places.as_slice() {
        [one] => Link {
            code: Some(one.code.clone()),
            how: format!(
                "correspondence from {} ({}), its one place",
                icb.name, icb.code
            ),
        },
        _ => Link {
            code: None,
            how: format!(
                "a joint reply from {} ({}) for its places {}: each answer is credited to the place its row or column names",
                icb.name,
                icb.code,
                places
                    .iter()
                    .map(|b| b.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_lose_their_numbering() {
        assert_eq!(
            slug_words("nhs_fylde_and_wyre_ccg_2"),
            "nhs fylde and wyre ccg"
        );
        assert_eq!(slug_words("hull_ccg"), "hull ccg");
    }
}
