//! Answers written as sentences: in the e-mail thread, a letter or a text file. The body's text
//! is cut into answer units (`units.rs`); each unit's question part is matched to a field and
//! its answer part read, one value per year it names. The requester's words (the thread
//! model's `Role::Requester`: the request, quoted or not) are never read as an answer.
//!
//! A value taken from a stretch OCR doubted (`Unit::doubtful`) is found as doubtful
//! (`Legibility::Doubtful`): the answer text is traced byte by byte through the cutting below
//! (`Traced`), so a value is doubtful only where it reaches into a doubtful stretch, and the
//! values beside it in the same line are read as usual.

use super::units::{self, Segmenter, Unit};
use super::{Block, Extracted, Found, ReplyNote};
use crate::ingest::document::{Legibility, Role};
use crate::ingest::{Document, Format, TextBlock, thread};
use crate::observation::Status;
use crate::schema::Schema;
use crate::standardise::{answer, money, period};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Financial years as written, removed before looking for a sentence's one figure.
static PERIOD_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:fy\s*)?(?:20)?\d\d\s*[-/–]\s*(?:20)?\d\d\b|\b(?:april|apr)\s+20\d\d\s*(?:-|–|to)\s*(?:march|mar)\s+20\d\d\b").unwrap()
});
static WHOLE_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(your\s+request|the\s+information\s+(you\s+)?(have\s+)?requested|this\s+request|comply)").unwrap()
});
/// A statement about one question ("the information requested at question 2") is not about the
/// whole request.
static ONE_QUESTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(question|part|item)s?\s*\(?\d").unwrap());
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(information\s+supplied|if\s+you\s+are\s+(dissatisfied|unhappy)|yours\s+(sincerely|faithfully)|kind\s+regards|dear\s|re:|our\s+ref|thank\s+you\s+for\s+your\s+(request|email))").unwrap()
});

static ACKNOWLEDGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(has\s+been\s+logged|aim\s+to\s+respond|will\s+be\s+dealt\s+with|we\s+will\s+respond|acknowledge\s+receipt|delivery\s+(status\s+)?notification|out\s+of\s+(the\s+)?office)").unwrap()
});
/// A remark beside a figure that is not a competing figure: "(up 6.7% on last year)",
/// "- an increase of 1.6% on the previous year", "(an increase of 1.5% on 2016/17)".
static REMARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*\([^()]*(?:%|per\s*cent|previous\s+year|last\s+year)[^()]*\)|\s*(?:[-–—,;]\s*|\bwhich\s+is\s+)(?:an?\s+|which\s+is\s+an?\s+)?(?:increase|decrease|rise|fall|reduction|uplift|growth|up|down)\b[^;£()]*?(?:%|per\s*cent|previous\s+year|last\s+year)[^;£,()]*|\s*[-–—,;]?\s*\d+(?:\.\d+)?\s*(?:%|per\s*cent)[^;£()]*").unwrap()
});
/// The verb that joins a sentence's subject to its answer ("... was nil").
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:was|were|is|are|totalled|totaled|amounted\s+to)\s").unwrap()
});
/// Words in an answer that hold digits but are never a figure of the answer.
static NOT_FIGURES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:section|s\.?)\s*\d+(?:\(\d+\))*(?:\([a-z]\))?|\b(?:question|item|part)s?\s*\d+[a-z]?\b|\b\d{1,2}[a-h]\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+20\d\d\b|(?:^|[\s(])(?:19|20)\d\d\b|\d+(?:\.\d+)?\s*(?:%|per\s*cent)|\bunder[- ]\d+s?\b|\b\d+\s*(?:years?|months?|days?)\b|(?-i:\b[A-Z]{2,}[-/ ]?\d[\w/-]*)").unwrap()
});
/// One figure, a range kept whole ("£94.0m-£122.2m") so that it reads as unclear.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:c\.|ca\.|circa|approx\.?|approximately|around|about|roughly)\s*)?[-−]?£?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:bn|billion|million|mn|m|k|thousand)\b)?(?:\s*(?:-|–|—|to)\s*[-−]?£?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:bn|billion|million|mn|m|k|thousand)\b)?)?").unwrap()
});

/// Does this thread hold a message from the body that is more than an acknowledgement?
pub fn has_reply(doc: &Document) -> bool {
    doc.texts.iter().any(|b| {
        b.role == Role::Body && {
            let text: String = b
                .lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            !text.trim().is_empty() && !ACKNOWLEDGEMENT.is_match(&text)
        }
    })
}

