//! A small HTTP/1.1 client: keep-alive, reads and writes bounded by a
//! timeout, a body read by its Content-Length. Shared by the serve tests
//! (tests/common/http.rs) and the HTTP benchmark (benches/http.rs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A keep-alive connection.
pub struct Client {
    pub stream: TcpStream,
    reader: BufReader<TcpStream>,
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The size of each chunk of a `Transfer-Encoding: chunked` body, in
    /// order, the last (empty) one left out; empty for a body read by its
    /// `Content-Length`.
    pub chunks: Vec<usize>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl Client {
    /// A new keep-alive connection to `addr`, reads and writes bounded by
    /// 20 seconds each.
    pub fn connect(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Self {
            reader: BufReader::new(stream.try_clone().unwrap()),
            stream,
        }
    }

    pub fn send(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.stream.write_all(head.as_bytes()).unwrap();
        self.stream.write_all(body).unwrap();
        self.read_reply()
    }

    /// A `Transfer-Encoding: chunked` body, to its last (empty) chunk;
    /// panics on a body cut short, which is what a test should see.
    fn read_chunked(&mut self, chunks: &mut Vec<usize>) -> Vec<u8> {
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            self.reader.read_line(&mut size).unwrap();
            let size = size.trim_end();
            let size = usize::from_str_radix(size.split(';').next().unwrap_or(size), 16)
                .unwrap_or_else(|_| panic!("a chunk size, found {size:?} (the body was cut)"));
            assert!(body.len() + size < 256 << 20, "a body over 256 MiB");
            let start = body.len();
            body.resize(start + size, 0);
            self.reader.read_exact(&mut body[start..]).unwrap();
            let mut end = String::new();
            self.reader.read_line(&mut end).unwrap();
            assert_eq!(end, "\r\n", "a chunk's end");
            if size == 0 {
                return body;
            }
            chunks.push(size);
        }
    }

    pub fn read_reply(&mut self) -> Reply {
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).unwrap();
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("status line {status_line:?}"))
            .parse()
            .unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let chunked = headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
        });
        let mut chunks = Vec::new();
        let body = if chunked {
            self.read_chunked(&mut chunks)
        } else {
            let length: usize = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.parse().unwrap())
                .expect("a Content-Length or chunks");
            assert!(length < 16 << 20, "a body of {length} bytes");
            let mut body = vec![0; length];
            self.reader.read_exact(&mut body).unwrap();
            body
        };
        Reply {
            status,
            headers,
            chunks,
            body: String::from_utf8(body).unwrap(),
        }
    }
}
