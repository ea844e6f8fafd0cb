//! Writes `raw/sample-2016/`: a small palliative-care round in the folder layout of SPEC.md,
//! made with the project's own schema and body register, for trying `foi run` on a fresh clone.
//!
//!     cargo run --example make_sample_round            # writes raw/sample-2016/
//!     cargo run --example make_sample_round -- DIR     # writes DIR instead
//!
//! Six threads, one per reply style:
//!
//! | folder                                             | body | reply                                           |
//! |----------------------------------------------------|------|-------------------------------------------------|
//! | nhs_blackpool_ccg                                  | 00R  | the template returned filled, budget in £000    |
//! | leeds_south_and_east_clinical_commissioning_group  | 03G  | the body's own wide table + answers in the mail |
//! | hull_ccg                                           | 03F  | semicolon CSV in Windows-1252 (£ as byte A3)    |
//! | nhs_camden_ccg                                     | 07R  | answers typed in the e-mail                     |
//! | luton_clinical_commissioning_group                 | 06P  | whole request refused under section 12          |
//! | nhs_bristol_ccg                                    | 11H  | empty folder: no reply                          |
//!
//! Git keeps no empty folders, so `nhs_bristol_ccg/` exists only where this example has run;
//! either way Bristol (like every other body not listed) has no reply.
//!
//! The names and codes are real (schemas/bodies/ccg.csv); the figures are made up.
//! The output is byte-for-byte the same on every run.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

/// The questions, as the project's schema words them.
fn questions() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/palliative_care.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    table["field"]
        .as_array()
        .expect("[[field]]")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["question"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The request message, the body's acknowledgement and its reply, as WhatDoTheyKnow saves a thread.
fn thread(
    body: &str,
    mailbox: &str,
    officer: &str,
    reference: &str,
    reply: &str,
    attachments: &[&str],
) -> String {
    let request_no = 340_100 + reference.bytes().map(u32::from).sum::<u32>();
    let requester = format!("Sam Patel <request-{request_no}-5a1e2f0c@whatdotheyknow.com>");
    let rule = "-".repeat(67);
    let mut qs = String::new();
    for (i, (_, q)) in questions().iter().enumerate() {
        qs.push_str(&format!("{}. {q}\n", i + 1));
    }
    let mut t = format!(
        "From: {requester}\nTo: FOI requests at {body} <{mailbox}>\nDate: Wed, 01 Jun 2016 10:02:11 +0100\n\
         Subject: Freedom of Information request - Specialist palliative care commissioning\n\n\
         Dear {body},\n\n\
         Under the Freedom of Information Act 2000, please tell me:\n\n{qs}\n\
         A template is attached; any convenient electronic format is fine.\n\n\
         Yours faithfully,\n\nSam Patel\n\n{rule}\n\n\
         Please use this email address for all replies to this request:\n{}\n\n{rule}\n\n",
        requester.split(['<', '>']).nth(1).unwrap_or_default()
    );
    t.push_str(&format!(
        "From: {officer} <{mailbox}>\nTo: {requester}\nDate: Thu, 02 Jun 2016 09:15:40 +0100\n\
         Subject: RE: Freedom of Information request [{reference}]\n\n\
         Dear Sam Patel,\n\n\
         Thank you for your request for information, which we received on 01 June 2016 and have logged as {reference}.\n\n\
         Kind regards,\n\n{officer}\nFOI Officer\n{body}\n\n{rule}\n\n"
    ));
    let attached = if attachments.is_empty() {
        String::new()
    } else {
        format!("\nAttachment: {}\n", attachments.join(", "))
    };
    t.push_str(&format!(
        "From: {officer} <{mailbox}>\nTo: {requester}\nDate: Tue, 21 Jun 2016 15:40:02 +0100\n\
         Subject: {reference} - Response - Specialist palliative care commissioning\n\n\
         Dear Sam Patel,\n\nOur ref: {reference}\n\n{reply}\n\n\
         If you are dissatisfied with the handling of your request, you have the right to ask for an\n\
         internal review within two months of the date of this response.\n\n\
         Yours sincerely,\n\n{officer}\nFOI Officer\n{body}\n{attached}"
    ));
    t
}

fn properties() -> DocProperties {
    DocProperties::new()
        .set_author("FOI team")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2016, 6, 20).expect("date"))
}

