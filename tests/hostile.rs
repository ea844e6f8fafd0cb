//! Hostile and broken files (issue 6): each case sits beside one good reply in a tiny round, and
//! every test asserts the same three things through the `foi` binary: the run completes, the bad
//! file is named in `manifest.csv` (and `issues.csv` where a person must act) with its reason, and
//! the good reply is still read exactly.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The good reply every round carries: Blackpool (00R) answers two questions in a CSV.
const GOOD: &str = "Question,Response\n\
    How many patients in your CCG population are identified as having palliative care needs?,\"1,234\"\n\
    What was the CCG's total budget for specialist palliative care services in 2015/16?,£1.2m\n";

/// A round in a temporary folder: round.toml, the good reply, and whatever a test adds.
struct Round {
    dir: tempfile::TempDir,
}

/// What one run left behind.
struct Ran {
    code: Option<i32>,
    stderr: String,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

type Row = BTreeMap<String, String>;

impl Round {
    fn new() -> Round {
        let dir = tempfile::tempdir().expect("tempdir");
        let round = dir.path().join("round");
        std::fs::create_dir_all(round.join("responses/nhs_blackpool_ccg")).unwrap();
        std::fs::create_dir_all(round.join("responses/nhs_luton_ccg")).unwrap();
        std::fs::write(
            round.join("round.toml"),
            "title = \"Hostile files\"\nschema = \"palliative_care\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n",
        )
        .unwrap();
        std::fs::write(round.join("responses/nhs_blackpool_ccg/answers.csv"), GOOD).unwrap();
        Round { dir }
    }

    fn round(&self) -> PathBuf {
        self.dir.path().join("round")
    }

    /// A file in Luton's thread (the body whose reply is the hostile one).
    fn bad(self, name: &str, bytes: &[u8]) -> Round {
        std::fs::write(self.round().join("responses/nhs_luton_ccg").join(name), bytes).unwrap();
        self
    }

    fn run(self, args: &[&str]) -> Ran {
        let out = self.dir.path().join("out");
        let output = Command::new(env!("CARGO_BIN_EXE_foi"))
            .arg("run")
            .arg(self.round())
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run foi");
        Ran {
            code: output.status.code(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
            _dir: self.dir,
        }
    }
}

fn rows(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect()
}

impl Ran {
    /// The run finished (0 or 1), never "could not run" or a crash.
    fn completed(self) -> Ran {
        assert!(matches!(self.code, Some(0 | 1)), "exit {:?}\n{}", self.code, self.stderr);
        self
    }

    /// The good reply, read exactly.
    fn good_reply_read(self) -> Ran {
        let responses = rows(&self.out.join("responses.csv"));
        let cell = |field: &str| {
            responses
                .iter()
                .find(|r| r["body_code"] == "00R" && r["field"] == field)
                .map(|r| (r["status"].clone(), r["value"].clone()))
        };
        assert_eq!(cell("palliative_patients"), Some(("answered".into(), "1234".into())));
        assert_eq!(cell("spc_budget"), Some(("answered".into(), "1200000".into())));
        self
    }

    /// The manifest row whose path ends with `path_end`: its status ("": any), and a reason
    /// containing `why`.
    fn manifest(self, path_end: &str, status: &str, why: &str) -> Ran {
        let manifest = rows(&self.out.join("manifest.csv"));
        let row = manifest
            .iter()
            .find(|r| r["path"].ends_with(path_end))
            .unwrap_or_else(|| panic!("no manifest row for {path_end}: {manifest:#?}"));
        if !status.is_empty() {
            assert_eq!(row["status"], status, "{row:?}");
        }
        assert!(row["reason"].to_lowercase().contains(&why.to_lowercase()), "reason {:?} lacks {why:?}", row["reason"]);
        self
    }

    /// Some issue row names the file (its path ends with `path_end`) and says `why`.
    fn issue(self, path_end: &str, why: &str) -> Ran {
        let issues = rows(&self.out.join("issues.csv"));
        assert!(
            issues.iter().any(|r| r["source"].ends_with(path_end) && r["evidence"].to_lowercase().contains(&why.to_lowercase())),
            "no issue for {path_end} saying {why:?}: {issues:#?}"
        );
        self
    }

