//! End-to-end tests of `foi compare` through the binary, on tiny rounds generated here: a
//! register of their own (three CCGs merged into one in 2017, one steady CCG, both kept as
//! Sub-ICB Locations of one ICB in 2022), replies as joint CSVs and e-mails.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REGISTER: &str =
    "code,name,opened,closed,successor,registered_patients_2016q1,population_0_17_est_2016q1
A01,NHS Alpha CCG,2013-04-01,2017-03-31,M01,,
A02,NHS Beta CCG,2013-04-01,2017-03-31,M01,,
A03,NHS Gamma CCG,2013-04-01,2017-03-31,M01,,
M01,NHS Merged CCG,2017-04-01,2022-06-30,QAA,,
S01,NHS Steady CCG,2013-04-01,2022-06-30,QAA,,
";
const ICBS: &str = "code,name,opened,closed,region\nQAA,NHS Quux ICB,2022-07-01,,North\n";
const PLACES: &str = "code,name,opened,icb_code\nM01,NHS Merged Sub-ICB Location,2022-07-01,QAA\nS01,NHS Steady Sub-ICB Location,2022-07-01,QAA\n";

/// A round folder with the tiny register, `round.toml` and the given files under `responses/`.
fn round(
    dir: &Path,
    name: &str,
    as_of: &str,
    periods: &[&str],
    files: &[(&str, String)],
) -> PathBuf {
    let r = dir.join(name);
    std::fs::create_dir_all(r.join("schemas/bodies")).unwrap();
    std::fs::create_dir_all(r.join("reference")).unwrap();
    std::fs::write(r.join("schemas/bodies/tiny.csv"), REGISTER).unwrap();
    std::fs::write(r.join("schemas/bodies/icb.csv"), ICBS).unwrap();
    std::fs::write(r.join("schemas/bodies/sub_icb_locations.csv"), PLACES).unwrap();
    let periods = periods
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ");
    std::fs::write(
        r.join("round.toml"),
        format!(
            "title = \"{name}\"\nschema = \"camhs\"\nbodies = \"tiny\"\nas_of = \"{as_of}\"\nperiods = [{periods}]\n\
             [reference]\nfim_allocation = \"reference/camhs_allocations.csv\"\n"
        ),
    )
    .unwrap();
    let mut alloc = String::from("body_code,period,value\n");
    for code in ["A01", "A02", "A03", "S01", "M01"] {
        for (p, v) in [
            ("2015-16", 5000),
            ("2016-17", 12000),
            ("2017-18", 20000),
            ("2018-19", 30000),
        ] {
            alloc.push_str(&format!("{code},{p},{v}\n"));
        }
    }
    std::fs::write(r.join("reference/camhs_allocations.csv"), alloc).unwrap();
    for (rel, text) in files {
        let path = r.join("responses").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    r
}

/// A WhatDoTheyKnow thread addressed to `body` and signed by it, its answers in the e-mail.
fn correspondence(body: &str, reply: &str) -> String {
    let rule = "-".repeat(67);
    format!(
        "From: Sam Patel <request-1-abc@whatdotheyknow.com>\nTo: FOI requests at {body} <foi@nhs.net>\n\
         Date: Fri, 01 Jun 2018 10:00:00 +0100\nSubject: Freedom of Information request\n\n\
         Dear {body},\n\nPlease tell me about CAMHS budgets.\n\nYours faithfully,\n\nSam Patel\n\n{rule}\n\n\
         From: Jo Reed <foi@nhs.net>\nTo: Sam Patel <request-1-abc@whatdotheyknow.com>\n\
         Date: Thu, 21 Jun 2018 15:00:00 +0100\nSubject: FOI response\n\n\
         Dear Sam Patel,\n\n{reply}\n\nYours sincerely,\n\nJo Reed\nFOI Officer\n{body}\n"
    )
}

/// The 2016 round: the three CCGs and the steady one answer in one joint CSV; Gamma holds no
/// mental health figure for 2015-16.
fn round_2016(dir: &Path) -> PathBuf {
    let joint = "CCG,Total CAMHS budget 2014/15,Total CAMHS budget 2015/16,Total CAMHS budget 2016/17,Total mental health budget 2015/16,Total mental health budget 2016/17
NHS Alpha CCG,90000,100000,110000,1000000,1100000
NHS Beta CCG,200000,200000,220000,2000000,2200000
NHS Gamma CCG,300000,300000,330000,Not held,3300000
NHS Steady CCG,400000,400000,450000,4000000,4123456
";
    round(
        dir,
        "tiny-2016",
        "2016-06-01",
        &["2014-15", "2015-16", "2016-17"],
        &[("joint.csv", joint.to_owned())],
    )
}

/// The 2018 round: the merged CCG in a joint CSV; the steady CCG by e-mail, signed with the name
/// it will carry as a Sub-ICB Location, restating its 2016-17 CAMHS budget and rounding its
/// mental health budget to £4.1m.
fn round_2018(dir: &Path) -> PathBuf {
    let joint = "CCG,Total CAMHS budget 2016/17,Total CAMHS budget 2017/18,Total mental health budget 2016/17,Total mental health budget 2017/18
NHS Merged CCG,700000,750000,6700000,6800000
";
    let reply = "Our total CAMHS budget for 2016/17 was £480,000.\n\nOur total CAMHS budget for 2017/18 was £500,000.\n\n\
                 Our total mental health budget for 2016/17 was £4.1m.";
    round(
        dir,
        "tiny-2018",
        "2018-06-01",
        &["2016-17", "2017-18", "2018-19"],
        &[
            ("joint.csv", joint.to_owned()),
            (
                "a_thread/correspondence.txt",
                correspondence("NHS Steady Sub-ICB Location", reply),
            ),
        ],
    )
}

fn foi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foi"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("foi runs")
}

