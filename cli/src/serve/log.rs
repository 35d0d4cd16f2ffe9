//! The log's writer: one line a request, handed to a thread that writes
//! standard error, through a bounded queue. A worker never waits on it:
//! when standard error is slow (a pipe nobody reads), full (`/dev/full`)
//! or gone (a closed pipe), lines are dropped and counted, and the answers
//! go out as ever. Also [`Clean`], how a request's values are written in a
//! line: control characters escaped, so no value forges a line or moves a
//! terminal's cursor.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

/// How many lines may wait for the writer.
const QUEUE_LINES: usize = 4096;

/// Where the log lines go: a bounded queue to the writer thread.
#[derive(Clone, Debug)]
pub struct LogSink {
    queue: Option<SyncSender<Message>>,
    dropped: Arc<AtomicU64>,
}

#[derive(Debug)]
enum Message {
    Line(Vec<u8>),
    /// Answer on the channel once every line before it is written (or
    /// dropped).
    Flush(SyncSender<()>),
}

impl LogSink {
    /// A sink writing to standard error from its own thread; if the thread
    /// cannot start, every line is dropped (and counted).
    pub fn stderr() -> Self {
        let (queue, lines) = sync_channel(QUEUE_LINES);
        let dropped = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&dropped);
        let started = std::thread::Builder::new()
            .name("reinit-disk-log".to_owned())
            .spawn(move || write_lines(&lines, &counter))
            .is_ok();
        Self {
            queue: started.then_some(queue),
            dropped,
        }
    }

    /// How many lines were dropped so far.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn send(&self, line: Vec<u8>) {
        let sent = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.try_send(Message::Line(line)).is_ok());
        if !sent {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Writes `line` (a whole line, newline included) if there is room,
    /// and waits at most `wait` for what is queued to be written: for the
    /// last line at shutdown. Never blocks longer than `wait`.
    pub fn finish(&self, line: &str, wait: Duration) {
        self.send(line.as_bytes().to_vec());
        let Some(queue) = &self.queue else {
            return;
        };
        let (done, written) = sync_channel(1);
        match queue.try_send(Message::Flush(done)) {
            Ok(()) => {
                let _ = written.recv_timeout(wait);
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
        }
    }
}

fn write_lines(lines: &Receiver<Message>, dropped: &AtomicU64) {
    let mut stderr = std::io::stderr();
    for message in lines {
        match message {
            Message::Line(line) => {
                if stderr.write_all(&line).is_err() {
                    dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
            Message::Flush(done) => {
                let _ = done.try_send(());
            }
        }
    }
}

/// One line being formatted; queued whole when dropped.
#[derive(Debug)]
pub struct Line<'a> {
    buffer: Vec<u8>,
    sink: &'a LogSink,
}

impl std::io::Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line<'_> {
    fn drop(&mut self) {
        if !self.buffer.is_empty() {
            self.sink.send(std::mem::take(&mut self.buffer));
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogSink {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            buffer: Vec::new(),
            sink: self,
        }
    }
}

/// A value from a request as a log line shows it: every control
/// character (C0, DEL, C1: a newline, a terminal's escape), a space, a
/// `"`, a `=` and a `\` escaped as `\u{..}`, so a value can neither start
/// a line, nor pass for another field, nor reach a terminal raw.
#[derive(Debug)]
pub struct Clean<'a>(pub &'a str);

impl core::fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use core::fmt::Write as _;
        for c in self.0.chars() {
            if c.is_control() || matches!(c, ' ' | '"' | '=' | '\\') {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed assumption is a failed test"
    )]
    use super::*;

    #[test]
    fn clean_escapes_what_could_forge_a_line_or_a_field() {
        assert_eq!(Clean("d-1").to_string(), "d-1");
        assert_eq!(
            Clean("a\nstatus=200 \u{1b}[2J\u{9b}\\\"").to_string(),
            "a\\u{a}status\\u{3d}200\\u{20}\\u{1b}[2J\\u{9b}\\u{5c}\\u{22}"
        );
        assert_eq!(Clean("é-ü").to_string(), "é-ü");
    }

    #[test]
    fn a_full_queue_drops_and_counts_instead_of_waiting() {
        let (queue, _lines) = sync_channel(1);
        let sink = LogSink {
            queue: Some(queue),
            dropped: Arc::new(AtomicU64::new(0)),
        };
        sink.send(b"one\n".to_vec());
        sink.send(b"two\n".to_vec());
        sink.send(b"three\n".to_vec());
        assert_eq!(sink.dropped(), 2);
        let gone = LogSink {
            queue: None,
            dropped: Arc::new(AtomicU64::new(0)),
        };
        {
            use std::io::Write as _;
            let mut line = tracing_subscriber::fmt::MakeWriter::make_writer(&gone);
            line.write_all(b"x\n").unwrap();
        }
        assert_eq!(gone.dropped(), 1);
        let started = std::time::Instant::now();
        sink.finish("last\n", Duration::from_millis(50));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
