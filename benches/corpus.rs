//! The benchmark corpus: a round of N replies (thread folders) for timing `foi run` at scale,
//! written by [`write_round`]. `benches/pipeline.rs` builds the 200-reply round with it;
//! `examples/make_bench_round.rs` (and `benches/scale.sh` through it) builds any size:
//!
//!     cargo run --release --example make_bench_round -- 2000          # target/bench-rounds/palliative-2000/
//!     cargo run --release --example make_bench_round -- 2000 DIR      # writes DIR instead
//!
//! The round is a palliative-care round over the real register (`schemas/bodies/ccg.csv`, the
//! 209 CCGs open on 2016-06-01). Thread `i` speaks for body `i mod 209`; past the 209th thread
//! the bodies come round again in folders numbered as WhatDoTheyKnow numbers a second request
//! to the same body (`nhs_blackpool_ccg_2`, `_3`, ...). A body's figures depend on its code
//! only, so its several replies agree; what grows with N is files to read, documents to
//! extract, threads to link and answers to reconcile, while the register and the tables of
//! results stay at 209 bodies.
//!
//! Thread `i` takes reply style `i mod 10` (10 and 209 share no factor, so a body's repeated
//! threads get different styles), each one a fixture style of `make_sample_round` and
//! `make_fixtures`:
//!
//! | style | files beside correspondence.txt                                              |
//! |-------|-------------------------------------------------------------------------------|
//! | 0     | the template returned filled (xlsx), the budget in £000 with a "£000" note    |
//! | 1     | the body's own wide table (xlsx, a Total row); other answers in the e-mail    |
//! | 2     | semicolon CSV in Windows-1252 (£ as byte A3)                                  |
//! | 3     | comma CSV in UTF-8 with a byte-order mark                                     |
//! | 4     | none: answers typed in the e-mail                                             |
//! | 5     | a zip holding the CSV answers and a cover note                                |
//! | 6     | a Word letter (docx) with a Question / Response table                         |
//! | 7     | a saved e-mail (.eml) with the CSV attached                                   |
//! | 8     | none: the whole request refused under section 12                              |
//! | 9     | none: the information is not held                                             |
//!
//! The names and codes are real; the figures are made up. The same N gives the same bytes.
//! Bench rounds live under `target/bench-rounds/` and are never committed.

use foi_survey::register::{Body, Register};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::io::Write;
use std::path::{Path, PathBuf};

const STYLES: usize = 10;

/// The questions, as the project's schema words them: (field id, question).
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
                f["id"].as_str().expect("id").to_owned(),
                f["question"].as_str().expect("question").to_owned(),
            )
        })
        .collect()
}

/// One body's made-up answers, the same in every reply it sends.
struct Answers {
    patients: u32,
    /// Pounds, a whole number of thousands (so "£000" replies are exact).
    budget: u64,
    beds: bool,
    home: bool,
    out_of_hours: &'static str,
    pain_team: bool,
    pain_hours: &'static str,
    education: bool,
    review: bool,
}

