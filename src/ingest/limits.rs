//! Limits on what one file may cost: safe defaults, set per round in `round.toml` (`[limits]`)
//! or on the command line (`--limit key=value`). They keep hostile files (zip bombs, sheets that
//! claim billions of cells, enormous files) from exhausting the machine.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file read, in bytes (default 200 MiB).
    pub max_file_bytes: u64,
    /// Rows and columns of a sheet beyond which cells are not read.
    pub max_rows: usize,
    pub max_cols: usize,
    /// Zips (and e-mails) nested inside each other, at most.
    pub zip_max_depth: usize,
    pub zip_max_members: usize,
    /// Inflated size of one member, and of all members of one archive, in bytes.
    pub zip_max_member_bytes: u64,
    pub zip_max_total_bytes: u64,
    /// Inflated size over compressed size, at most (a zip bomb's mark).
    pub zip_max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The safe defaults (README: Limits). A run's limits travel with what each reader is
    /// handed ([`super::reader::Input`]), never through a process-wide setting.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 200 * 1024 * 1024,
        max_rows: 100_000,
        max_cols: 1_000,
        zip_max_depth: 3,
        zip_max_members: 1_000,
        zip_max_member_bytes: 100 * 1024 * 1024,
        zip_max_total_bytes: 500 * 1024 * 1024,
        zip_max_ratio: 200,
    };

    /// Apply `key=value` overrides from the command line.
    pub fn with_overrides(mut self, overrides: &[String]) -> Result<Limits, String> {
        for o in overrides {
            let (k, v) = o
                .split_once('=')
                .ok_or_else(|| format!("--limit {o}: expected key=value"))?;
            let n: u64 = v
                .trim()
                .parse()
                .map_err(|_| format!("--limit {o}: `{v}` is not a whole number"))?;
            match k.trim() {
                "max_file_bytes" => self.max_file_bytes = n,
                "max_rows" => self.max_rows = n as usize,
                "max_cols" => self.max_cols = n as usize,
                "zip_max_depth" => self.zip_max_depth = n as usize,
                "zip_max_members" => self.zip_max_members = n as usize,
                "zip_max_member_bytes" => self.zip_max_member_bytes = n,
                "zip_max_total_bytes" => self.zip_max_total_bytes = n,
                "zip_max_ratio" => self.zip_max_ratio = n,
                other => return Err(format!("--limit {o}: unknown limit `{other}`")),
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_by_name() {
        let l = Limits::default()
            .with_overrides(&["zip_max_depth=1".into(), "max_rows=10".into()])
            .unwrap();
        assert_eq!((l.zip_max_depth, l.max_rows), (1, 10));
        assert!(
            Limits::default()
                .with_overrides(&["nope=1".into()])
                .is_err()
        );
    }
}
