//! Standardise: turn the text of one answer into a typed value or an FOI status, by the
//! field's declared type. It only renames and casts; judging plausibility is validate's work.

pub mod answer;
pub mod money;
pub mod number;
pub mod period;

use crate::ingest::document::Legibility;
use crate::observation::{Status, Value};
use crate::schema::{Field, FieldType};
use answer::YesNo;
use money::AmountError;

/// What one answer says, once standardised.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// A value, with how sure the reading is (estimates and dropped remarks lower it).
    Value {
        value: Value,
        confidence: f64,
        note: String,
    },
    /// An FOI status (not held, refused, exempt, not applicable, or unclear with its reason).
    Status { status: Status, reason: String },
    /// Nothing here answers this field (a blank, a heading, a remark).
    Nothing,
}

fn unclear(reason: impl Into<String>) -> Reading {
    Reading::Status {
        status: Status::Unclear,
        reason: reason.into(),
    }
}

/// An answer without the marks around it that are never part of it: a leading apostrophe (a
/// spreadsheet's "keep as text" mark, a scan's stray tick), and a scan's rule read as a letter
/// glued to a word ("lYes", "jNot held"): a small letter or bar before a capital never starts an
/// English word. (A leading bar before a digit stays: OCR reads "1" as "|".)
pub fn strip_marks(raw: &str) -> &str {
    // Underscores and tildes after an answer are a scan's rule, never part of a figure.
    let text = raw
        .trim()
        .trim_start_matches(['\'', '‘', '’', '`'])
        .trim_end_matches(['_', '~'])
        .trim();
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('l' | 'j' | '|' | '[' | '!' | '_'), Some(second)) if second.is_uppercase() => {
            &text[1..]
        }
        _ => text,
    }
}

/// Read `raw`, found as clearly as `legibility` says, as an answer to `field`; `scale` is a
/// "£000s"-style multiplier from the headings.
///
/// A doubtful reading (a word OCR read with low confidence, a smudged cell) is unclear whatever
/// it seems to say: a person must look at the scan. Only where nothing but a stray mark was
/// doubtful (a tick, a bar, rule debris) is nothing written there.
pub fn read_as(raw: &str, legibility: Legibility, field: &Field, scale: f64) -> Reading {
    match legibility {
        Legibility::Clear => read(raw, field, scale),
        Legibility::Doubtful => {
            let reading = raw.trim();
            if !reading.is_empty() && !reading.chars().any(|c| c.is_alphanumeric() || c == '£') {
                return Reading::Nothing;
            }
            unclear(format!(
                "not clearly legible in the scan: \"{}\"",
                legibility.show(reading)
            ))
        }
    }
}

/// Read `raw`, read clearly (typed, or OCR with confidence), as an answer to `field`; `scale`
/// is a "£000s"-style multiplier from the headings.
pub fn read(raw: &str, field: &Field, scale: f64) -> Reading {
    let text = strip_marks(raw);
    if text.is_empty() {
        return Reading::Nothing;
    }
    match field.kind {
        FieldType::Money | FieldType::Count => read_number(text, field, scale),
        FieldType::YesNo => read_yes_no(text, field),
        FieldType::Category => read_category(text, field),
        FieldType::Number => read_quantity(text, field),
    }
}

