"""Nothing `nanoctl api` shows holds the token (#24), even when the API sends it back: the body
is masked as it streams, across chunk boundaries, in the encoding the response declares, for
every body not declared binary; a body declared binary passes byte for byte. Against the
reference server's /echo (the request, Authorization included) and /stream, in-process."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

import reference_server as ref
from reference_api import stream_pieces
from reference_server import ReferenceServer
from tests.integration.cli_harness import environment, url_env
from tests.integration.in_process import run_main, run_nanoctl

TOKEN = ref.VALID


def raw(server: ReferenceServer, *args: str) -> tuple[int, bytes, bytes]:
    """`nanoctl api ARGS` in-process, its stdout as bytes (not echoed: a test of a binary
    body expects the token in it; every test here checks its bytes itself)."""
    code, out, err = run_main(["api", *args], environment(url_env(server, TOKEN)), None)
    assert TOKEN.encode() not in err
    return code, out, err


def forms_in(data: bytes, codec: str = "ascii") -> list[str]:
    """The token's recognisable forms found in ``data`` read in ``codec``."""
    text = data.decode(codec, "replace")
    forms = [TOKEN, quote(TOKEN, safe=""), json.dumps(TOKEN)[1:-1]]
    forms += [base64.b64encode(TOKEN.encode()).decode()[:-4]]
    return [form for form in forms if form in text]


@pytest.mark.parametrize(
    "charset", ["utf-8", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]
)
def test_an_echoed_token_is_masked_in_the_charset_the_answer_declares(
    server: ReferenceServer, charset: str
) -> None:
    code, out, _ = raw(server, f"/echo?charset={charset}")

    assert code == 0
    assert forms_in(out, charset) == []
    echoed = json.loads(out.decode(charset))
    assert echoed["headers"]["Authorization"] == "Bearer ***"
    assert echoed["method"] == "GET"  # the rest of the body is intact


@pytest.mark.parametrize("size", [1, 2, 3, 7, 13])
def test_a_token_split_across_the_pieces_of_the_body_is_masked(
    server: ReferenceServer, size: int
) -> None:
    result = run_nanoctl("api", f"/echo?split={size}", env=url_env(server, TOKEN))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["headers"]["Authorization"] == "Bearer ***"


def test_a_body_without_a_content_type_is_masked(server: ReferenceServer) -> None:
    code, out, _ = raw(server, "/echo?type=")
    assert code == 0
    assert b"Bearer ***" in out
    assert forms_in(out) == []


@pytest.mark.parametrize(
    "declared", ["text/plain", "text/html", "application/xml", "image/svg+xml"]
)
def test_a_text_body_of_any_kind_is_masked(server: ReferenceServer, declared: str) -> None:
    code, out, _ = raw(server, f"/echo?type={quote(declared)}")
    assert (code, forms_in(out)) == (0, [])


@pytest.mark.parametrize(
    "declared", ["application/octet-stream", "image/png", "application/zip", "application/gzip"]
)
def test_a_body_declared_binary_passes_byte_for_byte(
    server: ReferenceServer, declared: str
) -> None:
    code, out, _ = raw(server, f"/echo?type={quote(declared)}")
    assert code == 0
    assert f'"Authorization": "Bearer {TOKEN}"'.encode() in out  # as the API sent it


def test_the_token_inside_a_streamed_binary_body_passes_and_in_text_is_masked(
    server: ReferenceServer,
) -> None:
    for kind, binary in (("binary", True), ("text", False)):
        code, out, _ = raw(server, f"/stream?size=300000&kind={kind}&chunk=1000&token_every=997")
        sent = b"".join(
            stream_pieces(300_000, binary=binary, chunk=1000, token=TOKEN.encode(), every=997)
        )
        assert code == 0
        assert out == (sent if binary else sent.replace(TOKEN.encode(), b"***")), kind


def test_the_headers_of_include_are_masked_and_the_location_hidden(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    result = run_nanoctl("api", "-i", "/echo?header=1", env=url_env(server, TOKEN))
    assert "X-Echoed-Authorization: Bearer ***" in result.stdout_lines
    server.redirect_origin = other_host_server.origin
    redirected = run_nanoctl("api", "-i", "/redirect", env=url_env(server, TOKEN))
    assert f"Location: {other_host_server.origin}/***?***" in redirected.stdout_lines
    assert redirected.exit_code == 4


def test_the_forms_of_the_token_are_masked_wherever_they_appear(server: ReferenceServer) -> None:
    """The path the echo sends back holds the token URL-encoded, as a query would."""
    encoded = quote(f"a/{TOKEN}", safe="")
    result = run_nanoctl("api", f"/echo?x={encoded}", "-v", env=url_env(server, TOKEN))
    echoed = json.loads(result.stdout)
    assert echoed["query"] == "x=a%2F***"
    assert TOKEN not in result.stderr
