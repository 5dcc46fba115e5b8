//! Text files as Windows tools save them: UTF-8, or UTF-16 with or without
//! a byte-order mark (`netsh … > file` in Windows PowerShell, Excel's
//! "Unicode Text", Notepad's "Unicode").

/// The text of `bytes` when they are UTF-16: a byte-order mark says so, or
/// (without one) ASCII-range text has a zero in every other byte. `None`
/// for anything else (UTF-8, binary data).
///
/// ```
/// use pathprobe_files::text::utf16;
/// let saved: Vec<u8> = [0xFF, 0xFE].into_iter()
///     .chain("url\r\n".encode_utf16().flat_map(u16::to_le_bytes))
///     .collect();
/// assert_eq!(utf16(&saved).as_deref(), Some("url\r\n"));
/// assert_eq!(utf16(b"url\n"), None);
/// ```
pub fn utf16(bytes: &[u8]) -> Option<String> {
    let decode = |rest: &[u8], big: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                let pair = [
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ];
                if big {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some(decode(rest, false));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some(decode(rest, true));
    }
    let zeros = |offset: usize| {
        bytes
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = bytes.len() / 2;
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        if zeros(1) * 10 >= half * 9 && zeros(0) * 10 < half {
            return Some(decode(bytes, false));
        }
        if zeros(0) * 10 >= half * 9 && zeros(1) * 10 < half {
            return Some(decode(bytes, true));
        }
    }
    None
}

/// A saved file as text: UTF-16 (see [`utf16`]), else UTF-8 with or
/// without a byte-order mark, invalid bytes as U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    utf16(bytes).unwrap_or_else(|| {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(bytes).into_owned()
    })
}
