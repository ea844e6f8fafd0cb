//! Official tables imported from the files they are published in (`foi reference import`, a
//! round's `[reference]` naming a recipe), on the real files the project carries under
//! `reference/sources/`: NHS England's OCC workbook and NHS Digital's GP practice list sizes.

mod support;

use calamine::{Data, Reader};
use foi_survey::register::Register;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use support::{Round, root};

const OCC: &str = "reference/sources/OCC data file and trend_2022 - v2.1 JS NEW.xlsx";

/// `foi reference import RECIPE [--source FILE] --out FILE`, which could run: (exit code, report).
fn foi_import(recipe: &Path, source: Option<&Path>, out: &Path) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_foi"));
    cmd.args(["reference", "import"]).arg(recipe);
    if let Some(source) = source {
        cmd.arg("--source").arg(source);
    }
    let o = cmd.arg("--out").arg(out).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.code() != Some(2),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), report)
}

/// `foi reference import RECIPE --out FILE`: (exit code, report, rows as body_code,period,value,
/// source,location,heading).
fn import(recipe: &Path, out: &Path) -> (i32, String, Vec<Vec<String>>) {
    let (code, report) = foi_import(recipe, None, out);
    let mut reader = csv::Reader::from_path(out).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "body_code",
            "period",
            "value",
            "source",
            "location",
            "heading"
        ]
    );
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (code.unwrap_or(-1), report, rows)
}

fn workbook() -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(root().join(OCC)).unwrap()
}

/// `E26` -> (row 25, col 4).
fn a1(address: &str) -> (u32, u32) {
    let letters: String = address
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = address[letters.len()..].parse().unwrap();
    (row - 1, col)
}

fn number(d: Option<&Data>) -> f64 {
    match d {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn cyp_spend_imports_106_codes_by_5_years_every_code_in_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report, rows) = import(
        &root().join("schemas/reference/occ_cyp_mh_spend.toml"),
        &dir.path().join("spend.csv"),
    );
    let codes: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let periods: BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(codes.len(), 106, "{report}");
    assert_eq!(
        periods.into_iter().collect::<Vec<_>>(),
        ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
    );
    assert_eq!(
        rows.len(),
        106 * 5,
        "no body-year missing: the trend sheet suppresses none"
    );
    let register = Register::load(&root().join("schemas/bodies/ccg.csv"), "2021-04-01").unwrap();
    for c in &codes {
        assert!(register.get(c).is_some(), "{c} is not a CCG of 2021/22");
    }
    assert!(report.contains("codes not in the register: 0"), "{report}");
    assert!(report.contains("duplicate codes: 0"), "{report}");
    // The year one CCG's spend drops to a third of the years around it is flagged with its cell,
    // not fixed: the figure is still written as published.
    assert!(
        report.contains("check_year_on_year_factor 00R 2018-19")
            && report.contains("Trend CYP (v and vi)!F5"),
        "{report}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "00R" && r[1] == "2018-19" && r[2] == "651000")
    );
    assert_eq!(code, 1, "check failures are items for a person");
}

/// Every imported figure read back from the workbook at the cell its provenance names: the
/// code in column A of that row, the value in the cell (or the two cells summed).
#[test]
fn spend_values_equal_the_workbook_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbook();
    for (recipe, parts) in [("occ_cyp_mh_spend", 1), ("occ_cyp_mh_spend_incl_ed", 2)] {
        let (_, _, rows) = import(
            &root().join(format!("schemas/reference/{recipe}.toml")),
            &dir.path().join(format!("{recipe}.csv")),
        );
        assert_eq!(rows.len(), 530);
        for r in &rows {
            let (sheet, cells) = r[4].split_once('!').unwrap();
            let range = wb.worksheet_range(sheet).unwrap();
            let cells: Vec<(u32, u32)> = cells.split('+').map(a1).collect();
            assert_eq!(cells.len(), parts, "{r:?}");
            let expected: f64 = cells
                .iter()
                .map(|&(row, col)| number(range.get_value((row, col))))
                .sum();
            assert_eq!(r[2].parse::<f64>().unwrap(), expected, "{r:?}");
            for &(row, _) in &cells {
                assert_eq!(
                    range.get_value((row, 0)).map(|d| d.to_string()),
                    Some(r[0].clone()),
                    "{r:?}"
                );
            }
            assert_eq!(r[3], "OCC data file and trend_2022 - v2.1 JS NEW.xlsx");
            assert!(r[5].contains("> Period > 20"), "heading path: {r:?}");
        }
    }
}