/// FNV-1a then the splitmix64 finaliser: a fixed, well-mixed hash of a short text, so the
/// figures are the same on every run and the yes/no bits are not all alike.
fn fnv(s: &str) -> u64 {
    let mut h = s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl Answers {
    fn of(body: &Body) -> Answers {
        let h = fnv(&body.code);
        let bit = |n: u32| (h >> n) & 1 == 1;
        let pain_team = bit(40);
        Answers {
            patients: 400 + (h % 4000) as u32,
            budget: (600 + (h >> 12) % 2800) * 1000,
            beds: bit(30),
            home: bit(31),
            out_of_hours: [
                "St Catherine's Hospice",
                "the NHS community trust",
                "Both - the hospice and the NHS community trust",
                "None - not commissioned",
            ][((h >> 33) % 4) as usize],
            pain_team,
            pain_hours: if pain_team {
                ["Monday to Friday, 9am-5pm", "24/7", "Evenings and weekends"]
                    [((h >> 36) % 3) as usize]
            } else {
                "N/A"
            },
            education: bit(41),
            review: bit(42),
        }
    }

    /// (field id, answer as a reply writes it); the budget in pounds with a pound sign.
    fn rows(&self) -> Vec<(&'static str, String)> {
        let yn = |b: bool| if b { "Yes".to_owned() } else { "No".to_owned() };
        vec![
            ("palliative_patients", thousands(u64::from(self.patients))),
            ("spc_budget", format!("£{}", thousands(self.budget))),
            ("seven_day_beds", yn(self.beds)),
            ("seven_day_home", yn(self.home)),
            ("out_of_hours_provider", self.out_of_hours.to_owned()),
            ("pain_team", yn(self.pain_team)),
            ("pain_team_hours", self.pain_hours.to_owned()),
            ("education", yn(self.education)),
            ("review_planned", yn(self.review)),
        ]
    }
}

/// 1234567 -> "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A folder name as WhatDoTheyKnow makes it from the body's name: `nhs_blackpool_ccg`.
fn slug(name: &str) -> String {
    let lowered: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The request, the body's acknowledgement and its reply, as WhatDoTheyKnow saves a thread.
fn thread(
    qs: &[(String, String)],
    body: &str,
    slug: &str,
    reference: &str,
    reply: &str,
    attachments: &[&str],
) -> String {
    let mailbox = format!("{}.foi@nhs.net", slug.replace('_', "."));
    let officer = "Alex Morgan";
    let request_no = 340_100 + fnv(reference) % 100_000;
    let requester = format!("Sam Patel <request-{request_no}-5a1e2f0c@whatdotheyknow.com>");
    let rule = "-".repeat(67);
    let mut list = String::new();
    for (i, (_, q)) in qs.iter().enumerate() {
        list.push_str(&format!("{}. {q}\n", i + 1));
    }
    let attached = if attachments.is_empty() {
        String::new()
    } else {
        format!("\nAttachment: {}\n", attachments.join(", "))
    };
    format!(
        "From: {requester}\nTo: FOI requests at {body} <{mailbox}>\nDate: Wed, 01 Jun 2016 10:02:11 +0100\n\
         Subject: Freedom of Information request - Specialist palliative care commissioning\n\n\
         Dear {body},\n\n\
         Under the Freedom of Information Act 2000, please tell me:\n\n{list}\n\
         A template is attached; any convenient electronic format is fine.\n\n\
         Yours faithfully,\n\nSam Patel\n\n{rule}\n\n\
         From: {officer} <{mailbox}>\nTo: {requester}\nDate: Thu, 02 Jun 2016 09:15:40 +0100\n\
         Subject: RE: Freedom of Information request [{reference}]\n\n\
         Dear Sam Patel,\n\n\
         Thank you for your request for information, which we received on 01 June 2016 and have logged as {reference}.\n\n\
         Kind regards,\n\n{officer}\nFOI Officer\n{body}\n\n{rule}\n\n\
         From: {officer} <{mailbox}>\nTo: {requester}\nDate: Tue, 21 Jun 2016 15:40:02 +0100\n\
         Subject: {reference} - Response - Specialist palliative care commissioning\n\n\
         Dear Sam Patel,\n\nOur ref: {reference}\n\n{reply}\n\n\
         If you are dissatisfied with the handling of your request, you have the right to ask for an\n\
         internal review within two months of the date of this response.\n\n\
         Yours sincerely,\n\n{officer}\nFOI Officer\n{body}\n{attached}"
    )
}

fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_author("FOI team")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2016, 6, 20).expect("date")),
    );
    wb
}

