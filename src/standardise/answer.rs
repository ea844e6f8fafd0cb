//! What an answer says beside a number: FOI statuses ("Not held", "Section 12", "exempt under
//! section 43", "N/A"), yes/no in its many forms, and category codes declared in the schema.

use crate::observation::Status;
use crate::schema::Field;
use regex::Regex;
use std::sync::LazyLock;

/// A status phrase and the reason it gives (e.g. "section 43").
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPhrase {
    pub status: Status,
    pub reason: String,
}

static FORMULA_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^#(ref!|div/0!|value!|name\?|n/a|num!|null!|getting_data|spill!|calc!)$")
        .unwrap()
});
static SEE_ATTACHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:attached|enclosed|attachment|separate|spreadsheet|appendix|annex)").unwrap()
});
static S12: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsection\s*12\b|\bs\.?\s?12\b|exceed(?:s|ed)?\s+the\s+(?:appropriate|cost)\s+limit|cost\s+limit").unwrap()
});
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    // The Act's exemptions are sections 21 to 44: "a section 75 agreement" (NHS Act) is not one.
    Regex::new(r"(?i)\b(?:section|s\.?)\s?(2[1-9]|3\d|4[0-4])\b(?:\s*\(\d\)(?:\([a-z]\))?)?")
        .unwrap()
});
static EXEMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bexempt(?:ion)?\b|\bwithheld\b|\bwithhold(?:ing)?\b").unwrap()
});
/// Exemptions stated by their reason, with no section number: the reason is kept.
static EXEMPT_REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(commercially\s+sensitive|commercial\s+interests?|personal\s+(?:information|data)|(?:could|would|might)\s+(?:lead\s+to\s+the\s+)?identif(?:y|ication\s+of)\s+(?:individual|patient|a\s+small))").unwrap()
});
/// Money not accounted for separately ("no separately identified cost", "within a block
/// contract"): the figure asked for does not exist, so it is not held.
static NOT_SEPARATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:not|no|n't)\s+(?:have\s+)?(?:a\s+)?separately\s+(?:identif|record|report|account)\w*|\bnot\s+(?:identified|recorded|reported|held)\s+separately\b|\b(?:within|part\s+of|under|in)\s+(?:a|an|the|our)\s+(?:\w+\s+)?block\s+(?:contract|arrangement)").unwrap()
});
static NOT_HELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bnot\s+held\b|\bdoes\s+not\s+hold\b|\bdo\s+not\s+hold\b|\bno\s+(?:such\s+|relevant\s+)?(?:information|data|records?)\s+(?:is\s+|are\s+)?held\b|\bnot\s+(?:recorded|collected|available)\b|\bnot\s+known\b|\bunknown\b|\bwe\s+hold\s+no\b|\binformation\s+(?:is\s+)?not\s+held\b").unwrap()
});
static NOT_APPLICABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:n\s*/\s*a|n\.a\.?|na|not\s+applicable)\b").unwrap());
static NIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:nil|none|zero|-|–|—|£\s*-|£?\s*nil)\s*\.?\s*$").unwrap()
});

/// The FOI status a cell or phrase states, if any. Section 12 is a refusal; another named
/// section is an exemption.
pub fn status_phrase(text: &str) -> Option<StatusPhrase> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if FORMULA_ERROR.is_match(t) {
        return Some(StatusPhrase {
            status: Status::Unclear,
            reason: format!("a spreadsheet formula error: \"{t}\""),
        });
    }
    if SEE_ATTACHED.is_match(t) {
        return Some(StatusPhrase {
            status: Status::Unclear,
            reason: format!("refers to something else: \"{t}\""),
        });
    }
    if S12.is_match(t) {
        return Some(StatusPhrase {
            status: Status::Refused,
            reason: "section 12 (cost limit)".into(),
        });
    }
    if let Some(c) = SECTION.captures(t) {
        return Some(StatusPhrase {
            status: Status::Exempt,
            reason: format!("section {}", &c[1]),
        });
    }
    if let Some(m) = EXEMPT_REASON.find(t) {
        return Some(StatusPhrase {
            status: Status::Exempt,
            reason: m.as_str().to_lowercase(),
        });
    }
    if EXEMPT.is_match(t) {
        return Some(StatusPhrase {
            status: Status::Exempt,
            reason: "exempt".into(),
        });
    }
    if let Some(m) = NOT_SEPARATE.find(t) {
        return Some(StatusPhrase {
            status: Status::NotHeld,
            reason: format!("not held: {}", m.as_str().to_lowercase()),
        });
    }
    if NOT_HELD.is_match(t) {
        return Some(StatusPhrase {
            status: Status::NotHeld,
            reason: "not held".into(),
        });
    }
    if NOT_APPLICABLE.is_match(t) {
        return Some(StatusPhrase {
            status: Status::NotApplicable,
            reason: "not applicable".into(),
        });
    }
    None
}