/// The researcher's template returned filled: Question | Response | Notes, the budget in £000.
fn blackpool_template() -> Vec<u8> {
    let answers: &[(&str, Answer, &str)] = &[
        (
            "palliative_patients",
            Answer::Text("1,234"),
            "From the GP palliative care registers, March 2016",
        ),
        ("spc_budget", Answer::Number(1235.0), "£000"),
        ("seven_day_beds", Answer::Text("Yes"), ""),
        (
            "seven_day_home",
            Answer::Text("Partially - weekends by telephone only"),
            "",
        ),
        (
            "out_of_hours_provider",
            Answer::Text("Trinity Hospice"),
            "Advice line for professionals",
        ),
        ("pain_team", Answer::Text("Yes"), ""),
        (
            "pain_team_hours",
            Answer::Text("Monday to Friday, 9am-5pm"),
            "",
        ),
        (
            "education",
            Answer::Text("Yes"),
            "Through Trinity Hospice education centre",
        ),
        (
            "review_planned",
            Answer::Text("Yes - a review is planned for 2016/17"),
            "",
        ),
    ];
    let qs = questions();
    let mut wb = Workbook::new();
    wb.set_properties(&properties());
    let bold = Format::new().set_bold();
    let thousands = Format::new().set_num_format("#,##0");
    let ws = wb.add_worksheet();
    ws.set_name("FOI response").unwrap();
    ws.write_string_with_format(
        0,
        0,
        "NHS Blackpool CCG: Freedom of Information response",
        &bold,
    )
    .unwrap();
    for (c, h) in ["Question", "Response", "Notes"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold).unwrap();
    }
    for (i, (id, answer, note)) in answers.iter().enumerate() {
        let row = 2 + i as u32;
        let q = &qs.iter().find(|(f, _)| f == id).expect("field").1;
        ws.write_string(row, 0, format!("{}. {q}", i + 1)).unwrap();
        match answer {
            Answer::Text(t) => ws.write_string(row, 1, *t).map(|_| ()).unwrap(),
            Answer::Number(n) => ws
                .write_number_with_format(row, 1, *n, &thousands)
                .map(|_| ())
                .unwrap(),
        }
        if !note.is_empty() {
            ws.write_string(row, 2, *note).unwrap();
        }
    }
    ws.set_column_width(0, 90).unwrap();
    ws.set_column_width(1, 40).unwrap();
    ws.set_column_width(2, 45).unwrap();
    wb.save_to_buffer().expect("xlsx")
}

enum Answer {
    Text(&'static str),
    Number(f64),
}

/// The body's own table: providers by year, components and a total line.
fn leeds_wide_table() -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties());
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("£#,##0");
    let ws = wb.add_worksheet();
    ws.set_name("Expenditure").unwrap();
    ws.write_string_with_format(
        0,
        0,
        "Specialist palliative care expenditure by provider",
        &bold,
    )
    .unwrap();
    for (c, h) in ["Provider", "2014/15", "2015/16"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold).unwrap();
    }
    let rows: &[(&str, f64, f64)] = &[
        ("St Gemma's Hospice", 1_102_000.0, 1_148_500.0),
        ("Wheatfields Hospice", 610_300.0, 625_000.0),
        (
            "Community SPC team (Leeds Community Healthcare)",
            402_000.0,
            415_750.0,
        ),
        ("Total", 2_114_300.0, 2_189_250.0),
    ];
    for (i, (label, a, b)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        let f = if *label == "Total" {
            bold.clone().set_num_format("£#,##0")
        } else {
            money.clone()
        };
        ws.write_string(r, 0, *label).unwrap();
        ws.write_number_with_format(r, 1, *a, &f).unwrap();
        ws.write_number_with_format(r, 2, *b, &f).unwrap();
    }
    ws.set_column_width(0, 50).unwrap();
    wb.save_to_buffer().expect("xlsx")
}

