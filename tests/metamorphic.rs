//! The metamorphic suite: a reply's answers rewritten in every layout people use must read to
//! exactly what the original layout reads to (values and statuses). Each reply below is modelled
//! on the dev rounds' replies but written here, with its own figures; each layout is one thread
//! of one round, for a body of its own, and the whole round is run once through the binary.
//! A layout that reads differently from the original is a phrasing the reader misreads or
//! misses: this is the guard that the next phrasing nobody has seen yet is read or flagged.

mod support;

use std::collections::BTreeMap;
use support::{CAMHS_REQUEST as REQUEST, Cells, Round};

const YEARS: [&str; 3] = ["2016/17", "2017/18", "2018/19"];

/// The questionnaire's three questions, as the request words them, with a label for tables.
struct Question {
    number: &'static str,
    text: &'static str,
    label: &'static str,
}

const QUESTIONS: [Question; 3] = [
    Question {
        number: "1",
        text: "What was the CCG's total CAMHS budget (all services commissioned by the CCG for under-18s' mental health) in",
        label: "CAMHS (children and young people's mental health)",
    },
    Question {
        number: "2",
        text: "What was the CCG's total mental health budget in",
        label: "Total mental health",
    },
    Question {
        number: "3",
        text: "How much additional Future in Mind / CAMHS transformation funding (including eating disorders) did the CCG receive in",
        label: "Future in Mind transformation funding (incl. eating disorders)",
    },
];

/// A reply: for each question, each year's answer as the body wrote it.
type Reply = [[&'static str; 3]; 3];

const ALL_ANSWERED: Reply = [
    ["£4,100,000", "£4,250,500.50", "£4.4m"],
    ["£52,300,000", "£53,100,000", "£54.2 million"],
    ["608,376", "£650,000", "£700,000"],
];

const MIXED: Reply = [
    ["£2.3m", "Not held", "£2.5m"],
    [
        "Commercially sensitive - exempt from disclosure",
        "Commercially sensitive - exempt from disclosure",
        "Commercially sensitive - exempt from disclosure",
    ],
    [
        "£334,000",
        "Section 21 - reasonably accessible by other means",
        "The CCG does not hold this information",
    ],
];

const LETTERS: [&str; 3] = ["a", "b", "c"];

/// The original layout: numbered items, the year, a colon, the answer.
fn numbered_colon(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            s += &format!("{}{}. {}: {a}\n", q.number, LETTERS[k], YEARS[k]);
        }
    }
    s
}

/// The question restated with its answer after the "?" on the same line.
fn restated_same_line(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            s += &format!("{}{}. {} {}? {a}\n", q.number, LETTERS[k], q.text, YEARS[k]);
        }
    }
    s
}

/// The question restated, the answer on the next line.
fn restated_next_line(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            s += &format!(
                "{}{}. {} {}?\n{a}\n\n",
                q.number, LETTERS[k], q.text, YEARS[k]
            );
        }
    }
    s
}

/// A dash after the question: punctuation, never a minus sign.
fn dash_after_question(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            s += &format!(
                "{}{}. {} {}? – {a}\n",
                q.number, LETTERS[k], q.text, YEARS[k]
            );
        }
    }
    s
}

/// "Q1 ..." then "A1 ...".
fn q_and_a(r: &Reply) -> String {
    let mut s = String::new();
    let mut n = 0;
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            n += 1;
            s += &format!("Q{n} {} {}?\nA{n} {a}\n\n", q.text, YEARS[k]);
        }
    }
    s
}

/// "Question:" then "Response:".
fn question_response(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            s += &format!("Question: {} {}?\nResponse: {a}\n\n", q.text, YEARS[k]);
        }
    }
    s
}

/// Each year its own answer after it, in one paragraph per question.
fn years_in_one_sentence(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        let parts: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(k, a)| format!("({}) {}: {a}", LETTERS[k], YEARS[k]))
            .collect();
        s += &format!(
            "{}. {} each of (a) 2016/17, (b) 2017/18, (c) 2018/19?\n{}\n\n",
            q.number,
            q.text,
            parts.join(" ")
        );
    }
    s
}

