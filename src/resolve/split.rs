//! Partners that name several parties ("ANC and SACP", "the ANC/SACP delegation"), split into
//! one name per party. The resolver splits only when the whole does not name one party and
//! every part does.

/// Words around a list of parties that name none of them.
const FRAME_PREFIXES: [&str; 6] =
    ["a joint delegation of ", "joint delegation of ", "a delegation of ", "delegation of ", "the ", "a "];
const FRAME_SUFFIXES: [&str; 3] = [" joint delegation", " delegations", " delegation"];

/// The parts of a partner naming several parties, or None when it has no separator.
/// Separators: " and ", " & ", ", ", "/", "+". A part keeps its own bracketed abbreviation.
pub fn split_partners(partner: &str) -> Option<Vec<String>> {
    let mut text = partner.trim();
    for prefix in FRAME_PREFIXES {
        if text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)) {
            text = &text[prefix.len()..];
        }
    }
    for suffix in FRAME_SUFFIXES {
        let cut = text.len().saturating_sub(suffix.len());
        if text.get(cut..).is_some_and(|tail| tail.eq_ignore_ascii_case(suffix)) {
            text = &text[..cut];
        }
    }
    let mut parts = vec![text.to_string()];
    for separator in [" and ", " & ", ", ", "/", "+"] {
        parts = parts
            .iter()
            .flat_map(|p| split_outside_brackets(p, separator))
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
    }
    (parts.len() >= 2).then_some(parts)
}

/// Splits on `separator` except inside brackets, so "Party of Labour (PT/PL)" stays whole.
fn split_outside_brackets(text: &str, separator: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut skip_until = 0;
    for (i, c) in text.char_indices() {
        if i < skip_until {
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && text[i..].starts_with(separator) {
            parts.push(text[start..i].to_string());
            start = i + separator.len();
            skip_until = start;
        }
    }
    parts.push(text[start..].to_string());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lists_of_parties() {
        assert_eq!(split_partners("ANC and SACP").unwrap(), ["ANC", "SACP"]);
        assert_eq!(split_partners("the ANC/SACP delegation").unwrap(), ["ANC", "SACP"]);
        assert_eq!(
            split_partners("a joint delegation of the CPP, FUNCINPEC and the Sam Rainsy Party").unwrap(),
            ["CPP", "FUNCINPEC", "the Sam Rainsy Party"]
        );
        assert_eq!(split_partners("Workers' Party (PT/PL)"), None);
        assert_eq!(split_partners("Communist Party of Vietnam"), None);
        assert_eq!(split_partners("Majorité Présidentielle"), None);
        assert_eq!(split_partners("Parti é/ü and Ωmega").unwrap(), ["Parti é", "ü", "Ωmega"]);
    }
}
