//! End-to-end tests through the built `foi` binary: each test assembles a minimal round in a
//! temporary folder (round.toml + responses/<thread>/<files>), runs `foi run`, and reads the
//! outputs it wrote (responses.csv, manifest.csv, issues.csv, bodies.csv, summary.json).
//!
//! The fixtures under tests/fixtures/ are written by `cargo run --example make_fixtures`, the
//! scanned PDFs among them (`scan_*.pdf`) by `python3 tests/fixtures/make_scans.py`; the sample
//! round under raw/sample-2016/ by `cargo run --example make_sample_round`. The builder and the
//! assertions are in tests/support/.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use support::*;

/// A round whose one reply is Blackpool's (00R): `file` in its thread, beside its correspondence.
fn blackpool(file: &str, bytes: Vec<u8>) -> Round {
    Round::new().thread("nhs_blackpool_ccg", &[(file, bytes)])
}

/// The sample round shipped in raw/.
fn sample() -> Round {
    Round::existing(&root().join("raw/sample-2016"))
}

// ---------------------------------------------------------------------------------------------
// Values

#[test]
fn gbp_thousands_heading_scales_the_figure() {
    blackpool("answers.xlsx", fixture("gbp_thousands_header.xlsx"))
        .schema("palliative_care")
        .run()
        // The reply answers one question of nine: the rest are flagged as missing.
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "1235000")
        .cell_column("00R", "spc_budget", "2015-16", "raw", "1235")
        .cell_column("00R", "spc_budget", "2015-16", "location", "Budget!B2")
        .manifest("answers.xlsx", "xlsx", "parsed", "")
        .reply("00R", "partial");
}

#[test]
fn total_row_is_taken_over_its_components() {
    blackpool("spend.csv", fixture("total_row.csv"))
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "900000")
        .cell_column("00R", "spc_budget", "2015-16", "location", "B5")
        .no_issue("conflict")
        .no_issue("check_total_is_sum");
}

#[test]
fn a_total_that_is_not_the_sum_of_its_lines_is_flagged_and_kept() {
    let csv = "Specialist palliative care spend by provider in 2015/16\nProvider,2015/16\n\
               Hospice grant,\"500,000\"\nCommunity SPC team,\"400,000\"\nTotal,\"1,000,000\"\n";
    blackpool("spend.csv", csv.as_bytes().to_vec())
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "1000000")
        .issue(
            "check_total_is_sum",
            "00R",
            "spc_budget",
            "not the sum of its 2 lines (900000)",
        );
}

#[test]
fn a_range_is_unclear_never_a_midpoint() {
    blackpool("answers.csv", fixture("range_unclear.csv"))
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "unclear", "")
        .cell_column("00R", "spc_budget", "2015-16", "raw", "£40-50k")
        .issue("unclear", "00R", "spc_budget", "range")
        .cell("00R", "seven_day_beds", "", "answered", "yes");
}

#[test]
fn a_hidden_draft_sheet_is_not_read() {
    blackpool("answers.xlsx", fixture("hidden_sheet_draft.xlsx"))
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "1500000")
        .cell("00R", "education", "", "answered", "yes")
        .cell_column("00R", "spc_budget", "2015-16", "location", "Response!")
        .manifest("answers.xlsx", "xlsx", "parsed", "Draft")
        .no_issue("conflict");
}

#[test]
fn a_joint_reply_with_a_column_per_ccg_answers_for_each() {
    Round::new()
        .thread_named(
            "midlands_and_lancashire_csu",
            "Midlands and Lancashire Commissioning Support Unit",
            &[("joint response.csv", fixture("multi_ccg_columns.csv"))],
        )
        .run()
        .status(1)
        .cell("00R", "palliative_patients", "", "answered", "1234")
        .cell("02M", "palliative_patients", "", "answered", "987")
        .cell("00X", "palliative_patients", "", "answered", "1102")
        .cell("00R", "spc_budget", "2015-16", "answered", "1235000")
        .cell("02M", "spc_budget", "2015-16", "answered", "980000")
        .cell("00X", "spc_budget", "2015-16", "answered", "1010500")
        .cell("00R", "seven_day_beds", "", "answered", "yes")
        .cell("02M", "seven_day_beds", "", "answered", "no")
        .cell("00X", "seven_day_beds", "", "answered", "yes")
        .no_issue("unlinked_answers");
}

#[test]
fn a_loose_joint_reply_with_a_row_per_ccg_answers_for_each() {
    // A support unit's file at the top of responses/, outside any thread folder.
    Round::new()
        .file(
            "responses/Lancashire CSU - joint FOI response.csv",
            &fixture("multi_ccg_rows.csv"),
        )
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "1235000")
        .cell("02M", "spc_budget", "2015-16", "answered", "980000")
        .cell("00X", "spc_budget", "2015-16", "answered", "1010500")
        .cell("00R", "palliative_patients", "", "answered", "1234")
        .cell("02M", "palliative_patients", "", "answered", "987")
        .cell("00X", "palliative_patients", "", "answered", "1102")
        .no_issue("unlinked_answers");
}

