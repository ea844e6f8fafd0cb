//! Hostile and broken files (issue 6): each case sits beside one good reply in a tiny round, and
//! every test asserts the same three things through the `foi` binary: the run completes, the bad
//! file is named in `manifest.csv` (and `issues.csv` where a person must act) with its reason, and
//! the good reply is still read exactly.

mod support;

use std::io::Write;
use support::{Outcome, Round};

/// The good reply every round carries: Blackpool (00R) answers two questions in a CSV.
const GOOD: &str = "Question,Response\n\
    How many patients in your CCG population are identified as having palliative care needs?,\"1,234\"\n\
    What was the CCG's total budget for specialist palliative care services in 2015/16?,£1.2m\n";

/// Luton's thread, the one whose reply is the hostile one.
const LUTON: &str = "responses/nhs_luton_ccg";

/// A round with the good reply and an empty thread for Luton; no correspondence in either.
fn hostile() -> Round {
    Round::new()
        .round_toml("title = \"Hostile files\"\nschema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n")
        .file("responses/nhs_blackpool_ccg/answers.csv", GOOD.as_bytes())
        .empty_thread("nhs_luton_ccg")
}

/// What the hostile cases add to the shared builder and outcome.
trait Hostile {
    /// A file in Luton's thread.
    fn bad(self, name: &str, bytes: &[u8]) -> Self;
}

impl Hostile for Round {
    fn bad(self, name: &str, bytes: &[u8]) -> Round {
        self.file(&format!("{LUTON}/{name}"), bytes)
    }
}

trait GoodReply {
    /// The good reply, read exactly.
    fn good_reply_read(self) -> Self;
}

impl GoodReply for Outcome {
    fn good_reply_read(self) -> Outcome {
        let responses = self.responses();
        let cell = |field: &str| {
            responses
                .iter()
                .find(|r| r["body_code"] == "00R" && r["field"] == field)
                .map(|r| (r["status"].clone(), r["value"].clone()))
        };
        assert_eq!(
            cell("palliative_patients"),
            Some(("answered".into(), "1234".into()))
        );
        assert_eq!(
            cell("spc_budget"),
            Some(("answered".into(), "1200000".into()))
        );
        self
    }
}

/// A zip of the given members, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A workbook with one answer in it, built in memory.
fn workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Question").unwrap();
    ws.write(0, 1, "Response").unwrap();
    ws.write(1, 0, "Does the CCG commission a pain control team?")
        .unwrap();
    ws.write(1, 1, "Yes").unwrap();
    extra(ws);
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_truncated_workbook_fails_by_name() {
    let whole = workbook(|_| {});
    hostile()
        .bad("cut.xlsx", &whole[..whole.len() / 2])
        .run()
        .completed()
        .file_row("cut.xlsx", "failed", "")
        .file_issue("cut.xlsx", "")
        .good_reply_read();
}

#[test]
fn a_zero_byte_file_fails_as_empty() {
    hostile()
        .bad("nothing.pdf", b"")
        .run()
        .completed()
        .file_row("nothing.pdf", "failed", "empty file")
        .good_reply_read();
}

#[test]
fn a_password_protected_office_file_says_so_not_corrupt() {
    // An encrypted xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    ole.extend(
        "EncryptionInfo\0EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    ole.resize(4096, 0);
    hostile()
        .bad("FOI response.xlsx", &ole)
        .run()
        .completed()
        .file_row("FOI response.xlsx", "failed", "password-protected")
        .file_issue("FOI response.xlsx", "password-protected")
        .good_reply_read();
}

#[test]
fn a_zip_bomb_is_not_inflated() {
    // 60 MB of zeros deflates to about 60 KB: a ratio far over the limit.
    let zeros = vec![0u8; 60 * 1024 * 1024];
    hostile()
        .bad("attachments.zip", &zip_of(&[("big.csv", &zeros)]))
        .run()
        .completed()
        .file_row("attachments.zip!big.csv", "failed", "zip bomb guard")
        .good_reply_read();
}

#[test]
fn zip_bomb_limits_can_be_set_on_the_command_line() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,Yes\n".repeat(100);
    hostile()
        .bad("attachments.zip", &zip_of(&[("answers.csv", &csv)]))
        .arg("--limit")
        .arg("zip_max_ratio=2")
        .run()
        .completed()
        .file_row("attachments.zip!answers.csv", "failed", "zip bomb guard")
        .good_reply_read();
}