/// Sentences: the figures of a question in one sentence naming their years in order, each
/// status in a sentence of its own.
fn sentences(r: &Reply) -> String {
    let subjects = [
        "The CCG's total CAMHS budget",
        "The CCG's total mental health budget",
        "The CCG's Future in Mind transformation funding",
    ];
    let mut s = String::new();
    for (subject, row) in subjects.iter().zip(r) {
        let figures: Vec<String> = row
            .iter()
            .enumerate()
            .filter(|(_, a)| a.starts_with(|c: char| c == '£' || c.is_ascii_digit()))
            .map(|(k, a)| format!("{a} in {}", YEARS[k]))
            .collect();
        if !figures.is_empty() {
            let list = match figures.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => figures[0].clone(),
            };
            s += &format!("{subject} was {list}.\n");
        }
        for (k, a) in row
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.starts_with(|c: char| c == '£' || c.is_ascii_digit()))
        {
            let mut status = a.to_string();
            status.replace_range(..1, &status[..1].to_lowercase());
            s += &format!("{subject} for {} is {status}.\n", YEARS[k]);
        }
        s += "\n";
    }
    s
}

/// A pipe table with a Markdown `|---|` rule.
fn pipe_table(r: &Reply) -> String {
    let mut s = format!(
        "| Budget line | {} |\n|---|---|---|---|\n",
        YEARS.join(" | ")
    );
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("| {} | {} |\n", q.label, row.join(" | "));
    }
    s
}

/// Each question's heading on a line of its own, then a bulleted list of its years.
fn heading_list(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("{}. {}\n", q.number, q.label);
        for (k, a) in row.iter().enumerate() {
            s += &format!("• {}: {a}\n", YEARS[k]);
        }
        s += "\n";
    }
    s
}

/// A heading with no number, then its years one a line: known as a heading by the list under it.
fn unnumbered_heading(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("{}\n", q.label);
        for (k, a) in row.iter().enumerate() {
            s += &format!("{} - {a}\n", YEARS[k]);
        }
        s += "\n";
    }
    s
}

/// "Question 1" alone, then each year and its answer after a dash: the question by number only.
fn question_number_lines(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("Question {}\n", q.number);
        for (k, a) in row.iter().enumerate() {
            s += &format!("{} - {a}\n", YEARS[k]);
        }
        s += "\n";
    }
    s
}

/// "Q1: 2016/17 £1m; 2017/18 £2m; ...": the question by number, every year on one line.
fn number_inline(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        let years: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(k, a)| format!("{} {a}", YEARS[k]))
            .collect();
        s += &format!("Q{}: {}\n", q.number, years.join("; "));
    }
    s
}

/// A pipe table with no rule under its heading, as typed in an e-mail.
fn pipe_no_rule(r: &Reply) -> String {
    let mut s = format!("| | {} |\n", YEARS.join(" | "));
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("| {} | {} |\n", q.label, row.join(" | "));
    }
    s
}