#[test]
fn a_question_number_column_headed_no_is_not_read_as_answers() {
    blackpool("answers.csv", fixture("no_heading_question_numbers.csv"))
        .run()
        .status(1)
        .cell("00R", "palliative_patients", "", "not_held", "")
        .cell("00R", "spc_budget", "2015-16", "answered", "2104000")
        .cell("00R", "seven_day_beds", "", "answered", "yes")
        .no_issue("conflict");
}

/// Every palliative care question answered, one per row of a CSV.
fn complete_answers() -> Vec<u8> {
    let answers = [
        (
            "How many patients in your CCG population are identified as having palliative care needs?",
            "1,234",
        ),
        (
            "What was the CCG's total budget for specialist palliative care services in 2015/16?",
            "£1.2m",
        ),
        (
            "Does the CCG commission 7-day admission to specialist palliative care beds?",
            "Y",
        ),
        (
            "Does the CCG commission 7-day specialist palliative care services in patients' own homes?",
            "Partially",
        ),
        (
            "Who provides out-of-hours specialist palliative care advice?",
            "Both - the hospice and the acute trust",
        ),
        ("Does the CCG commission a pain control team?", "Yes"),
        ("If so, when does it operate?", "24/7"),
        (
            "Does the CCG commission palliative care education for healthcare professionals?",
            "No",
        ),
        (
            "Does the CCG plan to update or review its palliative care services?",
            "Yes",
        ),
    ];
    let mut text = csv_line(&["Question", "Response"]);
    for (q, a) in answers {
        text.push_str(&csv_line(&[q, a]));
    }
    text.into_bytes()
}

#[test]
fn a_complete_reply_runs_clean_with_exit_code_0() {
    blackpool("answers.csv", complete_answers())
        .run()
        .status(0)
        .outputs_written()
        .reply("00R", "full")
        .cell("00R", "palliative_patients", "", "answered", "1234")
        .cell("00R", "spc_budget", "2015-16", "answered", "1200000")
        .cell("00R", "seven_day_beds", "", "answered", "yes")
        .cell("00R", "seven_day_home", "", "answered", "no")
        .cell("00R", "out_of_hours_provider", "", "answered", "both")
        .cell("00R", "pain_team", "", "answered", "yes")
        .cell("00R", "pain_team_hours", "", "answered", "24_7")
        .cell("00R", "education", "", "answered", "no")
        .cell("00R", "review_planned", "", "answered", "yes")
        .summary_is("palliative.per_patient.n", serde_json::json!(1))
        .summary_is("seven_day_beds.yes", serde_json::json!(1));
}

/// Luton's correspondence: a refusal under section 12, the cost limit.
fn luton_refuses() -> Vec<u8> {
    let refusal = "We estimate that the cost of complying with your request would exceed the appropriate limit.\n\
                   Section 12 of the Freedom of Information Act 2000 therefore applies.";
    correspondence("NHS Luton CCG", refusal)
}

#[test]
fn answers_typed_in_the_email_and_a_section_12_refusal() {
    let prose = "1. Patients with palliative care needs: 1,234.\n\n2. Specialist palliative care budget 2015/16: £1.45m.\n\n\
                 6. Pain control team: No.";
    Round::new()
        .correspondence("nhs_camden_ccg", correspondence("NHS Camden CCG", prose))
        .correspondence("nhs_luton_ccg", luton_refuses())
        .run()
        .status(1)
        .cell("07R", "palliative_patients", "", "answered", "1234")
        .cell("07R", "spc_budget", "2015-16", "answered", "1450000")
        .cell("07R", "pain_team", "", "answered", "no")
        .cell_column("07R", "spc_budget", "2015-16", "rule", "prose")
        .all_cells("06P", "refused")
        .reply("06P", "refused");
}

// ---------------------------------------------------------------------------------------------
// Formats and encodings, told from the bytes

#[test]
fn xlsx_bytes_named_xls_are_read_as_xlsx() {
    blackpool("answers.xls", fixture("xlsx_named.xls"))
        .run()
        .status(1)
        .manifest("answers.xls", "xlsx", "parsed", "")
        .cell("00R", "spc_budget", "2015-16", "answered", "987654")
        .cell("00R", "seven_day_beds", "", "answered", "yes");
}

#[test]
fn csv_bytes_named_xlsx_are_read_as_csv() {
    blackpool("answers.xlsx", fixture("csv_named.xlsx"))
        .run()
        .status(1)
        .manifest("answers.xlsx", "csv", "parsed", "")
        .cell("00R", "spc_budget", "2015-16", "answered", "876543")
        .cell("00R", "seven_day_beds", "", "answered", "yes");
}

#[test]
fn windows_1252_pound_sign_is_decoded() {
    blackpool("answers.csv", fixture("cp1252_pound.csv"))
        .run()
        .status(1)
        .manifest("answers.csv", "csv", "parsed", "windows-1252")
        .cell("00R", "spc_budget", "2015-16", "answered", "765432")
        .cell_column("00R", "spc_budget", "2015-16", "raw", "£765,432")
        .cell("00R", "palliative_patients", "", "answered", "1500");
}

#[test]
fn utf8_with_bom_is_read() {
    blackpool("answers.csv", fixture("utf8_bom.csv"))
        .run()
        .status(1)
        .manifest("answers.csv", "csv", "parsed", "UTF-8")
        .cell("00R", "palliative_patients", "", "answered", "2345")
        .cell("00R", "spc_budget", "2015-16", "answered", "654321");
}