#[test]
fn zip_members_with_dot_dot_or_absolute_paths_are_made_safe() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,Yes\n";
    hostile()
        .bad(
            "reply.zip",
            &zip_of(&[("../../escape.csv", csv), ("/etc/passwd.csv", csv)]),
        )
        .run()
        .completed()
        .file_row("reply.zip", "partial", "made safe")
        .file_row("reply.zip!escape.csv", "parsed", "")
        .file_row("reply.zip!etc/passwd.csv", "parsed", "")
        .wrote_only_its_out_folder()
        .good_reply_read();
}

#[test]
fn zips_nested_past_the_depth_limit_are_not_opened() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,Yes\n";
    let mut inner = zip_of(&[("answers.csv", csv)]);
    for level in 0..4 {
        inner = zip_of(&[(&format!("level{level}.zip"), &inner)]);
    }
    hostile()
        .bad("nested.zip", &inner)
        .run()
        .completed()
        .file_row("level1.zip", "failed", "nested deeper")
        .good_reply_read();
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_listed_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.csv"),
        "Question,Response\nsecret,1\n",
    )
    .unwrap();
    let target = outside.path().to_owned();
    hostile()
        .with(move |round| {
            std::os::unix::fs::symlink(
                target.join("secret.csv"),
                round.join(LUTON).join("link.csv"),
            )
            .unwrap();
            std::os::unix::fs::symlink(&target, round.join(LUTON).join("dir")).unwrap();
        })
        .run()
        .completed()
        .file_row("link.csv", "ignored", "symbolic link")
        .file_row("dir", "ignored", "symbolic link")
        .good_reply_read();
}

#[test]
fn a_lone_far_cell_does_not_make_a_dense_sheet() {
    let far = workbook(|ws| {
        ws.write(1_048_575, 16_383, "far away").unwrap();
    });
    hostile()
        .bad("far.xlsx", &far)
        .run()
        .completed()
        .file_row("far.xlsx", "", "")
        .good_reply_read();
}

#[test]
fn xml_entity_expansion_is_not_performed() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>
<w:p><w:r><w:t>Pain control team: Yes</w:t></w:r></w:p></w:body></w:document>"#;
    let content_types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let docx = zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("word/document.xml", laughs.as_bytes()),
    ]);
    let ran = hostile()
        .bad("letter.docx", &docx)
        .run()
        .completed()
        .good_reply_read();
    let manifest = ran.csv("manifest.csv");
    let row = manifest
        .iter()
        .find(|r| r["path"].ends_with("letter.docx"))
        .unwrap();
    assert_eq!(row["format"], "docx");
    // Whatever became of it, the entity was never expanded: no output holds a run of "lol"s.
    for file in ["responses.csv", "issues.csv", "manifest.csv"] {
        let text = std::fs::read_to_string(ran.out.join(file)).unwrap();
        assert!(
            !text.contains("lollollol"),
            "{file} holds expanded entities"
        );
    }
}

