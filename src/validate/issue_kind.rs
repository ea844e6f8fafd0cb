//! What kind of thing a person should look at: one enum so every stage that raises an issue
//! and every writer that prints one spell the kind the same way, checked by the compiler.

use std::cmp::Ordering;
use std::fmt;

/// The kind of an [`Issue`](super::Issue). Its name (`Display`, serde) is the text written to
/// issues.csv and review.csv; issues sort by that name, as they did when it was a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueKind {
    /// A thread the register could not place.
    UnlinkedThread,
    /// Answers found in a file whose body could not be told.
    UnlinkedAnswers,
    /// A file that could not be read.
    FileFailed,
    /// Sources disagree on one cell.
    Conflict,
    /// A value read with too little confidence to report.
    LowConfidence,
    /// A reply that says something about a cell but not clearly what.
    Unclear,
    /// A cell a replying body left unanswered.
    Missing,
    /// A body code in the answers that the register does not know.
    UnknownBody,
    /// A review decision whose source file changed since it was made.
    StaleReview,
    /// A review decision that cannot be applied.
    BadReview,
    /// A declared (or built-in) check failed.
    Check(CheckKind),
}

/// The checks whose failure is an issue: the schema's `[[checks]]` kinds, plus the sum of a
/// total's lines, which validate always runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    TotalIsSum,
    Range,
    PerHeadRange,
    BelowPopulation,
    NotGreater,
    YearOnYearFactor,
}

impl CheckKind {
    /// The name used in a schema's `[[checks]] kind = "..."`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::TotalIsSum => "total_is_sum",
            CheckKind::Range => "range",
            CheckKind::PerHeadRange => "per_head_range",
            CheckKind::BelowPopulation => "below_population",
            CheckKind::NotGreater => "not_greater",
            CheckKind::YearOnYearFactor => "year_on_year_factor",
        }
    }

    /// The check a schema names, if validate knows it.
    pub fn from_name(name: &str) -> Option<CheckKind> {
        [
            CheckKind::TotalIsSum,
            CheckKind::Range,
            CheckKind::PerHeadRange,
            CheckKind::BelowPopulation,
            CheckKind::NotGreater,
            CheckKind::YearOnYearFactor,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

impl IssueKind {
    /// The name written to issues.csv and review.csv.
    pub fn name(self) -> String {
        match self {
            IssueKind::Check(c) => format!("check_{}", c.as_str()),
            other => other.plain_name().to_owned(),
        }
    }

    /// The name without the `check_` prefix a failed check carries.
    pub fn short_name(self) -> &'static str {
        match self {
            IssueKind::Check(c) => c.as_str(),
            other => other.plain_name(),
        }
    }

    fn plain_name(self) -> &'static str {
        match self {
            IssueKind::UnlinkedThread => "unlinked_thread",
            IssueKind::UnlinkedAnswers => "unlinked_answers",
            IssueKind::FileFailed => "file_failed",
            IssueKind::Conflict => "conflict",
            IssueKind::LowConfidence => "low_confidence",
            IssueKind::Unclear => "unclear",
            IssueKind::Missing => "missing",
            IssueKind::UnknownBody => "unknown_body",
            IssueKind::StaleReview => "stale_review",
            IssueKind::BadReview => "bad_review",
            IssueKind::Check(_) => "check",
        }
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueKind::Check(c) => write!(f, "check_{}", c.as_str()),
            other => f.write_str(other.plain_name()),
        }
    }
}

impl PartialOrd for IssueKind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By name, so sorted issues come out in the order they did when the kind was text.
impl Ord for IssueKind {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(&other.name())
    }
}

impl serde::Serialize for IssueKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_text_issues_csv_has_always_carried() {
        assert_eq!(IssueKind::UnlinkedThread.to_string(), "unlinked_thread");
        assert_eq!(
            IssueKind::Check(CheckKind::TotalIsSum).to_string(),
            "check_total_is_sum"
        );
        assert_eq!(
            IssueKind::Check(CheckKind::YearOnYearFactor).short_name(),
            "year_on_year_factor"
        );
        assert_eq!(
            CheckKind::from_name("not_greater"),
            Some(CheckKind::NotGreater)
        );
        assert_eq!(CheckKind::from_name("nonsense"), None);
    }

    #[test]
    fn kinds_sort_by_name_as_the_strings_did() {
        let mut kinds = [
            IssueKind::UnknownBody,
            IssueKind::Check(CheckKind::Range),
            IssueKind::BadReview,
            IssueKind::Missing,
            IssueKind::Check(CheckKind::BelowPopulation),
        ];
        kinds.sort();
        let names: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
