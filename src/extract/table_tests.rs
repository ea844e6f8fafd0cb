//! Unit tests of the cell reader: which cells of a grid answer which field, period and body,
//! read by the labels on a cell's row, the headings over its column and the section it sits in.

use super::*;
use crate::ingest::document::Legibility;
use std::path::Path;
use std::sync::LazyLock;

static PALLIATIVE: LazyLock<Schema> = LazyLock::new(|| schema("palliative_care"));
static CAMHS: LazyLock<Schema> = LazyLock::new(|| schema("camhs"));
static CCGS: LazyLock<Register> = LazyLock::new(|| {
    Register::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv"),
        "2016-06-01",
    )
    .expect("register")
});

fn schema(name: &str) -> Schema {
    Schema::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{name}.toml")))
        .expect("schema")
}

/// A sheet from rows of text cells ("" for an empty cell).
fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet::from_text_rows("Sheet1", rows)
}

/// (field, period, body, raw, location) of every answer found.
fn read(s: &Sheet, schema: &Schema) -> Vec<(String, String, Option<String>, String, String)> {
    extract_sheet(s, 0, "reply.xlsx", schema, &CCGS)
        .into_iter()
        .map(|f| (f.field, f.period, f.body, f.raw, f.location))
        .collect()
}

fn found(
    field: &str,
    period: &str,
    body: Option<&str>,
    raw: &str,
    location: &str,
) -> (String, String, Option<String>, String, String) {
    (
        field.into(),
        period.into(),
        body.map(str::to_owned),
        raw.into(),
        location.into(),
    )
}

const PATIENTS: &str =
    "How many patients in your CCG population are identified as having palliative care needs?";
const PAIN_TEAM: &str = "Does the CCG commission a pain control team?";

#[test]
fn the_template_returned_filled_gives_each_answer_beside_its_question() {
    let s = sheet(&[
        &["Question", "Response"],
        &[PATIENTS, "1,234"],
        &[PAIN_TEAM, "Yes"],
    ]);
    assert_eq!(
        read(&s, &PALLIATIVE),
        [
            found("palliative_patients", "", None, "1,234", "Sheet1!B2"),
            found("pain_team", "", None, "Yes", "Sheet1!B3")
        ]
    );
}

#[test]
fn question_numbers_and_notes_columns_are_not_answers() {
    let s = sheet(&[
        &["No.", "Question", "Response", "Notes"],
        &["1", PATIENTS, "850", "from the register, 2"],
        &["2", PAIN_TEAM, "No", "3"],
    ]);
    assert_eq!(
        read(&s, &PALLIATIVE),
        [
            found("palliative_patients", "", None, "850", "Sheet1!C2"),
            found("pain_team", "", None, "No", "Sheet1!C3")
        ]
    );
}

#[test]
fn year_headings_give_periods_and_a_sheet_wide_scale_applies_to_every_figure() {
    let s = sheet(&[
        &["All figures in £000s", ""],
        &["Budget line", "2015/16", "2016/17"],
        &["CAMHS", "1,200", "1,300"],
        &["Total mental health", "10,000", "11,000"],
    ]);
    let all = extract_sheet(&s, 0, "reply.xlsx", &CAMHS, &CCGS);
    assert!(all.iter().all(|f| f.scale == 1000.0), "{all:?}");
    assert_eq!(
        read(&s, &CAMHS),
        [
            found("camhs_budget", "2015-16", None, "1,200", "Sheet1!B3"),
            found("camhs_budget", "2016-17", None, "1,300", "Sheet1!C3"),
            found("mh_budget", "2015-16", None, "10,000", "Sheet1!B4"),
            found("mh_budget", "2016-17", None, "11,000", "Sheet1!C4"),
        ]
    );
}

#[test]
fn a_column_per_body_answers_for_each_body_it_names() {
    let s = sheet(&[
        &["Question", "NHS Blackpool CCG", "NHS Luton CCG"],
        &[PAIN_TEAM, "Yes", "No"],
    ]);
    assert_eq!(
        read(&s, &PALLIATIVE),
        [
            found("pain_team", "", Some("00R"), "Yes", "Sheet1!B2"),
            found("pain_team", "", Some("06P"), "No", "Sheet1!C2")
        ]
    );
}

#[test]
fn a_total_line_is_found_and_marked_as_a_total() {
    let s = sheet(&[
        &["Budget line", "2015/16"],
        &["Inpatient", "100"],
        &["Community", "200"],
        &["Total CAMHS", "300"],
    ]);
    let all = extract_sheet(&s, 2, "reply.xlsx", &CAMHS, &CCGS);
    assert_eq!(all.len(), 1, "the lines name no field: {all:?}");
    assert!(all[0].is_total);
    assert_eq!(
        (
            all[0].field.as_str(),
            all[0].period.as_str(),
            all[0].raw.as_str()
        ),
        ("camhs_budget", "2015-16", "300")
    );
}

#[test]
fn a_grid_of_headings_alone_answers_nothing() {
    let s = sheet(&[&["Question", "Response"], &[PATIENTS, ""], &[PAIN_TEAM, ""]]);
    assert!(read(&s, &PALLIATIVE).is_empty());
}

#[test]
fn doubtful_scan_cells_are_found_as_doubtful_and_still_head_and_label() {
    let doubt = |reading: &str| Cell::Illegible {
        reading: reading.into(),
    };
    let mut s = sheet(&[
        &["Budget line", "2015/16", ""],
        &["CAMHS", "1,200", ""],
        &["", "", "11,000"],
    ]);
    // A heading and a label OCR doubted still head and label what they seem to.
    s.rows[0][2] = doubt("‘2016/17");
    s.rows[2][0] = doubt("Total mental health");
    // A smudge nothing was read from, and a doubtful reading, are answers a person must read.
    s.rows[1][2] = doubt("");
    s.rows[2][1] = doubt("HE");
    let got: Vec<(String, String, String, Legibility, String)> =
        extract_sheet(&s, 0, "scan.pdf", &CAMHS, &CCGS)
            .into_iter()
            .map(|f| (f.field, f.period, f.raw, f.legibility, f.location))
            .collect();
    let row = |field: &str, period: &str, raw: &str, legibility, location: &str| {
        (
            field.to_owned(),
            period.to_owned(),
            raw.to_owned(),
            legibility,
            location.to_owned(),
        )
    };
    assert_eq!(
        got,
        [
            row(
                "camhs_budget",
                "2015-16",
                "1,200",
                Legibility::Clear,
                "Sheet1!B2"
            ),
            row(
                "camhs_budget",
                "2016-17",
                "",
                Legibility::Doubtful,
                "Sheet1!C2"
            ),
            row(
                "mh_budget",
                "2015-16",
                "HE",
                Legibility::Doubtful,
                "Sheet1!B3"
            ),
            row(
                "mh_budget",
                "2016-17",
                "11,000",
                Legibility::Clear,
                "Sheet1!C3"
            ),
        ]
    );
    // A doubtful speck is no answer-like cell; a doubtful figure is.
    assert!(!value_like(&doubt("‘ |"), &CAMHS));
    assert!(value_like(&doubt("‘3,050k"), &CAMHS));
    assert!(value_like(&doubt(""), &CAMHS));
}
