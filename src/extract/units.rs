//! Answer units: a reply in text (an e-mail, a letter in docx, odt, html or pdf, OCR) read as a
//! sequence of units, each a question part (a number, a label, or the question restated) and an
//! answer part. One segmenter per layout people write; values are only ever taken from the
//! answer part, and the question part is what is matched to a schema field.
//!
//! Lines read by OCR carry the stretches it doubted (`Line::doubtful`); each unit keeps those
//! that reach into its answer, so a value taken from one is known to be doubtful.

use crate::ingest::TextBlock;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The layout a unit was cut by (kept in the rule of what it found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmenter {
    /// "Q1 ..." then "A1 ...".
    QandA,
    /// "Question: ..." / "Question 1: ..." then "Answer: ..." or "Response: ...".
    Labelled,
    /// The question restated, ending in "?", its answer after it (same line, a dash, next line).
    Restated,
    /// "2b. April 2017 - March 2018: Not held." — a label or year, a colon, the answer.
    Colon,
    /// A sentence that names its field and holds its own answer ("The budget was £3m in 2016/17").
    Sentence,
}

impl Segmenter {
    pub fn rule(self) -> &'static str {
        match self {
            Segmenter::QandA => "prose:q-a",
            Segmenter::Labelled => "prose:labelled",
            Segmenter::Restated => "prose:restated-question",
            Segmenter::Colon => "prose:colon",
            Segmenter::Sentence => "prose:sentence",
        }
    }
}

/// One question and its answer.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The item number's stem ("2" for "2b."), when numbered.
    pub number: Option<String>,
    pub question: String,
    pub answer: String,
    /// The stretches of `answer` (byte ranges) OCR read with low confidence: see
    /// `Line::doubtful`. Empty for all text not read by OCR.
    pub doubtful: Vec<Range<usize>>,
    pub segmenter: Segmenter,
    pub line: usize,
    pub page: Option<usize>,
}

/// Where `part`, a slice of `whole`, starts in it; `None` when it is not a slice of it.
pub fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

/// The doubtful stretches of `whole` that reach into `part`, a slice of it, as ranges of `part`
/// (an empty stretch, a smudge nothing was read from, where it sits inside or at an end).
fn doubts_within(whole: &str, doubtful: &[Range<usize>], part: &str) -> Vec<Range<usize>> {
    if doubtful.is_empty() {
        return Vec::new();
    }
    let Some(start) = offset_in(whole, part) else {
        // No caller passes text that is not a slice of `whole`; were one to, all of it is
        // doubtful rather than none.
        return std::iter::once(0..part.len()).collect();
    };
    let end = start + part.len();
    doubtful
        .iter()
        .filter_map(|d| {
            if d.is_empty() {
                (start <= d.start && d.start <= end).then(|| d.start - start..d.start - start)
            } else {
                let (a, b) = (d.start.max(start), d.end.min(end));
                (a < b).then(|| a - start..b - start)
            }
        })
        .collect()
}

/// An item number at the start of a line: "1.", "2b)", "Q3:", "Question 4 -".
static ITEM_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:q(?:uestion)?\s*)(\d{1,2})\s*([a-z])?\b\s*[.):\-–]?|(\d{1,2})\s*([a-z])?\s*[.):])\s*").unwrap()
});
/// An answer marker at the start of a line: "A1", "A1.", "Answer:", "Answer 2 -", "Response:".
static ANSWER_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:a(\d{1,2})\s*([a-z])?\b\s*[.):\-–]?|(?:answer|response|reply)\s*(\d{1,2})?\s*([a-z])?\s*[:.\-–])\s*").unwrap()
});
/// "Q1", "Question 2": a question the reply numbers as such.
static Q_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*q(?:uestion)?\s*\d").unwrap());
/// "Question:" with no number.
static QUESTION_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:question|request)\s*:\s*").unwrap());
/// A dash (or colon) that introduces an answer: punctuation, never a minus sign.
static INTRODUCER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s'‘’`]*(?:[-–—:]+\s+|[-–—]+$)").unwrap());

/// A paragraph: lines joined, and where it starts.
struct Paragraph {
    text: String,
    /// The stretches of `text` OCR doubted.
    doubtful: Vec<Range<usize>>,
    line: usize,
    page: Option<usize>,
}