/// A table that suppresses small numbers with `*`: those cells are missing, never zero, and
/// counted in the report.
#[test]
fn suppressed_cells_are_missing_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    let recipe = dir.path().join("ed_urgent.toml");
    std::fs::write(
        &recipe,
        format!(
            "name = 'ed_urgent'\ntitle = 'CYP eating disorders, urgent, seen within 1 week'\nmeaning = 'share seen within a week'\nunit = 'ratio'\nsource = '{}'\nregister = '{}'\nas_of = '2021-04-01'\n[table]\nsheet = '^cyp \\(ii\\) - ed % 21_22$'\ncode_heading = '^organisation code$'\nperiod = '2021-22'\n[[table.series]]\nheading = 'within 1 week \\(urgent\\)'\n",
            root().join(OCC).display(),
            root().join("schemas/bodies/ccg.csv").display()
        ),
    )
    .unwrap();
    let (code, report, rows) = import(&recipe, &dir.path().join("ed.csv"));
    // Count the stars in that column straight from the workbook.
    let range = workbook().worksheet_range("CYP (ii) - ED % 21_22").unwrap();
    let starred: BTreeSet<String> = range
        .rows()
        .skip(1)
        .filter(|r| r.get(4).map(|d| d.to_string()) == Some("*".into()))
        .map(|r| r[0].to_string())
        .collect();
    assert!(!starred.is_empty());
    assert!(report.contains("rows read: 106 (106 codes)"), "{report}");
    assert!(
        report.contains(&format!(
            "suppressed (*): {} cells, missing not zero",
            starred.len()
        )),
        "{report}"
    );
    assert_eq!(rows.len(), 106 - starred.len());
    for r in &rows {
        assert!(
            !starred.contains(&r[0]),
            "a suppressed figure was written: {r:?}"
        );
    }
    assert_eq!(code, 0, "{report}");
}

/// The practice file summed to CCGs gives the register's registered patients for every CCG of
/// 2016; the 0-17 recipe (0-4, 5-14 and 3/10 of 15-24) its child population estimate.
#[test]
fn practice_sums_match_the_register_for_every_2016_ccg() {
    let dir = tempfile::tempdir().unwrap();
    let register = Register::load(&root().join("schemas/bodies/ccg.csv"), "2016-06-01").unwrap();
    assert_eq!(register.bodies.len(), 209);
    let (_, report, total) = import(
        &root().join("schemas/reference/practice_list_total.toml"),
        &dir.path().join("total.csv"),
    );
    let (_, _, children) = import(
        &root().join("schemas/reference/practice_list_0_17.toml"),
        &dir.path().join("children.csv"),
    );
    let by_code = |rows: &[Vec<String>]| -> BTreeMap<String, f64> {
        rows.iter()
            .map(|r| (r[0].clone(), r[2].parse().unwrap()))
            .collect()
    };
    let (total, children) = (by_code(&total), by_code(&children));
    let practices =
        std::fs::read_to_string(root().join("reference/sources/Patient_List_Size_2016_01-03.csv"))
            .unwrap()
            .lines()
            .count()
            - 1;
    assert!(
        report.contains(&format!("rows read: {practices} ")),
        "{report}"
    );
    for b in &register.bodies {
        assert_eq!(
            total.get(&b.code).copied(),
            b.registered_patients,
            "{}",
            b.code
        );
        let (got, want) = (children[&b.code], b.population_0_17.unwrap());
        assert!(
            (got - want).abs() <= 0.5 + 1e-6,
            "{}: {got} against {want}",
            b.code
        );
    }
    // Practices of bodies that are not CCGs are listed, not dropped silently.
    assert!(report.contains("codes not in the register: 4:"), "{report}");
}

const SCHEMA: &str = r#"name = "mh_per_patient"
title = "Mental health spend per registered patient"
references = ["patients"]
[[field]]
id = "mh_budget"
type = "money"
periods = ["2015-16"]
question = "Total mental health budget"
labels = ["total\\s*mental\\s*health"]

[derived.per_head]
kind = "ratio"
key = "mh.spend_per_patient"
numerator = "mh_budget"
denominator = "patients"

[[checks]]
kind = "per_head_range"
field = "mh_budget"
denominator = "patients"
min = 10.0
max = 300.0
on_fail = "unclear"
"#;

/// Each thread folder's only file a reply.csv answering `question` with its amount.
fn replies(round: Round, question: &str, amounts: &[(&str, &str)]) -> Round {
    amounts.iter().fold(round, |round, (folder, amount)| {
        round.file(
            &format!("responses/{folder}/reply.csv"),
            format!("Question,Response\n{question},\"{amount}\"\n").as_bytes(),
        )
    })
}

