"""Every page nanoctl prints about itself, byte for byte: the front page, the version, each
command's help page (both ways of asking), the completion scripts, and the words and exit
codes of the usage errors and refusals that need no credential, as text and as JSON.

The pages are in tests/golden/pages.txt, one block per command line, each written by the
real entry point in this process (tests/integration/in_process.py: the bytes a process
writes to a pipe). A change to any of
them is a change users see (and scripts parse): it shows here as a diff to review. After
an intended change, `NANOCTL_UPDATE_GOLDEN=1 ./scripts/test -k golden` rewrites the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.integration.in_process import run_nanoctl

GOLDEN = Path(__file__).parent.parent / "golden" / "pages.txt"
COMMANDS = (
    "login",
    "logout",
    "status",
    "whoami",
    "token",
    "exec",
    "api",
    "help",
    "completions",
    "list",
)
LINES: tuple[tuple[str, ...], ...] = (
    (),
    ("--help",),
    ("help",),
    ("list",),
    ("--version",),
    *(("help", name) for name in COMMANDS),
    *((name, "--help") for name in COMMANDS),
    *(("completions", shell) for shell in ("bash", "zsh", "fish")),
    ("completions", "tcsh"),
    ("logn",),
    ("logn", "--json"),
    ("--bogus",),
    ("login", "--bogus"),
    ("status", "--jsn"),
    ("login", "--token", "abc", "--token-file", "/nowhere"),
    ("login", "--import-legacy", "--token", "abc"),
    ("login", "-n"),
    ("login", "-n", "--json"),
    ("token", "--json"),
    ("status", "--all", "--api-url", "https://api.example.com"),
    ("status", "--offline"),
    ("status", "--offline", "--json"),
    ("status", "--profile", "Bad Name"),
    ("logout",),
    ("logout", "--json"),
    ("logout", "--all", "--json"),
    ("exec",),
    ("exec", "--", ""),
    ("--profile=", "status"),
    ("api",),
    ("api", "https://elsewhere.example.com/x"),
    ("api", "-H", "Authorization: Bearer x", "/login"),
    ("api", "-f", "serviceName=web", "--input", "-", "/deploy/b-1"),
)


def _page(args: tuple[str, ...], config_dir: str) -> str:
    result = run_nanoctl(*args, env={"NANOSERVICES_API_URL": None, "SHELL": "/bin/bash"})
    shown = " ".join(args) or "(bare)"

    def placed(text: str) -> str:
        return text.replace(config_dir, "<CONFIG_DIR>")

    return (
        f"=== nanoctl {shown}  (exit {result.exit_code})\n"
        f"--- stdout\n{placed(result.stdout)}--- stderr\n{placed(result.stderr)}"
    )


def test_every_page_is_byte_for_byte_what_it_was() -> None:
    config_dir = os.environ["NANOCTL_CONFIG_DIR"]
    pages = "".join(_page(args, config_dir) for args in LINES)
    if os.environ.get("NANOCTL_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(pages, encoding="utf-8")
    assert pages == GOLDEN.read_text(encoding="utf-8")
