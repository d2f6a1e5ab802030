//! Format checks: `python/phiwall/detect/validators.py`. (Being ported.)

/// `validators.luhn(digits)`.
pub fn luhn(_digits: &str) -> bool {
    false
}

/// `validators.ssn(digits)`.
pub fn ssn(_digits: &str) -> bool {
    false
}

/// `validators.calendar_date(month, day, year)`.
pub fn calendar_date(_month: i64, _day: i64, _year: Option<i64>) -> bool {
    false
}

/// `validators.mbi(value)`.
pub fn mbi(_value: &str) -> bool {
    false
}

/// `validators.vin(value)`.
pub fn vin(_value: &str) -> bool {
    false
}

/// `validators.ipv4(octets)`.
pub fn ipv4(_octets: &[i64]) -> bool {
    false
}

/// `validators.ipv6(value)`.
pub fn ipv6(_value: &str) -> bool {
    false
}
