"""The README's examples do not contradict each other (#19): every shell example that runs
nanoctl, in the order the README gives them, typed into one fresh shell at a real terminal
against two reference APIs (the production URL is API A on 127.0.0.1, dev's is API B on
127.0.0.2, the demo's 127.0.0.1:8765 is A too). Each command must do what its comment says:
exit with the code it names (`# exit 3`), else succeed.

The user's own programs the examples run (`./deploy.sh`, `node release.js`) are stand-ins
that check they were handed the token. A prompt gets a token typed in; a question to
replace a stored credential, or to import an old one, would be a contradiction: it fails
the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pexpect

import reference_server as api
from reference_server import ReferenceServer
from tests import leaks
from tests.integration.cli_harness import NANOCTL, TOKEN_INPUT, environment

README = Path(__file__).resolve().parents[2] / "README.md"
PRODUCTION = "https://runner.dac-us-east-1.deskree.com/public/deployment"
DEV = "https://runner-dev.dac-us-east-1.deskree.com/public/deployment"
DEMO = "http://127.0.0.1:8765/public/deployment"
DONE = re.compile(r"@@exit:(\d+)@@")
RUNS_NANOCTL = re.compile(r"(?:^|[\s|(;&])nanoctl\s")
EXIT = re.compile(r"#[^#]*\bexit (\d+)\b(?![/\d])")


@dataclass(frozen=True)
class Example:
    command: str
    """One command as the shell gets it (a pipeline may span lines)."""
    exit_code: int


def examples(readme: str) -> list[Example]:
    """Every command of every ```sh or ```console block that runs nanoctl, in order."""
    found: list[Example] = []
    for kind, body in re.findall(r"```(sh|console)\n(.*?)```", readme, flags=re.DOTALL):
        lines = body.splitlines()
        if kind == "console":
            lines = [line[2:] for line in lines if line.startswith("$ ")]
        commands: list[str] = []
        pending = ""
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            pending = f"{pending}\n{line}" if pending else line
            if not code_of(line).rstrip().endswith(("|", "\\")):
                commands.append(pending)
                pending = ""
        if any(RUNS_NANOCTL.search(code_of(command)) for command in commands):
            found += [Example(c, int(m.group(1)) if (m := EXIT.search(c)) else 0) for c in commands]
    return found


def code_of(line: str) -> str:
    """The line without its comment (the README's comments never hold a quoted `#`)."""
    return line.split(" #", 1)[0]


def test_the_readme_examples_run_in_order_in_one_shell(
    server: ReferenceServer, other_host_server: ReferenceServer, tmp_path: Path
) -> None:
    a, b = server, other_host_server
    found = examples(README.read_text(encoding="utf-8"))
    assert len(found) >= 18, [
        e.command for e in found
    ]  # Try it by hand, Status, Profiles, token/exec

    work, stubs = tmp_path / "work", tmp_path / "bin"
    work.mkdir()
    stubs.mkdir()
    handed = 'test -n "$NANOSERVICES_TOKEN"'
    programs = {
        work / "deploy.sh": f'#!/bin/sh\n{handed} && test -n "$NANOSERVICES_API_URL"\n',
        stubs / "node": f'#!/bin/sh\n{handed} && test -f "$1"\n',
    }
    for path, text in programs.items():
        path.write_text(text)
        path.chmod(0o755)
    (work / "release.js").write_text("// handed the token in NANOSERVICES_TOKEN\n")

    env = environment(
        {
            "PATH": f"{NANOCTL.parent}:{stubs}:/usr/bin:/bin",
            "TMPDIR": str(tmp_path),
            "NANOSERVICES_API_URL": None,
            "NANOCTL_CONFIG_DIR": None,
            "PS1": "",
            "PS2": "",
            "HISTFILE": "/dev/null",  # the README's commands hold the demo's tokens
        }
    )
    shell = pexpect.spawn(
        "bash", ["--norc", "--noprofile"], env=env, cwd=str(work), encoding="utf-8", timeout=60
    )
    transcript: list[str] = []
    failures: list[str] = []
    try:
        shell.sendline("PS1= PS2= PROMPT_COMMAND='echo \"@@exit:$?@@\"'")
        shell.expect(DONE)
        for example in found:
            command = (
                example.command.replace(DEMO, a.url).replace(PRODUCTION, a.url).replace(DEV, b.url)
            )
            code = run(shell, command, transcript)
            if code != example.exit_code:
                failures.append(
                    f"{example.command!r}: exit {code}, the README says {example.exit_code}"
                )
    finally:
        shell.close(force=True)
        print(masked("".join(transcript)))

    assert failures == []
    # what the Profiles example says it did: dev's credential went to dev's API, only there
    assert {r.bearer for r in b.requests} == {api.VALID_EMAIL}
    assert api.VALID_EMAIL not in {r.bearer for r in a.requests}


def run(shell: pexpect.spawn, command: str, transcript: list[str]) -> int:
    """Type ``command``, answer its prompt, and return its exit status."""
    for line in command.splitlines():
        shell.sendline(line)
    token = api.VALID_EMAIL if "--profile dev" in command else api.VALID
    while True:
        index = shell.expect([DONE, re.escape(TOKEN_INPUT), r"\[y/N\] ", r"\[Y/n\] "])
        transcript.append(f"{shell.before}{shell.after}")
        if index == 0:
            return int(shell.match.group(1))
        if index == 1:
            shell.sendline(token)
            continue
        shell.sendline("")  # keep, and let the exit code say what happened
        transcript.append("\n!!! a question the example does not expect\n")
        return -1


def masked(text: str) -> str:
    """The transcript for pytest's capture: the README's own tokens masked (the leak sweep
    scans it), line ends normalised."""
    for token in sorted(leaks.known_tokens(), key=len, reverse=True):
        text = text.replace(token, "<token>")
    return text.replace("\r\n", "\n")
