//! Shared support for the end-to-end tests: a round assembled in a temporary folder
//! ([`Round`], a builder), the `foi` binary run on it, and what it wrote read back and asserted
//! ([`Outcome`]). Each test file takes it with `mod support;`.
#![allow(dead_code)] // each test file uses its own part of it

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Bodies open on 2016-06-01 in schemas/bodies/ccg.csv: the surveyed population.
pub const BODIES_2016: usize = 209;
/// Cells per body in the palliative_care survey: nine fields, one period each.
pub const PALLIATIVE_CELLS: usize = 9;
pub const PARQUET: &[&str] = &["responses.parquet"];
pub const OUTPUTS: [&str; 11] = [
    "responses.csv",
    "responses.xlsx",
    "bodies.csv",
    "manifest.csv",
    "issues.csv",
    "summary.json",
    "report.md",
    "report.html",
    "datapackage.json",
    "review.csv",
    "review.xlsx",
];

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = root().join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `cargo run --example make_fixtures`)",
            path.display()
        )
    })
}

/// "nhs_blackpool_ccg" -> "NHS Blackpool CCG".
pub fn name_from_slug(slug: &str) -> String {
    slug.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "nhs" | "ccg" | "csu" => w.to_uppercase(),
            "and" | "of" | "the" => w.to_owned(),
            _ => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The CAMHS questionnaire of 2018 as the request words it (request.txt of a `camhs` round).
pub const CAMHS_REQUEST: &str = "Under the Freedom of Information Act 2000, please provide the following information.\n\n\
1. What was the CCG's total CAMHS budget (all services commissioned by the CCG for under-18s' mental health) in each of (a) 2016/17, (b) 2017/18, (c) 2018/19 (planned)?\n\
2. What was the CCG's total mental health budget in each of (a) 2016/17, (b) 2017/18, (c) 2018/19 (planned)?\n\
3. How much additional Future in Mind / CAMHS transformation funding (including eating disorders) did the CCG receive in each of (a) 2016/17, (b) 2017/18, (c) 2018/19 (planned)?\n\n\
If any part of this request is likely to exceed the cost limit, please answer the parts that can be answered and tell me which parts cannot.\n";

/// A WhatDoTheyKnow thread: the request addressed to `body`, and a reply pointing at attachments.
pub fn correspondence(body: &str, reply: &str) -> Vec<u8> {
    let rule = "-".repeat(67);
    format!(
        "From: Sam Patel <request-1-abc@whatdotheyknow.com>\nTo: FOI requests at {body} <foi@nhs.net>\n\
         Date: Wed, 01 Jun 2016 10:00:00 +0100\nSubject: Freedom of Information request\n\n\
         Dear {body},\n\nPlease tell me about specialist palliative care commissioning.\n\n\
         Yours faithfully,\n\nSam Patel\n\n{rule}\n\n\
         From: Jo Reed <foi@nhs.net>\nTo: Sam Patel <request-1-abc@whatdotheyknow.com>\n\
         Date: Tue, 21 Jun 2016 15:00:00 +0100\nSubject: FOI response\n\n\
         Dear Sam Patel,\n\n{reply}\n\nYours sincerely,\n\nJo Reed\nFOI Officer\n{body}\n"
    )
    .into_bytes()
}

pub struct Thread {
    pub slug: String,
    /// The body the correspondence names; `None`: no correspondence.txt is added.
    pub body: Option<String>,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Something done to an assembled round folder before `foi` runs.
pub type Hook = Box<dyn FnOnce(&Path)>;

/// A round to assemble in a temporary folder and run.
pub struct Round {
    /// The `foi` subcommand: `run` (the default) or `review`.
    pub command: String,
    pub env: Vec<(String, String)>,
    pub schema: String,
    /// The register date of the round.toml built from `schema`.
    pub as_of: String,
    pub round_toml: Option<String>,
    pub threads: Vec<Thread>,
    pub extra: Vec<(String, Vec<u8>)>,
    pub args: Vec<String>,
    pub round_dir: Option<PathBuf>,
    /// A folder copied as the start of the round, its round.toml with it.
    pub copied: Option<PathBuf>,
    /// Run on the assembled round folder before `foi` runs (symbolic links, odd file names).
    pub hooks: Vec<Hook>,
}

impl Round {
    pub fn new() -> Round {
        Round {
            command: "run".into(),
            env: Vec::new(),
            schema: "palliative_care".into(),
            as_of: "2016-06-01".into(),
            round_toml: None,
            threads: Vec::new(),
            extra: Vec::new(),
            args: Vec::new(),
            round_dir: None,
            copied: None,
            hooks: Vec::new(),
        }
    }

    /// A copy of the round folder `dir` (a fixture), to which threads and files may be added.
    pub fn copy_of(dir: &Path) -> Round {
        Round {
            copied: Some(dir.to_owned()),
            ..Round::new()
        }
    }

    /// Run an existing round folder instead of assembling one.
    pub fn existing(dir: &Path) -> Round {
        Round {
            round_dir: Some(dir.to_owned()),
            ..Round::new()
        }
    }

    pub fn schema(mut self, name: &str) -> Round {
        self.schema = name.into();
        self
    }

    /// The register date of the round.toml built from `schema` (2016-06-01 unless given).
    pub fn dated(mut self, date: &str) -> Round {
        self.as_of = date.into();
        self
    }

    /// round.toml as written, instead of the one built from `schema`.
    pub fn round_toml(mut self, text: &str) -> Round {
        self.round_toml = Some(text.into());
        self
    }

    /// A thread folder with `files` and, unless one is given, a correspondence.txt addressed to
    /// the body the folder's name spells (`nhs_blackpool_ccg` -> "NHS Blackpool CCG").
    pub fn thread(self, slug: &str, files: &[(&str, Vec<u8>)]) -> Round {
        let body = name_from_slug(slug);
        self.thread_named(slug, &body, files)
    }

    /// A thread whose correspondence names `body`.
    pub fn thread_named(mut self, slug: &str, body: &str, files: &[(&str, Vec<u8>)]) -> Round {
        let has_corr = files.iter().any(|(n, _)| *n == "correspondence.txt");
        self.threads.push(Thread {
            slug: slug.into(),
            body: (!has_corr).then(|| body.to_owned()),
            files: files
                .iter()
                .map(|(n, b)| (n.to_string(), b.clone()))
                .collect(),
        });
        self
    }

    /// A thread folder whose only file is this correspondence.txt.
    pub fn correspondence(self, slug: &str, text: impl AsRef<[u8]>) -> Round {
        self.thread_named(slug, "", &[("correspondence.txt", text.as_ref().to_vec())])
    }

    /// A thread folder with nothing in it (no reply).
    pub fn empty_thread(mut self, slug: &str) -> Round {
        self.threads.push(Thread {
            slug: slug.into(),
            body: None,
            files: Vec::new(),
        });
        self
    }

    /// Any other file, relative to the round folder.
    pub fn file(mut self, rel: &str, bytes: &[u8]) -> Round {
        self.extra.push((rel.into(), bytes.to_vec()));
        self
    }

    pub fn arg(mut self, a: &str) -> Round {
        self.args.push(a.into());
        self
    }

    /// Do `hook` to the round folder once it is assembled, before `foi` runs.
    pub fn with(mut self, hook: impl FnOnce(&Path) + 'static) -> Round {
        self.hooks.push(Box::new(hook));
        self
    }

    /// Run `foi <command>` instead of `foi run` (`review`, `status`).
    pub fn command(mut self, c: &str) -> Round {
        self.command = c.into();
        self
    }

    /// An environment variable for the `foi` process (`RAYON_NUM_THREADS`).
    pub fn env(mut self, key: &str, value: &str) -> Round {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn run(self) -> Outcome {
        let tmp = tempfile::tempdir().expect("tempdir");
        let round = match &self.round_dir {
            Some(d) => d.clone(),
            None => {
                let round = tmp.path().join("round");
                let responses = round.join("responses");
                if let Some(from) = &self.copied {
                    copy_dir(from, &round);
                }
                std::fs::create_dir_all(&responses).unwrap();
                if self.copied.is_none() || self.round_toml.is_some() {
                    let toml = self.round_toml.clone().unwrap_or_else(|| {
                        format!(
                            "title = \"Test round\"\nschema = \"{}\"\nbodies = \"ccg\"\nas_of = \"{}\"\n",
                            self.schema, self.as_of
                        )
                    });
                    std::fs::write(round.join("round.toml"), toml).unwrap();
                }
                for t in &self.threads {
                    let dir = responses.join(&t.slug);
                    std::fs::create_dir_all(&dir).unwrap();
                    if let Some(body) = &t.body {
                        let names: Vec<&str> = t.files.iter().map(|(n, _)| n.as_str()).collect();
                        let reply = format!(
                            "Please find our response attached.\n\nAttachment: {}",
                            names.join(", ")
                        );
                        std::fs::write(
                            dir.join("correspondence.txt"),
                            correspondence(body, &reply),
                        )
                        .unwrap();
                    }
                    for (name, bytes) in &t.files {
                        std::fs::write(dir.join(name), bytes).unwrap();
                    }
                }
                for (rel, bytes) in &self.extra {
                    let path = round.join(rel);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, bytes).unwrap();
                }
                for hook in self.hooks {
                    hook(&round);
                }
                round
            }
        };
        let out = tmp.path().join("out");
        Outcome::invoke(tmp, round, out, &self.command, self.args, self.env)
    }
}

/// Copy the folder `from` to `to`, everything below it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub type Row = BTreeMap<String, String>;

/// One body's cells: (field, period) -> (status, value).
pub type Cells = BTreeMap<(String, String), (String, String)>;

pub struct Outcome {
    pub tmp: tempfile::TempDir,
    pub round: PathBuf,
    pub out: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// `foi COMMAND ROUND --out OUT ARGS` (`-q` for `run`, no `--out` for `status`), from the
    /// temporary folder.
    pub fn invoke(
        tmp: tempfile::TempDir,
        round: PathBuf,
        out: PathBuf,
        command: &str,
        args: Vec<String>,
        env: Vec<(String, String)>,
    ) -> Outcome {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_foi"));
        cmd.arg(command).arg(&round);
        // `foi status` writes nothing: it takes no output folder.
        if command != "status" {
            cmd.arg("--out").arg(&out);
        }
        if command == "run" {
            cmd.arg("-q");
        }
        let output = cmd
            .args(&args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            // Not the project folder: shipped schemas must be found without it.
            .current_dir(tmp.path())
            .output()
            .expect("run foi");
        Outcome {
            tmp,
            round,
            out,
            args,
            env,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Run again on the same round, into the same output folder, with the same arguments.
    pub fn rerun(self) -> Outcome {
        let args = self.args.clone();
        self.rerun_with(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Run again on the same round and output folder, with these arguments instead.
    pub fn rerun_with(self, args: &[&str]) -> Outcome {
        let args = args.iter().map(|a| a.to_string()).collect();
        Outcome::invoke(self.tmp, self.round, self.out, "run", args, self.env)
    }

    /// Write a file into the round folder (path relative to it) before a rerun. Only for rounds
    /// assembled in the temporary folder: a shipped round is never written to.
    pub fn put(self, rel: &str, bytes: &[u8]) -> Outcome {
        assert!(
            self.round.starts_with(self.tmp.path()),
            "{} is not a temporary round",
            self.round.display()
        );
        let path = self.round.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Every file the run wrote, by path relative to the output folder, except what is about
    /// the run rather than the round: the cache folder and run.json.
    pub fn out_files(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel == ".cache" || rel == "run.json" {
                    continue;
                }
                if path.is_dir() {
                    walk(&path, base, out);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(&self.out, &self.out, &mut files);
        assert!(
            files.contains_key("responses.csv"),
            "no outputs in {}",
            self.out.display()
        );
        files
    }

    pub fn run_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text("run.json")).expect("run.json")
    }

    /// Assert how the top-level files were had (run.json): taken from the cache, or read.
    pub fn files_had(self, reused: u64, read: u64) -> Outcome {
        let r = self.run_json();
        assert_eq!(
            (r["reused"].as_u64(), r["read"].as_u64()),
            (Some(reused), Some(read)),
            "run.json: {r:#}"
        );
        assert_eq!(
            r["files"].as_u64(),
            Some(reused + read + r["not_read"].as_u64().unwrap_or(0)),
            "run.json: {r:#}"
        );
        self
    }

    pub fn status(self, code: i32) -> Outcome {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\nstdout:\n{}\nstderr:\n{}\nissues:\n{}",
            self.stdout,
            self.stderr,
            self.text("issues.csv")
        );
        self
    }

    /// Any exit code but `code` (a crash too).
    pub fn not_status(self, code: i32) -> Outcome {
        assert_ne!(self.code, Some(code), "exit code\nstderr:\n{}", self.stderr);
        self
    }

    /// Keep the temporary folder (the round and its outputs) for a person to look at, if `keep`.
    pub fn keep_if(mut self, keep: bool) -> Outcome {
        if keep {
            self.tmp.disable_cleanup(true);
            eprintln!("round kept at {}", self.tmp.path().display());
        }
        self
    }

    /// The run finished (0 or 1), never "could not run" or a crash.
    pub fn completed(self) -> Outcome {
        assert!(
            matches!(self.code, Some(0 | 1)),
            "exit {:?}\n{}",
            self.code,
            self.stderr
        );
        self
    }

    /// The manifest row whose path ends with `path_end`: its status ("": any), and a reason
    /// containing `why` (any case).
    pub fn file_row(self, path_end: &str, status: &str, why: &str) -> Outcome {
        let manifest = self.csv("manifest.csv");
        let row = manifest
            .iter()
            .find(|r| r["path"].ends_with(path_end))
            .unwrap_or_else(|| panic!("no manifest row for {path_end}: {manifest:#?}"));
        if !status.is_empty() {
            assert_eq!(row["status"], status, "{row:?}");
        }
        assert!(
            row["reason"].to_lowercase().contains(&why.to_lowercase()),
            "reason {:?} lacks {why:?}",
            row["reason"]
        );
        self
    }

    /// Some issue row names the file (its source ends with `path_end`) and says `why` (any case).
    pub fn file_issue(self, path_end: &str, why: &str) -> Outcome {
        let issues = self.csv("issues.csv");
        assert!(
            issues.iter().any(|r| r["source"].ends_with(path_end)
                && r["evidence"].to_lowercase().contains(&why.to_lowercase())),
            "no issue for {path_end} saying {why:?}: {issues:#?}"
        );
        self
    }

    /// Nothing was written in the temporary folder but the round and the out folder.
    pub fn wrote_only_its_out_folder(self) -> Outcome {
        let mut names: Vec<String> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec!["out", "round"]);
        self
    }

    pub fn stderr_contains(self, needle: &str) -> Outcome {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.join(name)).unwrap_or_default()
    }

    pub fn csv(&self, name: &str) -> Vec<Row> {
        let path = self.out.join(name);
        let mut r = csv::Reader::from_path(&path)
            .unwrap_or_else(|e| panic!("{}: {e}\nstderr:\n{}", path.display(), self.stderr));
        let headers = r.headers().unwrap().clone();
        r.records()
            .map(|rec| {
                headers
                    .iter()
                    .zip(rec.unwrap().iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }

    pub fn responses(&self) -> Vec<Row> {
        self.csv("responses.csv")
    }

    pub fn summary(&self) -> serde_json::Value {
        serde_json::from_str(&self.text("summary.json")).expect("summary.json")
    }

    /// Every body's cells in responses.csv, by body code.
    pub fn cells_by_body(&self) -> BTreeMap<String, Cells> {
        let mut by_body: BTreeMap<String, Cells> = BTreeMap::new();
        for r in self.responses() {
            by_body.entry(r["body_code"].clone()).or_default().insert(
                (r["field"].clone(), r["period"].clone()),
                (r["status"].clone(), r["value"].clone()),
            );
        }
        by_body
    }

    /// The responses.csv row for one cell (exactly one must exist).
    pub fn row(&self, body: &str, field: &str, period: &str) -> Row {
        let rows: Vec<Row> = self
            .responses()
            .into_iter()
            .filter(|r| r["body_code"] == body && r["field"] == field && r["period"] == period)
            .collect();
        assert_eq!(rows.len(), 1, "rows for {body}/{field}/{period}: {rows:#?}");
        rows.into_iter().next().unwrap()
    }

    /// Assert one cell's status and value (value "" for none).
    pub fn cell(self, body: &str, field: &str, period: &str, status: &str, value: &str) -> Outcome {
        let row = self.row(body, field, period);
        assert_eq!(
            (row["status"].as_str(), row["value"].as_str()),
            (status, value),
            "cell {body}/{field}/{period}: {row:#?}\nissues:\n{}",
            self.text("issues.csv")
        );
        self
    }

    /// Assert a column of one cell's row contains `needle`.
    pub fn cell_column(
        self,
        body: &str,
        field: &str,
        period: &str,
        column: &str,
        needle: &str,
    ) -> Outcome {
        let row = self.row(body, field, period);
        assert!(
            row[column].contains(needle),
            "cell {body}/{field}/{period} column {column} lacks {needle:?}: {row:#?}"
        );
        self
    }

    /// Assert every cell of `body` has `status`.
    pub fn all_cells(self, body: &str, status: &str) -> Outcome {
        let rows: Vec<Row> = self
            .responses()
            .into_iter()
            .filter(|r| r["body_code"] == body)
            .collect();
        assert!(!rows.is_empty(), "no rows for {body}");
        for r in &rows {
            assert_eq!(r["status"], status, "{body}: {r:#?}");
        }
        self
    }

    /// Assert the manifest row of the file whose path ends with `file`.
    pub fn manifest(
        self,
        file: &str,
        format: &str,
        status: &str,
        reason_contains: &str,
    ) -> Outcome {
        let rows: Vec<Row> = self
            .csv("manifest.csv")
            .into_iter()
            .filter(|r| r["path"].ends_with(&format!("/{file}")))
            .collect();
        assert_eq!(
            rows.len(),
            1,
            "manifest rows for {file}: {rows:#?}\n{}",
            self.text("manifest.csv")
        );
        let r = &rows[0];
        assert_eq!(
            (r["format"].as_str(), r["status"].as_str()),
            (format, status),
            "manifest {file}: {r:#?}"
        );
        assert!(
            r["reason"].contains(reason_contains),
            "manifest {file}: reason lacks {reason_contains:?}: {r:#?}"
        );
        self
    }

    /// Assert issues.csv has a row of `kind` for this body and field ("" matches any).
    pub fn issue(self, kind: &str, body: &str, field: &str, evidence_contains: &str) -> Outcome {
        let found = self.csv("issues.csv").into_iter().any(|r| {
            r["kind"] == kind
                && (body.is_empty() || r["body_code"] == body)
                && (field.is_empty() || r["field"] == field)
                && (r["evidence"].contains(evidence_contains)
                    || r["source"].contains(evidence_contains))
        });
        assert!(
            found,
            "no {kind} issue for {body}/{field} with {evidence_contains:?}:\n{}",
            self.text("issues.csv")
        );
        self
    }

    pub fn no_issue(self, kind: &str) -> Outcome {
        let rows: Vec<Row> = self
            .csv("issues.csv")
            .into_iter()
            .filter(|r| r["kind"] == kind)
            .collect();
        assert!(rows.is_empty(), "unexpected {kind} issues: {rows:#?}");
        self
    }

    pub fn reply(self, body: &str, reply: &str) -> Outcome {
        let rows: Vec<Row> = self
            .csv("bodies.csv")
            .into_iter()
            .filter(|r| r["body_code"] == body)
            .collect();
        assert_eq!(rows.len(), 1, "bodies.csv rows for {body}");
        assert_eq!(rows[0]["reply"], reply, "{:#?}", rows[0]);
        self
    }

    pub fn summary_is(self, key: &str, expected: serde_json::Value) -> Outcome {
        let s = self.summary();
        assert_eq!(s.get(key), Some(&expected), "summary.json {key}: {s:#}");
        self
    }

    pub fn outputs_written(self) -> Outcome {
        for f in OUTPUTS.iter().chain(PARQUET) {
            let p = self.out.join(f);
            assert!(
                p.is_file() && std::fs::metadata(&p).unwrap().len() > 0,
                "{} not written\nstderr:\n{}",
                p.display(),
                self.stderr
            );
        }
        // datapackage.json lists only files that exist, and every table the run wrote.
        let package: serde_json::Value =
            serde_json::from_str(&self.text("datapackage.json")).expect("datapackage.json");
        let listed: BTreeSet<&str> = package["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .map(|r| r["path"].as_str().expect("resource path"))
            .collect();
        for path in &listed {
            assert!(
                self.out.join(path).is_file(),
                "datapackage.json lists {path}, not written"
            );
        }
        for f in OUTPUTS
            .iter()
            .filter(|f| !f.ends_with(".json") && !f.starts_with("report."))
        {
            assert!(
                listed.contains(f),
                "datapackage.json does not list {f}: {listed:?}"
            );
        }
        self
    }

    /// The bytes of every file written, by name (not the cache folder).
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&self.out)
            .expect("output folder")
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    /// The first sheet of an .xlsx output: every row, each cell as calamine reads it.
    pub fn sheet(&self, name: &str) -> Vec<Vec<calamine::Data>> {
        use calamine::Reader;
        let path = self.out.join(name);
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let first = book.sheet_names().first().cloned().expect("a sheet");
        let range = book.worksheet_range(&first).expect("sheet");
        range.rows().map(|r| r.to_vec()).collect()
    }

    /// Assert the .xlsx twin of a CSV output holds its header and rows, cell for cell: the same
    /// text (neutralised alike), and a number where `numeric` names the column and the row has
    /// one. Returns how many number cells there were.
    pub fn xlsx_matches_csv(&self, xlsx: &str, csv_name: &str, numeric: &[&str]) -> usize {
        use calamine::Data;
        let sheet = self.sheet(xlsx);
        let mut r = csv::Reader::from_path(self.out.join(csv_name)).expect(csv_name);
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            sheet.len(),
            rows.len() + 1,
            "{xlsx}: rows (with the header)"
        );
        let text = |d: &Data| match d {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("{xlsx}: a text cell holds {other:?}"),
        };
        assert_eq!(
            sheet[0].iter().map(text).collect::<Vec<_>>(),
            header,
            "{xlsx}: header"
        );
        let mut numbers = 0;
        for (i, (got, want)) in sheet[1..].iter().zip(&rows).enumerate() {
            // calamine stops a row at its last written cell.
            for (c, want) in want.iter().enumerate() {
                let cell = got.get(c).unwrap_or(&Data::Empty);
                match cell {
                    Data::Float(n) => {
                        assert!(
                            numeric.contains(&header[c].as_str()),
                            "{xlsx} row {i}: {} is a number",
                            header[c]
                        );
                        assert_eq!(
                            Some(*n),
                            want.parse::<f64>().ok(),
                            "{xlsx} row {i} {}",
                            header[c]
                        );
                        numbers += 1;
                    }
                    _ => assert_eq!(&text(cell), want, "{xlsx} row {i} {}", header[c]),
                }
            }
        }
        numbers
    }

    /// One row per register body × field × period, each key once.
    pub fn one_row_per_cell(self, bodies: usize, cells_per_body: usize) -> Outcome {
        let rows = self.responses();
        assert_eq!(rows.len(), bodies * cells_per_body, "responses.csv rows");
        let keys: BTreeSet<(String, String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r["body_code"].clone(),
                    r["field"].clone(),
                    r["period"].clone(),
                )
            })
            .collect();
        assert_eq!(
            keys.len(),
            rows.len(),
            "a cell appears twice in responses.csv"
        );
        let codes: BTreeSet<&str> = rows.iter().map(|r| r["body_code"].as_str()).collect();
        assert_eq!(codes.len(), bodies, "bodies in responses.csv");
        assert_eq!(self.csv("bodies.csv").len(), bodies, "bodies.csv rows");
        self
    }
}

pub fn csv_line(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}
