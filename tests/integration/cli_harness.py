"""Run the installed `nanoctl` as a user does: in a subprocess, or in a pseudo-terminal.

Every run is echoed with ``print()`` so that pytest's capture holds it and the leak
sweep of tests/conftest.py scans it; every run also asserts on the spot that no token
(the ones the test names, plus every known one) shows up in what nanoctl printed. The one
exception is explicit: a `nanoctl token` run names the token it ``reveals`` on stdout,
which the echo masks (allow_reveal, without_reveal).
The environment is the test's ``os.environ`` (already isolated by tests/conftest.py)
plus the overrides a test passes; a ``None`` value removes a variable.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nanoctl.entrypoints.agent import AGENT_ENV, AGENT_VARIABLES
from reference_server import ReferenceServer
from tests import leaks
from tests.documented_exits import documented

NANOCTL = Path(sys.executable).parent / "nanoctl"
TIMEOUT = 60.0
ANSI = "\x1b["
TOKEN_PAGE = "https://atomic.deskree.com/auth/access/token"
TOKEN_INPUT = "Token (input hidden): "
"""Where the prompt waits for the token, saying that what is typed is not shown."""
PROMPT_LINE = (
    "Please provide the token for authentication. "
    "You can create it on https://atomic.deskree.com/auth/access/token"
)
# Which token a rejection names, and where the new one goes, by where the token came from.
FROM_FLAG = "the token from the --token option"
FROM_STDIN = "the token from standard input (--token -)"
FROM_ENV = "the token in NANOSERVICES_TOKEN"
FROM_TOKEN_FILE = "the token in the file given to --token-file"
FROM_ENV_FILE = "the token in the file named by NANOSERVICES_TOKEN_FILE"
TYPED = "the token you entered"
STORED_TOKEN = "the stored token"
LOG_IN_AGAIN = "and log in again."
UPDATE_ENV = "and update NANOSERVICES_TOKEN, or unset it."
UPDATE_CI_SECRET = "and update the CI secret that sets NANOSERVICES_TOKEN."
REPLACE_STORED = "and run `nanoctl login` to replace the stored one."
WRITE_TO_FILE = "and write it to that file."
UPDATE_ENV_FILE = "and write it to that file, or unset NANOSERVICES_TOKEN_FILE."
UPDATE_CI_FILE_SECRET = (
    "and update the CI secret written to the file NANOSERVICES_TOKEN_FILE names."
)


def invalid_line(token: str = FROM_FLAG, then: str = LOG_IN_AGAIN) -> str:
    """The error line of a token the API rejected as invalid (401)."""
    return f"Error: The API rejected {token} as invalid. Create a new token on {TOKEN_PAGE} {then}"


INVALID_LINE = invalid_line()
"""A --token VALUE the API rejected."""
HISTORY_WARNING = (
    "Warning: a token given on the command line can end up in your shell history and is "
    "visible in the process list. Prefer `--token -` (reads standard input) or "
    "NANOSERVICES_TOKEN."
)

Env = Mapping[str, str | None]
_SGR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Result:
    """What one run of nanoctl did."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def stdout_lines(self) -> list[str]:
        return self.stdout.splitlines()

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def environment(overrides: Env | None = None) -> dict[str, str]:
    """The test's environment with ``overrides`` applied (``None`` removes a variable).

    Never an agent's variable the test did not set itself (tests/conftest.py scrubs them
    too): the suite passes when a coding agent runs it."""
    agents = (*AGENT_VARIABLES, AGENT_ENV)
    env = {name: value for name, value in os.environ.items() if name not in agents}
    env.setdefault("LANG", "C.UTF-8")
    for name, value in (overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def secrets_of(given: Iterable[str]) -> list[str]:
    """The tokens a run must never print: ``given`` (registered with the leak sweep) and
    every known one."""
    wanted = [s for s in given if s.strip()]
    leaks.register(*wanted)
    return sorted(set(wanted) | leaks.known_tokens())


def _shown(args: Iterable[str], secrets: Iterable[str]) -> str:
    text = " ".join(args)
    for secret in sorted(secrets, key=len, reverse=True):  # a part never unmasks the rest
        text = text.replace(secret, "<token>")
    return text


def assert_no_secret(text: str, secrets: Iterable[str], where: str) -> None:
    found = [s for s in secrets if s in text]
    # Name the leak by length only: printing the token here would leak it again.
    assert not found, f"a token ({[len(s) for s in found]} chars) appeared in {where}"


def allow_reveal(args: Iterable[str], reveals: str | None) -> None:
    """The one opt-in from the leak check: `nanoctl token` prints the token by design.

    Only a `token` run may name the token it reveals, and only its stdout may carry it.
    """
    if reveals is None:
        return
    command = next((arg for arg in args if not arg.startswith("-")), None)
    assert command == "token", f"only `nanoctl token` may reveal a token, not {command!r}"
    leaks.register(reveals)


def without_reveal(text: str, reveals: str | None) -> str:
    """``text`` with the revealed token masked: what is checked for the other tokens and
    echoed into pytest's capture, which the leak sweep of tests/conftest.py scans."""
    return text if reveals is None else text.replace(reveals, "<revealed token>")


def run_nanoctl(
    *args: str,
    env: Env | None = None,
    stdin: str | bytes | None = None,
    secrets: Iterable[str] = (),
    timeout: float = TIMEOUT,
    command: Iterable[str] | None = None,
    reveals: str | None = None,
) -> Result:
    """Run ``nanoctl *args`` with pipes; ``stdin=None`` is /dev/null (no TTY, at EOF).

    ``secrets`` are the tokens this run must never print (the known ones are added).
    ``command`` replaces the executable, e.g. ``[sys.executable, "-m", "nanoctl"]``.
    ``reveals``: the token a `nanoctl token` run prints on stdout (allow_reveal); stderr
    and every other token stay under the full check.
    """
    allow_reveal(args, reveals)
    argv = [*(command or [str(NANOCTL)]), *args]
    tokens = secrets_of(secrets)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    started = time.monotonic()
    done = subprocess.run(
        argv,
        env=environment(env),
        input=data,
        stdin=subprocess.DEVNULL if data is None else None,
        capture_output=True,
        timeout=timeout,
        check=False,
        start_new_session=True,  # no controlling terminal: getpass cannot find /dev/tty
    )
    seconds = time.monotonic() - started
    result = Result(
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        seconds,
    )
    return checked(args, result, tokens, reveals)


def run_with_reader_gone(
    *args: str, env: Env | None = None, stdin: bytes | None = None
) -> tuple[int, str]:
    """``nanoctl *args | head -0``: stdout is a pipe whose reader closed before nanoctl
    writes (a write fails with EPIPE). Returns the exit code and stderr, echoed for the
    leak sweep; ``stdin=None`` is /dev/null."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(NANOCTL), *args],
            env=environment(env),
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    stderr = done.stderr.decode()
    print(f"$ nanoctl {' '.join(args)} | (gone)  (exit {done.returncode})\n[stderr]\n{stderr}[end]")
    return done.returncode, stderr


def checked(
    args: Iterable[str],
    result: Result,
    tokens: Iterable[str],
    reveals: str | None,
    how: str = "",
) -> Result:
    """``result`` echoed into pytest's capture (which the leak sweep of tests/conftest.py
    scans), once no token (but the one ``reveals`` names, on stdout) and no colour code was
    found in its output. ``how`` says how nanoctl ran, when not as a process."""
    tokens, args = list(tokens), list(args)
    shown_stdout = without_reveal(result.stdout, reveals)
    ran = f"exit {result.exit_code}, {result.seconds:.2f} s{f', {how}' if how else ''}"
    print(f"$ nanoctl {_shown(args, tokens)}  ({ran})")
    print(f"[stdout]\n{shown_stdout}[stderr]\n{result.stderr}[end]")
    assert_no_secret(shown_stdout, tokens, "stdout")
    assert_no_secret(result.stderr, tokens, "stderr")
    assert ANSI not in result.stdout + result.stderr, "colour codes written to a pipe"
    undocumented = documented(args, result.exit_code)
    assert undocumented is None, undocumented
    return result


@dataclass(frozen=True)
class PtyResult:
    exit_code: int
    transcript: str
    """Everything the terminal showed, with "\\r\\n" turned into "\\n"."""

    @property
    def lines(self) -> list[str]:
        """The lines the terminal shows at the end, without colour codes: a carriage return
        starts its line again and what follows overwrites it (the transient line of
        cli/progress.py, erased, is gone), as on the screen."""
        return screen(self.transcript)


def screen(transcript: str) -> list[str]:
    """The rows a terminal shows after ``transcript`` (colours aside)."""
    rows: list[str] = []
    for raw in _SGR.sub("", transcript).split("\n"):
        row: list[str] = []
        column = 0
        for char in raw:
            if char == "\r":
                column = 0
                continue
            row[column : column + 1] = [char]
            column += 1
        # the spaces an erased line left behind are no part of what is shown
        rows.append("".join(row).rstrip(" ") if "\r" in raw else "".join(row))
    return rows[:-1] if rows and not rows[-1] else rows


class PtySession:
    """``nanoctl`` in its own pseudo-terminal and session (pexpect), with a transcript.

    ``child`` is the pexpect child to ``expect``/``send`` on; ``finish()`` waits for the
    exit, echoes the transcript for the leak sweep and asserts no token was shown.
    """

    def __init__(
        self,
        *args: str,
        env: Env | None = None,
        secrets: Iterable[str] = (),
        preexec: Callable[[], object] | None = None,
        command: Iterable[str] | None = None,
        columns: int = 200,
        reveals: str | None = None,
    ) -> None:
        """``preexec`` runs in the child before nanoctl starts (e.g. to ignore a signal);
        ``command`` replaces the executable, as for run_nanoctl; ``columns`` is the
        terminal's width; ``reveals``: the token `nanoctl token --reveal` shows
        (allow_reveal)."""
        import pexpect

        allow_reveal(args, reveals)
        self._args = args
        self._own = command is None  # nanoctl itself, whose exit codes its pages list
        self._reveals = reveals
        self._secrets = secrets_of(secrets)
        self._log = io.StringIO()
        program, *before = [*(command or [str(NANOCTL)])]
        self.child: Any = pexpect.spawn(
            program,
            [*before, *args],
            env=environment(env),
            encoding="utf-8",
            timeout=20,
            dimensions=(24, columns),
            preexec_fn=preexec,
        )
        self.child.logfile_read = self._log

    def expect_exact(self, text: str) -> str:
        """Wait for ``text``; return what came before it (pty line ends normalised)."""
        self.child.expect_exact(text)
        return str(self.child.before).replace("\r\n", "\n")

    def finish(self) -> PtyResult:
        import pexpect

        self.child.expect(pexpect.EOF, timeout=TIMEOUT)
        self.child.close()
        status = self.child.exitstatus
        code = status if status is not None else -int(self.child.signalstatus)
        transcript = self._log.getvalue().replace("\r\n", "\n")
        shown = without_reveal(transcript, self._reveals)
        print(f"$ nanoctl {_shown(self._args, self._secrets)}  (pty, exit {code})")
        print(f"[terminal]\n{shown}[end]")
        assert_no_secret(shown, self._secrets, "the terminal")
        undocumented = documented(self._args, code) if self._own and code >= 0 else None
        assert undocumented is None, undocumented
        return PtyResult(code, transcript)


def login_interactively(token: str, env: Env | None = None) -> PtyResult:
    """`nanoctl login` typed into a terminal; asserts it succeeded (a credential is stored)."""
    session = PtySession("login", env=env, secrets=[token])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(token)
    result = session.finish()
    assert result.exit_code == 0, result.transcript
    return result


def store_credential(
    api_url: str,
    token: str,
    expires_at: datetime,
    username: str = "ada",
    *,
    profile: str = "default",
) -> None:
    """Arrange a stored credential as a prompt login leaves it, in-process, in ``profile``.

    It goes through the real encrypted store and file key store (the keyring is off in
    every test, as for the nanoctl runs), so nanoctl reads it like its own; it just
    skips a terminal session where the test is about what comes after the login.
    """
    from nanoctl.adapters.store.encrypted_store import EncryptedFileStore
    from nanoctl.adapters.store.keyring_keys import choose_key_store
    from nanoctl.domain.model import ApiUrl, Credential, Identity, Token
    from nanoctl.domain.origins import TokenOrigin

    directory = profile_dir(profile)
    store = EncryptedFileStore(directory, choose_key_store(directory, use_keyring=False))
    store.save(
        Credential(
            Token.parse(token, TokenOrigin.PROMPT),
            ApiUrl.parse(api_url),
            Identity(username, expires_at.replace(microsecond=0)),
            saved_at=datetime.now(UTC),
        )
    )


# --- expected text --------------------------------------------------------------------


def days_left(expires_at: datetime) -> int:
    """Whole days until ``expires_at``, a started day counting (29.9 days left is 30)."""
    seconds = (expires_at.replace(microsecond=0) - datetime.now(UTC)).total_seconds()
    return math.ceil(seconds / 86400)


def expiry(expires_at: datetime) -> str:
    """How nanoctl describes an expiry more than a day away: '2027-01-31 (in 30 days)'.

    ``expires_at`` is what the reference server sent (``server.after(days=...)``).
    """
    days = days_left(expires_at)
    return f"{expires_at.astimezone(UTC):%Y-%m-%d} (in {days} day{'s' if days != 1 else ''})"


def files_under(directory: Path) -> dict[str, bytes]:
    """Every regular file below ``directory`` with its bytes ({} when it does not exist)."""
    if not directory.exists():
        return {}
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def config_dir() -> Path:
    """Where nanoctl keeps the credential in this test (set by tests/conftest.py)."""
    return Path(os.environ["NANOCTL_CONFIG_DIR"])


def profile_dir(profile: str) -> Path:
    """The directory of a profile's store: the config dir for ``default``."""
    return config_dir() if profile == "default" else config_dir() / "profiles" / profile