#[test]
fn invalid_utf8_and_utf16_csv_are_read_with_replacement_not_failure() {
    let mut bad8 =
        b"Question,Response\nDoes the CCG commission a pain control team?,Yes \xff\xfe\xc3\n"
            .to_vec();
    bad8.extend_from_slice(b"\xe2\x82 broken,line\n");
    // UTF-16LE with a BOM, an unpaired surrogate and an odd trailing byte.
    let mut bad16 = vec![0xFF, 0xFE];
    bad16.extend(
        "Question\tResponse\nDoes the CCG commission a pain control team?\tNo\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    bad16.extend_from_slice(&[0x00, 0xD8, 0x41]);
    let ran = hostile()
        .bad("bad8.csv", &bad8)
        .bad("bad16.csv", &bad16)
        .run()
        .completed();
    let manifest = ran.csv("manifest.csv");
    for name in ["bad8.csv", "bad16.csv"] {
        let row = manifest.iter().find(|r| r["path"].ends_with(name)).unwrap();
        assert!(
            ["parsed", "partial"].contains(&row["status"].as_str()),
            "{row:?}"
        );
    }
    ran.good_reply_read();
}

#[test]
fn a_single_64_mb_line_does_not_stop_the_run() {
    let line = vec![b'a'; 64 * 1024 * 1024];
    hostile()
        .bad("one_line.txt", &line)
        .run()
        .completed()
        .file_row("one_line.txt", "", "")
        .good_reply_read();
}

#[cfg(unix)]
#[test]
fn file_names_with_newlines_and_non_utf8_bytes_are_listed() {
    use std::os::unix::ffi::OsStrExt;
    let ran = hostile()
        .with(|round| {
            let luton = round.join(LUTON);
            std::fs::write(
                luton.join("FOI\nresponse.csv"),
                "Question,Response\nDoes the CCG commission a pain control team?,Yes\n",
            )
            .unwrap();
            std::fs::write(
                luton.join(std::ffi::OsStr::from_bytes(b"r\xe9ponse.csv")),
                "Question,Response\nx,1\n",
            )
            .unwrap();
        })
        .run()
        .completed()
        .good_reply_read();
    let manifest = ran.csv("manifest.csv");
    assert!(
        manifest
            .iter()
            .any(|r| r["path"].contains("FOI") && r["path"].contains("response.csv")),
        "{manifest:#?}"
    );
    assert!(
        manifest.iter().any(|r| r["path"].contains("ponse.csv")
            && r["path"].starts_with("responses/nhs_luton_ccg/r")),
        "{manifest:#?}"
    );
    // One row per input file: the newline did not split a record.
    assert_eq!(
        manifest
            .iter()
            .filter(|r| r["path"].contains("nhs_luton_ccg"))
            .count(),
        2
    );
}

#[test]
fn malformed_and_encrypted_pdfs_fail_by_name() {
    let encrypted = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        trailer << /Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >> >>\n%%EOF\n";
    hostile()
        .bad("broken.pdf", b"%PDF-1.7\n this is not really a pdf at all")
        .bad("locked.pdf", encrypted)
        .run()
        .completed()
        .file_row("broken.pdf", "failed", "malformed PDF")
        .file_row("locked.pdf", "failed", "password-protected PDF")
        .file_issue("locked.pdf", "password-protected")
        .good_reply_read();
}

#[test]
fn formula_errors_are_unclear_answers_not_values() {
    let book = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "Question").unwrap();
        ws.write(0, 1, "Response").unwrap();
        ws.write(1, 0, "How many patients in your CCG population are identified as having palliative care needs?").unwrap();
        ws.write_formula(
            1,
            1,
            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
        )
        .unwrap();
        ws.write(
            2,
            0,
            "What was the CCG's total budget for specialist palliative care services in 2015/16?",
        )
        .unwrap();
        ws.write_formula(
            2,
            1,
            rust_xlsxwriter::Formula::new("=Sheet9!A1").set_result("#REF!"),
        )
        .unwrap();
        wb.save_to_buffer().unwrap()
    };
    let ran = hostile()
        .bad("template.xlsx", &book)
        .run()
        .completed()
        .good_reply_read();
    let responses = ran.csv("responses.csv");
    for field in ["palliative_patients", "spc_budget"] {
        let row = responses
            .iter()
            .find(|r| r["body_code"] == "06P" && r["field"] == field)
            .unwrap();
        assert_eq!(row["status"], "unclear", "{row:?}");
        assert!(row["raw"].starts_with('#'), "{row:?}");
    }
}

#[test]
fn a_round_mixing_good_and_bad_files_reads_the_good_and_names_every_bad() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,No\n";
    let whole = workbook(|_| {});
    let ran = hostile()
        .bad("good.csv", csv)
        .bad("cut.xlsx", &whole[..whole.len() / 3])
        .bad("empty.docx", b"")
        .bad(
            "bomb.zip",
            &zip_of(&[("zeros.csv", &vec![0u8; 30 * 1024 * 1024])]),
        )
        .bad("broken.pdf", b"%PDF-1.5 garbage")
        .run()
        .completed()
        .file_row("good.csv", "parsed", "")
        .file_row("cut.xlsx", "failed", "")
        .file_row("empty.docx", "failed", "empty")
        .file_row("bomb.zip!zeros.csv", "failed", "zip bomb")
        .file_row("broken.pdf", "failed", "malformed")
        .good_reply_read();
    let responses = ran.csv("responses.csv");
    let pain = responses
        .iter()
        .find(|r| r["body_code"] == "06P" && r["field"] == "pain_team")
        .unwrap();
    assert_eq!(
        (pain["status"].as_str(), pain["value"].as_str()),
        ("answered", "no"),
        "{pain:?}"
    );
    // Every non-parsed row says why.
    for row in ran.csv("manifest.csv") {
        assert!(
            ["parsed", "partial", "failed", "ignored"].contains(&row["status"].as_str()),
            "{row:?}"
        );
        if row["status"] != "parsed" {
            assert!(!row["reason"].is_empty(), "{row:?}");
        }
    }
}