/// A semicolon-separated CSV saved by Excel in Windows-1252: the pound sign is byte A3.
fn hull_csv() -> Vec<u8> {
    let qs = questions();
    let q = |id: &str| qs.iter().find(|(f, _)| f == id).expect("field").1.clone();
    let rows = [
        ("palliative_patients", "Not held", "Not recorded centrally"),
        ("spc_budget", "£2,104,000", "Includes hospice grant"),
        ("seven_day_beds", "Yes", ""),
        ("seven_day_home", "Yes", ""),
        (
            "out_of_hours_provider",
            "Both - Dove House Hospice and City Health Care Partnership",
            "",
        ),
        ("pain_team", "No", ""),
        ("pain_team_hours", "N/A", ""),
        ("education", "Yes", ""),
        ("review_planned", "No", ""),
    ];
    let mut text = String::from("No.;Question;Answer;Comments\r\n");
    for (i, (id, answer, comment)) in rows.iter().enumerate() {
        text.push_str(&format!("{};{};{answer};{comment}\r\n", i + 1, q(id)));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(bytes.contains(&0xA3));
    bytes.into_owned()
}

/// raw/sample-2016/claims.toml (README: Claims check).
const CLAIMS: &str = r#"# Published statements to reproduce from this round's own statistics (README: Claims check).
# key: a summary.json key; kind: "percent" (default) or "count"; tolerance: default 0.5.

[[claim]]
text = "Half of the CCGs that answered commission a pain control team"
key = "pain_team.percent"
value = 50.0
denominator_key = "pain_team.answered"

[[claim]]
text = "Every CCG that answered commissions palliative care education (4 CCGs)"
key = "education.yes"
kind = "count"
value = 4

[[claim]]
text = "45% of CCGs plan to review their palliative care services"
key = "review_planned.percent"
value = 45.0
denominator_key = "review_planned.answered"
"#;

fn main() {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("raw/sample-2016"));
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
    let write = |rel: &str, bytes: &[u8]| {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    };

    write(
        "round.toml",
        b"title = \"Specialist palliative care commissioning FOI: sample round, 2016\"\n\
          schema = \"palliative_care\"\n\
          bodies = \"ccg\"\n\
          as_of = \"2016-06-01\"\n\
          [reference]\n\
          population = \"reference/population.csv\"\n",
    );
    let mut request =
        String::from("Under the Freedom of Information Act 2000, please tell me:\n\n");
    for (i, (_, q)) in questions().iter().enumerate() {
        request.push_str(&format!("{}. {q}\n", i + 1));
    }
    write("request.txt", request.as_bytes());
    // Published statements for the report's claims check, one of them a misprint.
    write("claims.toml", CLAIMS.as_bytes());
    // Registered population, made up but near the register's 2016 Q1 figures.
    write(
        "reference/population.csv",
        b"body_code,period,value\n00R,2015-16,172410\n03F,2015-16,292870\n03G,2015-16,270655\n\
          06P,2015-16,226930\n07R,2015-16,265120\n11H,2015-16,491800\n",
    );

    // 1. The template returned filled.
    let body = "NHS Blackpool CCG";
    write(
        "responses/nhs_blackpool_ccg/correspondence.txt",
        thread(
            body,
            "blackpool.foi@nhs.net",
            "Karen Whitworth",
            "FOI 16-101",
            "Please find the CCG's answers in the attached template.",
            &["FOI 16-101 response.xlsx"],
        )
        .as_bytes(),
    );
    write(
        "responses/nhs_blackpool_ccg/FOI 16-101 response.xlsx",
        &blackpool_template(),
    );

    // 2. The body's own table for the budget; the other answers in the e-mail.
    let body = "NHS Leeds South and East CCG";
    write(
        "responses/leeds_south_and_east_clinical_commissioning_group/correspondence.txt",
        thread(
            body,
            "leedssande.foi@nhs.net",
            "Owen Gallagher",
            "LSE-FOI-0457",
            "Our expenditure on specialist palliative care is set out in the attached spreadsheet.\n\n\
             1. Patients with palliative care needs: 2,870.\n\n\
             3. 7-day admission to specialist palliative care beds: Yes.\n\n\
             4. 7-day specialist palliative care in patients' own homes: Yes - 7 days a week.\n\n\
             5. Out-of-hours specialist palliative care advice: provided by St Gemma's Hospice.\n\n\
             6. Pain control team: No.\n\n\
             7. Pain team operating hours: N/A.\n\n\
             8. Palliative care education for healthcare professionals: Yes.\n\n\
             9. Review of palliative care services planned: Yes.",
            &["SPC expenditure 2014-16.xlsx"],
        )
        .as_bytes(),
    );
    write(
        "responses/leeds_south_and_east_clinical_commissioning_group/SPC expenditure 2014-16.xlsx",
        &leeds_wide_table(),
    );

    // 3. Semicolon CSV in Windows-1252.
    let body = "NHS Hull CCG";
    write(
        "responses/hull_ccg/correspondence.txt",
        thread(
            body,
            "hull.foi@nhs.net",
            "Denise Marsh",
            "HCCG/FOI/16/233",
            "Please see the attached file for our response.",
            &["FOI response 16-233.csv"],
        )
        .as_bytes(),
    );
    write("responses/hull_ccg/FOI response 16-233.csv", &hull_csv());

    // 4. Answers typed in the e-mail.
    let body = "NHS Camden CCG";
    write(
        "responses/nhs_camden_ccg/correspondence.txt",
        thread(
            body,
            "camden.foi@nhs.net",
            "Priya Raman",
            "CCCG FOI 2016/388",
            "The CCG's answers are below.\n\n\
             1. Patients with palliative care needs: 1,980.\n\n\
             2. Specialist palliative care budget 2015/16: £1.45m.\n\n\
             3. 7-day admission to specialist palliative care beds: Yes.\n\n\
             4. 7-day specialist palliative care in patients' own homes: No - Monday to Friday 9-5 only.\n\n\
             5. Out-of-hours specialist palliative care advice: provided by Marie Curie Hospice, Hampstead.\n\n\
             6. Pain control team: Yes.\n\n\
             7. Pain team operating hours: 24/7.\n\n\
             8. Palliative care education for healthcare professionals: Yes.\n\n\
             9. Review of palliative care services planned: No.",
            &[],
        )
        .as_bytes(),
    );

    // 5. Refused under section 12, in the correspondence only.
    let body = "NHS Luton CCG";
    write(
        "responses/luton_clinical_commissioning_group/correspondence.txt",
        thread(
            body,
            "luton.foi@nhs.net",
            "Graham Okafor",
            "LCCG 16/0912",
            "We estimate that the cost of complying with your request would exceed the appropriate\n\
             limit of £450 set by the Freedom of Information and Data Protection (Appropriate Limit\n\
             and Fees) Regulations 2004. Section 12 of the Freedom of Information Act 2000 therefore\n\
             applies and the CCG will not be providing the information on this occasion.",
            &[],
        )
        .as_bytes(),
    );

    // 6. No reply: the thread folder is empty.
    std::fs::create_dir_all(out.join("responses/nhs_bristol_ccg")).unwrap();

    println!("wrote {}", out.display());
}
