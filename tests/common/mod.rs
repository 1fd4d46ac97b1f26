//! Helpers shared by the integration tests.

/// Bytes from a hex dump (the captured ClientHellos under tests/data).
pub fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}
