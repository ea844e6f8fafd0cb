//! One round of a series as `foi compare` sees it: its `round.toml`, schema and register, and
//! the observations its `foi run` output folder holds (`responses.csv`), read back typed and
//! analysed by the round's own analysis code.

use super::CompareError;
use crate::analyse::{self, Analysis};
use crate::observation::{Observation, Provenance, Status, Value};
use crate::pipeline::{self, RunOptions};
use crate::register::Register;
use crate::round::Round;
use crate::schema::{FieldType, Schema};
use crate::validate::{self, Reply};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A round of the series, read from its output folder.
#[derive(Debug)]
pub struct SeriesRound {
    pub round: Round,
    pub schema: Schema,
    pub register: Register,
    /// The output folder read (`responses.csv`).
    pub out: PathBuf,
    /// True when compare ran the round itself (no output folder was there).
    pub ran: bool,
    pub observations: Vec<Observation>,
    pub replies: BTreeMap<String, Reply>,
    pub analysis: Analysis,
    /// (body, field, period) -> index into `observations`.
    index: HashMap<(String, String, String), usize>,
}

impl SeriesRound {
    pub fn name(&self) -> &str {
        &self.round.name
    }

    /// The observation for one body, field and period.
    pub fn get(&self, body: &str, field: &str, period: &str) -> Option<&Observation> {
        self.index
            .get(&(body.to_owned(), field.to_owned(), period.to_owned()))
            .map(|&i| &self.observations[i])
    }
}

/// A CSV cell as the pipeline had it: the `'` that neutralises a formula-like text taken off.
fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Load a round and its outputs: `out` (default `reports/<round name>/`) must hold the
/// `responses.csv` of a `foi run`; when it does not, the round is run first, into that folder.
pub fn load(
    round_dir: &Path,
    out: Option<&Path>,
    schemas: Option<&Path>,
) -> Result<SeriesRound, CompareError> {
    let (round, schema, register) = pipeline::load_survey(round_dir, schemas)?;
    let out = out
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("reports").join(&round.name));
    let responses = out.join("responses.csv");
    let mut ran = false;
    if !responses.is_file() {
        let opts = RunOptions {
            write: true,
            out: Some(out.clone()),
            schemas: schemas.map(Path::to_owned),
            progress: false,
            limits: Vec::new(),
            cache: true,
        };
        pipeline::run(round_dir, &opts).map_err(|e| CompareError::Run {
            round: round_dir.to_owned(),
            message: e.to_string(),
        })?;
        ran = true;
    }
    let observations = read_responses(&responses, &schema)?;
    let replies = validate::reply_of(&observations);
    let claims = analyse::claims::load(round_dir).map_err(analyse::AnalyseError::from)?;
    let analysis = analyse::analyse(&observations, &replies, &schema, &round, &register, &claims)?;
    let index = observations
        .iter()
        .enumerate()
        .map(|(i, o)| ((o.body.clone(), o.field.clone(), o.period.clone()), i))
        .collect();
    Ok(SeriesRound {
        round,
        schema,
        register,
        out,
        ran,
        observations,
        replies,
        analysis,
        index,
    })
}

/// `responses.csv` back into observations: numbers for money and count fields, codes otherwise.
pub fn read_responses(path: &Path, schema: &Schema) -> Result<Vec<Observation>, CompareError> {
    let bad = |line: u64, message: String| CompareError::Responses {
        path: path.to_owned(),
        line,
        message,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(0, e.to_string()))?;
    let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let need = |name: &str| col(name).ok_or_else(|| bad(1, format!("no column `{name}`")));
    let (c_body, c_field, c_period, c_status, c_value) = (
        need("body_code")?,
        need("field")?,
        need("period")?,
        need("status")?,
        need("value")?,
    );
    let (c_source, c_location, c_raw, c_rule, c_conf, c_note) = (
        col("source"),
        col("location"),
        col("raw"),
        col("rule"),
        col("confidence"),
        col("note"),
    );
    let mut out = Vec::new();
    for row in reader.records() {
        let row =
            row.map_err(|e| bad(e.position().map(|p| p.line()).unwrap_or(0), e.to_string()))?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(unneutralise)
                .unwrap_or("")
                .to_owned()
        };
        let status_text = get(Some(c_status));
        let status = Status::parse(&status_text).ok_or_else(|| {
            bad(
                line,
                format!("status `{status_text}` is not one of the statuses responses.csv writes"),
            )
        })?;
        let field = get(Some(c_field));
        let value_text = get(Some(c_value));
        let numeric = schema
            .field(&field)
            .is_some_and(|f| matches!(f.kind, FieldType::Money | FieldType::Count));
        let value = if value_text.is_empty() {
            None
        } else if numeric {
            match value_text.parse::<f64>() {
                Ok(n) => Some(Value::Number(n)),
                Err(_) => Some(Value::Code(value_text.clone())),
            }
        } else {
            Some(Value::Code(value_text.clone()))
        };
        out.push(Observation {
            body: get(Some(c_body)),
            field,
            period: get(Some(c_period)),
            status,
            value,
            provenance: vec![Provenance {
                source: get(c_source),
                location: get(c_location),
                raw: get(c_raw),
            }],
            rule: get(c_rule),
            confidence: get(c_conf).parse().unwrap_or(0.0),
            note: get(c_note),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_neutralised_cell_is_read_as_written() {
        assert_eq!(unneutralise("'-1,234"), "-1,234");
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'quoted"), "'quoted");
        assert_eq!(Status::parse("not_applicable"), Some(Status::NotApplicable));
        assert_eq!(Status::parse("maybe"), None);
    }
}
