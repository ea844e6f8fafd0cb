//! Unit tests of reconciliation: how the answers found for one body, field and period become
//! one observation (agreeing sources merge, disagreeing ones are unclear with both pieces of
//! evidence, a total beats its lines, a low-confidence reading is not an answer).

use super::*;

fn found(source: &str, location: &str, raw: &str) -> Found {
    Found {
        body: None,
        field: "spc_budget".into(),
        period: "2015-16".into(),
        raw: raw.into(),
        legibility: Default::default(),
        scale: 1.0,
        source: source.into(),
        location: location.into(),
        rule: "table:row-label".into(),
        is_total: false,
        block: Block::Rows { sheet: 0, block: 0 },
    }
}

fn number(source: &str, location: &str, raw: &str, n: f64, confidence: f64) -> Candidate {
    Candidate {
        body: "00R".into(),
        found: found(source, location, raw),
        reading: Reading::Value {
            value: Value::Number(n),
            confidence,
            note: String::new(),
        },
    }
}

fn cell(cands: Vec<Candidate>) -> (Option<Observation>, Vec<Issue>) {
    let mut issues = Vec::new();
    let o = reconcile_cell("00R", "spc_budget", "2015-16", cands, &mut issues);
    (o, issues)
}

fn kinds(issues: &[Issue]) -> Vec<String> {
    issues.iter().map(|i| i.kind.to_string()).collect()
}

#[test]
fn a_letter_and_a_sheet_that_agree_make_one_answer_with_both_sources() {
    let (o, issues) = cell(vec![
        number("r/letter.pdf", "page 1 line 4", "£1.2m", 1_200_000.0, 0.9),
        number("r/answers.xlsx", "Sheet1!B3", "1200000", 1_200_000.0, 1.0),
    ]);
    let o = o.expect("an observation");
    assert_eq!(o.status, Status::Answered);
    assert_eq!(o.value, Some(Value::Number(1_200_000.0)));
    assert_eq!(o.confidence, 1.0, "the surest reading's confidence");
    let places: Vec<&str> = o.provenance.iter().map(|p| p.location.as_str()).collect();
    assert_eq!(places, ["page 1 line 4", "Sheet1!B3"]);
    assert!(issues.is_empty(), "{issues:?}");
}

#[test]
fn figures_within_half_a_pound_agree() {
    let (o, issues) = cell(vec![
        number("a.csv", "B2", "1,000.40", 1000.4, 1.0),
        number("b.csv", "B2", "1000", 1000.0, 1.0),
    ]);
    assert_eq!(o.expect("an observation").status, Status::Answered);
    assert!(issues.is_empty());
}

#[test]
fn sources_that_disagree_are_unclear_with_both_pieces_of_evidence() {
    let (o, issues) = cell(vec![
        number("a.csv", "B2", "1000", 1000.0, 1.0),
        number("b.pdf", "page 2 line 1", "2000", 2000.0, 1.0),
    ]);
    let o = o.expect("an observation");
    assert_eq!(
        (o.status, o.value),
        (Status::Unclear, None),
        "never a guess between the two"
    );
    assert_eq!(kinds(&issues), ["conflict"]);
    assert!(
        issues[0].evidence.contains("a.csv B2: \"1000\"")
            && issues[0].evidence.contains("b.pdf page 2 line 1: \"2000\""),
        "{}",
        issues[0].evidence
    );
    assert_eq!(o.provenance.len(), 2);
}

#[test]
fn a_value_and_a_status_for_the_same_cell_disagree() {
    let held = number("a.csv", "B2", "500", 500.0, 1.0);
    let not_held = Candidate {
        body: "00R".into(),
        found: found("letter.txt", "line 9", "not held"),
        reading: Reading::Status {
            status: Status::NotHeld,
            reason: "not held".into(),
        },
    };
    let (o, issues) = cell(vec![held, not_held]);
    assert_eq!(o.expect("an observation").status, Status::Unclear);
    assert_eq!(kinds(&issues), ["conflict"]);
}

#[test]
fn a_low_confidence_reading_is_not_an_answer() {
    let (o, issues) = cell(vec![number(
        "scan.pdf",
        "table 1!B2",
        "1,2O0",
        1200.0,
        MIN_ANSWER_CONFIDENCE / 2.0,
    )]);
    let o = o.expect("an observation");
    assert_eq!((o.status, o.value.clone()), (Status::Unclear, None));
    assert!(o.note.starts_with("low confidence"), "{}", o.note);
    assert_eq!(kinds(&issues), ["low_confidence"]);
}

#[test]
fn a_blank_is_no_observation() {
    let blank = Candidate {
        body: "00R".into(),
        found: found("a.csv", "B2", ""),
        reading: Reading::Nothing,
    };
    let (o, issues) = cell(vec![blank]);
    assert!(o.is_none());
    assert!(issues.is_empty());
}

#[test]
fn a_total_beats_its_lines_and_is_checked_against_their_sum() {
    let line = |loc: &str, n: f64| number("budget.xlsx", loc, &n.to_string(), n, 1.0);
    let mut total = number("budget.xlsx", "Sheet1!B5", "1000", 1000.0, 1.0);
    total.found.is_total = true;
    let cands = vec![
        line("Sheet1!B2", 300.0),
        line("Sheet1!B3", 300.0),
        line("Sheet1!B4", 300.0),
        total,
    ];
    let mut issues = Vec::new();
    check_total_sum("00R", "spc_budget", "2015-16", &cands, 0.005, &mut issues);
    assert_eq!(kinds(&issues), ["check_total_is_sum"]);
    assert!(
        issues[0]
            .evidence
            .contains("the total 1000 is not the sum of its 3 lines (900)"),
        "{}",
        issues[0].evidence
    );
    let (o, conflicts) = cell(cands);
    let o = o.expect("an observation");
    assert_eq!(
        (o.status, o.value),
        (Status::Answered, Some(Value::Number(1000.0))),
        "the stated total is the answer"
    );
    assert!(
        conflicts.is_empty(),
        "the lines do not compete with their total: {conflicts:?}"
    );
}

#[test]
fn a_total_in_another_block_does_not_hide_an_answer() {
    let mut total = number("budget.xlsx", "Sheet1!B5", "1000", 1000.0, 1.0);
    total.found.is_total = true;
    let mut other = number("budget.xlsx", "Sheet2!B2", "1000", 1000.0, 1.0);
    other.found.block = Block::Rows { sheet: 0, block: 1 };
    let kept = prefer_totals(vec![total, other]);
    assert_eq!(kept.len(), 2);
}
