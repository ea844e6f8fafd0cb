//! The record of the tidy data, made by validate and read by analyse and report: a body's value
//! for one field and period, reconciled from every place a reply gave it, with those places.
//! (What extract finds is an `extract::Found`, still as written; standardise reads it into a
//! `standardise::Reading`; validate reconciles the readings of one cell into an `Observation`.)

use serde::Serialize;
use std::fmt;

/// The value statuses (README: Statuses), in the spelling `responses.csv` uses: spelt once, in
/// [`Status::as_str`], which every writer (CSV, JSON, xlsx, Parquet, datapackage.json) uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Answered,
    NotHeld,
    Refused,
    Exempt,
    NotApplicable,
    NoResponse,
    Unclear,
}

impl Status {
    /// Every status, in the order the README lists them.
    pub const ALL: [Status; 7] = [
        Status::Answered,
        Status::NotHeld,
        Status::Refused,
        Status::Exempt,
        Status::NotApplicable,
        Status::NoResponse,
        Status::Unclear,
    ];

    /// The status a spelling names (as `responses.csv` and `reviews.csv` write it; case and
    /// surrounding spaces aside).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().to_lowercase();
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Their spellings, in the same order (the `enum` of `datapackage.json`).
    pub const NAMES: &'static [&'static str] = &{
        let mut names = [""; 7];
        let mut i = 0;
        while i < Status::ALL.len() {
            names[i] = Status::ALL[i].as_str();
            i += 1;
        }
        names
    };

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::NotHeld => "not_held",
            Status::Refused => "refused",
            Status::Exempt => "exempt",
            Status::NotApplicable => "not_applicable",
            Status::NoResponse => "no_response",
            Status::Unclear => "unclear",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A standardised value: a number (money in pounds, counts) or a code (yes/no, category).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Code(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Money keeps its pence; whole numbers print without a trailing ".0".
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            Value::Number(n) => write!(f, "{}", (n * 100.0).round() / 100.0),
            Value::Code(c) => f.write_str(c),
        }
    }
}

/// Where a value was read: the file (relative to the round folder), the place in it, and the
/// text as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Provenance {
    pub source: String,
    pub location: String,
    pub raw: String,
}

/// One cell of `responses.csv`: the value reconciled from every reading of one body, field and
/// period (or the status that stands for it), with each place it was read.
#[derive(Debug, Clone)]
pub struct Observation {
    pub body: String,
    pub field: String,
    pub period: String,
    pub status: Status,
    pub value: Option<Value>,
    /// Every place this value was read; more than one when a letter and a sheet agree.
    pub provenance: Vec<Provenance>,
    /// The extraction rule that produced it (e.g. `table:row-label`, `prose:sentence`).
    pub rule: String,
    /// 0..1: how sure the rule is that this cell answers this question.
    pub confidence: f64,
    /// Why a person should look at it (for unclear values and failed checks).
    pub note: String,
}
