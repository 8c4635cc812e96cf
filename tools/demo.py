"""The demo: what a user sees from nanoctl, against the reference API on 127.0.0.1.

Starts tools/reference_server.py, then runs the installed `nanoctl` for each way of
logging in, status, handing the token to other tools (token, exec) and logout, in a
throwaway HOME. Tokens are shown masked here; nanoctl prints one only when `nanoctl token`
is asked for it, on a pipe.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import reference_server as api

BOLD, DIM, RESET = ("\x1b[1m", "\x1b[2m", "\x1b[0m") if sys.stdout.isatty() else ("", "", "")


def main() -> int:
    nanoctl = shutil.which("nanoctl")
    if nanoctl is None:
        print("nanoctl is not installed in this environment; run scripts/demo", file=sys.stderr)
        return 1
    with (
        tempfile.TemporaryDirectory(prefix="nanoctl-demo-") as home,
        api.ReferenceServer() as server,
    ):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": home,
            "NANOCTL_CONFIG_DIR": str(Path(home) / "config"),
            "NANOCTL_KEYRING": "0",
            "NANOSERVICES_API_URL": server.url,
            "NO_PROXY": "127.0.0.1",
            "LANG": "C.UTF-8",
        }
        print(f"{BOLD}Reference API listening on {server.url}{RESET}\n")

        def run(
            title: str,
            args: list[str],
            *,
            extra: dict[str, str] | None = None,
            stdin: str | None = None,
            shown: str | None = None,
        ) -> None:
            print(f"{BOLD}# {title}{RESET}")
            print(f"$ {shown or 'nanoctl ' + ' '.join(args)}")
            done = subprocess.run(
                [nanoctl, *args],
                env={**env, **(extra or {})},
                input=stdin,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            for line in done.stdout.replace(api.VALID, masked).splitlines():
                print(f"  {line}")
            for line in done.stderr.splitlines():
                print(f"  {DIM}[stderr]{RESET} {line}")
            print(f"  {DIM}(exit {done.returncode}){RESET}\n")

        masked = "nano_valid_ada_****"
        run(
            "1. Environment variable: silent on success, never stored",
            ["login"],
            extra={"NANOSERVICES_TOKEN": api.VALID},
            shown=f"NANOSERVICES_TOKEN={masked} nanoctl login",
        )
        run(
            "2. Token flag: shows the result, warns about shell history, never stored",
            ["login", "--token", api.VALID],
            shown=f"nanoctl login --token {masked}",
        )
        run(
            "2b. Token from standard input: stays out of history and the process list",
            ["login", "--token", "-"],
            stdin=api.VALID + "\n",
            shown="printf '%s\\n' \"$TOKEN\" | nanoctl login --token -",
        )
        run(
            "3. Interactive prompt without a terminal fails at once (never hangs)",
            ["login"],
            stdin="",
        )
        prompt_login(nanoctl, env)
        run("Status: who, which source, which API, until when", ["status"])
        run("Status as JSON, for scripts", ["status", "--json"])
        run(
            "The token for another tool, as a header line for `curl -H @-` (masked here)",
            ["token", "--header"],
            shown="nanoctl token --header | curl -H @- …",
        )
        run(
            "A program run with the token in its environment, never in its command line",
            ["exec", "--", "sh", "-c", _SEES],
            shown=f"nanoctl exec -- sh -c '{_SEES}'",
        )
        run(
            "A rejected token: one line, the cause and the next step",
            ["login", "-t", "-"],
            stdin="nano_not_a_real_token\n",
            shown="echo $WRONG | nanoctl login -t -",
        )
        run("Logout removes the stored credential", ["logout"])
        run("Logout again: nothing to do, still exit 0", ["logout"])
        run("Status when logged out", ["status"])
    return 0


_SEES = 'echo "a token of ${#NANOSERVICES_TOKEN} characters for $NANOSERVICES_API_URL"'


def prompt_login(nanoctl: str, env: dict[str, str]) -> None:
    """The interactive login, typed into a real pseudo-terminal."""
    print(f"{BOLD}# 3b. Interactive prompt in a terminal: hidden input, stored encrypted{RESET}")
    print("$ nanoctl login")
    try:
        import pexpect
    except ImportError:
        print("  (pexpect is not installed: skipped)\n")
        return
    colour = {} if sys.stdout.isatty() else {"NO_COLOR": "1"}
    child = pexpect.spawn(nanoctl, ["login"], env={**env, **colour}, encoding="utf-8", timeout=30)
    child.expect_exact("Token (input hidden): ")
    print("  " + child.before.strip().replace("\n", "\n  ") + "\n  Token (input hidden): ", end="")
    child.sendline(api.VALID)
    child.expect(pexpect.EOF)
    child.close()
    print("(typed, not echoed)")
    for line in (child.before or "").strip().splitlines():
        print(f"  {line.strip()}")
    print(f"  {DIM}(exit {child.exitstatus}){RESET}\n")


if __name__ == "__main__":
    sys.exit(main())
