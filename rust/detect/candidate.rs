//! Labels, pattern hits and candidates: the values every finder of the native detector trades.

/// The fifteen labels of DESIGN.md, in the order of `phiwall.detect.span.LABELS`; that order
/// breaks the last tie between overlapping candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Name,
    Phone,
    Email,
    Ssn,
    Date,
    Address,
    Location,
    Zip,
    Mrn,
    MemberId,
    Account,
    License,
    Vehicle,
    Url,
    Ip,
}

impl Label {
    /// Every label, in `LABELS` order: `ALL[label as usize] == label`.
    pub const ALL: [Label; 15] = [
        Label::Name,
        Label::Phone,
        Label::Email,
        Label::Ssn,
        Label::Date,
        Label::Address,
        Label::Location,
        Label::Zip,
        Label::Mrn,
        Label::MemberId,
        Label::Account,
        Label::License,
        Label::Vehicle,
        Label::Url,
        Label::Ip,
    ];

    /// The label as DESIGN.md spells it ("MEMBER_ID").
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Name => "NAME",
            Label::Phone => "PHONE",
            Label::Email => "EMAIL",
            Label::Ssn => "SSN",
            Label::Date => "DATE",
            Label::Address => "ADDRESS",
            Label::Location => "LOCATION",
            Label::Zip => "ZIP",
            Label::Mrn => "MRN",
            Label::MemberId => "MEMBER_ID",
            Label::Account => "ACCOUNT",
            Label::License => "LICENSE",
            Label::Vehicle => "VEHICLE",
            Label::Url => "URL",
            Label::Ip => "IP",
        }
    }

    /// The label spelled `name`, if it is one of the fifteen.
    pub fn parse(name: &str) -> Option<Label> {
        Some(match name {
            "NAME" => Label::Name,
            "PHONE" => Label::Phone,
            "EMAIL" => Label::Email,
            "SSN" => Label::Ssn,
            "DATE" => Label::Date,
            "ADDRESS" => Label::Address,
            "LOCATION" => Label::Location,
            "ZIP" => Label::Zip,
            "MRN" => Label::Mrn,
            "MEMBER_ID" => Label::MemberId,
            "ACCOUNT" => Label::Account,
            "LICENSE" => Label::License,
            "VEHICLE" => Label::Vehicle,
            "URL" => Label::Url,
            "IP" => Label::Ip,
            _ => return None,
        })
    }
}

/// What a Hyperscan pattern recognised: `phiwall.detect.patterns.Kind`, same numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Email = 0,
    EmailSpoken = 1,
    Url = 2,
    UrlSpoken = 3,
    Phone = 4,
    Ssn = 5,
    Card = 6,
    DateNumeric = 7,
    DateIso = 8,
    DateWords = 9,
    Ipv4 = 10,
    Ipv6 = 11,
    Zip4 = 12,
    Code = 13,
    SpacedDigits = 14,
    SpokenRun = 15,
    Ordinal = 16,
}

impl Kind {
    /// The kind numbered `n` by `patterns.Kind`, if there is one.
    pub fn from_index(n: u32) -> Option<Kind> {
        const ALL: [Kind; 17] = [
            Kind::Email,
            Kind::EmailSpoken,
            Kind::Url,
            Kind::UrlSpoken,
            Kind::Phone,
            Kind::Ssn,
            Kind::Card,
            Kind::DateNumeric,
            Kind::DateIso,
            Kind::DateWords,
            Kind::Ipv4,
            Kind::Ipv6,
            Kind::Zip4,
            Kind::Code,
            Kind::SpacedDigits,
            Kind::SpokenRun,
            Kind::Ordinal,
        ];
        ALL.get(n as usize).copied()
    }
}

/// Pattern `kind` matched `text[start..end]` (byte offsets; the native detector reads ASCII).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// `text[start..end]` may be a `label` value with confidence `score` in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub score: f64,
}

impl Candidate {
    pub fn new(start: usize, end: usize, label: Label, score: f64) -> Self {
        Candidate {
            start,
            end,
            label,
            score,
        }
    }
}

/// Sort `found` as Python sorts same-label candidate tuples: by start, end, then score.
pub fn sort_by_span(found: &mut [Candidate]) {
    found.sort_by(|a, b| {
        (a.start, a.end)
            .cmp(&(b.start, b.end))
            .then(a.score.total_cmp(&b.score))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_listed_at_its_index_and_spelled_back() {
        for (index, &label) in Label::ALL.iter().enumerate() {
            assert_eq!(label as usize, index);
            assert_eq!(Label::parse(label.as_str()), Some(label));
        }
    }
}