/// A round with three replies; `reference` is its `[reference] patients` entry.
fn round(reference: &str) -> Round {
    let round = Round::new()
        .file("schemas/mh_per_patient.toml", SCHEMA.as_bytes())
        .round_toml(&format!("title = \"Per patient\"\nschema = \"mh_per_patient\"\nbodies = \"ccg\"\nas_of = \"2016-06-01\"\nperiods = [\"2015-16\"]\n[reference]\npatients = '{reference}'\n"));
    // 00C: 107,232 patients, 02P: 255,929, 00R: 171,763: the last is £1,000 a head, outside the
    // declared band, so it is flagged and withdrawn by either reference.
    replies(
        round,
        "Total mental health budget 2015-16",
        &[
            ("nhs_darlington_ccg", "£12,500,000"),
            ("nhs_barnsley_ccg", "£31,000,000"),
            ("nhs_blackpool_ccg", "£171,763,000"),
        ],
    )
}

/// The same statistics whether the round's reference is a tidy CSV (here written from the
/// register's own column) or the import recipe reading the published practice file.
#[test]
fn a_round_with_a_recipe_as_reference_gives_the_same_statistics_as_the_tidy_csv() {
    let register = Register::load(&root().join("schemas/bodies/ccg.csv"), "2016-06-01").unwrap();
    let mut tidy = String::from("body_code,period,value\n");
    for body in &register.bodies {
        tidy.push_str(&format!(
            "{},2015-16,{}\n",
            body.code,
            body.registered_patients.unwrap()
        ));
    }
    let run = |round: Round| {
        let o = round.run().not_status(2);
        (o.text("summary.json"), o.text("issues.csv"))
    };
    let (summary_csv, issues_csv) =
        run(round("reference/patients.csv").file("reference/patients.csv", tidy.as_bytes()));
    let (summary_recipe, issues_recipe) = run(round(
        &root()
            .join("schemas/reference/practice_list_total.toml")
            .display()
            .to_string(),
    ));
    let summary: serde_json::Value = serde_json::from_str(&summary_csv).unwrap();
    assert_eq!(
        summary["mh.spend_per_patient.2015-16.n"], 2,
        "{summary_csv}"
    );
    assert!(issues_csv.contains("check_per_head_range"), "{issues_csv}");
    assert_eq!(summary_csv, summary_recipe);
    assert_eq!(issues_csv, issues_recipe);
}

/// Next year's file, moved about: a title row above the tables, a column inserted before the
/// codes, the eating-disorder table first, a sixth year. The shipped recipe still finds both
/// tables by their headings (`--source` names the new file) and adds the right cells.
#[test]
fn next_years_file_with_moved_columns_reads_through_the_same_recipe() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("occ_2023.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Trend CYP (v and vi)").unwrap();
    ws.write_string(
        0,
        0,
        "CYP mental health: trend, restated on 2022/23 boundaries",
    )
    .unwrap();
    let years = [
        "2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23",
    ];
    // (first column, heading, value for body i and year y)
    type Table = (u16, &'static str, fn(u32, u32) -> f64);
    let tables: [Table; 2] = [
        (
            1,
            "CYP Mental Health CCG spend - eating disorders",
            |i, y| f64::from(100 + 10 * i + y),
        ),
        (
            11,
            "CYP Mental Health CCG spend - excluding learning disabilities and eating disorders",
            |i, y| f64::from(5000 + 100 * i + y),
        ),
    ];
    for (c0, heading, value) in tables {
        ws.write_string(2, c0 + 3, heading).unwrap();
        ws.write_string(3, c0 + 3, "Period").unwrap();
        for (k, h) in ["Region", "Organisation code", "Organisation name"]
            .iter()
            .enumerate()
        {
            ws.write_string(4, c0 + k as u16, *h).unwrap();
        }
        for (y, year) in years.iter().enumerate() {
            ws.write_string(4, c0 + 3 + y as u16, *year).unwrap();
        }
        for (i, code) in ["00R", "01K"].iter().enumerate() {
            let r = 5 + i as u32;
            ws.write_string(r, c0, "North West").unwrap();
            ws.write_string(r, c0 + 1, *code).unwrap();
            ws.write_string(r, c0 + 2, "NHS A CCG").unwrap();
            for y in 0..years.len() {
                ws.write_number(r, c0 + 3 + y as u16, value(i as u32, y as u32))
                    .unwrap();
            }
        }
    }
    wb.save(&path).unwrap();
    let out = dir.path().join("spend.csv");
    let (_, report) = foi_import(
        &root().join("schemas/reference/occ_cyp_mh_spend_incl_ed.toml"),
        Some(&path),
        &out,
    );
    let rows: Vec<Vec<String>> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2 * 6, "{report}");
    let get = |code: &str, period: &str| {
        rows.iter()
            .find(|r| r[0] == code && r[1] == period)
            .map(|r| (r[2].clone(), r[4].clone()))
    };
    // 01K (i = 1), 2022-23 (y = 5): 5000 + 100 + 5 and 100 + 10 + 5.
    assert_eq!(
        get("01K", "2022-23"),
        Some(("5220".into(), "Trend CYP (v and vi)!J7+T7".into()))
    );
    assert_eq!(get("00R", "2017-18").map(|v| v.0), Some("5100".into()));
}