    /// Nothing was written beside the out folder in the temporary area but the round and out.
    fn wrote_only_its_out_folder(self) -> Ran {
        let parent = self.out.parent().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(parent).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, vec!["out", "round"]);
        self
    }
}

/// A zip of the given members, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
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
    ws.write(1, 0, "Does the CCG commission a pain control team?").unwrap();
    ws.write(1, 1, "Yes").unwrap();
    extra(ws);
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_truncated_workbook_fails_by_name() {
    let whole = workbook(|_| {});
    Round::new()
        .bad("cut.xlsx", &whole[..whole.len() / 2])
        .run(&[])
        .completed()
        .manifest("cut.xlsx", "failed", "")
        .issue("cut.xlsx", "")
        .good_reply_read();
}

#[test]
fn a_zero_byte_file_fails_as_empty() {
    Round::new().bad("nothing.pdf", b"").run(&[]).completed().manifest("nothing.pdf", "failed", "empty file").good_reply_read();
}

#[test]
fn a_password_protected_office_file_says_so_not_corrupt() {
    // An encrypted xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    ole.extend("EncryptionInfo\0EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    ole.resize(4096, 0);
    Round::new()
        .bad("FOI response.xlsx", &ole)
        .run(&[])
        .completed()
        .manifest("FOI response.xlsx", "failed", "password-protected")
        .issue("FOI response.xlsx", "password-protected")
        .good_reply_read();
}

#[test]
fn a_zip_bomb_is_not_inflated() {
    // 60 MB of zeros deflates to about 60 KB: a ratio far over the limit.
    let zeros = vec![0u8; 60 * 1024 * 1024];
    Round::new()
        .bad("attachments.zip", &zip_of(&[("big.csv", &zeros)]))
        .run(&[])
        .completed()
        .manifest("attachments.zip!big.csv", "failed", "zip bomb guard")
        .good_reply_read();
}

#[test]
fn zip_bomb_limits_can_be_set_on_the_command_line() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,Yes\n".repeat(100);
    Round::new()
        .bad("attachments.zip", &zip_of(&[("answers.csv", &csv)]))
        .run(&["--limit", "zip_max_ratio=2"])
        .completed()
        .manifest("attachments.zip!answers.csv", "failed", "zip bomb guard")
        .good_reply_read();
}

#[test]
fn zip_members_with_dot_dot_or_absolute_paths_are_made_safe() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,Yes\n";
    Round::new()
        .bad("reply.zip", &zip_of(&[("../../escape.csv", csv), ("/etc/passwd.csv", csv)]))
        .run(&[])
        .completed()
        .manifest("reply.zip", "partial", "made safe")
        .manifest("reply.zip!escape.csv", "parsed", "")
        .manifest("reply.zip!etc/passwd.csv", "parsed", "")
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
    Round::new()
        .bad("nested.zip", &inner)
        .run(&[])
        .completed()
        .manifest("level1.zip", "failed", "nested deeper")
        .good_reply_read();
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_listed_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.csv"), "Question,Response\nsecret,1\n").unwrap();
    let round = Round::new();
    std::os::unix::fs::symlink(outside.path().join("secret.csv"), round.round().join("responses/nhs_luton_ccg/link.csv")).unwrap();
    std::os::unix::fs::symlink(outside.path(), round.round().join("responses/nhs_luton_ccg/dir")).unwrap();
    round
        .run(&[])
        .completed()
        .manifest("link.csv", "ignored", "symbolic link")
        .manifest("dir", "ignored", "symbolic link")
        .good_reply_read();
}

#[test]
fn a_lone_far_cell_does_not_make_a_dense_sheet() {
    let far = workbook(|ws| {
        ws.write(1_048_575, 16_383, "far away").unwrap();
    });
    Round::new()
        .bad("far.xlsx", &far)
        .run(&[])
        .completed()
        .manifest("far.xlsx", "", "")
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
    let docx = zip_of(&[("[Content_Types].xml", content_types.as_bytes()), ("word/document.xml", laughs.as_bytes())]);
    let ran = Round::new().bad("letter.docx", &docx).run(&[]).completed().good_reply_read();
    let manifest = rows(&ran.out.join("manifest.csv"));
    let row = manifest.iter().find(|r| r["path"].ends_with("letter.docx")).unwrap();
    assert_eq!(row["format"], "docx");
    // Whatever became of it, the entity was never expanded: no output holds a run of "lol"s.
    for file in ["responses.csv", "issues.csv", "manifest.csv"] {
        let text = std::fs::read_to_string(ran.out.join(file)).unwrap();
        assert!(!text.contains("lollollol"), "{file} holds expanded entities");
    }
}

