//! Official tables read from the files they are published in (workbooks with several tables per
//! sheet, multi-row headings, suppressed cells; CSV extracts by GP practice) through a declared
//! recipe, into the tidy `body_code,period,value` tables a round joins to answers: with the cell
//! every figure came from and an import report of what a person should look at.

pub mod aggregate;
pub mod import;
pub mod recipe;

pub use import::{Imported, Report, Row, import};
pub use recipe::Recipe;

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {}{message}", if key.is_empty() { String::new() } else { format!("key `{key}`: ") })]
    Recipe {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Source { path: PathBuf, message: String },
    #[error("{recipe}: table not found in {source_file}: {message}")]
    Table {
        recipe: PathBuf,
        source_file: PathBuf,
        message: String,
    },
    #[error("{path}: cannot read register: {message}")]
    Register { path: PathBuf, message: String },
    #[error("{path}: cannot write: {message}")]
    Write { path: PathBuf, message: String },
}

/// A round's `[reference]` entry naming a recipe: import it and keep value by (code, period).
pub fn load_table(path: &Path) -> Result<crate::round::Reference, String> {
    let recipe = Recipe::load(path).map_err(|e| e.to_string())?;
    let imported = import(&recipe, None).map_err(|e| e.to_string())?;
    Ok(imported
        .rows
        .into_iter()
        .map(|r| ((r.body_code, r.period), r.value))
        .collect())
}
