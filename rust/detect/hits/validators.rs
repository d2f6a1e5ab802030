//! Checks that tell a real identifier from something that only has its shape
//! (`python/phiwall/detect/validators.py`).
//!
//! Every function is pure, O(length of its input), and returns false (never panics) on
//! malformed input.

/// Medicare excludes S L O I B Z from MBI letters.
const MBI_LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
const MONTH_DAYS: [i64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Python's `str.isdigit()` on ASCII: non-empty, only 0-9.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True if `digits` (only 0-9, at least two) pass the Luhn checksum of payment cards.
pub fn luhn(digits: &str) -> bool {
    if !all_digits(digits) || digits.len() < 2 {
        return false;
    }
    let mut total = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d = if d > 4 { d * 2 - 9 } else { d * 2 };
        }
        total += d;
    }
    total % 10 == 0
}

/// True if 9 `digits` follow SSA rules: area not 000/666/9xx, group not 00, serial not 0000.
pub fn ssn(digits: &str) -> bool {
    if digits.len() != 9 || !all_digits(digits) {
        return false;
    }
    let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

/// True if `month`/`day` exist on a calendar (Feb 29 only in leap years when a `year` of
/// 100 or more is given).
pub fn calendar_date(month: i64, day: i64, year: Option<i64>) -> bool {
    if !(1..=12).contains(&month) || !(1..=MONTH_DAYS[(month - 1) as usize]).contains(&day) {
        return false;
    }
    match year {
        Some(year) if month == 2 && day == 29 && year >= 100 => {
            year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        }
        _ => true,
    }
}

/// True if `value` (dashes/spaces removed, any case) has the Medicare MBI shape: digit
/// 1-9, letter, alnum, digit, letter, alnum, digit, letter, letter, digit, digit; letters
/// exclude S, L, O, I, B, Z.
pub fn mbi(value: &str) -> bool {
    let v = value.as_bytes();
    if v.len() != 11 || !v.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let letter = |c: u8| MBI_LETTERS.contains(&c.to_ascii_uppercase());
    let digit = |c: u8| c.is_ascii_digit();
    // d = digit, l = letter, a = either.
    let shape = b"dladladlldd";
    v[0] != b'0'
        && shape.iter().zip(v).all(|(&s, &c)| match s {
            b'd' => digit(c),
            b'l' => letter(c),
            _ => digit(c) || letter(c),
        })
}

/// True if `value` has a VIN's shape: 17 letters/digits without I, O, Q, both kinds present.
pub fn vin(value: &str) -> bool {
    let v = value.as_bytes();
    if v.len() != 17
        || !v.iter().all(u8::is_ascii_alphanumeric)
        || v.iter()
            .any(|c| matches!(c.to_ascii_uppercase(), b'I' | b'O' | b'Q'))
    {
        return false;
    }
    v.iter().any(u8::is_ascii_digit) && v.iter().any(u8::is_ascii_alphabetic)
}

/// True if four `octets` make a plausible host address (0-255, not 0.x.x.x).
pub fn ipv4(octets: &[i64]) -> bool {
    octets.len() == 4 && octets.iter().all(|o| (0..=255).contains(o)) && octets[0] != 0
}

/// True if `value` parses as an IPv6 address (`ipaddress.IPv6Address(value)`, Python 3.11:
/// scope ids and an IPv4 tail accepted, at most one "::").
pub fn ipv6(value: &str) -> bool {
    if value.contains('/') {
        return false;
    }
    let addr = match value.split_once('%') {
        None => value,
        Some((addr, scope)) => {
            if scope.is_empty() || scope.contains('%') {
                return false;
            }
            addr
        }
    };
    if addr.is_empty() {
        return false;
    }
    let mut parts: Vec<&str> = addr.split(':').collect();
    if parts.len() < 3 {
        return false;
    }
    // An IPv4 tail stands for two hextets, both valid once the tail parses.
    let mut tail = 0;
    if parts.last().is_some_and(|p| p.contains('.')) {
        if !ipv4_str(parts.pop().unwrap_or_default()) {
            return false;
        }
        tail = 2;
    }
    let count = parts.len() + tail;
    if count > 9 {
        return false;
    }
    // The hextets, with the tail as two always-valid entries at the end.
    let hextet = |i: usize| -> Option<&str> { parts.get(i).copied() };
    let last_empty = tail == 0 && parts.last().is_some_and(|p| p.is_empty());
    let mut skip = None;
    for i in 1..count - 1 {
        if hextet(i).is_some_and(str::is_empty) {
            if skip.is_some() {
                return false;
            }
            skip = Some(i);
        }
    }
    let (hi, lo) = match skip {
        Some(skip) => {
            let mut hi = skip;
            let mut lo = count - skip - 1;
            if parts[0].is_empty() {
                hi -= 1;
                if hi != 0 {
                    return false;
                }
            }
            if last_empty {
                lo -= 1;
                if lo != 0 {
                    return false;
                }
            }
            if hi + lo >= 8 {
                return false;
            }
            (hi, lo)
        }
        None => {
            if count != 8 || parts[0].is_empty() || last_empty {
                return false;
            }
            (count, 0)
        }
    };
    let valid = |i: usize| hextet(i).is_none_or(hextet_ok);
    (0..hi).all(valid) && (count - lo..count).all(valid)
}

/// `_parse_hextet` succeeds: 1-4 hex digits.
fn hextet_ok(part: &str) -> bool {
    (1..=4).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `ipaddress.IPv4Address(value)` succeeds: four decimal octets, no leading zeros, <= 255.
fn ipv4_str(value: &str) -> bool {
    let octets: Vec<&str> = value.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|o| {
            all_digits(o)
                && o.len() <= 3
                && !(o.len() > 1 && o.starts_with('0'))
                && o.parse::<u32>().is_ok_and(|n| n <= 255)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_ssn() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        assert!(!luhn("4"));
        assert!(ssn("123456789"));
        assert!(!ssn("923456789"));
        assert!(!ssn("123006789"));
    }

    #[test]
    fn calendar() {
        assert!(calendar_date(2, 29, Some(2024)));
        assert!(!calendar_date(2, 29, Some(2023)));
        assert!(!calendar_date(2, 29, Some(1900)));
        assert!(calendar_date(2, 29, Some(23)));
        assert!(!calendar_date(4, 31, None));
        assert!(!calendar_date(13, 1, None));
    }

    #[test]
    fn shapes() {
        assert!(mbi("1EG4TE5MK73"));
        assert!(mbi("1eg4te5mk73"));
        assert!(!mbi("0EG4TE5MK73"));
        assert!(vin("1HGCM82633A004352"));
        assert!(!vin("1HGCM82633A00435O"));
    }

    #[test]
    fn ipv6_like_python() {
        for ok in [
            "::",
            "::1",
            "1::",
            "fe80::1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2::3",
            "::ffff:1.2.3.4",
            "fe80::1%eth0",
            "ABCD::",
        ] {
            assert!(ipv6(ok), "{ok}");
        }
        for bad in [
            "",
            "1:2",
            ":1:2",
            "1:2:",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "12345::",
            "g::",
            "1:2:3:4:5:6:7",
            ":::",
            "::01.2.3.4",
            "1::/64",
            "fe80::1%",
        ] {
            assert!(!ipv6(bad), "{bad}");
        }
    }
}