/// `[[official]]` in the shipped camhs schema on a tiny 2018 round: a body on the official
/// table's code, one far from it, two bodies merged into one 2021/22 CCG that both answered
/// (their sum compared) and a merger of three where only two answered (not compared).
#[test]
fn camhs_budget_is_compared_with_nhs_englands_spend_through_successions() {
    let round = Round::new().round_toml(
        "title = \"CAMHS mini\"\nschema = \"camhs\"\nbodies = \"ccg\"\nas_of = \"2018-06-01\"\nperiods = [\"2017-18\"]\n",
    );
    let o = replies(
        round,
        "Total CAMHS budget 2017-18",
        &[
            ("nhs_blackpool_ccg", "£2,018,270"),
            ("nhs_knowsley_ccg", "£3,500,000"),
            ("nhs_shropshire_ccg", "£3,000,000"),
            ("nhs_telford_and_wrekin_ccg", "£2,442,000"),
            ("nhs_eastbourne_hailsham_and_seaford_ccg", "£1,900,000"),
            ("nhs_hastings_and_rother_ccg", "£1,800,000"),
        ],
    )
    .run()
    .not_status(2);
    let summary: serde_json::Value = serde_json::from_str(&o.text("summary.json")).unwrap();
    let k = |s: &str| {
        summary[format!("official.camhs_budget_vs_nhse_cyp_mh_spend.2017-18.{s}")].clone()
    };
    assert_eq!(
        (k("compared"), k("agree"), k("not_comparable")),
        (3.into(), 2.into(), 1.into()),
        "{summary:#}"
    );
    let md = o.text("report.md");
    assert!(
        md.contains("## FOI answers against official figures"),
        "{md}"
    );
    assert!(md.contains("| NHS Shropshire CCG (05N) + NHS Telford and Wrekin CCG (05X) | £5,442,000 | £5,442,000 | 1.00 | yes | 2 merged into M2L0M |"), "{md}");
    assert!(
        md.contains("09F+09P+99K: 3 bodies merged into 97R; 2 of them gave a 2017-18 figure"),
        "{md}"
    );
    // The furthest apart first, with the evidence of both figures.
    let furthest = md.split("Furthest apart:").nth(1).unwrap();
    let first = furthest.lines().find(|l| l.starts_with("- ")).unwrap();
    assert!(
        first.starts_with("- NHS Knowsley CCG (01J): FOI £3,500,000")
            && first.contains("reply.csv B2")
            && first.contains("Trend CYP (v and vi)!E76+O76"),
        "{first}"
    );
    let html = o.text("report.html");
    assert!(
        html.contains("<h2 id=\"official\">")
            && html.contains("aria-label=\"FOI figure against official figure, log scales\"")
    );
    assert_eq!(
        html.matches("<circle").count()
            - html
                .split("<h2 id=\"official\">")
                .next()
                .unwrap()
                .matches("<circle")
                .count(),
        3
    );
}

/// The 2018 CAMHS dev round beside the project (CI has it): its report sets camhs_budget beside
/// NHS England's figures without the round being edited.
#[test]
fn camhs_2018_dev_round_reports_the_comparison() {
    let dev = root().join("../shared/corpus/dev/camhs-2018");
    if !dev.join("round.toml").is_file() {
        eprintln!("skipped: {} is not here", dev.display());
        return;
    }
    let o = Round::existing(&dev).run().not_status(2);
    let md = o.text("report.md");
    let html = o.text("report.html");
    assert!(md.contains("### `camhs_budget` 2017-18 against CYP mental health spend by CCG, including eating disorders"), "{md}");
    assert!(
        html.contains("<code>camhs_budget</code> 2017-18 against CYP mental health spend by CCG")
    );
    let summary: serde_json::Value = serde_json::from_str(&o.text("summary.json")).unwrap();
    assert!(
        summary["official.camhs_budget_vs_nhse_cyp_mh_spend.2017-18.compared"]
            .as_u64()
            .unwrap()
            >= 10,
        "{summary:#}"
    );
}

/// The published files the project carries are the files as published: their blake3 is the one
/// `reference/sources/README.md` records (and `foi reference import` prints).
#[test]
fn shipped_sources_are_the_published_files_verbatim() {
    let readme = std::fs::read_to_string(root().join("reference/sources/README.md")).unwrap();
    for name in [
        "OCC data file and trend_2022 - v2.1 JS NEW.xlsx",
        "Patient_List_Size_2016_01-03.csv",
    ] {
        let hash =
            blake3::hash(&std::fs::read(root().join("reference/sources").join(name)).unwrap())
                .to_hex()
                .to_string();
        assert!(
            readme.contains(&format!("- `{name}`: `{hash}`")),
            "{name}: {hash} is not the recorded blake3"
        );
    }
}