/// Style 0: Question | Response | Notes, the budget as a number of thousands noted "£000".
fn template_xlsx(qs: &[(String, String)], body: &str, a: &Answers) -> Vec<u8> {
    let mut wb = workbook();
    let bold = Format::new().set_bold();
    let thousands_fmt = Format::new().set_num_format("#,##0");
    let ws = wb.add_worksheet();
    ws.set_name("FOI response").expect("sheet name");
    ws.write_string_with_format(
        0,
        0,
        format!("{body}: Freedom of Information response"),
        &bold,
    )
    .expect("cell");
    for (c, h) in ["Question", "Response", "Notes"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)
            .expect("cell");
    }
    for (i, (id, answer)) in a.rows().into_iter().enumerate() {
        let row = 2 + i as u32;
        let q = &qs.iter().find(|(f, _)| f == id).expect("field").1;
        ws.write_string(row, 0, format!("{}. {q}", i + 1))
            .expect("cell");
        if id == "spc_budget" {
            ws.write_number_with_format(row, 1, (a.budget / 1000) as f64, &thousands_fmt)
                .expect("cell");
            ws.write_string(row, 2, "£000").expect("cell");
        } else {
            ws.write_string(row, 1, answer).expect("cell");
        }
    }
    ws.set_column_width(0, 90).expect("width");
    ws.set_column_width(1, 40).expect("width");
    wb.save_to_buffer().expect("xlsx")
}

/// Style 1: the body's own table of spend by provider and year, with a Total row.
fn wide_table_xlsx(a: &Answers) -> Vec<u8> {
    let mut wb = workbook();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("£#,##0");
    let ws = wb.add_worksheet();
    ws.set_name("Expenditure").expect("sheet name");
    ws.write_string_with_format(
        0,
        0,
        "Specialist palliative care expenditure by provider",
        &bold,
    )
    .expect("cell");
    for (c, h) in ["Provider", "2014/15", "2015/16"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)
            .expect("cell");
    }
    let hospice = a.budget / 2;
    let community = a.budget - hospice;
    let rows = [
        ("Hospice grant", hospice * 97 / 100, hospice),
        ("Community SPC team", community * 97 / 100, community),
        ("Total", hospice * 97 / 100 + community * 97 / 100, a.budget),
    ];
    for (i, (label, before, now)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string(r, 0, *label).expect("cell");
        ws.write_number_with_format(r, 1, *before as f64, &money)
            .expect("cell");
        ws.write_number_with_format(r, 2, *now as f64, &money)
            .expect("cell");
    }
    ws.set_column_width(0, 50).expect("width");
    wb.save_to_buffer().expect("xlsx")
}

/// The answers as short numbered paragraphs ("1. Patients with palliative care needs: 1,234."),
/// as `make_sample_round` writes them in an e-mail, leaving out `skip`.
fn prose(a: &Answers, skip: &[&str]) -> String {
    const LABELS: [&str; 9] = [
        "Patients with palliative care needs",
        "Specialist palliative care budget 2015/16",
        "7-day admission to specialist palliative care beds",
        "7-day specialist palliative care in patients' own homes",
        "Out-of-hours specialist palliative care advice",
        "Pain control team",
        "Pain team operating hours",
        "Palliative care education for healthcare professionals",
        "Review of palliative care services planned",
    ];
    let mut out = String::from("The CCG's answers are below.");
    for (i, ((id, answer), label)) in a.rows().into_iter().zip(LABELS).enumerate() {
        if skip.contains(&id) {
            continue;
        }
        out.push_str(&format!("\n\n{}. {label}: {answer}.", i + 1));
    }
    out
}

