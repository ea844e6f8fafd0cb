//! End-to-end tests of spend-over-£25k rounds through the `foi` binary, on tiny rounds
//! generated here: two bodies, a quarter file repeating a month published alone, a corrected
//! re-publication, a missing month, title rows, a total line and a note; a header spelling the
//! shipped schema does not know, added by a copy of `schemas/spend.toml` in the round.

mod support;

use std::path::Path;
use support::{Outcome, Round, root};

const HEADER: &str =
    "Department Family,Entity,Date,Expense Type,Expense Area,Supplier,Transaction Number,Amount";
/// A spend round of 2015-16, no cross-check.
const SPEND_TOML: &str = "title = \"t\"\nkind = \"spend\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nperiods = [\"2015-16\"]\n";
const MONTHS: [&str; 12] = [
    "2015-04", "2015-05", "2015-06", "2015-07", "2015-08", "2015-09", "2015-10", "2015-11",
    "2015-12", "2016-01", "2016-02", "2016-03",
];

fn line(entity: &str, month: &str, supplier: &str, area: &str, id: &str, amount: &str) -> String {
    let (y, m) = month.split_once('-').unwrap();
    format!(
        "Department of Health,{entity},03/{m}/{y},Grants - Voluntary Sector,{area},{supplier},{id},\"{amount}\""
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Blackpool (00R) publishes every month, Oct-Dec again as a quarter file (December was
/// published alone first), and May twice (the v2 corrects the hospice payment). Hull (03F)
/// never publishes August. Both pay a hospice every month; the FOI answers come from the
/// project's sample round (`raw/sample-2016`): Blackpool 1,235,000 and Hull 2,104,000.
fn spend_round(with_crosscheck: bool) -> Round {
    let sample = root().join("raw/sample-2016");
    let cc = if with_crosscheck {
        format!("[crosscheck]\nspc_budget = \"{}\"\n", sample.display())
    } else {
        String::new()
    };
    Round::new()
        .round_toml(&format!(
            "title = \"Spend test\"\nkind = \"spend\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nperiods = [\"2015-16\"]\n{cc}"
        ))
        .with(publications)
}

/// The two bodies' publications, written into the round folder `dir`.
fn publications(dir: &Path) {
    let pubs = dir.join("publications");
    for (i, m) in MONTHS.iter().enumerate() {
        if ["2015-10", "2015-11"].contains(m) {
            continue; // only in the quarter file
        }
        let mut text = format!("NHS Blackpool CCG - Expenditure over £25,000\n\n{HEADER}\n");
        text += &line(
            "NHS Blackpool CCG",
            m,
            "TRINITY HOSPICE LTD",
            "Hospices",
            &format!("T{i:03}"),
            "120,000.00 ",
        );
        text += "\n";
        text += &line(
            "NHS Blackpool CCG",
            m,
            "Blackpool Teaching Hospitals NHS Foundation Trust",
            "Acute",
            &format!("A{i:03}"),
            "2,000,000.00",
        );
        text += "\nTotal,,,,,,,\"2,120,000.00\"\nFigures include VAT.\n";
        write(
            &pubs.join(format!("nhs_blackpool_ccg/BCCG_Spend_Over_25k_{m}.csv")),
            &text,
        );
    }
    // The corrected May: the hospice payment was 102,000 not 120,000.
    let mut v2 = format!("{HEADER}\n");
    v2 += &line(
        "NHS Blackpool CCG",
        "2015-05",
        "Trinity Hospice Limited",
        "Hospices",
        "T001",
        "102,000.00",
    );
    v2 += "\n";
    v2 += &line(
        "NHS Blackpool CCG",
        "2015-05",
        "Blackpool Teaching Hospitals NHS Foundation Trust",
        "Acute",
        "A001",
        "2,000,000.00",
    );
    v2 += "\n";
    write(
        &pubs.join("nhs_blackpool_ccg/BCCG_Spend_Over_25k_2015-05 v2.csv"),
        &v2,
    );
    // The quarter: three exports one after another, titles and header repeated.
    let mut q = String::new();
    for (i, m) in MONTHS.iter().enumerate().skip(6).take(3) {
        q += &format!("Transparency Report\n{HEADER}\n");
        q += &line(
            "00R",
            m,
            "Trinity Hospice",
            "Hospices",
            &format!("T{i:03}"),
            "120,000.00",
        );
        q += "\n";
        q += &format!("Total {m},,,,,,,\"120,000.00\"\n");
    }
    write(
        &pubs.join("nhs_blackpool_ccg/Quarter 3 2015-16 Transparency Report.csv"),
        &q,
    );
    for (i, m) in MONTHS.iter().enumerate() {
        if *m == "2015-08" {
            continue;
        }
        let mut text = format!("{HEADER}\n");
        text += &line(
            "NHS Hull CCG",
            m,
            "Dove House Hospice",
            "End of Life Care",
            &format!("H{i:03}"),
            "50,000.00",
        );
        text += "\n";
        write(
            &pubs.join(format!("nhs-hull-ccg/Hull CCG Payments over 25000 {m}.csv")),
            &text,
        );
    }
}

/// A spend round of 2015-16 with one publication file, run: nothing is read from it, and
/// issues.csv says `kind`.
fn nothing_read(rel: &str, text: &str, kind: &str) -> Outcome {
    let o = Round::new()
        .round_toml(SPEND_TOML)
        .file(rel, text.as_bytes())
        .run()
        .status(1);
    assert_eq!(o.csv("transactions.csv").len(), 0);
    assert!(o.text("issues.csv").contains(kind));
    o
}

#[test]
fn quarter_correction_missing_month_and_crosscheck() {
    // Items for a person: a missing month, a contradiction.
    let o = spend_round(true).run().status(1);
    let tx = o.csv("transactions.csv");
    let kept: Vec<_> = tx.iter().filter(|r| r["status"] == "kept").collect();
    // Blackpool: 12 hospice + 10 acute lines; Hull: 11 hospice lines.
    assert_eq!(kept.iter().filter(|r| r["body_code"] == "00R").count(), 22);
    assert_eq!(kept.iter().filter(|r| r["body_code"] == "03F").count(), 11);
    // December published alone, then in the quarter: the quarter's copy is kept.
    let dec: Vec<_> = tx
        .iter()
        .filter(|r| r["transaction_id"] == "T008")
        .collect();
    assert_eq!(dec.len(), 2);
    let kept_dec = dec.iter().find(|r| r["status"] == "kept").unwrap();
    assert!(kept_dec["file"].ends_with("Quarter 3 2015-16 Transparency Report.csv"));
    let dup_dec = dec.iter().find(|r| r["status"] == "duplicate").unwrap();
    assert_eq!(dup_dec["duplicate_of"], kept_dec["id"]);
    // May: the corrected file's amount is the one kept.
    let may: Vec<_> = tx
        .iter()
        .filter(|r| r["transaction_id"] == "T001")
        .collect();
    assert_eq!(
        may.iter().find(|r| r["status"] == "kept").unwrap()["amount"],
        "102000.00"
    );
    assert_eq!(
        may.iter().find(|r| r["status"] == "duplicate").unwrap()["amount"],
        "120000.00"
    );
    // Rows where the file has them: title row 1, blank line 2, header 3, first payment 4.
    let april = tx.iter().find(|r| r["transaction_id"] == "T000").unwrap();
    assert_eq!(
        (
            april["row"].as_str(),
            april["sheet"].as_str(),
            april["date"].as_str()
        ),
        ("4", "", "2015-04-03")
    );
    assert!(
        tx.iter()
            .any(|r| r["status"] == "total_line" && r["amount"] == "2120000.00")
    );
    assert!(tx.iter().any(|r| r["status"] == "not_a_transaction" && r["raw"].contains("Figures include VAT")));
    // Every hospice spelling joined under one key, categorised hospice.
    let keys: std::collections::BTreeSet<&str> = kept
        .iter()
        .filter(|r| r["body_code"] == "00R" && r["transaction_id"].starts_with('T'))
        .map(|r| r["supplier_key"].as_str())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(
        kept.iter()
            .filter(|r| r["transaction_id"].starts_with('T'))
            .all(|r| r["category"] == "hospice")
    );
    // Totals: Blackpool 11 x 120,000 + 102,000; Hull 11 x 50,000.
    let totals = o.csv("spend_totals.csv");
    let total = |b: &str, c: &str| {
        totals
            .iter()
            .find(|r| r["body_code"] == b && r["category"] == c && r["fy"] == "2015-16")
            .map(|r| r["amount"].clone())
    };
    assert_eq!(total("00R", "hospice").as_deref(), Some("1422000.00"));
    assert_eq!(total("03F", "hospice").as_deref(), Some("550000.00"));
    let months = o.csv("months.csv");
    assert_eq!(
        months.iter().find(|r| r["body_code"] == "03F").unwrap()["months_missing"],
        "2015-08"
    );
    assert_eq!(
        months.iter().find(|r| r["body_code"] == "00R").unwrap()["months_missing"],
        ""
    );
    // The cross-check against the sample round's FOI answers.
    let cc = o.csv("crosscheck.csv");
    let verdict = |b: &str| {
        cc.iter()
            .find(|r| r["body_code"] == b && r["topic"] == "palliative")
            .map(|r| (r["verdict"].clone(), r["reason"].clone()))
    };
    assert_eq!(verdict("00R"), Some(("exceeds".into(), String::new())));
    assert_eq!(
        verdict("03F"),
        Some(("not_comparable".into(), "months_missing".into()))
    );
    let issues = o.text("issues.csv");
    assert!(issues.contains("month_missing") && issues.contains("payments_exceed_foi"));
    for f in [
        "transactions.xlsx",
        "transactions.parquet",
        "suppliers.csv",
        "manifest.csv",
        "datapackage.json",
        "report.md",
        "report.html",
    ] {
        assert!(o.out.join(f).is_file(), "{f}");
    }
    let html = o.text("report.html");
    assert!(html.contains("<svg") && html.contains("exceeds"));
}

#[test]
fn a_header_spelling_added_to_the_schema_file_is_read() {
    // The shipped schema does not know "Sum Disbursed": no header, nothing read, an issue.
    let o = nothing_read(
        "publications/nhs_blackpool_ccg/April 2015.csv",
        "Entity,Date,Supplier,Sum Disbursed\nNHS Blackpool CCG,01/04/2015,Trinity Hospice,\"30,000.00\"\n",
        "no_header_found",
    );
    // One line in a copy of the schema file in the round's schemas/ folder, no code.
    let shipped = std::fs::read_to_string(root().join("schemas/spend.toml")).unwrap();
    let copy = shipped.replacen(
        "amount = [\"Amount\",",
        "amount = [\"Sum Disbursed\", \"Amount\",",
        1,
    );
    assert_ne!(copy, shipped);
    let o = o.put("schemas/spend.toml", copy.as_bytes()).rerun();
    let tx = o.csv("transactions.csv");
    assert_eq!(tx.len(), 1);
    assert_eq!(
        (
            tx[0]["amount"].as_str(),
            tx[0]["status"].as_str(),
            tx[0]["body_code"].as_str()
        ),
        ("30000.00", "kept", "00R")
    );
}

#[test]
fn an_unlinked_folder_is_listed_not_guessed() {
    nothing_read(
        "publications/folder_x/April.csv",
        &format!(
            "{HEADER}\n{}\n",
            line("", "2015-04", "Trinity Hospice", "Hospices", "1", "30000")
        ),
        "unlinked_file",
    );
}

#[test]
fn a_bad_spend_round_toml_names_its_key() {
    let o = Round::new()
        .round_toml(&SPEND_TOML.replace("periods", "peroids"))
        .run()
        .status(2);
    let err = &o.stderr;
    assert!(
        err.contains("round.toml") && err.contains("peroids"),
        "{err}"
    );
}

#[test]
fn an_foi_command_on_a_spend_round_says_what_it_is() {
    let o = Round::new()
        .round_toml("title = \"t\"\nkind = \"spend\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\n")
        .command("status")
        .run()
        .status(2);
    let err = &o.stderr;
    assert!(
        err.contains("spend round") && err.contains("round.toml"),
        "{err}"
    );
}
