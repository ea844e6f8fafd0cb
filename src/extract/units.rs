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
    /// An item's heading on a line of its own ("1. CAMHS budget", "Question 1"), its answer on
    /// the lines under it (a list of years, a statement); or an item given by its number alone
    /// whose words are the answer ("Q1: 2016/17 £1.5m; 2017/18 £1.6m").
    Heading,
}

impl Segmenter {
    pub fn rule(self) -> &'static str {
        match self {
            Segmenter::QandA => "prose:q-a",
            Segmenter::Labelled => "prose:labelled",
            Segmenter::Restated => "prose:restated-question",
            Segmenter::Colon => "prose:colon",
            Segmenter::Sentence => "prose:sentence",
            Segmenter::Heading => "prose:heading",
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

/// Does the line open with a financial year ("2016/17: ...", "April 2016 to March 2017 - ...",
/// "FY2016-17 ...")?
fn opens_with_year(t: &str) -> bool {
    let head = t.char_indices().nth(28).map_or(t, |(i, _)| &t[..i]);
    head.find(|c: char| c.is_ascii_digit())
        .is_some_and(|lead| lead <= 10)
        && !crate::standardise::period::periods_in(head).is_empty()
}

/// A list item's marker at the start of a line: a bullet, or a dash followed by a space.
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[•·▪◦‣●○■□➢►*\-–—]\s+").unwrap());

/// A paragraph: lines joined, and where it starts.
struct Paragraph {
    text: String,
    /// Where the first line ends in `text` (the paragraph's first line is `text[..first]`).
    first: usize,
    /// How many lines were joined.
    lines: usize,
    /// How many of the lines after the first open with a financial year.
    year_lines: usize,
    /// The stretches of `text` OCR doubted.
    doubtful: Vec<Range<usize>>,
    line: usize,
    page: Option<usize>,
}

impl Paragraph {
    /// A unit of this paragraph; `answer` is a slice of its text.
    fn unit(
        &self,
        number: Option<String>,
        question: &str,
        answer: &str,
        segmenter: Segmenter,
    ) -> Unit {
        Unit {
            number,
            question: question.to_owned(),
            answer: answer.to_owned(),
            doubtful: self.doubts_in(answer),
            segmenter,
            line: self.line,
            page: self.page,
        }
    }

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
    let mut prev_year_line = false;
    for l in &block.lines {
        let t = l.text.trim();
        // A list's marker is punctuation ("• 2016/17: £2.1m", "- Not held"), never part of the
        // answer: a minus sign is never followed by a space.
        let t = BULLET.find(t).map_or(t, |m| &t[m.end()..]);
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
            prev_year_line = false;
            continue;
        }
        // A line after one that ended with a full stop or a figure, starting with a capital,
        // is a new paragraph (a pasted page has no blank lines): "£700,000" then "Back to top".
        // Not in a list of years, one a line ("April 2016 to March 2017 - £1.5m" then "April
        // 2017 to March 2018 - £1.6m"): that goes on.
        let year_line = opens_with_year(t);
        let fresh = prev_end.is_some_and(|c| c == '.' || c.is_ascii_digit())
            && t.starts_with(char::is_uppercase)
            && !(year_line && prev_year_line);
        prev_end = t.chars().last();
        prev_year_line = year_line;
        if starts_item(t) || fresh {
            out.extend(current.take());
        }
        match current.as_mut() {
            Some(p) => {
                p.lines += 1;
                p.year_lines += usize::from(year_line);
                p.text.push(' ');
                let at = p.text.len();
                p.text.push_str(t);
                p.doubtful
                    .extend(doubtful.into_iter().map(|d| d.start + at..d.end + at));
            }
            None => {
                current = Some(Paragraph {
                    first: t.len(),
                    lines: 1,
                    year_lines: 0,
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

/// Words that open a question ("What was ...", "Please provide ..."): an item that starts so is
/// asked, not answered.
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:what|how|which|who|whom|when|where|why|whether|does|do|did|is|are|was|were|has|have|had|can|could|will|would|please|provide|list|state|give|confirm|tell|identify|detail)\b").unwrap()
});
/// A figure that is an answer, not a year: "£1.9m", "1,500,000", "350k", "12 weeks"'s "12" is not.
static AMOUNT_WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)£\s*\d|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s*(?:m|k|bn|million|thousand)\b")
        .unwrap()
});

/// The words of an item, after its number, that answer it rather than ask it: an amount, or a
/// status ("Not held"), with no question words. "Q1: 2016/17 £1.5m; 2017/18 £1.6m".
fn answers_by_number(body: &str) -> bool {
    let t = body.trim();
    !t.is_empty()
        && !asks(t)
        && (AMOUNT_WRITTEN.is_match(t) || crate::standardise::answer::status_phrase(t).is_some())
}

/// An item's words that are a status and nothing else ("3. Not held."): no amount, no label
/// before a colon, nothing asked.
fn status_only(body: &str) -> bool {
    let t = body.trim();
    t.chars().count() <= 80
        && !t.contains(": ")
        && !asks(t)
        && !AMOUNT_WRITTEN.is_match(t)
        && crate::standardise::answer::status_phrase(t).is_some()
}

/// Words that ask: a question mark, or a question's opening word.
fn asks(t: &str) -> bool {
    t.contains('?') || ASKS.is_match(t)
}

/// A heading line of an item over the lines under it: a few words naming it ("CAMHS budget", ""
/// for "Question 1"), not a question, a sentence, a label with its answer after a colon, or an
/// answer; and not a sentence the next line goes on with ("The budget for 2016/17" / "was £4.9m":
/// the next line starts in lower case, or this one ends on a word that needs more).
fn is_heading(words: &str, under: &str) -> bool {
    // Its scale ("CAMHS budget (£'000)") is part of a heading, and no figure of an answer.
    let unscaled = crate::standardise::money::without_scale(words);
    let t = unscaled.trim();
    let last = t.rsplit(' ').next().unwrap_or("").to_lowercase();
    !under.trim_start().starts_with(char::is_lowercase)
        && !OPEN_WORDS.contains(&last.as_str())
        && t.chars().count() <= 80
        && !t.contains([':', '£'])
        && !t.ends_with('.')
        && !asks(t)
        && !AMOUNT_WRITTEN.is_match(t)
        && crate::standardise::answer::status_phrase(t).is_none()
}

/// Words a line cannot end on when its sentence is complete.
const OPEN_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "was", "were", "with",
];

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
        // An item's heading alone on its first line, its answer on the lines under it:
        // "1. CAMHS budget" then a list ("• 2016/17: £2.1m" ...); "Question 1" then its answer.
        // (A heading of words over one line is a label wrapped before its answer: read whole.)
        // With no number, a heading is known by what is under it: a list of years.
        let over_years = p.lines >= 3 && p.year_lines + 1 == p.lines;
        let heading = offset_in(&p.text, body)
            .and_then(|at| p.text.get(at..p.first))
            .filter(|_| p.first < p.text.len());
        if let Some(heading) = heading
            && (number.is_some() || labelled_question || over_years)
            && open.is_none()
            && (p.lines >= 3 || heading.trim().is_empty())
            && is_heading(heading, &p.text[p.first..])
        {
            let answer = cleaned(&p.text[p.first..]);
            if !answer.is_empty() && !answer.contains('?') && !ANSWER_MARK.is_match(answer) {
                out.push(p.unit(number, heading.trim(), answer, Segmenter::Heading));
                continue;
            }
        }
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
        if (labelled_question && answers_by_number(body))
            || (number.is_some() && open.is_none() && p.lines == 1 && status_only(body))
        {
            // "Q1: 2016/17 £1.5m; 2017/18 £1.6m": the item is given by its number, the words
            // after it are the answer.
            out.push(p.unit(number, "", cleaned(body), Segmenter::Heading));
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
    fn a_heading_over_a_list_and_a_question_given_by_number() {
        let u = cut(
            "1. CAMHS budget\n• 2016/17: £2.1m\n• 2017/18: Not held\n\nQuestion 2\n2016/17 - £29.4m\n\nQ3: 2016/17 £200,000; 2017/18 £250,000\n",
        );
        let h = |n: &str, q: &str, a: &str| {
            (
                Some(n.to_owned()),
                q.to_owned(),
                a.to_owned(),
                Segmenter::Heading,
            )
        };
        assert_eq!(
            u,
            [
                h("1", "CAMHS budget", "2016/17: £2.1m 2017/18: Not held"),
                h("2", "", "2016/17 - £29.4m"),
                h("3", "", "2016/17 £200,000; 2017/18 £250,000"),
            ]
        );
    }

    #[test]
    fn a_heading_with_no_number_over_a_list_of_years() {
        let u = cut(
            "CAMHS budget\nApril 2016 to March 2017 - £1,500,000\nApril 2017 to March 2018 - £1,600,000\n\nKind regards\n",
        );
        assert_eq!(u[0].1, "CAMHS budget");
        assert_eq!(
            u[0].2,
            "April 2016 to March 2017 - £1,500,000 April 2017 to March 2018 - £1,600,000"
        );
        assert_eq!(u[0].3, Segmenter::Heading);
        // Two lines of prose are no heading and list.
        let u = cut("Thank you for your request\nreceived on 1 June 2018.\n");
        assert_ne!(u[0].3, Segmenter::Heading);
    }

    #[test]
    fn a_sentence_or_a_label_wrapped_onto_the_next_line_is_no_heading() {
        // The next line goes on with the sentence: read whole, as before.
        let u = cut("1. The CCG's CAMHS budget for 2016/17\nwas £4,890,820.\n");
        assert_eq!(u[0].3, Segmenter::Sentence);
        // A label wrapped before its one "year: answer" line is one label.
        let u = cut(
            "3b. Future in Mind transformation funding (incl. eating disorders)\nFY2016-17: £0.6 million.\n",
        );
        assert_eq!(u[0].3, Segmenter::Colon);
        assert_eq!(u[0].2, "£0.6 million");
        // A question by number that asks is still a question awaiting its answer.
        let u = cut("Q1 What was the budget in 2016/17\nA1 £3m\n");
        assert_eq!(u[0].3, Segmenter::QandA);
        assert_eq!(u[0].2, "£3m");
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