/// The answers as delimited text: No. | Question | Answer.
fn delimited(qs: &[(String, String)], a: &Answers, sep: char, eol: &str) -> String {
    let quote = |s: &str| {
        if s.contains(sep) || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut text = format!("No.{sep}Question{sep}Answer{eol}");
    for (i, (id, answer)) in a.rows().into_iter().enumerate() {
        let q = &qs.iter().find(|(f, _)| f == id).expect("field").1;
        text.push_str(&format!(
            "{}{sep}{}{sep}{}{eol}",
            i + 1,
            quote(q),
            quote(&answer)
        ));
    }
    text
}

/// Style 2: semicolons, Windows-1252.
fn cp1252_csv(qs: &[(String, String)], a: &Answers) -> Vec<u8> {
    let text = delimited(qs, a, ';', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Style 3 (and the zip's and e-mail's attachment): commas, UTF-8 with a byte-order mark.
fn bom_csv(qs: &[(String, String)], a: &Answers) -> Vec<u8> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(delimited(qs, a, ',', "\n").as_bytes());
    bytes
}

/// A fixed date for every zip member, so the bytes do not depend on the clock.
fn zip_options() -> zip::write::SimpleFileOptions {
    let date = zip::DateTime::from_date_and_time(2016, 6, 20, 12, 0, 0).expect("date");
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        w.start_file(*name, zip_options()).expect("zip member");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Style 6: a letter with a two-column table, the least a Word file needs.
fn docx(qs: &[(String, String)], body: &str, a: &Answers) -> Vec<u8> {
    let p = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(t)
        )
    };
    let tc = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let mut table = format!("<w:tbl><w:tr>{}{}</w:tr>", tc("Question"), tc("Response"));
    for (id, answer) in a.rows() {
        let q = &qs.iter().find(|(f, _)| f == id).expect("field").1;
        table.push_str(&format!("<w:tr>{}{}</w:tr>", tc(q), tc(&answer)));
    }
    table.push_str("</w:tbl>");
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}{}{table}{}</w:body></w:document>",
        p(body),
        p("Freedom of Information response: specialist palliative care"),
        p("Yours sincerely, FOI Officer"),
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", xml.as_bytes()),
    ])
}