/// "Nil", "None", "-": zero for a money or count question.
pub fn is_nil(text: &str) -> bool {
    NIL.is_match(text)
}

#[derive(Debug, Clone, PartialEq)]
pub enum YesNo {
    Yes,
    No,
    Partly,
}

static YES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:yes|y|yep|true|we\s+do|it\s+does|the\s+ccg\s+does)\b").unwrap()
});
static NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:no|n|false|we\s+do\s+not|it\s+does\s+not|the\s+ccg\s+does\s+not|not\s+commissioned|not\s+currently)\b").unwrap()
});
static PARTLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:partially|partly|in\s+part|sometimes|limited)\b").unwrap()
});

pub fn yes_no(text: &str) -> Option<YesNo> {
    if PARTLY.is_match(text) {
        Some(YesNo::Partly)
    } else if NO.is_match(text) {
        Some(YesNo::No)
    } else if YES.is_match(text) {
        Some(YesNo::Yes)
    } else {
        None
    }
}

/// The first declared code whose patterns match.
pub fn category<'f>(field: &'f Field, text: &str) -> Option<&'f str> {
    field
        .codes
        .iter()
        .find(|c| c.patterns.iter().any(|p| p.is_match(text)))
        .map(|c| c.code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(t: &str) -> Option<Status> {
        status_phrase(t).map(|s| s.status)
    }

    #[test]
    fn foi_statuses_as_written() {
        assert_eq!(status("Not held"), Some(Status::NotHeld));
        assert_eq!(
            status("The CCG does not hold this information"),
            Some(Status::NotHeld)
        );
        assert_eq!(status("Section 12"), Some(Status::Refused));
        assert_eq!(status("Exempt under section 43"), Some(Status::Exempt));
        assert_eq!(
            status_phrase("exempt under section 43").unwrap().reason,
            "section 43"
        );
        assert_eq!(
            status("Section 21 - reasonably accessible by other means"),
            Some(Status::Exempt)
        );
        assert_eq!(status("N/A"), Some(Status::NotApplicable));
        assert_eq!(status("See attached"), Some(Status::Unclear));
        assert_eq!(status("£1.2m"), None);
        assert_eq!(status("Yes - 7 days a week"), None);
        assert_eq!(status("Nationally"), None);
        assert_eq!(status("#REF!"), Some(Status::Unclear));
        assert_eq!(status("#DIV/0!"), Some(Status::Unclear));
    }

    #[test]
    fn exemptions_by_reason_and_money_not_separately_identified() {
        assert_eq!(
            status("Commercially sensitive - exempt from disclosure"),
            Some(Status::Exempt)
        );
        let p = status_phrase("Withheld: it is personal information, the figure relates to a small number of patients").unwrap();
        assert_eq!(
            (p.status, p.reason.as_str()),
            (Status::Exempt, "personal information")
        );
        assert_eq!(
            status(
                "The CCG does not have a separately identified cost for this as it is commissioned within a block contract"
            ),
            Some(Status::NotHeld)
        );
        assert_eq!(
            status("Not separately identified (block contract)"),
            Some(Status::NotHeld)
        );
        assert_eq!(
            status(
                "they are commissioned by the council through a pooled budget under a section 75 agreement"
            ),
            None
        );
        assert_eq!(
            status("Included within the block contract with the trust"),
            Some(Status::NotHeld)
        );
    }

    #[test]
    fn nil_is_zero_money() {
        for t in ["Nil", "-", "None", " nil. "] {
            assert!(is_nil(t), "{t}");
        }
        assert!(!is_nil("Not held"));
    }

    #[test]
    fn yes_and_no_with_their_elaborations() {
        assert_eq!(yes_no("Yes - 7 days a week"), Some(YesNo::Yes));
        assert_eq!(yes_no("Y"), Some(YesNo::Yes));
        assert_eq!(yes_no("No - Monday to Friday 9-5 only"), Some(YesNo::No));
        assert_eq!(yes_no("N"), Some(YesNo::No));
        assert_eq!(yes_no("Partially"), Some(YesNo::Partly));
        assert_eq!(yes_no("Not held"), None);
        assert_eq!(yes_no("None"), None);
        assert_eq!(yes_no("Nationally"), None);
    }
}
