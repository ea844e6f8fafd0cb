//! A spend run's outputs: `transactions.csv` (and its `.xlsx` and `.parquet` twins),
//! `spend_totals.csv`, `suppliers.csv`, `months.csv`, `crosscheck.csv`, `issues.csv`,
//! `manifest.csv`, `datapackage.json`, `report.md` and `report.html` (monthly payments per
//! body as a small inline SVG chart, the cross-check with its evidence rows). Rows sorted,
//! so every run writes the same bytes.

use super::category::Category;
use super::read::RowStatus;
use super::{SpendResult, Transaction, location};
use crate::report::{ReportError, write_rows};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// The columns of `transactions.csv`.
pub const TRANSACTIONS_HEADER: [&str; 18] = [
    "body_code",
    "date",
    "expense_type",
    "expense_area",
    "supplier",
    "supplier_key",
    "amount",
    "transaction_id",
    "status",
    "file",
    "sheet",
    "row",
    "raw",
    "category",
    "duplicate_of",
    "id",
    "fy",
    "label",
];

fn money(a: f64) -> String {
    format!("{a:.2}")
}

fn transaction_row(t: &Transaction) -> Vec<String> {
    let r = &t.row;
    vec![
        t.body.clone(),
        r.date.map(|d| d.iso()).unwrap_or_default(),
        r.expense_type.clone(),
        r.expense_area.clone(),
        r.supplier.clone(),
        t.supplier_key.clone(),
        r.amount.map(money).unwrap_or_default(),
        r.transaction_id.clone(),
        r.status.as_str().to_owned(),
        r.file.clone(),
        r.sheet.clone().unwrap_or_default(),
        r.row.to_string(),
        r.raw.clone(),
        t.category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        t.duplicate_of.clone().unwrap_or_default(),
        t.id.clone(),
        r.date
            .filter(|_| matches!(r.status, RowStatus::Kept | RowStatus::Duplicate))
            .map(|d| d.fy())
            .unwrap_or_default(),
        r.label.clone(),
    ]
}

pub fn write_all(out: &Path, res: &SpendResult) -> Result<(), ReportError> {
    let rows: Vec<Vec<String>> = res.transactions.iter().map(transaction_row).collect();
    write_rows(
        &out.join("transactions.csv"),
        &TRANSACTIONS_HEADER,
        rows.iter().cloned(),
    )?;
    crate::report::xlsx::write_cells(
        &out.join("transactions.xlsx"),
        "transactions",
        &TRANSACTIONS_HEADER,
        &rows,
        |_, c| c == 6 || c == 11,
    )?;
    write_parquet(&out.join("transactions.parquet"), res, &rows)?;
    write_rows(
        &out.join("spend_totals.csv"),
        &["body_code", "fy", "category", "amount", "rows"],
        res.totals.iter().map(|((b, fy, c), (a, n))| {
            vec![
                b.clone(),
                fy.clone(),
                c.as_str().to_owned(),
                money(*a),
                n.to_string(),
            ]
        }),
    )?;
    write_rows(
        &out.join("suppliers.csv"),
        &[
            "supplier_key",
            "kind",
            "categories",
            "kept_amount",
            "spellings",
        ],
        res.suppliers.iter().map(|(k, (sp, kind, cats, total))| {
            vec![
                k.clone(),
                kind.label().to_owned(),
                cats.iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
                money(*total),
                sp.iter().cloned().collect::<Vec<_>>().join(" | "),
            ]
        }),
    )?;
    let month_rows: Vec<Vec<String>> = res
        .bodies
        .keys()
        .flat_map(|b| {
            let months = res.months.get(b).cloned().unwrap_or_default();
            res.periods.iter().map(move |fy| {
                let all = super::crosscheck::months_of_fy(fy);
                let (have, miss): (Vec<String>, Vec<String>) =
                    all.into_iter().partition(|m| months.contains(m));
                vec![
                    b.clone(),
                    fy.clone(),
                    have.len().to_string(),
                    have.join(" "),
                    miss.join(" "),
                ]
            })
        })
        .collect();
    write_rows(
        &out.join("months.csv"),
        &[
            "body_code",
            "fy",
            "months_published",
            "months",
            "months_missing",
        ],
        month_rows.into_iter(),
    )?;
    write_rows(
        &out.join("crosscheck.csv"),
        &[
            "body_code",
            "topic",
            "period",
            "verdict",
            "reason",
            "field",
            "payments",
            "foi_value",
            "foi_status",
            "ratio",
            "months_missing",
            "foi_source",
            "foi_location",
            "foi_raw",
            "evidence_rows",
        ],
        res.checks.iter().map(|c| {
            let foi_value = c.foi_value();
            vec![
                c.body.clone(),
                c.topic.clone(),
                c.period.clone(),
                c.verdict.as_str().to_owned(),
                c.verdict.reason().to_owned(),
                c.field.clone(),
                money(c.payments),
                foi_value.map(money).unwrap_or_default(),
                c.foi_status().as_str().to_owned(),
                foi_value
                    .filter(|v| *v != 0.0)
                    .map(|v| format!("{:.4}", c.payments / v))
                    .unwrap_or_default(),
                c.months_missing.join(" "),
                c.foi.as_ref().map(|a| a.source.clone()).unwrap_or_default(),
                c.foi
                    .as_ref()
                    .map(|a| a.location.clone())
                    .unwrap_or_default(),
                c.foi.as_ref().map(|a| a.raw.clone()).unwrap_or_default(),
                c.evidence.join(" "),
            ]
        }),
    )?;
    write_rows(
        &out.join("issues.csv"),
        &["body_code", "kind", "source", "location", "evidence"],
        res.issues.iter().map(|i| {
            vec![
                i.body.clone(),
                i.kind.as_str().to_owned(),
                i.source.clone(),
                i.location.clone(),
                i.evidence.clone(),
            ]
        }),
    )?;
    write_rows(
        &out.join("manifest.csv"),
        &["path", "blake3", "bytes", "format", "status", "reason"],
        res.manifest.iter().map(|m| {
            vec![
                m.path.clone(),
                m.blake3.clone(),
                m.bytes.to_string(),
                m.format.as_str().to_owned(),
                m.status.as_str().to_owned(),
                m.reason.clone(),
            ]
        }),
    )?;
    let write = |name: &str, text: String| {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|source| ReportError::Io { path, source })
    };
    write("datapackage.json", datapackage(res))?;
    write("report.md", markdown(res))?;
    write("report.html", html(res))?;
    Ok(())
}