fn run_round(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(format!("out-{name}"));
    let o = foi(dir, &["run", name, "--out", out.to_str().unwrap(), "-q"]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "foi run {name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Rows of a CSV as maps from column name to text.
fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|row| {
            headers
                .iter()
                .zip(row.unwrap().iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn find<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    keys: &[(&str, &str)],
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter()
        .find(|r| {
            keys.iter()
                .all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))
        })
        .unwrap_or_else(|| panic!("no row with {keys:?}"))
}

/// Both tiny rounds run, then compared from their output folders.
fn compared(dir: &Path) -> PathBuf {
    round_2016(dir);
    round_2018(dir);
    let (o16, o18) = (run_round(dir, "tiny-2016"), run_round(dir, "tiny-2018"));
    let out = dir.join("cmp");
    let o = foi(
        dir,
        &[
            "compare",
            "tiny-2018",
            "tiny-2016",
            "--outputs",
            o18.to_str().unwrap(),
            o16.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    // A predecessor's missing figure is left for a person: exit 1, never 2.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

#[test]
fn three_ccgs_merged_into_one_are_summed_only_when_all_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let out = compared(tmp.path());
    let series = csv_rows(&out.join("series.csv"));
    // 2015-16 CAMHS budget of the merged CCG: its three predecessors' figures summed.
    let camhs = find(
        &series,
        &[
            ("body_code", "M01"),
            ("field", "camhs_budget"),
            ("period", "2015-16"),
        ],
    );
    assert_eq!(
        (
            camhs["status"].as_str(),
            camhs["value"].as_str(),
            camhs["basis"].as_str()
        ),
        ("answered", "600000", "sum_of_predecessors")
    );
    assert_eq!(camhs["from"], "A01 A02 A03");
    assert_eq!(camhs["round"], "tiny-2016");
    // Gamma held no 2015-16 mental health figure: no like-for-like sum, and Gamma is named.
    let mh = find(
        &series,
        &[
            ("body_code", "M01"),
            ("field", "mh_budget"),
            ("period", "2015-16"),
        ],
    );
    assert_eq!(
        (mh["status"].as_str(), mh["value"].as_str()),
        ("unclear", "")
    );
    assert!(mh["note"].contains("A03 (not_held)"), "{}", mh["note"]);
    // The merged body's own later figure is used where it gave one.
    let own = find(
        &series,
        &[
            ("body_code", "M01"),
            ("field", "camhs_budget"),
            ("period", "2016-17"),
        ],
    );
    assert_eq!(
        (
            own["value"].as_str(),
            own["basis"].as_str(),
            own["round"].as_str()
        ),
        ("700000", "reported", "tiny-2018")
    );
    // Every 2016 body maps to its 2018 body; the panel carries both codes.
    let mapping = csv_rows(&out.join("mapping.csv"));
    for (code, latest) in [
        ("A01", "M01"),
        ("A02", "M01"),
        ("A03", "M01"),
        ("S01", "S01"),
    ] {
        assert_eq!(
            find(&mapping, &[("body_code", code)])["body_code_latest"],
            latest
        );
    }
    let panel = csv_rows(&out.join("panel.csv"));
    let row = find(
        &panel,
        &[
            ("round", "tiny-2016"),
            ("body_code", "A02"),
            ("field", "camhs_budget"),
            ("period", "2015-16"),
        ],
    );
    assert_eq!(
        (
            row["body_code_latest"].as_str(),
            row["value"].as_str(),
            row["source"].as_str()
        ),
        ("M01", "200000", "responses/joint.csv")
    );
    // The panel's Parquet twin and the data package describing it.
    let parquet = std::fs::read(out.join("panel.parquet")).unwrap();
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datapackage.json")).unwrap())
            .unwrap();
    let names: Vec<&str> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        names.contains(&"panel") && names.contains(&"panel-parquet") && names.contains(&"series"),
        "{names:?}"
    );
    // The rule is stated in the report.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("only when every predecessor answered"), "{md}");
    assert!(md.contains("M01 mh_budget 2015-16"), "{md}");
}

#[test]
fn a_restated_figure_is_found_and_a_rounded_one_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let out = compared(tmp.path());
    let restated = csv_rows(&out.join("restated.csv"));
    let camhs = find(
        &restated,
        &[
            ("body_code", "S01"),
            ("field", "camhs_budget"),
            ("period", "2016-17"),
        ],
    );
    assert_eq!(
        (
            camhs["verdict"].as_str(),
            camhs["earlier_value"].as_str(),
            camhs["later_value"].as_str()
        ),
        ("restated", "450000", "480000")
    );
    assert_eq!(
        (
            camhs["earlier_source"].as_str(),
            camhs["later_source"].as_str()
        ),
        (
            "responses/joint.csv",
            "responses/a_thread/correspondence.txt"
        )
    );
    assert_eq!(camhs["later_raw"], "£480,000");
    // £4.1m is 4,123,456 to two significant digits: rounding only, so agreeing.
    let mh = find(
        &restated,
        &[
            ("body_code", "S01"),
            ("field", "mh_budget"),
            ("period", "2016-17"),
        ],
    );
    assert_eq!(mh["verdict"], "rounding_only");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["restated.bodies"], serde_json::json!(["S01"]));
    // The later round's figure is used for change over time, and the restatement noted.
    let series = csv_rows(&out.join("series.csv"));
    let v = find(
        &series,
        &[
            ("body_code", "S01"),
            ("field", "camhs_budget"),
            ("period", "2016-17"),
        ],
    );
    assert_eq!(
        (v["value"].as_str(), v["round"].as_str()),
        ("480000", "tiny-2018")
    );
    assert!(v["note"].contains("restated"), "{}", v["note"]);
}