/// Is this block evidence? In a thread only the body's messages are; in a letter or a file
/// anything not known to be the requester's.
fn is_evidence(doc: &Document, block: &TextBlock) -> bool {
    match doc.format {
        Format::Correspondence => block.role == Role::Body,
        _ => block.role != Role::Requester,
    }
}

/// Period mentions in order, with their keys ("in 2016/17" -> "2016-17").
fn period_mentions(text: &str) -> Vec<String> {
    PERIOD_TEXT
        .find_iter(text)
        .filter_map(|m| period::periods_in(m.as_str()).into_iter().next())
        .collect()
}

/// Text cut from a unit's answer (remarks and years blanked out, trimmed, split by year), each
/// byte knowing the byte of the answer it came from: a value taken from it is doubtful when it
/// reaches into a stretch of the answer OCR doubted (see [`as_read`]).
#[derive(Debug, Clone)]
struct Traced {
    text: String,
    /// For each byte of `text`, the byte of the answer it came from (for a blank put in where a
    /// remark was taken out: the remark's first byte).
    from: Vec<usize>,
}

impl Traced {
    fn new(text: &str) -> Traced {
        Traced {
            text: text.to_owned(),
            from: (0..text.len()).collect(),
        }
    }

    /// `part`, a slice of this text (trimmed, cut at a match), still traced.
    fn part(&self, part: &str) -> Traced {
        let from = units::offset_in(&self.text, part)
            .and_then(|at| self.from.get(at..at + part.len()))
            .map(<[usize]>::to_vec)
            // Every caller passes a slice of the text; were one not to, its bytes are traced to
            // where this text starts.
            .unwrap_or_else(|| vec![self.from.first().copied().unwrap_or(0); part.len()]);
        Traced {
            text: part.to_owned(),
            from,
        }
    }

    /// `re.replace_all(text, with)` (`with` holding no `$`), still traced.
    fn replace_all(&self, re: &Regex, with: &str) -> Traced {
        let mut out = Traced {
            text: String::with_capacity(self.text.len()),
            from: Vec::with_capacity(self.text.len()),
        };
        let mut last = 0;
        for m in re.find_iter(&self.text) {
            out.text.push_str(&self.text[last..m.start()]);
            out.from.extend_from_slice(&self.from[last..m.start()]);
            out.text.push_str(with);
            let at = self.from.get(m.start()).copied().unwrap_or(0);
            out.from.extend(std::iter::repeat_n(at, with.len()));
            last = m.end();
        }
        out.text.push_str(&self.text[last..]);
        out.from.extend_from_slice(&self.from[last..]);
        out
    }

    /// The bytes of the answer it spans, from its first to its last.
    fn span(&self) -> Option<std::ops::Range<usize>> {
        let lo = self.from.iter().min()?;
        let hi = self.from.iter().max()?;
        Some(*lo..hi + 1)
    }
}

/// The doubtful stretches of `u`'s answer that `raw` reaches into: those with something written
/// in them (a letter, a digit or "£": a doubtful speck beside a clear answer is no doubt about
/// it), and a smudge nothing was read from inside it.
fn doubts_in<'u>(raw: &Traced, u: &'u Unit) -> Vec<&'u std::ops::Range<usize>> {
    let Some(span) = raw.span() else {
        return Vec::new();
    };
    u.doubtful
        .iter()
        .filter(|d| {
            if d.is_empty() {
                span.start < d.start && d.start < span.end
            } else {
                u.answer
                    .get((*d).clone())
                    .is_some_and(|t| t.chars().any(|c| c.is_alphanumeric() || c == '£'))
                    && raw.from.iter().any(|b| d.contains(b))
            }
        })
        .collect()
}

/// A value taken from `u`'s answer as it is found: as taken, where the scan showed it clearly;
/// where it reaches into a stretch OCR doubted, doubtful, with OCR's reading of it: the answer
/// from the value's first byte to its last, widened to the doubtful stretches it reaches into
/// (so a person sees the whole doubtful figure, not the piece of it that looked like one).
fn as_read(raw: &Traced, u: &Unit) -> (String, Legibility) {
    let doubts = doubts_in(raw, u);
    let Some(span) = raw.span().filter(|_| !doubts.is_empty()) else {
        return (raw.text.clone(), Legibility::Clear);
    };
    let start = doubts.iter().map(|d| d.start).fold(span.start, usize::min);
    let end = doubts.iter().map(|d| d.end).fold(span.end, usize::max);
    let reading = u.answer.get(start..end).unwrap_or(&raw.text).trim();
    (reading.to_owned(), Legibility::Doubtful)
}

