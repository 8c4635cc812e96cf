"""An API URL with credentials, a query or a fragment is refused (exit 2), and every output
of the installed `nanoctl` shows it masked: the error line, -v, the -vvv traceback, --json.

A URL's userinfo or query is where a password or an API key goes (`https://ci:pw@host`,
`?key=...`); echoing it back would print a secret the user never meant to show.
"""

from __future__ import annotations

import json

import pytest

from reference_server import ReferenceServer
from tests.integration.in_process import run_nanoctl

PASSWORD = "pw_Hunter2_Zx9Lq"
KEY = "key_Qm4Rt8Wn2Vc"
CAUSE = "it must not carry a query, fragment or credentials"
NEXT = (
    "Pass a full URL such as https://api.example.com/base with --api-url or NANOSERVICES_API_URL."
)


def urls(server: ReferenceServer) -> list[tuple[str, str]]:
    """(the URL given, how nanoctl must show it)."""
    base = f"127.0.0.1:{server.port}/public/deployment"
    return [
        (f"http://ci:{PASSWORD}@{base}", f"http://***@{base}"),
        (f"http://{PASSWORD}@{base}", f"http://***@{base}"),
        (f"http://{base}?key={KEY}", f"http://{base}?***"),
        (f"http://{base}#{KEY}", f"http://{base}#***"),
        (f"http://ci:{PASSWORD}@{base}?key={KEY}", f"http://***@{base}?***"),
    ]


@pytest.mark.parametrize("case", range(5))
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("status",), id="status"),
        pytest.param(("status", "-v"), id="status -v"),
        pytest.param(("status", "-vvv"), id="status -vvv"),
        pytest.param(("login", "--token", "-"), id="login --token -"),
    ],
)
def test_a_url_with_secrets_is_refused_and_shown_masked(
    server: ReferenceServer, case: int, args: tuple[str, ...]
) -> None:
    given, shown = urls(server)[case]

    result = run_nanoctl(
        *args,
        env={"NANOSERVICES_API_URL": given},
        stdin="nano_valid_ada_7Kq2xR9mZ4\n",
        secrets=[PASSWORD, KEY],
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    want = f"Error: The API URL '{shown}' is not usable: {CAUSE}. {NEXT}"
    assert result.stderr_lines[-1] == want
    if "-vvv" in args:
        assert "Traceback (most recent call last):" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize("option", ["--api-url", "NANOSERVICES_API_URL"])
def test_json_shows_the_url_masked_too(server: ReferenceServer, option: str) -> None:
    given, shown = urls(server)[4]
    via_option = option == "--api-url"

    result = run_nanoctl(
        "status",
        "--json",
        *((option, given) if via_option else ()),
        env={} if via_option else {"NANOSERVICES_API_URL": given},
        secrets=[PASSWORD, KEY],
    )

    assert result.exit_code == 2
    document = json.loads(result.stdout)  # stdout is always one object (#10 item 15)
    assert (document["logged_in"], document["api_url"]) == (False, None)
    (line,) = result.stderr_lines
    assert document["error"] == json.loads(line)["error"]["kind"]
    assert json.loads(line) == {
        "error": {
            "code": 2,
            "kind": "invalid_api_url",
            "message": f"The API URL '{shown}' is not usable: {CAUSE}. {NEXT}",
        }
    }


def test_a_url_too_broken_to_parse_is_masked_as_well(server: ReferenceServer) -> None:
    given = f"http://ci:{PASSWORD}@127.0.0.1:port/x?key={KEY}"

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": given}, secrets=[PASSWORD, KEY])

    assert result.exit_code == 2
    assert result.stderr_lines == [
        "Error: The API URL 'http://***@127.0.0.1:port/x?***' is not usable: "
        f"it cannot be parsed. {NEXT}"
    ]