/// A `number` field: a figure in its declared unit (see number.rs).
fn read_quantity(text: &str, field: &Field) -> Reading {
    if let Some(s) =
        answer::status_phrase(text).filter(|_| !text.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Reading::Status {
            status: s.status,
            reason: s.reason,
        };
    }
    if answer::is_nil(text) {
        return Reading::Value {
            value: Value::Number(0.0),
            confidence: 0.95,
            note: format!("\"{text}\" read as nil"),
        };
    }
    let Some(unit) = field.unit else {
        return unclear(format!("field `{}` declares no unit", field.id));
    };
    match number::parse_quantity(text, unit) {
        Ok(q) => {
            let note = [
                q.note.as_str(),
                if q.approx {
                    "stated as an estimate"
                } else {
                    ""
                },
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
            Reading::Value {
                value: Value::Number(q.value),
                confidence: if q.approx { 0.9 } else { 0.97 },
                note,
            }
        }
        Err(number::QuantityError::Unclear(why)) => unclear(why),
        Err(number::QuantityError::NotANumber) => Reading::Nothing,
    }
}

fn read_number(text: &str, field: &Field, scale: f64) -> Reading {
    if text.starts_with('#')
        && let Some(s) = answer::status_phrase(text)
    {
        return Reading::Status {
            status: s.status,
            reason: s.reason,
        };
    }
    if answer::is_nil(text) {
        return Reading::Value {
            value: Value::Number(0.0),
            confidence: 0.95,
            note: format!("\"{text}\" read as nil"),
        };
    }
    match money::parse_amount(text) {
        Ok(a) => {
            let mut value = a.value;
            let mut note = String::new();
            if !a.own_unit && scale != 1.0 && field.kind == FieldType::Money {
                value *= scale;
                note = format!("scaled by {scale} from the heading");
            }
            if field.kind == FieldType::Count && value.fract() != 0.0 {
                return unclear(format!("a count that is not a whole number: \"{text}\""));
            }
            if a.approx {
                note = [note.as_str(), "stated as an estimate"]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            Reading::Value {
                value: Value::Number(value),
                confidence: if a.approx { 0.9 } else { 0.97 },
                note,
            }
        }
        Err(AmountError::Unclear(why)) => match answer::status_phrase(text) {
            Some(s) => Reading::Status {
                status: s.status,
                reason: s.reason,
            },
            None => unclear(why),
        },
        Err(AmountError::NotANumber) => match answer::status_phrase(text) {
            Some(s) => Reading::Status {
                status: s.status,
                reason: s.reason,
            },
            None => Reading::Nothing,
        },
    }
}

fn read_yes_no(text: &str, field: &Field) -> Reading {
    if let Some(s) = answer::status_phrase(text) {
        return Reading::Status {
            status: s.status,
            reason: s.reason,
        };
    }
    let code = match answer::yes_no(text) {
        Some(YesNo::Yes) => "yes",
        Some(YesNo::No) => "no",
        Some(YesNo::Partly) => match field.partial_is.as_deref() {
            Some(code) => {
                return Reading::Value {
                    value: Value::Code(code.to_owned()),
                    confidence: 0.9,
                    note: format!("\"{text}\" counts as {code} for this question"),
                };
            }
            None => return unclear(format!("a partial answer to a yes/no question: \"{text}\"")),
        },
        None => return Reading::Nothing,
    };
    Reading::Value {
        value: Value::Code(code.into()),
        confidence: 0.97,
        note: String::new(),
    }
}

fn read_category(text: &str, field: &Field) -> Reading {
    if let Some(s) = answer::status_phrase(text) {
        return Reading::Status {
            status: s.status,
            reason: s.reason,
        };
    }
    match answer::category(field, text) {
        Some(code) => Reading::Value {
            value: Value::Code(code.into()),
            confidence: 0.9,
            note: String::new(),
        },
        None => Reading::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;
    use std::path::Path;

    fn schema(name: &str) -> Schema {
        Schema::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{name}.toml")))
            .unwrap()
    }

    fn number(r: Reading) -> f64 {
        match r {
            Reading::Value {
                value: Value::Number(n),
                ..
            } => n,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_thousands_heading_scales_bare_figures_only() {
        let s = schema("camhs");
        let f = s.field("camhs_budget").unwrap();
        assert_eq!(number(read("4682", f, 1e3)), 4_682_000.0);
        assert_eq!(number(read("£1.2m", f, 1e3)), 1_200_000.0);
        assert_eq!(number(read("Nil", f, 1e3)), 0.0);
    }

    #[test]
    fn statuses_and_ranges() {
        let s = schema("camhs");
        let f = s.field("camhs_budget").unwrap();
        assert!(matches!(
            read("Not held", f, 1.0),
            Reading::Status {
                status: Status::NotHeld,
                ..
            }
        ));
        assert!(matches!(
            read("£40-50k", f, 1.0),
            Reading::Status {
                status: Status::Unclear,
                ..
            }
        ));
        assert!(matches!(
            read("Exempt under section 43", f, 1.0),
            Reading::Status {
                status: Status::Exempt,
                ..
            }
        ));
        assert_eq!(
            read("Includes eating disorder service", f, 1.0),
            Reading::Nothing
        );
    }

    #[test]
    fn illegible_scans_are_unclear_for_every_type() {
        let doubtful = |text: &str, s: &Schema, field: &str| {
            read_as(text, Legibility::Doubtful, s.field(field).unwrap(), 1.0)
        };
        let s = schema("palliative_care");
        for (field, reading, shown) in [
            ("seven_day_beds", "Yes", "[illegible: Yes]"),
            ("out_of_hours_provider", "", "[illegible]"),
        ] {
            assert_eq!(
                doubtful(reading, &s, field),
                Reading::Status {
                    status: Status::Unclear,
                    reason: format!("not clearly legible in the scan: \"{shown}\""),
                },
                "{field}"
            );
        }
        let c = schema("camhs");
        assert_eq!(
            doubtful("£3,5O0,000", &c, "camhs_budget"),
            Reading::Status {
                status: Status::Unclear,
                reason: "not clearly legible in the scan: \"[illegible: £3,5O0,000]\"".into(),
            }
        );
        // Only a speck was doubtful: nothing is written there.
        assert_eq!(doubtful("‘ |", &c, "camhs_budget"), Reading::Nothing);
        // The same words read clearly are an answer.
        assert!(matches!(
            read_as(
                "£3,500,000",
                Legibility::Clear,
                c.field("camhs_budget").unwrap(),
                1.0
            ),
            Reading::Value { .. }
        ));
    }

    #[test]
    fn yes_no_and_categories_by_the_schema() {
        let s = schema("palliative_care");
        let code = |field: &str, t: &str| match read(t, s.field(field).unwrap(), 1.0) {
            Reading::Value {
                value: Value::Code(c),
                ..
            } => c,
            other => format!("{other:?}"),
        };
        assert_eq!(code("seven_day_beds", "Partially"), "no");
        // A scan's rule left before the answer.
        assert_eq!(code("pain_team", "_No - not commissioned separately"), "no");
        assert_eq!(code("pain_team", "jNo"), "no");
        assert_eq!(code("seven_day_beds", "yes - 7 days a week"), "yes");
        assert_eq!(
            code("out_of_hours_provider", "Hospice and acute trust"),
            "both"
        );
        assert_eq!(
            code("out_of_hours_provider", "Oak Lodge Hospice"),
            "hospice"
        );
        assert_eq!(code("out_of_hours_provider", "NHS community trust"), "nhs");
        assert_eq!(
            code(
                "out_of_hours_provider",
                "Both (Rowan Tree Hospice and South Norfolk Community Health Services NHS Trust)"
            ),
            "both"
        );
        assert_eq!(code("pain_team_hours", "Round the clock"), "24_7");
        assert!(matches!(
            read("N/A", s.field("pain_team_hours").unwrap(), 1.0),
            Reading::Status {
                status: Status::NotApplicable,
                ..
            }
        ));
    }
}