fn write_parquet(path: &Path, res: &SpendResult, rows: &[Vec<String>]) -> Result<(), ReportError> {
    let err = |source| ReportError::Parquet {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::create(path).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut fields = Vec::new();
    for (i, name) in TRANSACTIONS_HEADER.iter().enumerate() {
        fields.push(match i {
            6 => format!("  OPTIONAL DOUBLE {name};"),
            11 => format!("  REQUIRED INT64 {name};"),
            _ => format!("  REQUIRED BYTE_ARRAY {name} (STRING);"),
        });
    }
    let schema = Arc::new(
        parse_message_type(&format!(
            "message transactions {{\n{}\n}}",
            fields.join("\n")
        ))
        .map_err(err)?,
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_created_by(format!("foi-survey {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(file, schema, props).map_err(err)?;
    let mut group = writer.next_row_group().map_err(err)?;
    let mut index = 0;
    while let Some(mut column) = group.next_column().map_err(err)? {
        match index {
            6 => {
                let amounts: Vec<Option<f64>> =
                    res.transactions.iter().map(|t| t.row.amount).collect();
                let present: Vec<f64> = amounts.iter().flatten().copied().collect();
                let levels: Vec<i16> = amounts.iter().map(|a| i16::from(a.is_some())).collect();
                column
                    .typed::<DoubleType>()
                    .write_batch(&present, Some(&levels), None)
                    .map_err(err)?;
            }
            11 => {
                let numbers: Vec<i64> = res.transactions.iter().map(|t| t.row.row as i64).collect();
                column
                    .typed::<Int64Type>()
                    .write_batch(&numbers, None, None)
                    .map_err(err)?;
            }
            c => {
                let values: Vec<ByteArray> = rows
                    .iter()
                    .map(|r| ByteArray::from(r.get(c).cloned().unwrap_or_default().into_bytes()))
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, None, None)
                    .map_err(err)?;
            }
        }
        column.close().map_err(err)?;
        index += 1;
    }
    group.close().map_err(err)?;
    writer.close().map_err(err)?;
    Ok(())
}

fn datapackage(res: &SpendResult) -> String {
    use serde_json::json;
    let text = |n: &str| json!({"name": n, "type": "string"});
    let typed = |n: &str, t: &str| json!({"name": n, "type": t});
    let tx: Vec<_> = TRANSACTIONS_HEADER
        .iter()
        .map(|n| match *n {
            "amount" => typed(n, "number"),
            "row" => typed(n, "integer"),
            "date" => typed(n, "date"),
            _ => text(n),
        })
        .collect();
    let csv = |name: &str, fields: Vec<serde_json::Value>| {
        json!({"name": name, "path": format!("{name}.csv"), "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
               "schema": {"fields": fields, "missingValues": [""]}})
    };
    let pkg = json!({
        "profile": "data-package",
        "name": res.round.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' }).collect::<String>(),
        "title": res.title,
        "resources": [
            csv("transactions", tx),
            csv("spend_totals", vec![text("body_code"), text("fy"), text("category"), typed("amount", "number"), typed("rows", "integer")]),
            csv("suppliers", vec![text("supplier_key"), text("kind"), text("categories"), typed("kept_amount", "number"), text("spellings")]),
            csv("months", vec![text("body_code"), text("fy"), typed("months_published", "integer"), text("months"), text("months_missing")]),
            csv("crosscheck", ["body_code", "topic", "period", "verdict", "reason", "field"].iter().map(|n| text(n))
                .chain([typed("payments", "number"), typed("foi_value", "number"), text("foi_status"), typed("ratio", "number")])
                .chain(["months_missing", "foi_source", "foi_location", "foi_raw", "evidence_rows"].iter().map(|n| text(n))).collect()),
            csv("issues", ["body_code", "kind", "source", "location", "evidence"].iter().map(|n| text(n)).collect()),
            csv("manifest", vec![text("path"), text("blake3"), typed("bytes", "integer"), text("format"), text("status"), text("reason")]),
        ]
    });
    serde_json::to_string_pretty(&pkg).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// Kept payments per body and month.
fn monthly(res: &SpendResult) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for t in &res.transactions {
        if t.row.status == RowStatus::Kept
            && let (Some(d), Some(a)) = (t.row.date, t.row.amount)
        {
            *out.entry(t.body.clone())
                .or_default()
                .entry(d.month())
                .or_default() += a;
        }
    }
    out
}

fn pounds(a: f64) -> String {
    let whole = format!("{:.0}", a.abs());
    let mut s = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    format!("{}£{s}", if a < 0.0 { "-" } else { "" })
}

fn markdown(res: &SpendResult) -> String {
    let mut md = String::new();
    let kept = res
        .transactions
        .iter()
        .filter(|t| t.row.status == RowStatus::Kept)
        .count();
    let dups = res
        .transactions
        .iter()
        .filter(|t| t.row.status == RowStatus::Duplicate)
        .count();
    let totals = res
        .transactions
        .iter()
        .filter(|t| t.row.status == RowStatus::TotalLine)
        .count();
    let _ = writeln!(md, "# {}\n", res.title);
    let _ = writeln!(
        md,
        "{} files from {} bodies: {kept} payment lines kept, {dups} re-published copies not counted twice, {totals} total lines not counted.\n",
        res.manifest.len(),
        res.bodies.len()
    );
    let _ = writeln!(
        md,
        "## Months published\n\n| body | name | year | months | missing |\n|---|---|---|---|---|"
    );
    for (b, name) in &res.bodies {
        let months = res.months.get(b).cloned().unwrap_or_default();
        for fy in &res.periods {
            let all = super::crosscheck::months_of_fy(fy);
            let miss: Vec<&String> = all.iter().filter(|m| !months.contains(*m)).collect();
            let _ = writeln!(
                md,
                "| {b} | {name} | {fy} | {} of 12 | {} |",
                12 - miss.len(),
                miss.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let _ = writeln!(
        md,
        "\n## Payments per body, year and category\n\n| body | year | hospice | palliative_nhs | camhs | other |\n|---|---|---|---|---|---|"
    );
    let mut years: BTreeMap<(String, String), BTreeMap<Category, f64>> = BTreeMap::new();
    for ((b, fy, c), (a, _)) in &res.totals {
        years
            .entry((b.clone(), fy.clone()))
            .or_default()
            .insert(*c, *a);
    }
    for ((b, fy), cats) in &years {
        let cell = |c: Category| {
            cats.get(&c)
                .map(|a| pounds(*a))
                .unwrap_or_else(|| "–".into())
        };
        let _ = writeln!(
            md,
            "| {b} | {fy} | {} | {} | {} | {} |",
            cell(Category::Hospice),
            cell(Category::PalliativeNhs),
            cell(Category::Camhs),
            cell(Category::Other)
        );
    }
    let _ = writeln!(
        md,
        "\n## Cross-check against the FOI answers\n\nPublished payments over £25,000 are a lower bound of what a body spent. Tolerance {:.0}%: `exceeds` is a contradiction between the two sources; `below` is worth a look; `not_comparable` when the FOI figure was not answered or a month of the year was not published.\n",
        res.tolerance * 100.0
    );
    let _ = writeln!(
        md,
        "| body | topic | year | payments | FOI figure | verdict | evidence |\n|---|---|---|---|---|---|---|"
    );
    for c in &res.checks {
        let foi = c
            .foi_value()
            .map(pounds)
            .unwrap_or_else(|| c.foi_status().as_str().to_owned());
        let verdict = c.verdict_text();
        let source = c
            .foi
            .as_ref()
            .map(|a| format!("FOI: {} {}", a.source, a.location))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {foi} | {verdict} | {} payment rows; {source} |",
            c.body,
            c.topic,
            c.period,
            pounds(c.payments),
            c.evidence.len()
        );
    }
    let _ = writeln!(
        md,
        "\nEvery payment row summed is listed by id in `crosscheck.csv` (`evidence_rows`) and found in `transactions.csv` with its file, sheet and row.\n\n{} items for a person in `issues.csv`.",
        res.issues.len()
    );
    md
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar per month, every month of the round's years; a missing month drawn as a red tick.
fn chart(months: &BTreeMap<String, f64>, periods: &[String]) -> String {
    let all: Vec<String> = periods
        .iter()
        .flat_map(|p| super::crosscheck::months_of_fy(p))
        .collect();
    let max = months.values().copied().fold(0.0_f64, f64::max).max(1.0);
    let (w, h, bw) = (all.len() as f64 * 12.0 + 10.0, 70.0, 10.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\">"
    );
    for (i, m) in all.iter().enumerate() {
        let x = 5.0 + i as f64 * 12.0;
        match months.get(m) {
            Some(a) => {
                let bh = (a.max(0.0) / max * 60.0).max(1.0);
                let _ = write!(
                    svg,
                    "<rect x=\"{x}\" y=\"{:.1}\" width=\"{bw}\" height=\"{bh:.1}\" fill=\"#4477aa\"><title>{m}: {}</title></rect>",
                    65.0 - bh,
                    pounds(*a)
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<rect x=\"{x}\" y=\"62\" width=\"{bw}\" height=\"3\" fill=\"#cc3311\"><title>{m}: no file published</title></rect>"
                );
            }
        }
    }
    svg + "</svg>"
}

fn html(res: &SpendResult) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>body{{font-family:sans-serif;max-width:70em;margin:auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:90%}}.exceeds{{background:#fdd}}.below{{background:#ffd}}</style></head><body>\n",
        esc(&res.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&res.title));
    let _ = writeln!(
        h,
        "<h2>Monthly payments per body</h2><p>Kept payment lines summed per month; a red tick is a month with no published file.</p><table><tr><th>body</th><th>payments by month</th></tr>"
    );
    let per = monthly(res);
    for (b, name) in &res.bodies {
        let _ = writeln!(
            h,
            "<tr><td>{} {}</td><td>{}</td></tr>",
            esc(b),
            esc(name),
            chart(per.get(b).unwrap_or(&BTreeMap::new()), &res.periods)
        );
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(
        h,
        "<h2>Cross-check against the FOI answers</h2><p>Tolerance {:.0}%. Payments over £25,000 are a lower bound of spend.</p>",
        res.tolerance * 100.0
    );
    let _ = writeln!(
        h,
        "<table><tr><th>body</th><th>topic</th><th>year</th><th>payments</th><th>FOI figure</th><th>verdict</th><th>FOI source</th></tr>"
    );
    let by_id: BTreeMap<&str, &Transaction> = res
        .transactions
        .iter()
        .map(|t| (t.id.as_str(), t))
        .collect();
    for c in &res.checks {
        let foi = c
            .foi_value()
            .map(pounds)
            .unwrap_or_else(|| "not answered".into());
        let verdict = c.verdict_text();
        let src = c
            .foi
            .as_ref()
            .map(|a| format!("{} {} “{}”", a.source, a.location, a.raw))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            c.verdict.as_str(),
            esc(&c.body),
            esc(&c.topic),
            esc(&c.period),
            pounds(c.payments),
            esc(&foi),
            esc(&verdict),
            esc(&src)
        );
        if !c.evidence.is_empty() {
            let _ = write!(
                h,
                "<tr><td colspan=\"7\"><details><summary>{} payment rows</summary><table>",
                c.evidence.len()
            );
            for id in &c.evidence {
                if let Some(t) = by_id.get(id.as_str()) {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td></tr>",
                        esc(id),
                        t.row.date.map(|d| d.iso()).unwrap_or_default(),
                        esc(&t.row.supplier),
                        t.row.amount.map(pounds).unwrap_or_default(),
                        esc(&t.row.expense_area),
                        esc(&t.row.file),
                        esc(&location(&t.row))
                    );
                }
            }
            let _ = writeln!(h, "</table></details></td></tr>");
        }
    }
    let _ = writeln!(
        h,
        "</table><p>{} items for a person: issues.csv.</p></body></html>",
        res.issues.len()
    );
    h
}
