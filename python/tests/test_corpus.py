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