#[test]
fn invalid_utf8_and_utf16_csv_are_read_with_replacement_not_failure() {
    let mut bad8 = b"Question,Response\nDoes the CCG commission a pain control team?,Yes \xff\xfe\xc3\n".to_vec();
    bad8.extend_from_slice(b"\xe2\x82 broken,line\n");
    // UTF-16LE with a BOM, an unpaired surrogate and an odd trailing byte.
    let mut bad16 = vec![0xFF, 0xFE];
    bad16.extend("Question\tResponse\nDoes the CCG commission a pain control team?\tNo\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    bad16.extend_from_slice(&[0x00, 0xD8, 0x41]);
    let ran = Round::new().bad("bad8.csv", &bad8).bad("bad16.csv", &bad16).run(&[]).completed();
    let manifest = rows(&ran.out.join("manifest.csv"));
    for name in ["bad8.csv", "bad16.csv"] {
        let row = manifest.iter().find(|r| r["path"].ends_with(name)).unwrap();
        assert!(["parsed", "partial"].contains(&row["status"].as_str()), "{row:?}");
    }
    ran.good_reply_read();
}

#[test]
fn a_single_64_mb_line_does_not_stop_the_run() {
    let line = vec![b'a'; 64 * 1024 * 1024];
    Round::new().bad("one_line.txt", &line).run(&[]).completed().manifest("one_line.txt", "", "").good_reply_read();
}

#[cfg(unix)]
#[test]
fn file_names_with_newlines_and_non_utf8_bytes_are_listed() {
    use std::os::unix::ffi::OsStrExt;
    let round = Round::new();
    let luton = round.round().join("responses/nhs_luton_ccg");
    std::fs::write(luton.join("FOI\nresponse.csv"), "Question,Response\nDoes the CCG commission a pain control team?,Yes\n").unwrap();
    std::fs::write(luton.join(std::ffi::OsStr::from_bytes(b"r\xe9ponse.csv")), "Question,Response\nx,1\n").unwrap();
    let ran = round.run(&[]).completed().good_reply_read();
    let manifest = rows(&ran.out.join("manifest.csv"));
    assert!(manifest.iter().any(|r| r["path"].contains("FOI") && r["path"].contains("response.csv")), "{manifest:#?}");
    assert!(manifest.iter().any(|r| r["path"].contains("ponse.csv") && r["path"].starts_with("responses/nhs_luton_ccg/r")), "{manifest:#?}");
    // One row per input file: the newline did not split a record.
    assert_eq!(manifest.iter().filter(|r| r["path"].contains("nhs_luton_ccg")).count(), 2);
}

#[test]
fn malformed_and_encrypted_pdfs_fail_by_name() {
    let encrypted = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
        trailer << /Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >> >>\n%%EOF\n";
    Round::new()
        .bad("broken.pdf", b"%PDF-1.7\n this is not really a pdf at all")
        .bad("locked.pdf", encrypted)
        .run(&[])
        .completed()
        .manifest("broken.pdf", "failed", "malformed PDF")
        .manifest("locked.pdf", "failed", "password-protected PDF")
        .issue("locked.pdf", "password-protected")
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
        ws.write_formula(1, 1, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
        ws.write(2, 0, "What was the CCG's total budget for specialist palliative care services in 2015/16?").unwrap();
        ws.write_formula(2, 1, rust_xlsxwriter::Formula::new("=Sheet9!A1").set_result("#REF!")).unwrap();
        wb.save_to_buffer().unwrap()
    };
    let ran = Round::new().bad("template.xlsx", &book).run(&[]).completed().good_reply_read();
    let responses = rows(&ran.out.join("responses.csv"));
    for field in ["palliative_patients", "spc_budget"] {
        let row = responses.iter().find(|r| r["body_code"] == "06P" && r["field"] == field).unwrap();
        assert_eq!(row["status"], "unclear", "{row:?}");
        assert!(row["raw"].starts_with('#'), "{row:?}");
    }
}

#[test]
fn a_round_mixing_good_and_bad_files_reads_the_good_and_names_every_bad() {
    let csv = b"Question,Response\nDoes the CCG commission a pain control team?,No\n";
    let whole = workbook(|_| {});
    let ran = Round::new()
        .bad("good.csv", csv)
        .bad("cut.xlsx", &whole[..whole.len() / 3])
        .bad("empty.docx", b"")
        .bad("bomb.zip", &zip_of(&[("zeros.csv", &vec![0u8; 30 * 1024 * 1024])]))
        .bad("broken.pdf", b"%PDF-1.5 garbage")
        .run(&[])
        .completed()
        .manifest("good.csv", "parsed", "")
        .manifest("cut.xlsx", "failed", "")
        .manifest("empty.docx", "failed", "empty")
        .manifest("bomb.zip!zeros.csv", "failed", "zip bomb")
        .manifest("broken.pdf", "failed", "malformed")
        .good_reply_read();
    let responses = rows(&ran.out.join("responses.csv"));
    let pain = responses.iter().find(|r| r["body_code"] == "06P" && r["field"] == "pain_team").unwrap();
    assert_eq!((pain["status"].as_str(), pain["value"].as_str()), ("answered", "no"), "{pain:?}");
    // Every non-parsed row says why.
    for row in rows(&ran.out.join("manifest.csv")) {
        assert!(["parsed", "partial", "failed", "ignored"].contains(&row["status"].as_str()), "{row:?}");
        if row["status"] != "parsed" {
            assert!(!row["reason"].is_empty(), "{row:?}");
        }
    }
}