# --- what the end-to-end tests expect -----------------------------------------------------

UNKNOWN = "nano_unknown_Vz3Qp8Lk"  # well-formed, but the API has never heard of it
NOT_STORED = "The token was not stored (run `nanoctl login` without --token to store one)."
INACTIVE_ENV_LINE = (
    "Error: The token in NANOSERVICES_TOKEN is no longer active (revoked or expired). "
    f"Create a new token on {TOKEN_PAGE} {UPDATE_ENV}"
)
FORBIDDEN_ENV_LINE = (
    "Error: The token in NANOSERVICES_TOKEN is valid but lacks permission to log in "
    "(HTTP 403). "
    f"Create a token with access to the platform on {TOKEN_PAGE} {UPDATE_ENV}"
)
NOT_LOGGED_IN_LINE = "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN."
MALFORMED_HINT = "Copy the whole token again; it is 1 to 4096 visible ASCII characters."
FLAG = "the --token option"
STDIN = "standard input (--token -)"
ENV = "NANOSERVICES_TOKEN"


def url_env(server: ReferenceServer, token: str | None = None) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN": token}


def credential_file() -> Path:
    return config_dir() / "credentials.json"


def key_file() -> Path:
    return config_dir() / "credentials.key"


def one_line(result: Result) -> str:
    """The one line on stderr (errors are exactly one line)."""
    assert len(result.stderr_lines) == 1, result.stderr
    return result.stderr_lines[0]


def authenticated_lines(server: ReferenceServer) -> list[str]:
    return [
        f"Authenticated as ada — token expires {expiry(server.after(days=30))}.",
        NOT_STORED,
    ]


def unreachable(url: str) -> str:
    return (
        f"Error: Could not reach the API at {url}: connection refused. "
        "Check your network; NANOSERVICES_API_URL or --api-url sets the API URL."
    )


def server_failed(url: str, status: int) -> str:
    return (
        f"Error: The API at {url} failed with HTTP {status}. "
        "This is a problem on the server side; try again in a few minutes."
    )
