//! Everything a round reads before its replies, loaded once up front into one value: the round
//! itself, its limits, its schema (periods restricted to the round's), its register, the
//! questionnaire's numbering, the review decisions and the published claims to check. A broken input stops the run here
//! (exit 2), before any reply is read.

use super::{RunError, RunOptions, find, schema_dirs};
use crate::analyse::claims::{self, Claim};
use crate::extract::prose::{self, Numbering};
use crate::ingest::limits::Limits;
use crate::register::Register;
use crate::review::Decision;
use crate::round::Round;
use crate::schema::Schema;
use std::path::{Path, PathBuf};

/// One round's inputs, loaded.
pub(super) struct RoundInputs {
    pub round: Round,
    pub limits: Limits,
    pub schema: Schema,
    pub register: Register,
    /// The questionnaire's numbering (question 2 = which field), for replies that answer by
    /// number; empty without a request.txt.
    pub numbering: Numbering,
    /// reviews.csv: a person's decisions, applied after validation.
    pub decisions: Vec<Decision>,
    /// claims.toml: published statements the analysis must reproduce; empty without one.
    pub claims: Vec<Claim>,
    /// Where the outputs go.
    pub out: PathBuf,
}

/// A round, its schema (periods restricted to the round's) and its register, found in the one
/// search order (`--schemas DIR`, the round's `schemas/`, the project's `schemas/`).
pub fn load_survey(
    round_dir: &Path,
    schemas: Option<&Path>,
) -> Result<(Round, Schema, Register), RunError> {
    let round = Round::load(round_dir)?;
    let dirs = schema_dirs(round_dir, schemas);
    let schema_file = format!("{}.toml", round.schema);
    let mut schema = Schema::load(&find(&dirs, &schema_file, &round, "schema")?)?;
    schema.restrict_periods(&round.periods);
    let register_file = format!("bodies/{}.csv", round.bodies);
    let register = Register::load(
        &find(&dirs, &register_file, &round, "bodies")?,
        &round.as_of,
    )?;
    Ok((round, schema, register))
}

impl RoundInputs {
    pub(super) fn load(round_dir: &Path, opts: &RunOptions) -> Result<RoundInputs, RunError> {
        let (round, schema, register) = load_survey(round_dir, opts.schemas.as_deref())?;
        let limits = round
            .limits
            .with_overrides(&opts.limits)
            .map_err(|message| RunError::Limits { message })?;
        let numbering = std::fs::read_to_string(round_dir.join("request.txt"))
            .map(|t| prose::numbering(&t, &schema))
            .unwrap_or_default();
        let decisions = crate::review::load(round_dir)?;
        let claims = claims::load(round_dir)?;
        let out = opts
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("reports").join(&round.name));
        Ok(RoundInputs {
            round,
            limits,
            schema,
            register,
            numbering,
            decisions,
            claims,
            out,
        })
    }
}