impl Paragraph {
    /// The doubtful stretches reaching into `part`, a slice of the paragraph's text.
    fn doubts_in(&self, part: &str) -> Vec<Range<usize>> {
        doubts_within(&self.text, &self.doubtful, part)
    }
}

/// A line's cells framed in pipes (`unframed`, a slice of the line's `text`), joined with a
/// space, with the line's doubtful stretches carried along.
fn unframe(text: &str, doubtful: &[Range<usize>], unframed: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::new();
    let mut doubts = Vec::new();
    for (i, piece) in unframed.split('|').map(str::trim).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let at = out.len();
        out.push_str(piece);
        doubts.extend(
            doubts_within(text, doubtful, piece)
                .into_iter()
                .map(|d| d.start + at..d.end + at),
        );
    }
    (out, doubts)
}

/// Does this line start a new item (a number, a Q/A marker)?
fn starts_item(t: &str) -> bool {
    let numbered = ITEM_NUMBER.find(t).is_some_and(|m| {
        t[m.end()..].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '£')
    });
    numbered || ANSWER_MARK.is_match(t) || QUESTION_MARK.is_match(t)
}

fn paragraphs(block: &TextBlock) -> Vec<Paragraph> {
    // Lines of a table typed with aligned columns are read as a table (ingest's sheets), never
    // as sentences.
    let tables: Vec<_> = crate::ingest::text_columns::tables(block)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let mut out = Vec::new();
    let mut current: Option<Paragraph> = None;
    let mut prev_end: Option<char> = None;
    for l in &block.lines {
        let t = l.text.trim();
        // A question item a layout reader framed in pipes ("| Question 7: ...? Response: ... |"):
        // the item's words in order, not a table.
        let unframed = t.trim_matches('|').trim();
        let joined;
        let (t, doubtful) =
            if t.starts_with('|') && starts_item(unframed) && Q_NUMBER.is_match(unframed) {
                joined = unframe(&l.text, &l.doubtful, unframed);
                (joined.0.as_str(), joined.1.clone())
            } else {
                (t, doubts_within(&l.text, &l.doubtful, t))
            };
        if t.is_empty() || t.starts_with('>') || tables.iter().any(|r| r.contains(&l.number)) {
            out.extend(current.take());
            prev_end = None;
            continue;
        }
        // A line after one that ended with a full stop or a figure, starting with a capital,
        // is a new paragraph (a pasted page has no blank lines): "£700,000" then "Back to top".
        let fresh = prev_end.is_some_and(|c| c == '.' || c.is_ascii_digit())
            && t.starts_with(char::is_uppercase);
        prev_end = t.chars().last();
        if starts_item(t) || fresh {
            out.extend(current.take());
        }
        match current.as_mut() {
            Some(p) => {
                p.text.push(' ');
                let at = p.text.len();
                p.text.push_str(t);
                p.doubtful
                    .extend(doubtful.into_iter().map(|d| d.start + at..d.end + at));
            }
            None => {
                current = Some(Paragraph {
                    text: t.to_owned(),
                    doubtful,
                    line: l.number,
                    page: l.page,
                })
            }
        }
    }
    out.extend(current);
    out
}

/// The answer part without the punctuation that introduces it.
pub fn clean_answer(text: &str) -> String {
    cleaned(text).to_owned()
}

/// [`clean_answer`] as a slice of `text`, so the answer's doubtful stretches can be found.
fn cleaned(text: &str) -> &str {
    let t = text.trim();
    INTRODUCER
        .find(t)
        .map_or(t, |m| &t[m.end()..])
        .trim()
        .trim_end_matches(['.', ';', ','])
        .trim()
}

/// Split `text` into sentences at ". " before a capital (never inside "£1.2m" or "c. £5").
pub fn sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        if matches!(chars[i].1, '.' | '!')
            && i + 2 < chars.len()
            && chars[i + 1].1 == ' '
            && chars[i + 2].1.is_uppercase()
        {
            // The full stop is one byte: the sentence ends just after it.
            out.push(text[start..=chars[i].0].trim());
            start = chars[i + 2].0;
        }
    }
    let rest = &text[start..];
    if !rest.trim().is_empty() {
        out.push(rest.trim());
    }
    out
}

fn number_of(c: &regex::Captures, a: usize, b: usize) -> Option<String> {
    c.get(a).or_else(|| c.get(b)).map(|m| m.as_str().to_owned())
}

