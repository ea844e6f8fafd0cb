//! The schema contract end to end: `foi schema check FILE` (and `foi run`) turn each silent
//! mistake a survey author can make into a named error with the file, the line and the key,
//! and every command finds schemas in the one search order (--schemas, the round's, the project's).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn foi(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foi"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run foi")
}

/// A valid schema with one field of each kind the mistakes below touch.
const GOOD: &str = r#"name = "svc"
title = "A children's service"

[[field]]
id = "spend"
type = "money"
periods = ["2016-17", "2017-18"]
question = "What did you spend?"
labels = ["spend"]

[[field]]
id = "referrals"
type = "count"
question = "How many referrals?"
labels = ["referrals"]

[[field]]
id = "in_house"
type = "yes_no"
question = "Is the service run in house?"
labels = ["in house"]
"#;

/// Write `text` as `<name>.toml` in a fresh folder and check it.
fn check(name: &str, text: &str) -> (i32, String, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let out = foi(&["schema", "check", path.to_str().unwrap()], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr, path, dir)
}

/// The mistake is refused with exit 1, naming the file, the line and the key.
fn refused(name: &str, text: &str, line: usize, key: &str, expect: &str) {
    let (code, err, path, _dir) = check(name, text);
    assert_eq!(code, 1, "{name}: {err}");
    assert!(
        err.contains(&path.display().to_string()),
        "{name}: file not named: {err}"
    );
    assert!(
        err.contains(&format!("line {line}")),
        "{name}: line {line} not named: {err}"
    );
    assert!(err.contains(key), "{name}: key `{key}` not named: {err}");
    assert!(err.contains(expect), "{name}: `{expect}` not said: {err}");
}

#[test]
fn a_valid_schema_and_the_shipped_ones_pass() {
    let (code, err, _, _dir) = check("good", GOOD);
    assert_eq!(code, 0, "{err}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["camhs", "palliative_care", "waiting_times"] {
        let out = foi(&["schema", "check", name], root);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(": ok: schema"),
            "{name}"
        );
    }
}

#[test]
fn period_for_periods_is_an_unknown_key() {
    let text = GOOD.replace(
        "periods = [\"2016-17\", \"2017-18\"]",
        "period = [\"2016-17\"]",
    );
    refused("period_key", &text, 7, "period", "expected one of");
}

#[test]
fn a_period_spelt_with_a_slash_is_refused_with_the_canonical_spelling() {
    let text = GOOD.replace("\"2017-18\"", "\"2017/18\"");
    refused(
        "slash_period",
        &text,
        7,
        "periods",
        "did you mean \"2017-18\"",
    );
}

#[test]
fn a_duplicate_field_id_is_refused() {
    let text = GOOD.replace("id = \"referrals\"", "id = \"spend\"");
    refused("duplicate_id", &text, 12, "id", "declared twice");
}

#[test]
fn a_misspelt_check_kind_is_refused() {
    let text = format!("{GOOD}\n[[checks]]\nkind = \"rnage\"\nfield = \"spend\"\n");
    refused(
        "check_kind",
        &text,
        24,
        "kind",
        "expected one of `total_is_sum`",
    );
}

#[test]
fn a_check_on_an_undeclared_field_is_refused() {
    let text = format!("{GOOD}\n[[checks]]\nkind = \"range\"\nfield = \"spedn\"\nmax = 10.0\n");
    refused(
        "check_field",
        &text,
        25,
        "field",
        "`spedn`, which is not declared",
    );
}

#[test]
fn a_check_with_an_unknown_denominator_is_refused() {
    let text = format!(
        "{GOOD}\n[[checks]]\nkind = \"per_head_range\"\nfield = \"spend\"\ndenominator = \"populaton\"\n"
    );
    refused("check_denominator", &text, 26, "denominator", "`populaton`");
}

#[test]
fn a_misspelt_key_in_a_derived_statistic_is_refused() {
    let text = format!(
        "{GOOD}\n[derived.per_referral]\nkind = \"ratio\"\nnumerator = \"spend\"\ndenominatr = \"referrals\"\n"
    );
    refused("derived_key", &text, 23, "denominatr", "expected one of");
}

#[test]
fn a_derived_statistic_without_a_known_kind_is_refused() {
    let text = format!("{GOOD}\n[derived.growth]\nkind = \"grwoth\"\nfield = \"spend\"\n");
    refused(
        "derived_kind",
        &text,
        24,
        "grwoth",
        "expected one of `ratio`, `change`, `compare`",
    );
}

