//! An incremental Server-Sent Events decoder: `phiwall.proxy.sse.SSEDecoder`, natively.
//!
//! [`Decoder::feed`] takes whatever one network read delivered and returns the events it
//! completed; [`Decoder::flush`] returns the event the stream ended in the middle of. Lines
//! end with `\r\n`, `\n` or `\r`; a `\r` at the very end of a read is held until the next read
//! says whether a `\n` follows. Comments are dropped; `data` lines are joined with `\n`; an
//! `id` with a NUL and a `retry` that is not all digits are ignored, as the specification
//! says; an event without data is not dispatched. Fields are kept per event: a relay repeats
//! what it was sent.
//!
//! Cost: O(bytes), a `memchr` per line; one allocation per event. Never fails.

use memchr::{memchr2, memchr_iter};

/// One event, as the relay writes it back ([`Event::encode`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub data: Vec<u8>,
    pub event: Option<Vec<u8>>,
    pub id: Option<Vec<u8>>,
    pub retry: Option<Vec<u8>>,
}

impl Event {
    /// Appends the event in wire form (`event`, `id`, `retry`, then one `data:` line per line
    /// of `data`, and the blank line that dispatches it) to `out`, with `data` replaced by
    /// `data` when given.
    pub fn encode(&self, data: Option<&[u8]>, out: &mut Vec<u8>) {
        for (name, value) in [
            (&b"event: "[..], &self.event),
            (b"id: ", &self.id),
            (b"retry: ", &self.retry),
        ] {
            if let Some(value) = value {
                out.extend_from_slice(name);
                out.extend_from_slice(value);
                out.push(b'\n');
            }
        }
        let data = data.unwrap_or(&self.data);
        out.reserve(data.len() + 8);
        out.extend_from_slice(b"data: ");
        let mut start = 0;
        for newline in memchr_iter(b'\n', data) {
            out.extend_from_slice(&data[start..=newline]);
            out.extend_from_slice(b"data: ");
            start = newline + 1;
        }
        out.extend_from_slice(&data[start..]);
        out.extend_from_slice(b"\n\n");
    }
}

#[derive(Debug, Default)]
pub struct Decoder {
    /// An unfinished last line (or one ending in a `\r` that may be half a `\r\n`).
    pending: Vec<u8>,
    /// The `data` lines of the event being read, joined by `\n`, and whether there is one.
    data: Vec<u8>,
    has_data: bool,
    event: Option<Vec<u8>>,
    id: Option<Vec<u8>>,
    retry: Option<Vec<u8>>,
}

impl Decoder {
    /// Adds `chunk`; appends the events it completed to `events`.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<Event>) {
        let joined;
        let text: &[u8] = if self.pending.is_empty() {
            chunk
        } else {
            let mut pending = std::mem::take(&mut self.pending);
            pending.extend_from_slice(chunk);
            joined = pending;
            &joined
        };
        let mut start = 0;
        while let Some(found) = memchr2(b'\n', b'\r', &text[start..]) {
            let end = start + found;
            let next = match text[end] {
                b'\n' => end + 1,
                _ if end + 1 == text.len() => break, // maybe half a "\r\n": wait for more
                _ if text[end + 1] == b'\n' => end + 2,
                _ => end + 1,
            };
            self.line(&text[start..end], events);
            start = next;
        }
        self.pending.extend_from_slice(&text[start..]);
    }

    /// End of stream: appends the last event to `events`, if its blank line never came.
    pub fn flush(&mut self, events: &mut Vec<Event>) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            let end = pending
                .iter()
                .rposition(|&b| b != b'\r' && b != b'\n')
                .map_or(0, |i| i + 1);
            self.line(&pending[..end], events);
        }
        self.line(b"", events);
    }

    fn line(&mut self, line: &[u8], events: &mut Vec<Event>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match name {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
            }
            b"event" => self.event = Some(value.to_vec()),
            b"id" if !value.contains(&0) => self.id = Some(value.to_vec()),
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                self.retry = Some(value.to_vec());
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<Event>) {
        let event = self.event.take();
        let id = self.id.take();
        let retry = self.retry.take();
        if !self.has_data {
            return; // an event without data is not dispatched
        }
        self.has_data = false;
        // The next event is likely as long: start it with that much room.
        let room = self.data.len();
        let data = std::mem::replace(&mut self.data, Vec::with_capacity(room));
        events.push(Event {
            data,
            event,
            id,
            retry,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(reads: &[&[u8]]) -> Vec<Event> {
        let mut decoder = Decoder::default();
        let mut events = Vec::new();
        for read in reads {
            decoder.feed(read, &mut events);
        }
        decoder.flush(&mut events);
        events
    }

    fn data(events: &[Event]) -> Vec<&[u8]> {
        events.iter().map(|e| e.data.as_slice()).collect()
    }

    #[test]
    fn every_line_ending_and_every_cut_gives_the_same_events() {
        for ending in ["\n", "\r\n", "\r"] {
            let stream = format!(
                "data: a{e}{e}: comment{e}event: x{e}id: 7{e}retry: 10{e}data: b{e}data:c{e}{e}data: [DONE]{e}{e}",
                e = ending
            );
            let bytes = stream.as_bytes();
            for cut in 0..=bytes.len() {
                let events = decode(&[&bytes[..cut], &bytes[cut..]]);
                assert_eq!(
                    data(&events),
                    [&b"a"[..], b"b\nc", b"[DONE]"],
                    "{ending:?} {cut}"
                );
                assert_eq!(events[1].event.as_deref(), Some(&b"x"[..]));
                assert_eq!(events[1].id.as_deref(), Some(&b"7"[..]));
                assert_eq!(events[1].retry.as_deref(), Some(&b"10"[..]));
                assert_eq!(events[2].event, None);
            }
        }
    }

    #[test]
    fn an_unterminated_event_comes_out_on_flush_and_bad_fields_are_ignored() {
        let events = decode(&[b"id: a\0b\nretry: 1x\nevent\ndata: tail\r"]);
        assert_eq!(data(&events), [&b"tail"[..]]);
        assert_eq!(
            (events[0].id.as_ref(), events[0].retry.as_ref()),
            (None, None)
        );
        assert_eq!(events[0].event.as_deref(), Some(&b""[..]));
        assert!(decode(&[b"event: x\n\n"]).is_empty());
    }

    #[test]
    fn encode_writes_fields_then_one_data_line_per_line() {
        let event = Event {
            data: b"a\nb".to_vec(),
            event: Some(b"e".to_vec()),
            id: None,
            retry: Some(b"5".to_vec()),
        };
        let mut out = Vec::new();
        event.encode(None, &mut out);
        assert_eq!(out, b"event: e\nretry: 5\ndata: a\ndata: b\n\n");
    }
}