/// Style 7: the reply saved as an e-mail with the CSV attached.
fn eml(body: &str, slug: &str, attachment: &str, bytes: &[u8]) -> Vec<u8> {
    let mailbox = format!("{}.foi@nhs.net", slug.replace('_', "."));
    let mut m = format!(
        "From: FOI Officer <{mailbox}>\r\nTo: Sam Patel <request-1-5a1e2f0c@whatdotheyknow.com>\r\n\
         Subject: FOI response - {body}\r\nDate: Tue, 21 Jun 2016 15:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nDear Sam Patel,\r\n\r\n\
         Please find {body}'s answers attached.\r\n\r\n--b1\r\n\
         Content-Type: text/csv; name=\"{attachment}\"\r\n\
         Content-Disposition: attachment; filename=\"{attachment}\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    .into_bytes();
    m.extend_from_slice(bytes);
    m.extend_from_slice(b"\r\n--b1--\r\n");
    m
}

/// The files of thread `i`: (name, bytes), correspondence.txt first.
fn reply_files(
    i: usize,
    body: &Body,
    slug: &str,
    qs: &[(String, String)],
) -> Vec<(String, Vec<u8>)> {
    let a = Answers::of(body);
    let name = body.name.as_str();
    let reference = format!("FOI {}-{:05}", body.code, i);
    let letter = |reply: &str, attachments: &[&str]| {
        thread(qs, name, slug, &reference, reply, attachments).into_bytes()
    };
    let see = "Please find the CCG's response attached.";
    let file = |ext: &str| format!("{reference} response.{ext}");
    match i % STYLES {
        0 => {
            let f = file("xlsx");
            vec![
                ("correspondence.txt".into(), letter(see, &[&f])),
                (f, template_xlsx(qs, name, &a)),
            ]
        }
        1 => {
            let f = format!("SPC expenditure {reference}.xlsx");
            let reply = format!(
                "Our expenditure on specialist palliative care is set out in the attached spreadsheet.\n\n{}",
                prose(&a, &["spc_budget"]).trim_start_matches("The CCG's answers are below.\n\n")
            );
            vec![
                ("correspondence.txt".into(), letter(&reply, &[&f])),
                (f, wide_table_xlsx(&a)),
            ]
        }
        2 => {
            let f = file("csv");
            vec![
                ("correspondence.txt".into(), letter(see, &[&f])),
                (f, cp1252_csv(qs, &a)),
            ]
        }
        3 => {
            let f = file("csv");
            vec![
                ("correspondence.txt".into(), letter(see, &[&f])),
                (f, bom_csv(qs, &a)),
            ]
        }
        4 => vec![("correspondence.txt".into(), letter(&prose(&a, &[]), &[]))],
        5 => {
            let f = file("zip");
            let note = format!(
                "{name}\nFreedom of Information response {reference}\n\nOur answers are in the enclosed spreadsheet.\n"
            );
            let bytes = zip_of(&[
                ("cover note.txt", note.as_bytes()),
                ("answers.csv", &bom_csv(qs, &a)),
            ]);
            vec![
                ("correspondence.txt".into(), letter(see, &[&f])),
                (f, bytes),
            ]
        }
        6 => {
            let f = file("docx");
            vec![
                ("correspondence.txt".into(), letter(see, &[&f])),
                (f, docx(qs, name, &a)),
            ]
        }
        7 => {
            let f = file("eml");
            let bytes = eml(name, slug, "answers.csv", &bom_csv(qs, &a));
            vec![
                (
                    "correspondence.txt".into(),
                    letter("Our reply is attached as the e-mail we sent.", &[&f]),
                ),
                (f, bytes),
            ]
        }
        8 => vec![(
            "correspondence.txt".into(),
            letter(
                "We estimate that the cost of complying with your request would exceed the appropriate\n\
                 limit of £450 set by the Freedom of Information and Data Protection (Appropriate Limit\n\
                 and Fees) Regulations 2004. Section 12 of the Freedom of Information Act 2000 therefore\n\
                 applies and the CCG will not be providing the information on this occasion.",
                &[],
            ),
        )],
        _ => vec![(
            "correspondence.txt".into(),
            letter(
                "The CCG does not hold the information you have requested: specialist palliative care is commissioned by NHS England.",
                &[],
            ),
        )],
    }
}

/// Where the round of `n` replies goes by default: `target/bench-rounds/palliative-<n>/`.
pub fn default_dir(n: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-rounds/palliative-{n}"))
}

/// What [`write_round`] wrote under `responses/`.
pub struct Written {
    pub files: usize,
    pub bytes: usize,
}

/// Write a round of `n` replies into `out` (emptied first). The same `n` gives the same bytes.
pub fn write_round(out: &Path, n: usize) -> std::io::Result<Written> {
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    let register = Register::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bodies/ccg.csv"),
        "2016-06-01",
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let qs = questions();
    let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)
    };

    write(
        "round.toml",
        format!(
            "title = \"Specialist palliative care commissioning FOI: benchmark round of {n} replies\"\n\
             schema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n\
             [reference]\npopulation = \"reference/population.csv\"\n"
        )
        .as_bytes(),
    )?;
    let mut request =
        String::from("Under the Freedom of Information Act 2000, please tell me:\n\n");
    for (i, (_, q)) in qs.iter().enumerate() {
        request.push_str(&format!("{}. {q}\n", i + 1));
    }
    write("request.txt", request.as_bytes())?;
    let mut population = String::from("body_code,period,value\n");
    for b in &register.bodies {
        if let Some(p) = b.registered_patients {
            population.push_str(&format!("{},2015-16,{p}\n", b.code));
        }
    }
    write("reference/population.csv", population.as_bytes())?;

    let bodies = &register.bodies;
    let mut written = Written { files: 0, bytes: 0 };
    for i in 0..n {
        let body = &bodies[i % bodies.len()];
        let copy = i / bodies.len();
        let base = slug(&body.name);
        let folder = if copy == 0 {
            base.clone()
        } else {
            format!("{base}_{}", copy + 1)
        };
        for (name, content) in reply_files(i, body, &base, &qs) {
            write(&format!("responses/{folder}/{name}"), &content)?;
            written.files += 1;
            written.bytes += content.len();
        }
    }
    Ok(written)
}
