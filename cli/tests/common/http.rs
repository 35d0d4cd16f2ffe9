//! A `reinit-disk serve` started for a test, on 127.0.0.1 with a free port
//! and a manual clock, and the small HTTP/1.1 client of
//! tests/common/client.rs to talk to it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub use reinit_disk_testkit::client::{Client, Reply};

/// A server process; stopped when dropped. Its log (standard error) is
/// read as it comes, so that a full pipe never stalls it.
pub struct Server {
    pub child: Child,
    pub addr: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// `reinit-disk serve --addr 127.0.0.1:0 --manual-clock ARGS`.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
            .args(["serve", "--addr", "127.0.0.1:0", "--manual-clock"])
            .args(args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line.trim().to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "first line: {line:?}");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let sink = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Self { child, addr, log }
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// A new connection.
    pub fn connect(&self) -> Client {
        Client::connect(&self.addr)
    }

    /// One request on a new connection.
    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        self.connect().send(method, target, headers, body)
    }

    /// `GET /?QUERY`.
    pub fn get(&self, query: &str) -> Reply {
        self.request("GET", &format!("/?{query}"), &[], b"")
    }

    /// Moves the clock by `seconds`.
    pub fn advance(&self, seconds: f64) {
        let reply = self.request(
            "POST",
            &format!("/_reinit-disk/clock?advance={seconds}"),
            &[],
            b"",
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        assert!(self.send_term().unwrap().success());
    }

    /// Sends SIGTERM (with `kill`), telling how that went.
    fn send_term(&self) -> std::io::Result<std::process::ExitStatus> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
    }
}

impl Drop for Server {
    /// SIGTERM first, so that the server shuts down as it would in use and
    /// exits by itself (an instrumented build then writes its coverage
    /// profile: scripts/coverage.sh counts the server's code); SIGKILL if
    /// it is still running 5 s later.
    fn drop(&mut self) {
        let _ = self.send_term();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