#[test]
fn utf16_tab_separated_is_read() {
    blackpool("answers.csv", fixture("utf16.csv"))
        .run()
        .status(1)
        .manifest("answers.csv", "csv", "parsed", "UTF-16LE")
        .cell("00R", "palliative_patients", "", "answered", "3456")
        .cell("00R", "spc_budget", "2015-16", "answered", "543210");
}

#[test]
fn semicolons_with_thousands_commas_are_read() {
    blackpool("answers.csv", fixture("semicolon.csv"))
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "answered", "3146486")
        .cell("00R", "education", "", "answered", "no");
}

#[test]
fn empty_and_garbage_files_are_listed_and_the_run_completes() {
    Round::new()
        .thread(
            "nhs_blackpool_ccg",
            &[
                ("empty.xlsx", fixture("empty.xlsx")),
                ("not_a_spreadsheet.xlsx", fixture("not_a_spreadsheet.xlsx")),
                ("answers.csv", fixture("semicolon.csv")),
            ],
        )
        .run()
        .status(1)
        .outputs_written()
        .manifest("empty.xlsx", "empty", "failed", "empty file")
        .manifest(
            "not_a_spreadsheet.xlsx",
            "unknown",
            "ignored",
            "not recognised",
        )
        .manifest("answers.csv", "csv", "parsed", "")
        .issue("file_failed", "", "", "empty.xlsx")
        .cell("00R", "spc_budget", "2015-16", "answered", "3146486");
}

#[test]
fn an_empty_thread_folder_is_no_response() {
    blackpool("answers.csv", fixture("semicolon.csv"))
        .empty_thread("nhs_bristol_ccg")
        .run()
        .status(1)
        .all_cells("11H", "no_response")
        .reply("11H", "no_response")
        .no_issue("unlinked_thread");
}

// ---------------------------------------------------------------------------------------------
// The round contract

#[test]
fn every_register_body_has_one_row_per_field_and_period() {
    blackpool("answers.csv", fixture("semicolon.csv"))
        .run()
        .status(1)
        .outputs_written()
        .one_row_per_cell(BODIES_2016, PALLIATIVE_CELLS)
        // A body never written to is no_response in every cell.
        .all_cells("00C", "no_response")
        .summary_is("bodies.contacted", serde_json::json!(BODIES_2016));
}

#[test]
fn a_round_toml_that_is_not_toml_exits_2_naming_it() {
    Round::new()
        .round_toml("title = \"x\"\nschema = \n")
        .run()
        .status(2)
        .stderr_contains("round.toml");
}

#[test]
fn a_round_toml_missing_a_key_exits_2_naming_it() {
    Round::new()
        .round_toml("title = \"x\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n")
        .run()
        .status(2)
        .stderr_contains("round.toml")
        .stderr_contains("schema");
}

#[test]
fn a_round_toml_with_an_unknown_key_exits_2_naming_it() {
    Round::new()
        .round_toml("title = \"x\"\nschema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nshema = \"camhs\"\n")
        .run()
        .status(2)
        .stderr_contains("round.toml")
        .stderr_contains("shema");
}

#[test]
fn a_bad_as_of_date_exits_2_naming_the_key() {
    Round::new()
        .round_toml("title = \"x\"\nschema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"1 June 2016\"\n")
        .run()
        .status(2)
        .stderr_contains("round.toml")
        .stderr_contains("as_of");
}

#[test]
fn an_unknown_schema_exits_2_naming_round_toml() {
    Round::new()
        .schema("no_such_survey")
        .run()
        .status(2)
        .stderr_contains("round.toml")
        .stderr_contains("no_such_survey");
}

#[test]
fn a_missing_round_folder_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    Round::existing(&tmp.path().join("nowhere"))
        .run()
        .status(2)
        .stderr_contains("round.toml");
}

#[test]
fn a_missing_reference_table_exits_2_naming_the_key() {
    Round::new()
        .round_toml(
            "title = \"x\"\nschema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n\
             [reference]\npopulation = \"reference/population.csv\"\n",
        )
        .run()
        .status(2)
        .stderr_contains("round.toml")
        .stderr_contains("reference.population");
}

// ---------------------------------------------------------------------------------------------
// The sample round shipped in raw/

