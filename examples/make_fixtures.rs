//! Writes the one-file fixtures under `tests/fixtures/`, each named for the quirk it carries.
//! `tests/cli.rs` drops one or more of them into a minimal round (round.toml, a thread folder,
//! a correspondence.txt naming the body) and runs the `foi` binary on it.
//!
//!     cargo run --example make_fixtures              # writes tests/fixtures/
//!     cargo run --example make_fixtures -- DIR       # writes DIR instead
//!
//! Questions are worded as the project's schemas/palliative_care.toml words them. The output is
//! byte-for-byte the same on every run (fixed workbook dates, a fixed pseudo-random seed).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

fn question(id: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/palliative_care.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    table["field"]
        .as_array()
        .expect("[[field]]")
        .iter()
        .find(|f| f["id"].as_str() == Some(id))
        .and_then(|f| f["question"].as_str())
        .unwrap_or_else(|| panic!("no field {id}"))
        .to_owned()
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

/// A Question | Response sheet on `wb`.
fn template_sheet(wb: &mut Workbook, name: &str, rows: &[(&str, &str)]) {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    ws.write_string_with_format(0, 0, "Question", &bold)
        .unwrap();
    ws.write_string_with_format(0, 1, "Response", &bold)
        .unwrap();
    for (i, (id, answer)) in rows.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, question(id)).unwrap();
        ws.write_string(1 + i as u32, 1, *answer).unwrap();
    }
}

/// A quoted CSV field.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn main() {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"));
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let write = |name: &str, bytes: &[u8]| {
        let path = out.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("{:>7} bytes  {}", bytes.len(), path.display());
    };

    // A column heading that scales the figures under it: 1,235 in "(£000s)" is £1,235,000.
    {
        let mut wb = workbook();
        let bold = Format::new().set_bold();
        let thousands = Format::new().set_num_format("#,##0");
        let ws = wb.add_worksheet();
        ws.set_name("Budget").unwrap();
        ws.write_string_with_format(0, 0, "Service", &bold).unwrap();
        ws.write_string_with_format(0, 1, "Budget 2015/16 (£000s)", &bold)
            .unwrap();
        ws.write_string(1, 0, "Specialist palliative care budget")
            .unwrap();
        ws.write_number_with_format(1, 1, 1235.0, &thousands)
            .unwrap();
        write("gbp_thousands_header.xlsx", &wb.save_to_buffer().unwrap());
    }

    // xlsx bytes under an .xls name: the format must come from the bytes.
    {
        let mut wb = workbook();
        template_sheet(
            &mut wb,
            "Response",
            &[("spc_budget", "£987,654"), ("seven_day_beds", "Yes")],
        );
        write("xlsx_named.xls", &wb.save_to_buffer().unwrap());
    }

    // CSV text under an .xlsx name.
    write(
        "csv_named.xlsx",
        format!(
            "Question,Response\n{},{}\n{},Yes\n",
            q(&question("spc_budget")),
            q("£876,543"),
            q(&question("seven_day_beds"))
        )
        .as_bytes(),
    );

    // Windows-1252: the pound sign is the single byte A3.
    {
        let text = format!(
            "Question,Response\r\n{},{}\r\n{},1500\r\n",
            q(&question("spc_budget")),
            q("£765,432"),
            q(&question("palliative_patients"))
        );
        let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!bad && bytes.contains(&0xA3));
        write("cp1252_pound.csv", &bytes);
    }

    // UTF-8 with a byte-order mark before the first heading.
    {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(
            format!(
                "Question,Response\n{},2345\n{},{}\n",
                q(&question("palliative_patients")),
                q(&question("spc_budget")),
                q("£654,321")
            )
            .as_bytes(),
        );
        write("utf8_bom.csv", &bytes);
    }

    // UTF-16LE with a BOM, tab-separated: what Excel's "Unicode text" saves.
    {
        let text = format!(
            "Question\tResponse\r\n{}\t3456\r\n{}\t£543,210\r\n",
            question("palliative_patients"),
            question("spc_budget")
        );
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        write("utf16.csv", &bytes);
    }

    // Semicolons, with commas inside the numbers.
    write(
        "semicolon.csv",
        format!(
            "Question;Response\n{};3,146,486\n{};No\n",
            question("spc_budget"),
            question("education")
        )
        .as_bytes(),
    );

    // Components and a Total line in one block, under a title naming the field: take the total.
    write(
        "total_row.csv",
        b"Specialist palliative care spend by provider in 2015/16\n\
          Provider,2015/16\n\
          Hospice grant,\"500,000\"\n\
          Community SPC team,\"400,000\"\n\
          Total,\"900,000\"\n",
    );

    // A range: unclear, never a midpoint.
    write(
        "range_unclear.csv",
        format!(
            "Question,Response\n{},£40-50k\n{},Yes\n",
            q(&question("spc_budget")),
            q(&question("seven_day_beds"))
        )
        .as_bytes(),
    );

    // A visible answer and a hidden draft that disagrees with it.
    {
        let mut wb = workbook();
        template_sheet(
            &mut wb,
            "Response",
            &[("spc_budget", "£1,500,000"), ("education", "Yes")],
        );
        template_sheet(
            &mut wb,
            "Draft",
            &[("spc_budget", "£999,999"), ("education", "No")],
        );
        wb.worksheet_from_name("Draft").unwrap().set_hidden(true);
        write("hidden_sheet_draft.xlsx", &wb.save_to_buffer().unwrap());
    }

    // A support unit's joint reply: one column per CCG.
    write(
        "multi_ccg_columns.csv",
        format!(
            "Question,NHS Blackpool CCG,NHS Fylde & Wyre CCG,NHS Chorley and South Ribble CCG\n\
             {},1234,987,1102\n\
             {},{},{},{}\n\
             {},Yes,No,Yes\n",
            q(&question("palliative_patients")),
            q(&question("spc_budget")),
            q("£1,235,000"),
            q("£980,000"),
            q("£1,010,500"),
            q(&question("seven_day_beds")),
        )
        .as_bytes(),
    );

    // The same as rows: one row per CCG, names written loosely.
    write(
        "multi_ccg_rows.csv",
        "CCG,Specialist palliative care budget 2015/16,Patients with palliative care needs\n\
         Blackpool CCG,\"£1,235,000\",1234\n\
         Fylde and Wyre,\"£980,000\",987\n\
         NHS Chorley & South Ribble CCG,\"£1,010,500\",1102\n"
            .as_bytes(),
    );

    // A first column headed "No." holding the question numbers (1, 2, 3...): the heading is
    // not a "no" answer and the numbers are not answers.
    write(
        "no_heading_question_numbers.csv",
        format!(
            "No.,Question,Response\n1,{},Not held\n2,{},{}\n3,{},Yes\n",
            q(&question("palliative_patients")),
            q(&question("spc_budget")),
            q("£2,104,000"),
            q(&question("seven_day_beds")),
        )
        .as_bytes(),
    );

    // Nothing at all, under a spreadsheet's name.
    write("empty.xlsx", b"");

    // Bytes that are no format at all (a fixed xorshift stream, with a zero byte early on).
    {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut bytes: Vec<u8> = (0..512)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        bytes[0] = 0x13;
        bytes[1] = 0x37;
        bytes[5] = 0;
        write("not_a_spreadsheet.xlsx", &bytes);
    }
}