#[test]
fn a_derived_statistic_over_an_undeclared_field_is_refused() {
    let text = format!("{GOOD}\n[derived.growth]\nkind = \"change\"\nfield = \"spnd\"\n");
    refused("derived_field", &text, 25, "field", "`spnd`");
}

#[test]
fn partial_is_maybe_is_refused() {
    let text = GOOD.replace(
        "type = \"yes_no\"",
        "type = \"yes_no\"\npartial_is = \"maybe\"",
    );
    refused(
        "partial_is",
        &text,
        20,
        "partial_is",
        "expected one of `yes`, `no`, `unclear`",
    );
}

#[test]
fn a_number_field_needs_a_unit() {
    let text = GOOD.replace("type = \"count\"", "type = \"number\"");
    refused("number_unit", &text, 11, "unit", "declares no unit");
}

#[test]
fn foi_run_refuses_a_broken_schema_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round");
    std::fs::create_dir_all(round.join("schemas")).unwrap();
    std::fs::create_dir_all(round.join("responses")).unwrap();
    std::fs::write(
        round.join("round.toml"),
        "title = \"t\"\nschema = \"svc\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n",
    )
    .unwrap();
    std::fs::write(
        round.join("schemas/svc.toml"),
        GOOD.replace("\"2017-18\"", "\"2017/18\""),
    )
    .unwrap();
    let out = foi(
        &[
            "run",
            round.to_str().unwrap(),
            "--out",
            dir.path().join("out").to_str().unwrap(),
            "-q",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("svc.toml") && err.contains("line 7"), "{err}");
}

#[test]
fn inspect_finds_a_schema_in_the_rounds_schemas_folder() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round");
    std::fs::create_dir_all(round.join("schemas")).unwrap();
    std::fs::create_dir_all(round.join("responses/nhs_a_ccg")).unwrap();
    std::fs::write(
        round.join("round.toml"),
        "title = \"t\"\nschema = \"svc\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n",
    )
    .unwrap();
    std::fs::write(round.join("schemas/svc.toml"), GOOD).unwrap();
    let reply = round.join("responses/nhs_a_ccg/reply.csv");
    std::fs::write(&reply, "question,answer\nHow many referrals?,120\n").unwrap();
    // Run from elsewhere: the round's schemas/ is found from the file's round.
    let out = foi(
        &["inspect", reply.to_str().unwrap(), "--schema", "svc"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A readable table, not debug output: its heading, then the answer's row.
    assert!(
        stdout.contains("field")
            && stdout.contains("status")
            && stdout.contains("location")
            && stdout.contains("rule"),
        "{stdout}"
    );
    let row = stdout
        .lines()
        .find(|l| l.starts_with("referrals"))
        .unwrap_or_else(|| panic!("no referrals row: {stdout}"));
    assert!(
        row.contains("answered") && row.contains("120") && row.contains("B2"),
        "{row}"
    );
    assert!(
        !stdout.contains("Some(") && !stdout.contains("Value {"),
        "{stdout}"
    );
    // A schema nowhere: the message gives the folders searched and the order.
    let out = foi(
        &["inspect", reply.to_str().unwrap(), "--schema", "nowhere"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nowhere.toml") && err.contains(&round.join("schemas").display().to_string()),
        "{err}"
    );
    assert!(
        err.contains("--schemas DIR, the round's schemas/, the project's schemas/"),
        "{err}"
    );
}

#[test]
fn status_takes_schemas_from_the_given_folder() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round");
    let schemas = dir.path().join("my_schemas");
    std::fs::create_dir_all(schemas.join("bodies")).unwrap();
    std::fs::create_dir_all(round.join("responses")).unwrap();
    std::fs::write(
        round.join("round.toml"),
        "title = \"t\"\nschema = \"svc\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n",
    )
    .unwrap();
    std::fs::write(schemas.join("svc.toml"), GOOD).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv"),
        schemas.join("bodies/ccg.csv"),
    )
    .unwrap();
    let out = foi(&["status", round.to_str().unwrap(), "--json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "no svc schema without --schemas"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("svc.toml"));
    let out = foi(
        &[
            "status",
            round.to_str().unwrap(),
            "--json",
            "--schemas",
            schemas.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