#[test]
fn the_sample_round_runs_end_to_end() {
    // Every reply in the sample reads cleanly: nothing for a person to check, so exit 0.
    sample()
        .run()
        .status(0)
        .outputs_written()
        .one_row_per_cell(BODIES_2016, PALLIATIVE_CELLS)
        // Blackpool: the template returned filled, the budget in £000.
        .cell("00R", "palliative_patients", "", "answered", "1234")
        .cell("00R", "spc_budget", "2015-16", "answered", "1235000")
        .cell("00R", "seven_day_beds", "", "answered", "yes")
        .cell("00R", "seven_day_home", "", "answered", "no")
        .cell("00R", "out_of_hours_provider", "", "answered", "hospice")
        .cell("00R", "pain_team_hours", "", "answered", "office_hours")
        .cell("00R", "review_planned", "", "answered", "yes")
        .reply("00R", "full")
        // Leeds South and East: its own table (total over components), the rest in the e-mail.
        .cell("03G", "spc_budget", "2015-16", "answered", "2189250")
        .cell("03G", "palliative_patients", "", "answered", "2870")
        .cell("03G", "seven_day_home", "", "answered", "yes")
        .cell("03G", "out_of_hours_provider", "", "answered", "hospice")
        .cell("03G", "pain_team_hours", "", "not_applicable", "")
        // Hull: semicolon CSV in Windows-1252.
        .manifest("FOI response 16-233.csv", "csv", "parsed", "windows-1252")
        // (its budget and patient count: see the_sample_round_hull_csv_numbers, ignored)
        .cell("03F", "seven_day_beds", "", "answered", "yes")
        .cell("03F", "out_of_hours_provider", "", "answered", "both")
        .cell("03F", "pain_team", "", "answered", "no")
        // Camden: answers typed in the e-mail.
        .cell("07R", "palliative_patients", "", "answered", "1980")
        .cell("07R", "spc_budget", "2015-16", "answered", "1450000")
        .cell("07R", "seven_day_home", "", "answered", "no")
        .cell("07R", "pain_team_hours", "", "answered", "24_7")
        .reply("07R", "full")
        // Luton: section 12 in the correspondence only.
        .all_cells("06P", "refused")
        .reply("06P", "refused")
        // Bristol: no reply.
        .all_cells("11H", "no_response")
        .reply("11H", "no_response")
        .summary_is("bodies.contacted", serde_json::json!(BODIES_2016))
        .summary_is("replies.refused", serde_json::json!(1))
        .summary_is("palliative.per_patient.n", serde_json::json!(3))
        // Budgets per patient: 1,235,000/1,234, 2,189,250/2,870, 1,450,000/1,980.
        .summary_is("palliative.per_patient.min", serde_json::json!(732.32))
        .summary_is("palliative.per_patient.median", serde_json::json!(762.8))
        .summary_is("palliative.per_patient.max", serde_json::json!(1000.81));
}

#[test]
fn the_sample_round_hull_csv_numbers() {
    sample()
        .run()
        .cell("03F", "spc_budget", "2015-16", "answered", "2104000")
        .cell_column("03F", "spc_budget", "2015-16", "raw", "£2,104,000")
        .cell("03F", "palliative_patients", "", "not_held", "")
        .no_issue("conflict");
}

// ---------------------------------------------------------------------------------------------
// A new survey is a TOML file

fn dental_answers() -> Vec<u8> {
    (csv_line(&["Question", "Answer"])
        + &csv_line(&["Community dental services spend 2015/16", "£210,000"])
        + &csv_line(&["Community dental services spend 2016/17", "£225,500"])
        + &csv_line(&["Urgent dental care at weekends commissioned?", "Yes"]))
        .into_bytes()
}

fn dental_checks(o: Outcome) -> Outcome {
    o.outputs_written()
        // Two periods of one money field and a yes/no: three cells per body.
        .one_row_per_cell(BODIES_2016, 3)
        .cell("00R", "dental_spend", "2015-16", "answered", "210000")
        .cell("00R", "dental_spend", "2016-17", "answered", "225500")
        .cell("00R", "urgent_weekend", "", "answered", "yes")
        .all_cells("07R", "no_response")
        .summary_is("urgent_weekend.yes", serde_json::json!(1))
        .summary_is("urgent_weekend.answered", serde_json::json!(1))
}

#[test]
fn a_third_survey_needs_only_a_schema_file_given_with_schemas() {
    let schemas = root().join("tests/fixtures/schemas");
    assert!(
        !schemas.join("bodies").exists(),
        "the register must come from the project's schemas/"
    );
    let o = Round::new()
        .schema("dental")
        .thread("nhs_blackpool_ccg", &[("dental.csv", dental_answers())])
        .thread("nhs_luton_ccg", &[])
        .arg("--schemas")
        .arg(schemas.to_str().unwrap())
        .run();
    dental_checks(o)
        // Luton wrote "please find our response attached" and attached nothing: it replied, so
        // its cells are not `no_response`, and they are flagged for a person.
        .status(1)
        .all_cells("06P", "unclear")
        .issue(
            "missing",
            "06P",
            "urgent_weekend",
            "no answer could be read",
        )
        .reply("06P", "partial");
}

#[test]
fn an_acknowledgement_alone_is_no_reply() {
    let ack = correspondence(
        "NHS Luton CCG",
        "We acknowledge receipt of your request, which has been logged; we aim to respond within 20 working days.",
    );
    Round::new()
        .schema("dental")
        .file("schemas/dental.toml", &fixture("schemas/dental.toml"))
        .correspondence("nhs_luton_ccg", ack)
        .run()
        .status(0)
        .all_cells("06P", "no_response")
        .reply("06P", "no_response");
}

#[test]
fn a_third_survey_can_ship_inside_the_round_folder() {
    let o = Round::new()
        .schema("dental")
        .file("schemas/dental.toml", &fixture("schemas/dental.toml"))
        .thread("nhs_blackpool_ccg", &[("dental.csv", dental_answers())])
        .run();
    // Blackpool answers every cell; nobody else replied: nothing to flag.
    dental_checks(o).status(0);
}

// ---------------------------------------------------------------------------------------------
// Reruns: the ingest cache, determinism, the manifest, stale reviews

