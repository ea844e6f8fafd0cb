//! Unit tests of the statistics: kept pace under both rules of schemas/README.md (allocations stated or
//! from the official table, none before new money began, bodies with an `unclear` value left
//! out of the sensitivity count) and spend per head, on a tiny schema and round built here.

use super::*;
use std::path::Path;

const SCHEMA: &str = r#"
name = "pace"
title = "A kept-pace survey"
references = ["heads"]

[[field]]
id = "budget"
type = "money"
periods = ["2014-15", "2015-16", "2016-17"]
question = "Budget"
labels = ["budget"]

[[field]]
id = "allocation"
type = "money"
periods = ["2015-16", "2016-17"]
question = "New money"
labels = ["new money"]

[derived.kept_pace]
kind = "compare"
key = "pace"
field = "budget"
against = "allocation"
against_starts = "2015-16"
rule = "year_on_year"

[derived.per_head]
kind = "ratio"
key = "pace.per_head"
numerator = "budget"
denominator = "heads"
"#;

fn obs(body: &str, field: &str, period: &str, value: Option<f64>) -> Observation {
    Observation {
        body: body.into(),
        field: field.into(),
        period: period.into(),
        status: if value.is_some() {
            Status::Answered
        } else {
            Status::Unclear
        },
        value: value.map(Value::Number),
        provenance: Vec::new(),
        rule: "test".into(),
        confidence: 1.0,
        note: String::new(),
    }
}

/// A: rises more than its new money each year (kept pace); B: rises less (backfilled); C: its
/// 2015-16 new money only in the official table, and an unclear 2016-17 budget.
fn observations() -> Vec<Observation> {
    vec![
        obs("A", "budget", "2014-15", Some(100.0)),
        obs("A", "budget", "2015-16", Some(150.0)),
        obs("A", "budget", "2016-17", Some(160.0)),
        obs("A", "allocation", "2015-16", Some(40.0)),
        obs("A", "allocation", "2016-17", Some(20.0)),
        obs("B", "budget", "2014-15", Some(100.0)),
        obs("B", "budget", "2015-16", Some(110.0)),
        obs("B", "budget", "2016-17", Some(100.0)),
        obs("B", "allocation", "2015-16", Some(30.0)),
        obs("B", "allocation", "2016-17", Some(35.0)),
        obs("C", "budget", "2014-15", Some(100.0)),
        obs("C", "budget", "2015-16", Some(200.0)),
        obs("C", "budget", "2016-17", None),
    ]
}

fn analysed(dir: &Path) -> Analysis {
    std::fs::write(dir.join("pace.toml"), SCHEMA).expect("write schema");
    std::fs::create_dir_all(dir.join("reference")).expect("mkdir");
    std::fs::write(
        dir.join("reference/allocation.csv"),
        "body_code,period,value\nC,2015-16,50\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("reference/heads.csv"),
        "body_code,period,value\nA,2016,1000\nB,2016,0\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("round.toml"),
        "title = \"Pace\"\nschema = \"pace\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nperiods = [\"2014-15\", \"2015-16\", \"2016-17\"]\n\
         [reference]\nallocation = \"reference/allocation.csv\"\nheads = \"reference/heads.csv\"\n",
    )
    .expect("write round.toml");
    let schema = Schema::load(&dir.join("pace.toml")).expect("schema");
    let round = Round::load(dir).expect("round");
    let register = Register::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv"),
        "2016-06-01",
    )
    .expect("register");
    analyse(
        &observations(),
        &BTreeMap::new(),
        &schema,
        &round,
        &register,
        &[],
    )
    .expect("analysis")
}

fn verdicts(a: &Analysis, year: &str, rule: PaceRule) -> Vec<(String, bool, f64, f64, String)> {
    a.kept_pace
        .iter()
        .filter(|k| k.year == year && k.rule == rule)
        .map(|k| {
            (
                k.body.clone(),
                k.kept_pace,
                k.increase,
                k.new_money,
                k.allocation_source.clone(),
            )
        })
        .collect()
}

