//! A third survey from its schema file alone: `schemas/waiting_times.toml` (children's speech and
//! language therapy: spend in two years, referrals, a waiting time in weeks, a yes/no and a
//! category) and its example round `tests/fixtures/waiting_times/` (a CSV, answers typed in an
//! e-mail, and a workbook written here with rust_xlsxwriter). Its summary.json, report.md and
//! report.html must carry a statistic for every field, worded from the schema.

mod support;

use support::{Outcome, Round, root};

/// NHS Leeds North CCG's reply: the body's own workbook, the wait a decimal number of weeks.
fn leeds_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: [(&str, Option<&str>, Option<f64>); 6] = [
        (
            "Spend on speech and language therapy 2016/17",
            None,
            Some(380_000.0),
        ),
        (
            "Spend on speech and language therapy 2017/18",
            None,
            Some(402_000.0),
        ),
        ("Number of children referred 2017/18", None, Some(515.0)),
        ("Median wait to first appointment (weeks)", None, Some(3.5)),
        (
            "Do you publish waiting times?",
            Some("Yes, on our website"),
            None,
        ),
        (
            "Who provides the service?",
            Some("An independent provider (social enterprise)"),
            None,
        ),
    ];
    ws.write_string(0, 0, "Question").unwrap();
    ws.write_string(0, 1, "Response").unwrap();
    for (i, (q, text, number)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *q).unwrap();
        match (text, number) {
            (Some(t), _) => ws.write_string(r, 1, *t).unwrap(),
            (_, Some(n)) => ws.write_number(r, 1, *n).unwrap(),
            _ => ws,
        };
    }
    wb.save_to_buffer().unwrap()
}

/// The example round, with Leeds North's workbook added; every reply read cleanly.
fn run_round() -> Outcome {
    Round::copy_of(&root().join("tests/fixtures/waiting_times"))
        .file(
            "responses/nhs_leeds_north_ccg/FOI 2018-123 response.xlsx",
            &leeds_workbook(),
        )
        .run()
        .status(0)
}

fn summary(r: &Outcome) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(&r.text("summary.json")).unwrap()
}

fn num(s: &serde_json::Map<String, serde_json::Value>, key: &str) -> f64 {
    s.get(key)
        .and_then(|v| v.as_f64())
        .unwrap_or_else(|| panic!("summary.json has no number `{key}`"))
}

#[test]
fn every_field_has_statistics_by_its_type() {
    let r = run_round();
    let s = summary(&r);
    // Money and counts: n, total, quartiles, fold.
    for key in [
        "fields.slt_spend.2016-17",
        "fields.slt_spend.2017-18",
        "fields.referrals.2017-18",
        "fields.wait_weeks",
    ] {
        assert_eq!(num(&s, &format!("{key}.n")), 3.0, "{key}");
        for stat in ["min", "q1", "median", "q3", "max", "fold"] {
            num(&s, &format!("{key}.{stat}"));
        }
    }
    // A total of money or referrals means something; a total of waiting times does not.
    num(&s, "fields.referrals.2017-18.total");
    assert!(!s.contains_key("fields.wait_weeks.total"));
    assert_eq!(
        num(&s, "fields.slt_spend.2017-18.total"),
        455_500.0 + 598_250.0 + 402_000.0
    );
    // "17 days" is 2.43 weeks, "4 weeks" 4, the workbook's 3.5 itself: the median is 3.5 weeks.
    assert_eq!(num(&s, "fields.wait_weeks.median"), 3.5);
    assert_eq!(num(&s, "fields.wait_weeks.min"), 2.43);
    // Yes/no: the count and share of each answer, with intervals.
    assert_eq!(num(&s, "fields.waits_published.yes.count"), 2.0);
    assert_eq!(num(&s, "fields.waits_published.answered"), 3.0);
    num(&s, "fields.waits_published.yes.percent.ci95_low");
    assert_eq!(num(&s, "waits_published.yes"), 2.0);
    // Category: every code counted.
    assert_eq!(num(&s, "fields.service_model.nhs_trust.count"), 1.0);
    assert_eq!(num(&s, "fields.service_model.mixed.count"), 1.0);
    assert_eq!(num(&s, "fields.service_model.independent.count"), 1.0);
    num(&s, "fields.service_model.independent.percent.ci95_high");
    // Declared statistics: spend per referral, per child and the change between the years.
    assert_eq!(num(&s, "derived.spend_per_referral.n"), 3.0);
    assert_eq!(num(&s, "derived.spend_per_child.2017-18.n"), 3.0);
    assert_eq!(num(&s, "derived.spend_change.n"), 3.0);
    assert_eq!(num(&s, "derived.spend_change.rose"), 2.0);
    assert_eq!(num(&s, "derived.spend_change.fell"), 1.0);
    assert_eq!(
        num(&s, "derived.spend_change.total_change"),
        (455_500.0 + 598_250.0 + 402_000.0) - (412_000.0 + 610_000.0 + 380_000.0)
    );
}

#[test]
fn the_conversion_to_weeks_is_in_the_provenance() {
    let r = run_round();
    let csv = r.text("responses.csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("00R,wait_weeks,"))
        .expect("Blackpool's wait");
    assert!(
        row.contains(",2.43,") && row.contains("17 days read as 2.43 weeks"),
        "{row}"
    );
}

#[test]
fn the_reports_speak_the_schemas_words_for_every_field() {
    let r = run_round();
    let md = r.text("report.md");
    let html = r.text("report.html");
    for label in [
        "Spend on children's speech and language therapy, 2016-17",
        "Spend on children's speech and language therapy, 2017-18",
        "Referrals, 2017-18",
        "Median wait to first appointment (weeks)",
        "Publishes its waiting times",
        "Who provides the service",
        "## Spend per referral, 2017-18",
        "## Change in spend, 2016-17 to 2017-18",
        "## Spend per child",
        "an independent provider",
        "3.5 weeks",
    ] {
        assert!(md.contains(label), "report.md lacks {label:?}:\n{md}");
    }
    assert!(
        md.contains("budget per referral"),
        "the ratio is worded per referral:\n{md}"
    );
    assert!(!md.contains("per patient"), "no palliative wording:\n{md}");
    for id in [
        "slt_spend",
        "wait_weeks",
        "waits_published",
        "service_model",
    ] {
        assert!(!md.contains(id), "report.md shows the id {id}:\n{md}");
    }
    for key in [
        "fields.slt_spend.2016-17.median",
        "fields.slt_spend.2017-18.median",
        "fields.referrals.2017-18.median",
        "fields.wait_weeks.median",
        "fields.waits_published.yes.percent",
        "fields.service_model.mixed.percent",
        "derived.spend_change.n",
        "derived.spend_per_referral.median",
    ] {
        assert!(
            html.contains(&format!("data-key=\"{key}\"")),
            "report.html lacks {key}"
        );
    }
    assert!(
        html.contains("Spend per referral, 2017-18") && html.contains("Who provides the service")
    );
}