/// An unknown binary: NUL bytes and no structure any reader knows.
fn binary_blob() -> Vec<u8> {
    (0u32..512)
        .map(|i| ((i * 197 + 13) % 256) as u8 ^ 0x5a)
        .collect()
}

/// A zip of `members` (names ending in `/` are folders).
fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in members {
        if name.ends_with('/') {
            w.add_directory(*name, opts).unwrap();
        } else {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// A saved e-mail: a short text body and one attachment.
fn eml_with(attachment: &str, bytes: &[u8]) -> Vec<u8> {
    let mut m = format!(
        "From: Jo Reed <foi@nhs.net>\r\nTo: Sam Patel <request-1-abc@whatdotheyknow.com>\r\n\
         Subject: FOI response\r\nDate: Tue, 21 Jun 2016 15:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nDear Sam Patel,\r\n\r\n\
         Please find our answers attached.\r\n\r\n--b1\r\n\
         Content-Type: text/csv; name=\"{attachment}\"\r\n\
         Content-Disposition: attachment; filename=\"{attachment}\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    .into_bytes();
    m.extend_from_slice(bytes);
    m.extend_from_slice(b"\r\n--b1--\r\n");
    m
}

/// Top-level files of [`mixed_round`]: three correspondence.txt and six others.
const MIXED_FILES: u64 = 9;

/// A round of every kind of file: good replies, a zip with a folder, an e-mail with an
/// attachment, an empty file, an unknown binary and a loose joint reply.
fn mixed_round() -> Round {
    Round::new()
        .thread(
            "nhs_blackpool_ccg",
            &[
                ("answers.xlsx", fixture("gbp_thousands_header.xlsx")),
                ("empty.xlsx", Vec::new()),
                ("blob.bin", binary_blob()),
            ],
        )
        .thread(
            "nhs_bristol_ccg",
            &[(
                "replies.zip",
                zip_of(&[
                    ("range.csv", fixture("range_unclear.csv")),
                    ("sub/", Vec::new()),
                    ("sub/answers.csv", fixture("semicolon.csv")),
                ]),
            )],
        )
        .thread(
            "nhs_camden_ccg",
            &[(
                "reply.eml",
                eml_with("answers.csv", &fixture("total_row.csv")),
            )],
        )
        .file("responses/joint.csv", &fixture("multi_ccg_rows.csv"))
}

/// Two output folders hold the same files, byte for byte.
fn assert_same_outputs(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: files written"
    );
    for (name, bytes) in a {
        assert!(bytes == &b[name], "{what}: {name} differs");
    }
}

#[test]
fn a_rerun_writes_the_same_bytes_from_the_cache_and_without_it() {
    let first = mixed_round().run().status(1).files_had(0, MIXED_FILES);
    let written = first.out_files();
    let second = first.rerun().status(1).files_had(MIXED_FILES, 0);
    assert_same_outputs(&written, &second.out_files(), "second run, from the cache");
    let third = second
        .rerun_with(&["--no-cache"])
        .status(1)
        .files_had(0, MIXED_FILES);
    assert_same_outputs(&written, &third.out_files(), "third run, --no-cache");
}

#[test]
fn one_thread_or_two_write_the_same_bytes() {
    let one = mixed_round().env("RAYON_NUM_THREADS", "1").run().status(1);
    let two = mixed_round().env("RAYON_NUM_THREADS", "2").run().status(1);
    assert_same_outputs(&one.out_files(), &two.out_files(), "1 thread vs 2");
    let one = sample().env("RAYON_NUM_THREADS", "1").run().status(0);
    let two = sample().env("RAYON_NUM_THREADS", "2").run().status(0);
    assert_same_outputs(
        &one.out_files(),
        &two.out_files(),
        "sample round, 1 thread vs 2",
    );
}

#[test]
fn adding_one_reply_reads_only_that_file() {
    blackpool("answers.xlsx", fixture("gbp_thousands_header.xlsx"))
        .thread(
            "nhs_camden_ccg",
            &[("answers.csv", fixture("semicolon.csv"))],
        )
        .run()
        .files_had(0, 4)
        .reply("11H", "no_response")
        .put(
            "responses/nhs_bristol_ccg/answers.csv",
            &fixture("total_row.csv"),
        )
        .rerun()
        .files_had(4, 1)
        // The new reply is read, and the old ones still answer from the cache.
        .cell("11H", "spc_budget", "2015-16", "answered", "900000")
        .cell("00R", "spc_budget", "2015-16", "answered", "1235000");
}

#[test]
fn a_corrupt_cache_entry_is_ignored_and_the_file_read_again() {
    let first = mixed_round().run().status(1);
    let written = first.out_files();
    let cache = first.out.join(".cache");
    let mut entries = 0;
    for e in std::fs::read_dir(&cache).unwrap() {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // Half an entry, as a full disk or a killed run might leave it.
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        entries += 1;
    }
    assert_eq!(entries, MIXED_FILES, "one cache entry per top-level file");
    let second = first.rerun().status(1).files_had(0, MIXED_FILES);
    assert_same_outputs(&written, &second.out_files(), "after corrupt entries");
    // The entries were written again, whole.
    second.rerun().files_had(MIXED_FILES, 0);
}

#[test]
fn every_file_and_member_is_in_the_manifest_with_a_status_and_reason() {
    let o = mixed_round().run().status(1);
    let t = "responses/nhs_blackpool_ccg";
    let expected: BTreeSet<String> = [
        "responses/joint.csv".to_owned(),
        format!("{t}/correspondence.txt"),
        format!("{t}/answers.xlsx"),
        format!("{t}/empty.xlsx"),
        format!("{t}/blob.bin"),
        "responses/nhs_bristol_ccg/correspondence.txt".into(),
        "responses/nhs_bristol_ccg/replies.zip".into(),
        "responses/nhs_bristol_ccg/replies.zip!range.csv".into(),
        "responses/nhs_bristol_ccg/replies.zip!sub/answers.csv".into(),
        "responses/nhs_camden_ccg/correspondence.txt".into(),
        "responses/nhs_camden_ccg/reply.eml".into(),
        "responses/nhs_camden_ccg/reply.eml!answers.csv".into(),
    ]
    .into_iter()
    .collect();
    let rows = o.csv("manifest.csv");
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str()).collect();
    assert_eq!(
        paths.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>(),
        expected,
        "manifest paths"
    );
    assert_eq!(
        paths.len(),
        expected.len(),
        "a path listed twice: {paths:#?}"
    );
    for r in &rows {
        assert!(
            ["parsed", "partial", "failed", "ignored"].contains(&r["status"].as_str()),
            "{r:#?}"
        );
        if r["status"] != "parsed" {
            assert!(!r["reason"].trim().is_empty(), "no reason: {r:#?}");
        }
        assert_eq!(r["blake3"].len(), 64, "{r:#?}");
    }
    o.manifest("empty.xlsx", "empty", "failed", "empty file")
        .manifest("blob.bin", "unknown", "ignored", "not recognised")
        .manifest("replies.zip", "zip", "parsed", "2 member(s)")
        .manifest("reply.eml", "eml", "parsed", "1 attachment")
        .manifest("reply.eml!answers.csv", "csv", "parsed", "")
        // Members are read, not only listed: the e-mail's attachment answers for Camden.
        .cell("07R", "spc_budget", "2015-16", "answered", "900000");
}

/// Write `<round>/reviews.csv` from the run's review.csv, deciding the row of one cell.
fn decide(o: Outcome, body: &str, field: &str, period: &str, status: &str, value: &str) -> Outcome {
    let mut reader = csv::Reader::from_path(o.out.join("review.csv")).expect("review.csv");
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let mut decided = 0;
    for rec in reader.records() {
        let mut row: Vec<String> = rec.unwrap().iter().map(str::to_owned).collect();
        if row[col("body_code")] == body
            && row[col("field")] == field
            && row[col("period")] == period
        {
            assert!(
                !row[col("source_blake3")].is_empty(),
                "review row without its file's hash: {row:?}"
            );
            row[col("status")] = status.into();
            row[col("value")] = value.into();
            row[col("reviewer")] = "AB".into();
            row[col("note")] = "confirmed by phone".into();
            decided += 1;
        }
        w.write_record(&row).unwrap();
    }
    assert_eq!(decided, 1, "review.csv rows for {body}/{field}/{period}");
    let bytes = w.into_inner().unwrap();
    o.put("reviews.csv", &bytes)
}

#[test]
fn a_decision_on_a_file_that_changed_is_stale_and_not_applied() {
    let first = blackpool("answers.csv", fixture("range_unclear.csv"))
        .run()
        .status(1)
        .cell("00R", "spc_budget", "2015-16", "unclear", "");
    // The decision applies while the evidence is unchanged...
    let decided = decide(first, "00R", "spc_budget", "2015-16", "answered", "45000")
        .rerun()
        .files_had(2, 0)
        .cell("00R", "spc_budget", "2015-16", "answered", "45000")
        .cell_column("00R", "spc_budget", "2015-16", "source", "review")
        .no_issue("stale_review");
    // ...and not once the body has sent a corrected file.
    let mut corrected = fixture("range_unclear.csv");
    corrected.extend_from_slice(b"\"Does the CCG commission a pain control team?\",Yes\n");
    decided
        .put("responses/nhs_blackpool_ccg/answers.csv", &corrected)
        .rerun()
        .files_had(1, 1)
        .issue("stale_review", "00R", "spc_budget", "answers.csv")
        .cell("00R", "spc_budget", "2015-16", "unclear", "")
        .cell("00R", "pain_team", "", "answered", "yes");
}

#[test]
fn a_closed_pipe_ends_foi_status_quietly() {
    // `foi status ... | head -1`: the reader is gone before the table is written. The write fails
    // with a broken pipe, which ends the program with 0 and no panic.
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_foi"))
        .arg("status")
        .arg(root().join("raw/sample-2016"))
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run foi");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("foi ends");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
    assert_eq!(o.status.code(), Some(0), "stderr:\n{stderr}");
}

#[test]
fn foi_status_on_the_sample_round_prints_a_table_and_json() {
    let status = |json: bool| {
        let round = sample().command("status");
        let o = if json { round.arg("--json") } else { round }
            .run()
            .status(0);
        // Status writes nothing: no reports/ folder, no cache.
        assert_eq!(
            std::fs::read_dir(o.tmp.path()).unwrap().count(),
            0,
            "foi status wrote files"
        );
        o.stdout
    };
    let table = status(false);
    let lines: Vec<&str> = table.lines().collect();
    let head: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        head,
        [
            "code", "body", "received", "linked", "parsed", "reply", "answered", "review"
        ]
    );
    // A header, one row per body, the counts.
    assert_eq!(lines.len(), BODIES_2016 + 2, "{table}");
    let blackpool = lines
        .iter()
        .find(|l| l.starts_with("00R "))
        .expect("a row for 00R");
    assert!(
        blackpool.contains("NHS Blackpool CCG") && blackpool.contains("full"),
        "{blackpool}"
    );
    assert!(
        lines[lines.len() - 1].starts_with("209 bodies: 5 received"),
        "{table}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&status(true)).expect("foi status --json parses");
    assert_eq!(json["counts"]["surveyed"], serde_json::json!(BODIES_2016));
    assert_eq!(json["counts"]["received"], serde_json::json!(5));
    let bodies = json["bodies"].as_array().expect("bodies");
    assert_eq!(bodies.len(), BODIES_2016);
    let b = bodies.iter().find(|b| b["code"] == "00R").expect("00R");
    assert_eq!(
        (b["reply"].as_str(), b["received"].as_bool()),
        (Some("full"), Some(true))
    );
}

// The same rows as a workbook and as Parquet; the report

/// A reply whose answers a spreadsheet would run as a formula or a browser as a script.
fn hostile_answers() -> Vec<u8> {
    (csv_line(&["Question", "Response"])
        + &csv_line(&[
            "What was the CCG's total budget for specialist palliative care services in 2015/16?",
            "£1.2m",
        ])
        + &csv_line(&[
            "How many patients in your CCG population are identified as having palliative care needs?",
            "=1234+1",
        ])
        + &csv_line(&[
            "Who provides out-of-hours specialist palliative care advice?",
            "=HYPERLINK(\"http://example.com\",\"hospice\")",
        ])
        + &csv_line(&[
            "Does the CCG commission a pain control team?",
            "Yes <script>alert(1)</script>",
        ]))
    .into_bytes()
}

/// No text cell of the sheet would run as a formula in a spreadsheet.
fn assert_no_formula(sheet: &[Vec<calamine::Data>], name: &str) {
    for row in sheet {
        for cell in row {
            if let calamine::Data::String(s) = cell {
                let risky = match s.chars().next() {
                    Some('=' | '+' | '@' | '\t' | '\r') => true,
                    Some('-') => s.parse::<f64>().is_err(),
                    _ => false,
                };
                assert!(!risky, "{name}: a cell would run as a formula: {s:?}");
            }
        }
    }
}

#[test]
fn workbooks_hold_the_csv_rows_with_formulas_neutralised() {
    let o = blackpool("answers.csv", hostile_answers())
        .command("review")
        .run()
        // `foi review` exits 0 once it has written the review files.
        .status(0)
        .cell("00R", "spc_budget", "2015-16", "answered", "1200000")
        // The formulas are the cells' text as written, neutralised with a leading quote.
        .cell_column(
            "00R",
            "out_of_hours_provider",
            "",
            "raw",
            "'=HYPERLINK(\"http://example.com\",\"hospice\")",
        )
        .cell("00R", "palliative_patients", "", "unclear", "")
        .cell_column("00R", "palliative_patients", "", "raw", "'=1234+1");
    // The unclear count is flagged for review with the formula in its evidence.
    let review = o.csv("review.csv");
    assert!(
        review.iter().any(|r| r["field"] == "palliative_patients"
            && r["kind"] == "unclear"
            && r["evidence"].contains("\"=1234+1\"")),
        "{}",
        o.text("review.csv")
    );
    // The budget and every confidence are numbers in the workbook; the rest is the CSV's text.
    let numbers = o.xlsx_matches_csv("responses.xlsx", "responses.csv", &["value", "confidence"]);
    let rows = o.responses().len();
    assert_eq!(
        numbers,
        rows + 1,
        "one number per confidence, and the budget"
    );
    o.xlsx_matches_csv("review.xlsx", "review.csv", &[]);
    let sheet = o.sheet("responses.xlsx");
    for formula in [
        "'=HYPERLINK(\"http://example.com\",\"hospice\")",
        "'=1234+1",
    ] {
        assert!(
            sheet
                .iter()
                .flatten()
                .any(|c| matches!(c, calamine::Data::String(s) if s == formula)),
            "responses.xlsx lacks the neutralised {formula}"
        );
    }
    assert_no_formula(&sheet, "responses.xlsx");
    assert_no_formula(&o.sheet("review.xlsx"), "review.xlsx");
}

#[test]
fn reply_text_is_escaped_in_report_html() {
    let o = blackpool("answers.csv", hostile_answers()).run().status(1);
    // The script tag is in a cell's evidence, so report.html shows it: as text.
    assert!(
        o.responses()
            .iter()
            .any(|r| r["raw"] == "Yes <script>alert(1)</script>"),
        "the script tag should be a cell's raw text: {}",
        o.text("responses.csv")
    );
    let html = o.text("report.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        !html.to_lowercase().contains("<script"),
        "report.html holds a live script tag"
    );
}

#[test]
fn responses_parquet_reads_back_like_the_csv() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let o = sample().run().status(0);
    let path = o.out.join("responses.parquet");
    let file = std::fs::File::open(&path).expect("responses.parquet");
    let reader = SerializedFileReader::new(file).expect("read responses.parquet");
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "body_code",
            "field",
            "period",
            "status",
            "value",
            "value_text",
            "body_name",
            "source",
            "location",
            "raw",
            "rule",
            "confidence",
            "note"
        ]
    );
    let rows: Vec<Vec<(String, Field)>> = reader
        .get_row_iter(None)
        .expect("rows")
        .map(|r| {
            r.expect("row")
                .get_column_iter()
                .map(|(n, f)| (n.clone(), f.clone()))
                .collect()
        })
        .collect();
    let csv = o.responses();
    assert_eq!(rows.len(), csv.len(), "rows");
    assert_eq!(rows.len(), BODIES_2016 * PALLIATIVE_CELLS);
    let column = |name: &str| -> Vec<Field> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, f)| f.clone())
                    .expect(name)
            })
            .collect()
    };
    let text = |name: &str| -> Vec<String> {
        column(name)
            .into_iter()
            .map(|f| match f {
                Field::Str(s) => s,
                other => panic!("{name}: {other:?} is not text"),
            })
            .collect()
    };
    let number = |name: &str| -> Vec<Option<f64>> {
        column(name)
            .into_iter()
            .map(|f| match f {
                Field::Double(v) => Some(v),
                Field::Null => None,
                other => panic!("{name}: {other:?} is not a number"),
            })
            .collect()
    };
    let value = number("value");
    let value_text = text("value_text");
    let confidence = number("confidence");
    // Row for row the CSV's cells; Parquet keeps text as written, the CSV neutralises it.
    for name in [
        "body_code",
        "field",
        "period",
        "status",
        "body_name",
        "source",
        "location",
        "raw",
        "rule",
        "note",
    ] {
        for (i, (p, c)) in text(name).iter().zip(&csv).enumerate() {
            assert_eq!(foi_survey::report::neutralise(p), c[name], "row {i} {name}");
        }
    }
    for (i, c) in csv.iter().enumerate() {
        assert_eq!(value_text[i], c["value"], "row {i} value_text");
        assert_eq!(value[i], c["value"].parse::<f64>().ok(), "row {i} value");
        assert_eq!(
            confidence[i],
            c["confidence"].parse::<f64>().ok(),
            "row {i} confidence"
        );
    }
    // Two known cells: Blackpool's budget (given in £000) and its yes/no for 7-day beds.
    let find = |field: &str, period: &str| {
        csv.iter()
            .position(|r| r["body_code"] == "00R" && r["field"] == field && r["period"] == period)
            .expect("00R row")
    };
    let budget = find("spc_budget", "2015-16");
    assert_eq!(
        (value[budget], value_text[budget].as_str()),
        (Some(1_235_000.0), "1235000")
    );
    let beds = find("seven_day_beds", "");
    assert_eq!((value[beds], value_text[beds].as_str()), (None, "yes"));
}

