//! Replies as real CCG disclosure logs write them, end to end through the binary: who wrote
//! which words (the request is never an answer), statements that cover the whole request or one
//! item for every year, and statuses stated by their reason. Each test writes its own tiny round.

mod support;

use std::collections::BTreeMap;
use support::{CAMHS_REQUEST as REQUEST, Cells, Round};

/// Each body's rows, (field, period) -> (status, value); and bodies.csv's reply kinds.
struct Read {
    rows: BTreeMap<String, Cells>,
    replies: BTreeMap<String, String>,
}

impl Read {
    fn statuses(&self, code: &str, field: &str) -> Vec<String> {
        self.rows[code]
            .iter()
            .filter(|((f, _), _)| f == field)
            .map(|(_, (s, _))| s.clone())
            .collect()
    }
}

/// A camhs round of these threads (folder, correspondence text), run.
fn run(threads: &[(&str, &str)]) -> Read {
    let round = Round::new()
        .schema("camhs")
        .dated("2018-06-01")
        .file("request.txt", REQUEST.as_bytes());
    let o = threads
        .iter()
        .fold(round, |round, (slug, text)| {
            round.correspondence(slug, text)
        })
        .run()
        .completed();
    let replies = o
        .csv("bodies.csv")
        .into_iter()
        .map(|r| (r["body_code"].clone(), r["reply"].clone()))
        .collect();
    Read {
        rows: o.cells_by_body(),
        replies,
    }
}

fn rule() -> String {
    "-".repeat(67)
}

/// The request sent from an ordinary mailbox (not WhatDoTheyKnow), then the body's message.
fn thread(body: &str, reply: &str) -> String {
    let rule = rule();
    format!(
        "From: Jordan Ellis <jordan.ellis@example.com>\nTo: FOI <foi@nhs.net>\nSubject: Freedom of Information request\n\n\
         Dear {body},\n\n{REQUEST}\nYours faithfully,\nJordan Ellis\n\n{rule}\n\n\
         From: Jo Reed <foi@nhs.net>\nTo: Jordan Ellis <jordan.ellis@example.com>\nSubject: RE: Freedom of Information request\n\n\
         Dear Jordan Ellis,\n\n{reply}\n\nYours sincerely,\nJo Reed\n{body}\n"
    )
}

#[test]
fn the_requests_cost_limit_sentence_is_never_the_bodys_refusal() {
    let read = run(&[(
        "nhs_darlington_ccg",
        &thread(
            "NHS Darlington CCG",
            "Thank you for your request, which has been logged. We aim to respond by 29 June 2018.",
        ),
    )]);
    assert!(
        read.rows["00C"].values().all(|(s, _)| s == "no_response"),
        "{:?}",
        read.rows["00C"]
    );
    assert_eq!(read.replies["00C"], "no_response");
}

#[test]
fn a_whole_request_not_held_naming_who_holds_it_covers_every_item() {
    let reply = "The CCG does not hold the information you have requested. CAMHS services are commissioned by\n\
                 NHS Salford CCG on behalf of the CCGs in the area, who may be able to help.";
    let read = run(&[(
        "nhs_south_tyneside_ccg",
        &thread("NHS South Tyneside CCG", reply),
    )]);
    assert!(
        read.rows["00N"].values().all(|(s, _)| s == "not_held"),
        "{:?}",
        read.rows["00N"]
    );
    assert_eq!(read.replies["00N"], "not_held");
}

#[test]
fn one_exemption_naming_every_year_and_a_dash_before_each_answer() {
    let reply = "1a. What was the CCG's total CAMHS budget in 2016/17? – 608,376\n\
                 1b. What was the CCG's total CAMHS budget in 2017/18? – £612,000 (up 0.6% on last year)\n\
                 1c. What was the CCG's total CAMHS budget in 2018/19 (planned)? – £14.6m in 2017/18 terms\n\n\
                 The CCG's total mental health budget figures for all three years (questions 2a to 2c) are\n\
                 exempt: they are commercially sensitive.\n\n\
                 3. The CCG received £1.2m in 2016/17, rising to £1.35m in 2017/18 and £1.4m in 2018/19.";
    let read = run(&[("nhs_salford_ccg", &thread("NHS Salford CCG", reply))]);
    let rows = &read.rows["01G"];
    let value = |f: &str, p: &str| rows[&(f.to_owned(), p.to_owned())].clone();
    // A dash that introduces an answer is punctuation: never a negative figure.
    assert_eq!(
        value("camhs_budget", "2016-17"),
        ("answered".to_owned(), "608376".to_owned())
    );
    assert_eq!(
        value("camhs_budget", "2017-18"),
        ("answered".to_owned(), "612000".to_owned())
    );
    // A figure naming another year than the question's is not taken as this year's answer.
    assert_ne!(value("camhs_budget", "2018-19").0, "answered");
    assert_eq!(
        read.statuses("01G", "mh_budget"),
        ["exempt", "exempt", "exempt"]
    );
    assert_eq!(value("fim_allocation", "2016-17").1, "1200000");
    assert_eq!(value("fim_allocation", "2017-18").1, "1350000");
    assert_eq!(value("fim_allocation", "2018-19").1, "1400000");
}

#[test]
fn a_space_aligned_table_with_block_contract_and_exemption_by_reason() {
    let reply = "Budget line                     2016/17                                      2017/18         2018/19\n\
                 CAMHS                           Not separately identified (block contract)   £4.1m           £4.2m\n\
                 Total mental health             Withheld: personal information               £52.3m          £53.0m\n\
                 Future in Mind funding          £608,376                                     £650,000        £700,000";
    let read = run(&[(
        "nhs_chorley_and_south_ribble_ccg",
        &thread("NHS Chorley and South Ribble CCG", reply),
    )]);
    let rows = &read.rows["00X"];
    assert_eq!(
        rows[&("camhs_budget".to_owned(), "2016-17".to_owned())].0,
        "not_held"
    );
    assert_eq!(
        rows[&("mh_budget".to_owned(), "2016-17".to_owned())].0,
        "exempt"
    );
    assert_eq!(
        rows[&("mh_budget".to_owned(), "2018-19".to_owned())],
        ("answered".to_owned(), "53000000".to_owned())
    );
    assert_eq!(
        rows[&("fim_allocation".to_owned(), "2016-17".to_owned())],
        ("answered".to_owned(), "608376".to_owned())
    );
}
