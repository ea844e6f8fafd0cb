//! CSV and its cousins: any encoding, comma, semicolon or tab, with ragged rows and quoted
//! line breaks; the delimiter is sniffed from the text.

use super::document::{Cell, Sheet};

/// The delimiter most lines agree on, if the text looks like a table at all.
pub fn sniff_delimiter(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    if lines.len() < 2 {
        return None;
    }
    let mut best: Option<(u8, usize)> = None;
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let with = counts.iter().filter(|&&c| c > 0).count();
        // Most lines carry the delimiter, and the most common count is shared widely:
        // prose has commas too, but not the same number on most lines.
        let mut freq = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        let modal = freq.values().copied().max().unwrap_or(0);
        if with * 10 >= lines.len() * 6 && modal * 10 >= lines.len() * 5 {
            let score = modal * 100 + with;
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((d, score));
            }
        }
    }
    // Pipe tables drawn for people ("---+---") are text layouts, read with the prose.
    match best {
        Some((b'|', _)) => None,
        other => other.map(|(d, _)| d),
    }
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

/// Read delimited text into one grid. Cells stay text: standardise reads numbers from them.
pub fn read(text: &str) -> Result<Sheet, csv::Error> {
    let delimiter = sniff_delimiter(text).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: String::new(),
        hidden: false,
        rows,
        place: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_with_commas_inside_numbers() {
        let s = read("Question;Response\n1a. budget;3,146,486*\n1b. budget;Not held\n").unwrap();
        assert_eq!(s.get(1, 1), &Cell::Text("3,146,486*".into()));
        assert_eq!(s.location(1, 1), "B2");
    }

    #[test]
    fn quoted_commas_stay_in_their_cell() {
        let s = read("Question,Response\n2b,\"£48,323,536.57\"\n2c,\"£1,000\"\n").unwrap();
        assert_eq!(s.get(1, 1).text(), "£48,323,536.57");
    }

    #[test]
    fn prose_is_not_a_table() {
        assert_eq!(
            sniff_delimiter(
                "NHS CALDERDALE CCG\n\nDear Jordan Ellis,\n\nRe: Freedom of Information request CSU FOI 1595\n\nThank you for your request. Please find our response below.\n\n1a. CAMHS 2014-15: 3738962.\n\n2a. The CCG's total mental health for 2014-15 was 35232496.\n\nYours sincerely,\n\nRichard Edwards\nInformation Governance Manager\n"
            ),
            None
        );
    }
}