#[test]
fn outputs_are_the_same_bytes_whatever_the_thread_count() {
    let run = |threads: &str| {
        sample()
            .env("RAYON_NUM_THREADS", threads)
            .env("POLARS_MAX_THREADS", threads)
            .run()
            .status(0)
    };
    let (one, four) = (run("1"), run("4"));
    let (a, b) = (one.files(), four.files());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "files written"
    );
    for f in OUTPUTS {
        assert!(a.contains_key(f), "{f} not written");
    }
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between 1 and 4 threads");
    }
}

#[test]
fn report_md_of_a_tiny_round() {
    let o = blackpool("answers.csv", complete_answers())
        .correspondence("nhs_luton_ccg", luton_refuses())
        .run()
        .status(0);
    // tests/snapshots/cli__report_md_tiny_round.snap: review a change with `cargo insta review`.
    insta::assert_snapshot!("report_md_tiny_round", o.text("report.md"));
}

#[test]
fn a_scanned_table_two_rows_deep_is_read_without_its_rule_stubs() {
    // tests/fixtures/scan_short_side_rules.pdf (tests/fixtures/make_scans.py): a ruled CAMHS
    // table, and under it a Future in Mind table two rows deep, drawn at 150 dpi, turned 0.25°
    // and speckled. The short table's sides are shorter than the rule finder's strips, and
    // the stubs of a last row's sides were once read as "J" or "|" beside the figures.
    // CI installs Tesseract; a laptop may not have it.
    if !foi_survey::ingest::pdf::tesseract_available() {
        eprintln!("note: tesseract not on PATH: scanned-table test skipped");
        return;
    }
    let o = blackpool("FOI response.pdf", fixture("scan_short_side_rules.pdf"))
        .schema("camhs")
        .run();
    // The mental health budget is not in the reply: flagged for a person, so exit 1.
    o.status(1)
        .cell("00R", "camhs_budget", "2014-15", "answered", "2104000")
        .cell("00R", "camhs_budget", "2015-16", "answered", "2377000")
        .cell("00R", "camhs_budget", "2016-17", "answered", "2590000")
        .cell("00R", "fim_allocation", "2015-16", "answered", "512000")
        .cell("00R", "fim_allocation", "2016-17", "answered", "1348000")
        .cell_column("00R", "fim_allocation", "2015-16", "location", "page 1");
}