#[test]
fn kept_pace_per_year_comes_from_each_rounds_own_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let out = compared(tmp.path());
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let read = |name: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(tmp.path().join(name).join("summary.json")).unwrap(),
        )
        .unwrap()
    };
    let (s16, s18) = (read("out-tiny-2016"), read("out-tiny-2018"));
    for (year, round) in [("2015-16", &s16), ("2016-17", &s16), ("2017-18", &s18)] {
        for k in [
            "classifiable",
            "kept_pace",
            "backfilled",
            "percent_kept_pace",
        ] {
            let key = format!("camhs.{year}.{k}");
            assert_eq!(summary[&key], round[&key], "{key}");
        }
    }
    // 2015-16: only Alpha's budget rose by the new money (£10,000 against £5,000).
    assert_eq!(summary["camhs.2015-16.kept_pace"], 1);
    assert_eq!(summary["camhs.2015-16.classifiable"], 4);
    assert_eq!(summary["camhs.2015-16.round"], "tiny-2016");
    assert_eq!(summary["camhs.2017-18.round"], "tiny-2018");
    let pace = csv_rows(&out.join("pace.csv"));
    assert!(
        pace.iter()
            .any(|r| r["year"] == "2016-17" && r["rule"] == "baseline"),
        "both rules reported"
    );
}

