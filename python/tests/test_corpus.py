"""The conformance corpus through the Python package (docs/corpus.md): for
each revision, every witness `reinit-disk corpus` writes is decided by
`reinit_disk.evaluate` (and by a `World` built from it) exactly as the
corpus's `--expected` line says, and every exchange of `--format http` is
answered by `reinit_disk.respond` over the exchange's world with the
exchange's status, headers and body, byte for byte (with the corpus's
RequestId). tests/corpus.rs does the same in Rust, cli/tests/serve_corpus.rs
through `reinit-disk serve`, cli/tests/cli_corpus.rs through `eval --lines`."""

import json

import pytest

import reinit_disk


def corpus(cli, tmp_path, revision, *args):
    expected = tmp_path / f"{revision}.expected.jsonl"
    done = cli("corpus", "--revision", revision, "--expected", str(expected), *args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    want = [json.loads(line) for line in expected.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(want) >= 15
    return lines, want


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_python_decides_every_witness_as_the_corpus_expects(cli, tmp_path, revision):
    lines, want = corpus(cli, tmp_path, revision)
    for line, expected in zip(lines, want):
        scenario = json.loads(line)
        what = f"{revision}: {scenario['Description']}"
        assert reinit_disk.evaluate(line) == expected, what
        world = reinit_disk.World.from_scenario(scenario)
        assert world.evaluate(scenario["Request"]) == expected, what
    assert list(reinit_disk.evaluate_many(lines)) == want


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_python_answers_every_http_exchange_byte_for_byte(cli, tmp_path, revision):
    lines, want = corpus(cli, tmp_path, revision, "--format", "http")
    for line, expected in zip(lines, want):
        exchange = json.loads(line)
        what = f"{revision}: {exchange['Description']}"
        request, response = exchange["Request"], exchange["Response"]
        world = reinit_disk.World.from_scenario(exchange["World"])
        target = request["Path"] + ("?" + request["Query"] if request["Query"] else "")
        status, headers, body = reinit_disk.respond(
            world, request["Method"], target, request["Headers"], request["Body"].encode(),
            request_id=response["RequestId"],
        )
        assert status == response["Status"] == expected["HttpStatus"], what
        assert headers["Content-Type"] == response["ContentType"], what
        assert body == response["Body"].encode(), what
        assert (response["Code"], response["Message"]) == (expected["Code"], expected["Message"]), what


class _Capture:
    """An HTTP server on 127.0.0.1 that records each request and answers
    `{"RequestId": "X"}`: what the official SDK sends, seen on the wire."""

    def __init__(self):
        import http.server
        import threading

        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                             self.rfile.read(length)))
                body = b'{"RequestId":"X"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.addr = f"127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# The SDK's ReInitDiskRequest fields, by the parameter each sends.
SDK_FIELDS = {
    "AutoStartInstance": "auto_start_instance",
    "DiskId": "disk_id",
    "KeyPairName": "key_pair_name",
    "Password": "password",
    "SecurityEnhancementStrategy": "security_enhancement_strategy",
}


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_each_exchanges_request_is_what_the_official_sdk_sends(cli, tmp_path, revision):
    """The official SDK (alibabacloud_ecs20140526), given each exchange's
    parameters, sends exactly its method, path, query, body and headers. Two
    kinds of witness it cannot send: a `RegionId` (its ReInitDisk request has
    no such field) and another action (`x-acs-action` is ReInitDisk for
    `re_init_disk`); docs/corpus.md says so."""
    import urllib.parse

    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config

    lines, _ = corpus(cli, tmp_path, revision, "--format", "http")
    capture = _Capture()
    try:
        client = Client(Config(access_key_id="id", access_key_secret="secret", endpoint=capture.addr,
                               protocol="http", region_id="cn-hangzhou"))
        sent = unsendable = 0
        for line in lines:
            exchange = json.loads(line)
            request = exchange["Request"]
            params = urllib.parse.parse_qsl(request["Query"], keep_blank_values=True)
            if request["Headers"]["x-acs-action"] != "ReInitDisk" or any(n not in SDK_FIELDS for n, _ in params):
                assert request["Headers"]["x-acs-action"] != "ReInitDisk" or "RegionId" in dict(params)
                unsendable += 1
                continue
            # A boolean as the caller gives it to the SDK (a bool), whatever
            # its case in the query: the SDK writes it itself.
            fields = {SDK_FIELDS[n]: {"true": True, "false": False}.get(v.lower(), v)
                      if n == "AutoStartInstance" else v for n, v in params}
            client.re_init_disk(models.ReInitDiskRequest(**fields))
            method, target, headers, body = capture.seen[-1]
            what = f"{revision}: {exchange['Description']}"
            expected_target = request["Path"] + ("?" + request["Query"] if request["Query"] else "")
            assert (method, target, body) == (request["Method"], expected_target, request["Body"].encode()), what
            for name, value in request["Headers"].items():
                assert headers[name] == value, what
            sent += 1
        assert sent >= 15 and unsendable <= 2, (sent, unsendable)
    finally:
        capture.close()


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_the_harness_of_the_docs_replays_every_exchange_against_serve(cli, tmp_path, revision, capsys):
    """docs/corpus.md's harness, as written there, against `reinit-disk
    serve` (no keys, manual clock): no exchange differs."""
    from conftest import ROOT
    from test_serve_sdk import Server

    text = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
    block = text.split("### A harness against `reinit-disk serve`", 1)[1]
    block = block.split("```python\n", 1)[1].split("```", 1)[0]
    names = {}
    exec(block, names)
    lines, _ = corpus(cli, tmp_path, revision, "--format", "http")
    exchanges = tmp_path / "exchanges.jsonl"
    exchanges.write_text("\n".join(lines) + "\n", encoding="utf-8")
    server = Server(keys=False)
    try:
        failures = names["replay"](str(exchanges), f"http://{server.addr}")
    finally:
        server.close()
    assert failures == 0, capsys.readouterr().out