/// The units of one block of the body's text, in order.
pub fn units(block: &TextBlock) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    // A question still waiting for its answer (on the next line or paragraph).
    let mut open: Option<Unit> = None;
    for p in paragraphs(block) {
        let text = p.text.trim();
        // An answer marker: the answer to the open question (Q1/A1, Question:/Answer:).
        if let Some(c) = ANSWER_MARK.captures(text) {
            let rest = cleaned(&text[c.get(0).map_or(0, |m| m.end())..]);
            let number = c.get(1).or_else(|| c.get(3)).map(|m| m.as_str().to_owned());
            let q = open.take();
            let segmenter = if c.get(1).is_some() {
                Segmenter::QandA
            } else {
                Segmenter::Labelled
            };
            let (question, qnumber, line, page) = match q {
                Some(q) => (q.question, q.number, q.line, q.page),
                None => (String::new(), None, p.line, p.page),
            };
            out.push(Unit {
                number: number.or(qnumber),
                question,
                answer: rest.to_owned(),
                doubtful: p.doubts_in(rest),
                segmenter,
                line,
                page,
            });
            continue;
        }
        let (number, body) = match ITEM_NUMBER.captures(text) {
            Some(c) => (
                number_of(&c, 1, 3),
                text[c.get(0).map_or(0, |m| m.end())..].trim(),
            ),
            None => (None, text),
        };
        let body = QUESTION_MARK.find(body).map_or(body, |m| &body[m.end()..]);
        let labelled_question = QUESTION_MARK.is_match(text) || Q_NUMBER.is_match(text);
        // A numbered question with no "?" yet, and its words go on to one: still the question.
        if let Some(q) = open.as_mut()
            && q.answer.is_empty()
            && !q.question.ends_with('?')
            && number.is_none()
            && body.trim_end().ends_with('?')
            && body.matches('?').count() == 1
            && q.segmenter == Segmenter::QandA
        {
            q.question = format!("{} {}", q.question, body.trim_end().trim_end_matches('?'));
            q.segmenter = Segmenter::Labelled;
            continue;
        }
        // A question left open and this paragraph is not a new item: it is the answer.
        if let Some(q) = open.take() {
            if number.is_none() && !body.trim_end().ends_with('?') {
                let answer = cleaned(body);
                out.push(Unit {
                    answer: answer.to_owned(),
                    doubtful: p.doubts_in(answer),
                    segmenter: Segmenter::Restated,
                    ..q
                });
                continue;
            }
            out.push(q);
        }
        if let Some(i) = body.rfind('?') {
            let (question, answer) = (body[..i].trim().to_owned(), cleaned(&body[i + 1..]));
            let segmenter = if labelled_question {
                Segmenter::QandA
            } else {
                Segmenter::Restated
            };
            let unit = Unit {
                number,
                question,
                answer: answer.to_owned(),
                doubtful: p.doubts_in(answer),
                segmenter,
                line: p.line,
                page: p.page,
            };
            if unit.answer.is_empty() {
                open = Some(unit);
            } else {
                out.push(unit);
            }
            continue;
        }
        if labelled_question {
            // "Q1 What was the budget in 2016/17" with no "?": its answer follows as "A1".
            open = Some(Unit {
                number,
                question: body.trim().to_owned(),
                answer: String::new(),
                doubtful: Vec::new(),
                segmenter: Segmenter::QandA,
                line: p.line,
                page: p.page,
            });
            continue;
        }
        for (k, s) in sentences(body).into_iter().enumerate() {
            let number = if k == 0 { number.clone() } else { None };
            // "2b. April 2017 - March 2018: Not held." — a short label, a colon, the answer.
            if let Some(i) = s.find(": ").filter(|&i| i <= 160) {
                let answer = cleaned(&s[i + 1..]);
                out.push(Unit {
                    number,
                    question: s[..i].trim().to_owned(),
                    answer: answer.to_owned(),
                    doubtful: p.doubts_in(answer),
                    segmenter: Segmenter::Colon,
                    line: p.line,
                    page: p.page,
                });
            } else {
                let answer = s.trim_end_matches('.');
                out.push(Unit {
                    number,
                    question: s.to_owned(),
                    answer: answer.to_owned(),
                    doubtful: p.doubts_in(answer),
                    segmenter: Segmenter::Sentence,
                    line: p.line,
                    page: p.page,
                });
            }
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    fn cut(text: &str) -> Vec<(Option<String>, String, String, Segmenter)> {
        units(&lines(text))
            .into_iter()
            .map(|u| (u.number, u.question, u.answer, u.segmenter))
            .collect()
    }

    #[test]
    fn a_restated_question_with_its_answer_after_a_dash_or_on_the_next_line() {
        let u = cut(
            "1a. What was the total CAMHS budget in\n2016/17? – 608,376\n1b. What was it in 2017/18?\n£5.88m\n",
        );
        assert_eq!(
            u[0],
            (
                Some("1".into()),
                "What was the total CAMHS budget in 2016/17".into(),
                "608,376".into(),
                Segmenter::Restated
            )
        );
        assert_eq!(u[1].2, "£5.88m");
        assert_eq!(u.len(), 2);
    }

    #[test]
    fn q_and_a_and_labelled_pairs() {
        let u = cut(
            "Q1 What was the mental health budget in 2016/17?\nA1 £3m\n\nQuestion: CAMHS budget 2017/18\nAnswer: Not held\n",
        );
        assert_eq!(
            (u[0].1.as_str(), u[0].2.as_str(), u[0].3),
            (
                "What was the mental health budget in 2016/17",
                "£3m",
                Segmenter::QandA
            )
        );
        assert_eq!(
            (u[1].1.as_str(), u[1].2.as_str(), u[1].3),
            ("CAMHS budget 2017/18", "Not held", Segmenter::Labelled)
        );
    }

    #[test]
    fn sentences_and_colons() {
        let u = cut("2. The total was £89.60m. It rose.\n2b. April 2017 - March 2018: Not held.\n");
        assert_eq!(u[0].3, Segmenter::Sentence);
        assert_eq!(u[0].2, "The total was £89.60m");
        assert_eq!(
            (u[2].0.as_deref(), u[2].1.as_str(), u[2].2.as_str(), u[2].3),
            (
                Some("2"),
                "April 2017 - March 2018",
                "Not held",
                Segmenter::Colon
            )
        );
    }

    #[test]
    fn a_question_framed_in_pipes_or_going_on_after_a_blank_line() {
        let u = cut(
            "| Question 7: How much funding did the CCG receive in 2016/17? Response: Not held | funding (including |\n\nQuestion 9: How much additional\n\nfunding did the CCG receive in 2018/19?\nResponse: 288000\n",
        );
        assert_eq!(u[0].1, "How much funding did the CCG receive in 2016/17");
        assert!(u[0].2.contains("Not held"));
        assert_eq!(
            (u[1].1.as_str(), u[1].2.as_str()),
            (
                "How much additional funding did the CCG receive in 2018/19",
                "288000"
            )
        );
    }

    #[test]
    fn an_answers_doubtful_stretches_follow_it_out_of_its_lines() {
        use crate::ingest::document::Line;
        // A line, `doubt` (a stretch of it, "" for none) read by OCR with low confidence.
        let line = |n: usize, text: &str, doubt: &str| Line {
            doubtful: text
                .find(doubt)
                .filter(|_| !doubt.is_empty())
                .map(|at| at..at + doubt.len())
                .into_iter()
                .collect(),
            ..Line::new(n, Some(1), text.into())
        };
        let block = TextBlock {
            lines: vec![
                line(1, "Q1 What was the CAMHS budget", "CAMHS"),
                line(2, "in 2016/17?", ""),
                line(3, "  A1 - £3,5O0", "3,5O0"),
                line(4, "| Question 2: Budget in 2017/18? | £2m |", "£2m"),
            ],
            ..TextBlock::default()
        };
        let u = units(&block);
        let doubted = |u: &Unit| -> Vec<String> {
            u.doubtful
                .iter()
                .map(|d| u.answer[d.clone()].to_owned())
                .collect()
        };
        // The question's doubtful word is not the answer's.
        assert_eq!(u[0].answer, "£3,5O0");
        assert_eq!(doubted(&u[0]), ["3,5O0"]);
        // Cells framed in pipes, joined: the doubt moves with its cell.
        assert_eq!(u[1].answer, "£2m");
        assert_eq!(doubted(&u[1]), ["£2m"]);
    }

    #[test]
    fn a_dash_introducing_an_answer_is_not_a_minus() {
        assert_eq!(clean_answer("– £0.8 million"), "£0.8 million");
        assert_eq!(clean_answer("'- £715,000.00"), "£715,000.00");
        assert_eq!(clean_answer("-608,376"), "-608,376");
    }
}