/// The figures of an answer part, in order: years, percentages, section and question numbers,
/// reference numbers and remarks beside a figure removed first.
fn figures(answer: &str) -> Vec<String> {
    traced_figures(&Traced::new(answer))
        .into_iter()
        .map(|f| f.text)
        .collect()
}

/// [`figures`], each traced to where it came from in the answer.
fn traced_figures(answer: &Traced) -> Vec<Traced> {
    let t = answer.replace_all(&REMARK, " ");
    let t = t.replace_all(&PERIOD_TEXT, " ");
    let t = t.replace_all(&NOT_FIGURES, " ");
    FIGURE
        .find_iter(&t.text)
        .map(|m| t.part(m.as_str().trim()))
        .collect()
}

/// The figures of `u`'s answer, the pieces of one doubtful stretch taken as one figure: OCR's
/// misreading of a figure ("£3,5O0,000") looks like several ("£3,5", "0,000"), but it is one
/// doubtful value, and a person must read it.
fn figures_of(answer: &Traced, u: &Unit) -> Vec<Traced> {
    let mut out: Vec<Traced> = Vec::new();
    for f in traced_figures(answer) {
        if let Some(last) = out.last_mut() {
            let (a, b) = (doubts_in(last, u), doubts_in(&f, u));
            if a.iter().any(|d| b.contains(d)) {
                last.text.push(' ');
                last.text.push_str(&f.text);
                let at = last.from.last().copied().unwrap_or(0);
                last.from.push(at);
                last.from.extend(f.from);
                continue;
            }
        }
        out.push(f);
    }
    out
}

/// The questionnaire's numbering: item number -> field id.
pub type Numbering = BTreeMap<String, String>;

/// Learn the numbering from a questionnaire's text (the round's `request.txt`, or the request
/// quoted in a thread): "2. What was the CCG's total mental health budget ...?" -> 2 = mh_budget.
pub fn numbering(text: &str, schema: &Schema) -> Numbering {
    let block = crate::ingest::text::lines(text);
    let mut out = Numbering::new();
    learn_numbering(&block, schema, &mut out);
    out
}

fn learn_numbering(block: &TextBlock, schema: &Schema, out: &mut Numbering) {
    for u in units::units(block) {
        if let (Some(n), Some(f)) = (&u.number, schema.match_field(&u.question)) {
            out.entry(n.clone()).or_insert_with(|| f.id.clone());
        }
    }
}

pub fn extract_texts(doc: &Document, schema: &Schema, known: &Numbering) -> Extracted {
    let mut out = Extracted::default();
    // The questionnaire's numbering, learnt from every block (the request's question list too),
    // then from the round's questionnaire: "2b. 2016/17: Not held" answers question 2's field.
    let mut numbered = Numbering::new();
    for block in &doc.texts {
        learn_numbering(block, schema, &mut numbered);
    }
    for (n, f) in known {
        numbered.entry(n.clone()).or_insert_with(|| f.clone());
    }
    for (b, block) in doc.texts.iter().enumerate() {
        if !is_evidence(doc, block) {
            continue;
        }
        for u in units::units(block) {
            read_unit(doc, schema, &numbered, &u, b, &mut out);
        }
    }
    out
}

fn location(u: &Unit) -> String {
    match u.page {
        Some(page) => format!("page {page} line {}", u.line),
        None => format!("line {}", u.line),
    }
}

/// A statement about the whole request ("The CCG does not hold the information you have
/// requested"), never the request's own words ("If any part of this request ...").
fn whole_request(text: &str) -> Option<answer::StatusPhrase> {
    if !WHOLE_REQUEST.is_match(text) || ONE_QUESTION.is_match(text) || thread::requester_voice(text)
    {
        return None;
    }
    // A figure in it is an answer, unless it is the cost limit a refusal names ("£450").
    answer::status_phrase(text)
        .filter(|s| matches!(s.status, Status::Refused | Status::NotHeld | Status::Exempt))
        .filter(|s| s.status == Status::Refused || figures(text).is_empty())
}