/// Columns aligned with spaces, no rule.
fn space_aligned(r: &Reply) -> String {
    let widths = [66, 52, 52];
    let mut s = format!(
        "{:<66}{:<52}{:<52}{}\n",
        "Budget line", YEARS[0], YEARS[1], YEARS[2]
    );
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!(
            "{:<w0$}{:<w1$}{:<w2$}{}\n",
            q.label,
            row[0],
            row[1],
            row[2],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    s
}

/// Cells separated by tabs.
fn tab_separated(r: &Reply) -> String {
    let mut s = format!("Budget line\t{}\n", YEARS.join("\t"));
    for (q, row) in QUESTIONS.iter().zip(r) {
        s += &format!("{}\t{}\n", q.label, row.join("\t"));
    }
    s
}

/// A percentage or a change beside each figure: a remark, not a competing figure.
fn percent_beside(r: &Reply) -> String {
    let mut s = String::new();
    for (q, row) in QUESTIONS.iter().zip(r) {
        for (k, a) in row.iter().enumerate() {
            let remark = if a.chars().any(|c| c.is_ascii_digit()) {
                [
                    " (up 6.7% on last year)",
                    " - an increase of 1.6% on the previous year",
                    ", 2.8% more than in the previous year",
                ][k]
            } else {
                ""
            };
            s += &format!(
                "{}{}. {} {}? {a}{remark}\n",
                q.number, LETTERS[k], q.text, YEARS[k]
            );
        }
    }
    s
}

fn rule() -> String {
    "-".repeat(67)
}

/// A WhatDoTheyKnow thread: the request (which quotes the cost-limit sentence), an
/// acknowledgement, then the reply with `answers` in the body's own message.
fn wdtk_thread(body: &str, answers: &str) -> String {
    let rule = rule();
    format!(
        "From: Jordan Ellis <request-1-abc@whatdotheyknow.com>\nTo: FOI requests at {body} <foi@nhs.net>\nSubject: Freedom of Information request\n\n\
         Dear {body},\n\n{REQUEST}\nYours faithfully,\n\nJordan Ellis\n\n{rule}\n\n\
         From: Jo Reed <foi@nhs.net>\nTo: Jordan Ellis <request-1-abc@whatdotheyknow.com>\nSubject: RE: request\n\n\
         Dear Jordan Ellis,\n\nThank you for your request, which has been logged. We aim to respond by 29 June 2018.\n\nJo Reed\n\n{rule}\n\n\
         From: Jo Reed <foi@nhs.net>\nTo: Jordan Ellis <request-1-abc@whatdotheyknow.com>\nSubject: Response\n\n\
         Dear Jordan Ellis,\n\nPlease find our response below.\n\n{answers}\nYours sincerely,\n\nJo Reed\nFOI Officer\n{body}\n"
    )
}

/// A requester writing from an ordinary mailbox; the reply quotes the request below it.
fn quoted_request_thread(body: &str, answers: &str) -> String {
    let quoted: String = REQUEST.lines().map(|l| format!("> {l}\n")).collect();
    format!(
        "From: Jo Reed <foi@nhs.net>\nTo: Jordan Ellis <jordan.ellis@example.com>\nSubject: RE: Freedom of Information request\n\n\
         Dear Jordan Ellis,\n\nOur response is set out below.\n\n{answers}\nYours sincerely,\n\nJo Reed\nFOI Officer\n{body}\n\n\
         -----Original Message-----\nFrom: Jordan Ellis <jordan.ellis@example.com>\nSent: 01 June 2018 09:12\nTo: FOI <foi@nhs.net>\n\
         Subject: Freedom of Information request\n\n{quoted}"
    )
}

/// A disclosure-log page pasted in: no headers, the request, then the response.
fn headerless_page(answers: &str) -> String {
    format!(
        "FOI 18-123 - Children and young people's mental health spending\n{REQUEST}{answers}Back to top\n"
    )
}

type Layout = (&'static str, fn(&Reply) -> String);

const LAYOUTS: [Layout; 17] = [
    ("numbered_colon", numbered_colon),
    ("restated_same_line", restated_same_line),
    ("restated_next_line", restated_next_line),
    ("dash_after_question", dash_after_question),
    ("q_and_a", q_and_a),
    ("question_response", question_response),
    ("years_in_one_sentence", years_in_one_sentence),
    ("sentences", sentences),
    ("pipe_table", pipe_table),
    ("pipe_no_rule", pipe_no_rule),
    ("heading_list", heading_list),
    ("unnumbered_heading", unnumbered_heading),
    ("question_number_lines", question_number_lines),
    ("number_inline", number_inline),
    ("space_aligned", space_aligned),
    ("tab_separated", tab_separated),
    ("percent_beside", percent_beside),
];

/// The bodies the threads are for: (code, name), open on 2018-06-01.
const BODIES: [(&str, &str); 38] = [
    ("00N", "NHS South Tyneside CCG"),
    ("00X", "NHS Chorley and South Ribble CCG"),
    ("01G", "NHS Salford CCG"),
    ("01V", "NHS Southport and Formby CCG"),
    ("02E", "NHS Warrington CCG"),
    ("02Q", "NHS Bassetlaw CCG"),
    ("03A", "NHS Greater Huddersfield CCG"),
    ("03L", "NHS Rotherham CCG"),
    ("03V", "NHS Corby CCG"),
    ("04E", "NHS Mansfield and Ashfield CCG"),
    ("04L", "NHS Nottingham North and East CCG"),
    ("04Y", "NHS Cannock Chase CCG"),
    ("05H", "NHS Warwickshire North CCG"),
    ("05T", "NHS South Worcestershire CCG"),
    ("06D", "NHS Wyre Forest CCG"),
    ("06N", "NHS Herts Valleys CCG"),
    ("06Y", "NHS South Norfolk CCG"),
    ("07M", "NHS Barnet CCG"),
    ("07V", "NHS Croydon CCG"),
    ("08D", "NHS Haringey CCG"),
    ("08K", "NHS Lambeth CCG"),
    ("08R", "NHS Merton CCG"),
    ("09L", "NHS East Surrey CCG"),
    ("10A", "NHS South Kent Coast CCG"),
    ("10L", "NHS Isle of Wight CCG"),
    ("11E", "NHS Bath and North East Somerset CCG"),
    ("12F", "NHS Wirral CCG"),
    ("99F", "NHS Castle Point and Rochford CCG"),
    ("99N", "NHS Wiltshire CCG"),
    ("00C", "NHS Darlington CCG"),
    ("01D", "NHS Heywood, Middleton and Rochdale CCG"),
    ("02A", "NHS Trafford CCG"),
    ("03K", "NHS North Lincolnshire CCG"),
    ("05D", "NHS East Staffordshire CCG"),
    ("06L", "NHS Ipswich and East Suffolk CCG"),
    ("07K", "NHS West Suffolk CCG"),
    ("08H", "NHS Islington CCG"),
    ("08J", "NHS Kingston CCG"),
];

/// One case: a reply in a layout, inside a kind of thread.
struct Case {
    name: String,
    code: &'static str,
    /// The case whose reading this one must equal (itself for an original).
    original: String,
}

type Reading = Cells;

fn slug(name: &str) -> String {
    name.to_lowercase()
        .replace([',', '(', ')'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// Every case written into one round; the round run; each body's reading.
fn run_round() -> (Vec<Case>, BTreeMap<String, Reading>) {
    let mut cases = Vec::new();
    let mut threads = Vec::new();
    let mut bodies = BODIES.iter();
    let mut add = |name: String, original: String, text: String| {
        let (code, body) = bodies.next().expect("enough bodies");
        threads.push((*body, text.replace("{BODY}", body)));
        cases.push(Case {
            name,
            code,
            original,
        });
    };
    for (reply_name, reply) in [("all_answered", &ALL_ANSWERED), ("mixed", &MIXED)] {
        let original = format!("{reply_name}/numbered_colon");
        for (layout, write) in LAYOUTS {
            add(
                format!("{reply_name}/{layout}"),
                original.clone(),
                wdtk_thread("{BODY}", &write(reply)),
            );
        }
        add(
            format!("{reply_name}/headerless_page"),
            original.clone(),
            headerless_page(&numbered_colon(reply)),
        );
        add(
            format!("{reply_name}/quoted_request_below"),
            original.clone(),
            quoted_request_thread("{BODY}", &numbered_colon(reply)),
        );
    }
    let by_body = run_threads("camhs", "2018-06-01", REQUEST, &threads);
    (cases, by_body)
}

fn show(r: &Reading) -> String {
    r.iter()
        .map(|((f, p), (s, v))| format!("{f} {p}: {s} {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_layout_reads_as_the_original() {
    let (cases, by_body) = run_round();
    let reading_of = |name: &str| {
        let case = cases.iter().find(|c| c.name == name).expect("case");
        by_body.get(case.code).cloned().unwrap_or_default()
    };
    // The originals read as written: every figure answered, every status as stated.
    let all = reading_of("all_answered/numbered_colon");
    assert_eq!(all.len(), 9, "{}", show(&all));
    assert!(all.values().all(|(s, _)| s == "answered"), "{}", show(&all));
    assert_eq!(
        all[&("fim_allocation".to_owned(), "2016-17".to_owned())].1,
        "608376"
    );
    assert_eq!(
        all[&("camhs_budget".to_owned(), "2018-19".to_owned())].1,
        "4400000"
    );
    let mixed = reading_of("mixed/numbered_colon");
    let statuses: Vec<&str> = mixed.values().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "answered", "not_held", "answered", "answered", "exempt", "not_held", "exempt",
            "exempt", "exempt"
        ],
        "{}",
        show(&mixed)
    );
    let mut failures = Vec::new();
    for case in &cases {
        let got = by_body.get(case.code).cloned().unwrap_or_default();
        let want = reading_of(&case.original);
        if got != want {
            failures.push(format!(
                "{} reads differently from {}:\n{}\n-- original:\n{}",
                case.name,
                case.original,
                show(&got),
                show(&want)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Run a round of the given threads (body name, correspondence text) and read each body's rows.
/// With METAMORPHIC_KEEP set, the round and its outputs are kept for a person to look at.
fn run_threads(
    schema: &str,
    as_of: &str,
    request: &str,
    threads: &[(&str, String)],
) -> BTreeMap<String, Reading> {
    let round = Round::new()
        .schema(schema)
        .dated(as_of)
        .file("request.txt", request.as_bytes());
    threads
        .iter()
        .fold(round, |round, (body, text)| {
            round.correspondence(&slug(body), text)
        })
        .run()
        .keep_if(std::env::var_os("METAMORPHIC_KEEP").is_some())
        .completed()
        .cells_by_body()
}

/// Yes/no questions (the palliative care questionnaire) and their answers.
const YES_NO: [(&str, &str); 5] = [
    (
        "Does the CCG commission 7-day admission to specialist palliative care beds",
        "Yes",
    ),
    (
        "Does the CCG commission 7-day specialist palliative care services in patients' own homes",
        "No",
    ),
    ("Does the CCG commission a pain control team", "Yes"),
    (
        "Does the CCG commission palliative care education for healthcare professionals",
        "No - not commissioned separately",
    ),
    (
        "Does the CCG plan to update or review its palliative care services",
        "Yes",
    ),
];

#[test]
fn yes_no_answers_read_the_same_in_every_layout() {
    let request = "Please answer the following.\n\n".to_owned()
        + &YES_NO
            .iter()
            .enumerate()
            .map(|(i, (q, _))| format!("{}. {q}?\n", i + 4))
            .collect::<String>();
    type Layout = (&'static str, fn(usize, &str, &str) -> String);
    let layouts: [Layout; 5] = [
        ("restated_same_line", |n, q, a| format!("{n}. {q}? {a}\n")),
        ("restated_next_line", |n, q, a| {
            format!("{n}. {q}?\n{a}\n\n")
        }),
        ("label_colon", |n, q, a| format!("{n}. {q}: {a}\n")),
        ("q_and_a", |n, q, a| format!("Q{n} {q}?\nA{n} {a}\n\n")),
        ("question_response", |_, q, a| {
            format!("Question: {q}?\nResponse: {a}\n\n")
        }),
    ];
    let threads: Vec<(&str, String)> = layouts
        .iter()
        .zip(BODIES.iter())
        .map(|((_, write), (_, body))| {
            let answers: String = YES_NO
                .iter()
                .enumerate()
                .map(|(i, (q, a))| write(i + 4, q, a))
                .collect();
            (*body, wdtk_thread(body, &answers))
        })
        .collect();
    let by_body = run_threads("palliative_care", "2016-06-01", &request, &threads);
    let original = by_body.get(BODIES[0].0).cloned().unwrap_or_default();
    let codes: Vec<(&String, &String)> = original
        .iter()
        .filter(|(_, (s, _))| s == "answered")
        .map(|((f, _), (_, v))| (f, v))
        .collect();
    assert_eq!(codes.len(), 5, "{}", show(&original));
    assert_eq!(original[&("education".to_owned(), String::new())].1, "no");
    for ((name, _), (code, _)) in layouts.iter().zip(BODIES.iter()) {
        let got = by_body.get(*code).cloned().unwrap_or_default();
        assert_eq!(
            show(&got),
            show(&original),
            "{name} reads differently from restated_same_line"
        );
    }
}