#[test]
fn a_reply_signed_with_a_later_name_is_linked() {
    let tmp = tempfile::tempdir().unwrap();
    round_2018(tmp.path());
    let out = run_round(tmp.path(), "tiny-2018");
    // "NHS Steady Sub-ICB Location" is the name S01 carries from 2022: the 2018 thread links.
    let bodies = csv_rows(&out.join("bodies.csv"));
    let steady = find(&bodies, &[("body_code", "S01")]);
    assert!(
        steady["linked_by"].contains("a_thread: correspondence"),
        "{steady:?}"
    );
    let responses = csv_rows(&out.join("responses.csv"));
    let v = find(
        &responses,
        &[
            ("body_code", "S01"),
            ("field", "camhs_budget"),
            ("period", "2016-17"),
        ],
    );
    assert_eq!(
        (v["status"].as_str(), v["value"].as_str()),
        ("answered", "480000")
    );
}

#[test]
fn an_icb_reply_is_credited_to_each_of_its_places() {
    let tmp = tempfile::tempdir().unwrap();
    // In 2023 the places are surveyed; the ICB answers for both in one file, naming one by its
    // Sub-ICB Location name and the other as "ICB - code".
    // (The camhs schema asks up to 2018-19: the ICB answers for that year.)
    let joint = "Organisation,Total CAMHS budget 2018/19,Total mental health budget 2018/19
NHS Merged Sub-ICB Location,910000,9100000
NHS Quux ICB - S01,520000,5200000
";
    round(
        tmp.path(),
        "tiny-2023",
        "2023-06-01",
        &["2018-19"],
        &[
            (
                "nhs_quux_icb/correspondence.txt",
                correspondence("NHS Quux ICB", "Please find our response attached."),
            ),
            ("nhs_quux_icb/response.csv", joint.to_owned()),
        ],
    );
    let out = run_round(tmp.path(), "tiny-2023");
    let responses = csv_rows(&out.join("responses.csv"));
    for (code, value) in [("M01", "910000"), ("S01", "520000")] {
        let v = find(
            &responses,
            &[
                ("body_code", code),
                ("field", "camhs_budget"),
                ("period", "2018-19"),
            ],
        );
        assert_eq!(
            (v["status"].as_str(), v["value"].as_str()),
            ("answered", value),
            "{code}"
        );
    }
    // The thread itself is the ICB's: not linked to one place, and saying why.
    let issues = std::fs::read_to_string(out.join("issues.csv")).unwrap();
    assert!(
        issues.contains("a joint reply from NHS Quux ICB (QAA) for its places M01, S01"),
        "{issues}"
    );
}

#[test]
fn a_round_not_yet_run_is_run_first() {
    let tmp = tempfile::tempdir().unwrap();
    round_2016(tmp.path());
    round_2018(tmp.path());
    let o = foi(tmp.path(), &["compare", "tiny-2016", "tiny-2018"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("(run now)"), "{stdout}");
    assert!(tmp.path().join("reports/tiny-2016/responses.csv").is_file());
    assert!(
        tmp.path()
            .join("reports/compare-tiny-2016-tiny-2018/report.html")
            .is_file()
    );
    // One round is not a series.
    let o = foi(tmp.path(), &["compare", "tiny-2016"]);
    assert_eq!(o.status.code(), Some(2));
}