/// "question 2", "questions 2a to 2c", "question 3c".
static ITEM_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:question|item|part)s?\s*\(?(\d{1,2})\s*\(?([a-z])?\)?(?:\s*(?:to|-|–|and)\s*\(?(?:\d{1,2})?\s*\(?([a-z])\)?)?").unwrap()
});
static ALL_YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:all|each|every|both)\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:years?|periods?)\b")
        .unwrap()
});

static ITEM_LETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*\(?[a-h]\)\s*|\s*\(?\b[a-h]\)\s*$").unwrap());

/// An answer that starts with a year and gives each year its own answer after it: the pieces
/// between the year mentions, each with its year. `None` unless it names two years or more.
fn after_each_period(traced: &Traced) -> Option<Vec<(String, Traced)>> {
    let answer = traced.text.as_str();
    let marks: Vec<(usize, usize, String)> = PERIOD_TEXT
        .find_iter(answer)
        .filter_map(|m| {
            period::periods_in(m.as_str())
                .into_iter()
                .next()
                .map(|k| (m.start(), m.end(), k))
        })
        .collect();
    if marks.len() < 2 {
        return None;
    }
    let lead = ITEM_LETTER.replace_all(&answer[..marks[0].0], "");
    if !lead
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .is_empty()
    {
        return None;
    }
    let mut out = Vec::new();
    for (i, (_, end, key)) in marks.iter().enumerate() {
        let stop = marks.get(i + 1).map_or(answer.len(), |m| m.0);
        let cut = traced
            .part(&answer[*end..stop])
            .replace_all(&ITEM_LETTER, "");
        let piece = cut
            .text
            .trim()
            .trim_start_matches([':', '-', '–', '—', '='])
            .trim();
        let piece = piece.trim_end_matches([',', ';', '.']).trim();
        let piece = piece
            .strip_suffix(" and")
            .unwrap_or(piece)
            .trim_end_matches([',', ';'])
            .trim();
        if piece.is_empty() {
            return None;
        }
        out.push((key.clone(), cut.part(piece)));
    }
    Some(out)
}

fn item_statement(
    doc: &Document,
    schema: &Schema,
    numbered: &BTreeMap<String, String>,
    u: &Unit,
    block: usize,
    out: &mut Extracted,
) {
    let text = u.answer.as_str();
    let refs: Vec<regex::Captures> = ITEM_REF.captures_iter(text).collect();
    let [r] = refs.as_slice() else { return };
    let Some(field) = numbered.get(&r[1]).and_then(|id| schema.field(id)) else {
        return;
    };
    if schema.match_field(text).is_some_and(|f| f.id != field.id) || !figures(text).is_empty() {
        return;
    }
    if answer::status_phrase(text).is_none() {
        return;
    }
    let named = period_mentions(text);
    let periods: Vec<String> = if field.periods.is_empty() {
        vec![String::new()]
    } else if !named.is_empty() {
        named
            .into_iter()
            .filter(|p| field.periods.contains(p))
            .collect()
    } else if r.get(2).is_none() || r.get(3).is_some() || ALL_YEARS.is_match(text) {
        field.periods.clone()
    } else {
        return;
    };
    let (raw, legibility) = as_read(&Traced::new(text), u);
    for period in periods {
        out.found.push(Found {
            body: None,
            field: field.id.clone(),
            period,
            raw: raw.clone(),
            legibility,
            scale: 1.0,
            source: doc.source.clone(),
            location: location(u),
            rule: "prose:item-statement".into(),
            is_total: false,
            block: Block::Unit {
                text: block,
                line: u.line,
            },
        });
    }
}