#[test]
fn kept_pace_year_on_year_counts_no_new_money_before_it_began_and_takes_the_table_where_none_was_stated()
 {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = analysed(dir.path());
    // 2015-16 against 2014-15, when there was no new money: the rise is against the whole allocation.
    assert_eq!(
        verdicts(&a, "2015-16", PaceRule::YearOnYear),
        [
            ("A".to_owned(), true, 50.0, 40.0, "stated".to_owned()),
            ("B".to_owned(), false, 10.0, 30.0, "stated".to_owned()),
            ("C".to_owned(), true, 100.0, 50.0, "reference".to_owned()),
        ]
    );
    // 2016-17 against 2015-16: C's budget is unclear, so C is not classified.
    assert_eq!(
        verdicts(&a, "2016-17", PaceRule::YearOnYear),
        [
            ("A".to_owned(), true, 10.0, -20.0, "stated".to_owned()),
            ("B".to_owned(), false, -10.0, 5.0, "stated".to_owned())
        ]
    );
    let s = &a.summary;
    assert_eq!(
        (
            s["pace.2015-16.kept_pace"].clone(),
            s["pace.2015-16.backfilled"].clone()
        ),
        (json!(2), json!(1))
    );
    assert_eq!(s["pace.2015-16.percent_kept_pace"], json!(66.7));
    // The sensitivity count leaves out C, which has an unclear value somewhere.
    assert_eq!(s["pace.2015-16.excluding_unclear.classifiable"], json!(2));
    assert_eq!(s["pace.2015-16.excluding_unclear.kept_pace"], json!(1));
    assert!(
        a.kept_pace
            .iter()
            .filter(|k| k.body == "C")
            .all(|k| k.has_unclear)
    );
}

#[test]
fn kept_pace_baseline_compares_with_the_first_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = analysed(dir.path());
    assert_eq!(
        verdicts(&a, "2016-17", PaceRule::Baseline),
        [
            ("A".to_owned(), true, 60.0, 20.0, "stated".to_owned()),
            ("B".to_owned(), false, 0.0, 35.0, "stated".to_owned())
        ]
    );
    assert_eq!(a.summary["pace.2016-17.baseline.kept_pace"], json!(1));
    assert_eq!(
        a.summary["pace.2016-17.year_on_year.classifiable"],
        json!(2)
    );
    assert_eq!(
        a.kept_pace_rule,
        PaceRule::YearOnYear,
        "the round's rule is the headline"
    );
}

#[test]
fn per_head_divides_each_answer_by_a_known_positive_denominator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = analysed(dir.path());
    // B's denominator is 0 and C has none: only A is counted.
    assert_eq!(a.per_head["2015-16"], [("A".to_owned(), 150.0, 1000.0)]);
    assert_eq!(a.per_head.len(), 3, "one entry per period answered");
    assert_eq!(a.summary["pace.per_head.2015-16.n"], json!(1));
    assert_eq!(a.summary["pace.per_head.2015-16.median"], json!(0.15));
    assert_eq!(a.summary["pace.per_head.2016-17.max"], json!(0.16));
}

#[test]
fn per_head_leaves_out_unclear_and_code_values() {
    let mut o = observations();
    o.push(Observation {
        value: Some(Value::Code("yes".into())),
        ..obs("D", "budget", "2014-15", Some(1.0))
    });
    let heads = |body: &str| (body != "B").then_some(10.0);
    let out = per_head(&o, "budget", &heads);
    let bodies: Vec<&str> = out["2016-17"].iter().map(|(b, _, _)| b.as_str()).collect();
    assert_eq!(
        bodies,
        ["A"],
        "C's 2016-17 budget is unclear, B has no denominator"
    );
    assert!(
        out["2014-15"].iter().all(|(b, _, _)| b != "D"),
        "a code is not a figure"
    );
}