fn read_unit(
    doc: &Document,
    schema: &Schema,
    numbered: &BTreeMap<String, String>,
    u: &Unit,
    block: usize,
    out: &mut Extracted,
) {
    let whole = format!("{} {}", u.question, u.answer);
    // Layouts drawn with pipes are tables, not sentences.
    if whole.matches('|').count() >= 2 || BOILERPLATE.is_match(whole.trim()) {
        return;
    }
    if u.segmenter == Segmenter::Sentence
        && let Some(s) = whole_request(&u.answer)
    {
        out.notes.push(ReplyNote {
            source: doc.source.clone(),
            location: location(u),
            status: s.status,
            text: u.answer.chars().take(300).collect(),
        });
        return;
    }
    // A sentence about "question 2" by number ("We are unable to answer question 2 within the
    // cost limit, as it would need a review of records") names its item by that number: its
    // other words are no label. It covers the years it names, or every year when it names a
    // whole question, a run of its parts ("2a to 2c") or "all three years"; a single part
    // ("question 1a") names no year by itself and is left to the answer given for that part.
    if u.segmenter == Segmenter::Sentence && ONE_QUESTION.is_match(&u.question) {
        item_statement(doc, schema, numbered, u, block, out);
        return;
    }
    let field = schema.match_field(&u.question).or_else(|| {
        // Only a unit that is not a sentence of its own may take its field from its number.
        let id = u.number.as_ref().and_then(|n| numbered.get(n))?;
        if u.segmenter == Segmenter::Sentence
            && !u.question.is_empty()
            && period_mentions(&u.question).is_empty()
        {
            return None;
        }
        schema.field(id)
    });
    let Some(field) = field else { return };
    let unremarked = Traced::new(&u.answer).replace_all(&REMARK, "");
    let answer_text = unremarked.part(
        unremarked
            .text
            .trim()
            .trim_end_matches(['.', ';', ','])
            .trim(),
    );
    if answer_text.text.is_empty() {
        return;
    }
    // A scale in a question part of its own ("CAMHS budget (£'000): 2,100"): the answer's bare
    // figures are in that unit. A figure written with "£" is taken as written; a sentence's
    // question is the sentence itself, so it states no scale apart from its figures.
    let question_scale = match u.segmenter {
        Segmenter::Sentence => None,
        _ => money::heading_scale(&u.question),
    };
    let push = |out: &mut Extracted, period: String, value: Traced| {
        let (raw, legibility) = as_read(&value, u);
        let scale = match question_scale {
            Some(s) if !raw.contains('£') => s,
            _ => 1.0,
        };
        out.found.push(Found {
            body: None,
            field: field.id.clone(),
            period,
            raw,
            legibility,
            scale,
            source: doc.source.clone(),
            location: location(u),
            rule: u.segmenter.rule().into(),
            is_total: false,
            block: Block::Unit {
                text: block,
                line: u.line,
            },
        });
    };
    let money = matches!(
        field.kind,
        crate::schema::FieldType::Money | crate::schema::FieldType::Count
    );
    let figs = if money {
        figures_of(&answer_text, u)
    } else {
        Vec::new()
    };
    // Periods: the answer's own when it names as many as it has figures, else the question's.
    let in_answer = period_mentions(&answer_text.text);
    let in_question = if u.segmenter == Segmenter::Sentence {
        Vec::new()
    } else {
        period_mentions(&u.question)
    };
    let mut periods = if in_question.len() == 1 && figs.len() <= 1 {
        in_question
    } else if !in_answer.is_empty() && (in_answer.len() == figs.len() || in_question.is_empty()) {
        in_answer
    } else {
        in_question
    };
    periods.dedup();
    periods.retain(|p| field.periods.contains(p));
    let own = |fig: Option<&Traced>| match fig {
        Some(f) if u.segmenter == Segmenter::Sentence => f.clone(),
        // "... for 2015-16 was nil": what follows the verb.
        None if u.segmenter == Segmenter::Sentence => {
            match VERB.find_iter(&answer_text.text).last() {
                Some(m) if answer::status_phrase(&answer_text.text).is_none() => {
                    answer_text.part(answer_text.text[m.end()..].trim())
                }
                _ => answer_text.clone(),
            }
        }
        _ => answer_text.clone(),
    };
    if field.periods.is_empty() {
        let raw = if figs.len() == 1 {
            own(figs.first())
        } else {
            answer_text.clone()
        };
        push(out, String::new(), raw);
        return;
    }
    // "(a) 2016-17: £2.2m (b) 2017-18: £2.1m (c) 2018-19: Not held": each year its own answer.
    if let Some(pieces) = after_each_period(&answer_text) {
        for (period, raw) in pieces {
            if field.periods.contains(&period) {
                push(out, period, raw);
            }
        }
        return;
    }
    match (figs.len(), periods.len()) {
        // One figure (or none: a status, a yes/no) for one period: the answer as written; in a
        // sentence that is its own question, the figure alone.
        (0 | 1, 1) => push(out, periods[0].clone(), own(figs.first())),
        (0 | 1, 0) if field.periods.len() == 1 => {
            push(out, field.periods[0].clone(), own(figs.first()))
        }
        // A statement with no figure naming several years, or none: it covers each year named,
        // or every year of the field when the unit names none ("Q2 ... A2 Not held").
        (0, n) if answer::status_phrase(&answer_text.text).is_some() => {
            let years = if n == 0 {
                field.periods.clone()
            } else {
                periods
            };
            for p in years {
                push(out, p, answer_text.clone());
            }
        }
        // A sentence naming several years gives one value per year, in order.
        (f, p) if f == p => {
            for (period, fig) in periods.into_iter().zip(figs) {
                push(out, period, fig);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_leave_out_years_percentages_and_references() {
        assert_eq!(
            figures("£5,956,658 (an increase of 5.8% on the previous year)"),
            ["£5,956,658"]
        );
        assert_eq!(
            figures(&REMARK.replace_all("£38.9m - an increase of 1.6% on the previous year", "")),
            ["£38.9m"]
        );
        assert_eq!(
            figures("£1.2m in 2015/16, rising to £1.35m in 2016/17"),
            ["£1.2m", "£1.35m"]
        );
        assert_eq!(
            figures("Section 12 applies to question 3b (FOI-2018-0631, 1 June 2018)"),
            Vec::<String>::new()
        );
        assert_eq!(figures("£94.0m-£122.2m"), ["£94.0m-£122.2m"]);
        for remark in [
            "£5,002,190.68 - a decrease of 0.7% on the previous year",
            "£5,002,190.68, 4.3% more than in 2017-18",
            "£5,002,190.68 (up 6.7% on last year)",
            "£5,002,190.68 - an increase of 1.7% on 2017/18",
        ] {
            assert_eq!(REMARK.replace_all(remark, ""), "£5,002,190.68", "{remark}");
        }
    }

    #[test]
    fn each_year_its_own_answer_after_it() {
        let each = |t: &str| {
            after_each_period(&Traced::new(t))
                .map(|p| p.into_iter().map(|(k, v)| (k, v.text)).collect::<Vec<_>>())
        };
        let p = each("(a) 2016-17: £408,000.00 (b) 2017-18: £285,896.85 (c) 2018-19: The CCG does not hold this information").unwrap();
        assert_eq!(p[1], ("2017-18".to_owned(), "£285,896.85".to_owned()));
        assert_eq!(p[2].1, "The CCG does not hold this information");
        assert!(each("£1.2m in 2015/16, rising to £1.35m in 2016/17").is_none());
    }

    #[test]
    fn the_requests_own_words_are_not_a_refusal() {
        assert!(whole_request("If any part of this request is likely to exceed the cost limit, please answer the parts that can be answered").is_none());
        assert_eq!(
            whole_request("The CCG does not hold the information you have requested")
                .map(|s| s.status),
            Some(Status::NotHeld)
        );
        assert!(
            whole_request(
                "We are unable to answer question 1a within the cost limit of this request"
            )
            .is_none()
        );
        assert_eq!(
            whole_request("We estimate that the cost of complying with your request would exceed the appropriate limit of £450").map(|s| s.status),
            Some(Status::Refused)
        );
    }

    #[test]
    fn a_scale_in_the_question_part_is_the_unit_of_its_bare_figures() {
        let schema = Schema::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/camhs.toml"),
        )
        .unwrap();
        let text = "1. CAMHS budget (£'000)\n2016/17: 2,100\n2017/18: 2,250\n\n2a. Total mental health budget 2016/17 (£000s): £31,000,000\n2b. Total mental health budget 2017/18 (£m): 32.5\n\n3. Not held.\n";
        let doc = Document {
            source: "reply.txt".into(),
            thread: None,
            format: Format::Text,
            sheets: Vec::new(),
            texts: vec![crate::ingest::text::lines(text)],
        };
        let numbering = numbering(
            "1. What was the total CAMHS budget?\n2. What was the total mental health budget?\n3. How much Future in Mind transformation funding did the CCG receive?\n",
            &schema,
        );
        let found = extract_texts(&doc, &schema, &numbering).found;
        let got: Vec<(&str, &str, &str, f64)> = found
            .iter()
            .map(|f| (f.field.as_str(), f.period.as_str(), f.raw.as_str(), f.scale))
            .collect();
        assert_eq!(
            got[..4],
            [
                ("camhs_budget", "2016-17", "2,100", 1000.0),
                ("camhs_budget", "2017-18", "2,250", 1000.0),
                // A figure written with "£" is taken as written.
                ("mh_budget", "2016-17", "£31,000,000", 1.0),
                ("mh_budget", "2017-18", "32.5", 1e6),
            ]
        );
        // "3. Not held.": the item by its number, every year of it.
        assert!(
            got[4..]
                .iter()
                .all(|(f, _, raw, _)| *f == "fim_allocation" && *raw == "Not held")
        );
        assert_eq!(
            got.len(),
            4 + schema.field("fim_allocation").unwrap().periods.len()
        );
    }

    /// A scanned letter's line, `doubt` (a stretch of it) read by OCR with low confidence.
    fn ocr_line(number: usize, text: &str, doubt: &str) -> crate::ingest::document::Line {
        let mut line = crate::ingest::document::Line::new(number, Some(1), text.into());
        if let Some(at) = text.find(doubt).filter(|_| !doubt.is_empty()) {
            line.doubtful.push(at..at + doubt.len());
        }
        line
    }

    #[test]
    fn a_figure_ocr_doubted_is_unclear_and_its_neighbours_are_read() {
        let schema = Schema::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/camhs.toml"),
        )
        .unwrap();
        let doc = Document {
            source: "scan.pdf".into(),
            thread: None,
            format: Format::Pdf,
            sheets: Vec::new(),
            texts: vec![TextBlock {
                headers: vec![("ocr".into(), "90".into())],
                lines: vec![
                    ocr_line(1, "The total CAMHS budget for 2015/16 was £3,100,000.", ""),
                    // OCR's misreading looks like two figures ("£3,5", "0,000"): one doubt.
                    ocr_line(
                        2,
                        "The total CAMHS budget for 2016/17 was £3,5O0,000.",
                        "£3,5O0,000",
                    ),
                    ocr_line(3, "The total CAMHS budget for 2017/18 was £3,700,000.", ""),
                    // A doubtful word elsewhere in the sentence is no doubt about the figure,
                    // nor is a doubtful speck in the answer itself.
                    ocr_line(
                        4,
                        "The total CAMHS budget for 2018/19 was £3,900,000.",
                        "budget",
                    ),
                    ocr_line(5, "Total CAMHS budget 2014/15: Not held ‘", "‘"),
                ],
                role: Role::Body,
            }],
        };
        let found = extract_texts(&doc, &schema, &Numbering::new()).found;
        let got: Vec<(&str, &str, Legibility, &str)> = found
            .iter()
            .map(|f| {
                (
                    f.period.as_str(),
                    f.raw.as_str(),
                    f.legibility,
                    f.location.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2015-16", "£3,100,000", Legibility::Clear, "page 1 line 1"),
                (
                    "2016-17",
                    "£3,5O0,000",
                    Legibility::Doubtful,
                    "page 1 line 2"
                ),
                ("2017-18", "£3,700,000", Legibility::Clear, "page 1 line 3"),
                ("2018-19", "£3,900,000", Legibility::Clear, "page 1 line 4"),
                ("2014-15", "Not held ‘", Legibility::Clear, "page 1 line 5"),
            ]
        );
        let field = schema.field("camhs_budget").unwrap();
        let read = |f: &Found| crate::standardise::read_as(&f.raw, f.legibility, field, f.scale);
        assert_eq!(
            read(&found[1]),
            crate::standardise::Reading::Status {
                status: Status::Unclear,
                reason: "not clearly legible in the scan: \"[illegible: £3,5O0,000]\"".into(),
            }
        );
        assert_eq!(found[1].as_written(), "[illegible: £3,5O0,000]");
        for (f, n) in [
            (&found[0], 3_100_000.0),
            (&found[2], 3_700_000.0),
            (&found[3], 3_900_000.0),
        ] {
            assert!(
                matches!(
                    read(f),
                    crate::standardise::Reading::Value {
                        value: crate::observation::Value::Number(v),
                        ..
                    } if v == n
                ),
                "{f:?}"
            );
        }
        assert!(matches!(
            read(&found[4]),
            crate::standardise::Reading::Status {
                status: Status::NotHeld,
                ..
            }
        ));
    }
}
