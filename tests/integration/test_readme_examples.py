"""The README's examples do what they say (#19, #23): every shell example that runs nanoctl,
in the order the README gives them, typed into one fresh shell at a real terminal against
two reference APIs; DEVELOPMENT.md's alike, in a shell of their own; and the README's quick
start as written, alone, in a fresh shell. Each command must do what its comment says: exit
with the code it names (`# exit 3`), else succeed. And the README reads in a terminal of
120 columns: no line outside its code blocks is wider.

The production API is the reference server A on 127.0.0.1: a command that names its URL
gets A's, and a block that names no other API runs with NANOSERVICES_API_URL pointing at A,
as a user's commands without a URL reach production. dev's API is B on 127.0.0.2, the
demo's 127.0.0.1:8765 is A too. The user's own programs the examples run (`./deploy.sh`,
`node release.js`) are stand-ins that check they were handed the token; a CI secret
(`$NANO_TOKEN`) holds a valid token. A prompt gets a token typed in; a question to replace
a stored credential, or to import an old one, would be a contradiction: it fails the test.
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

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DEVELOPMENT = ROOT / "DEVELOPMENT.md"
PRODUCTION = "https://runner.dac-us-east-1.deskree.com/public/deployment"
DEV = "https://runner-dev.dac-us-east-1.deskree.com/public/deployment"
DEMO = "http://127.0.0.1:8765/public/deployment"
DONE = re.compile(r"@@exit:(\d+)@@")
RUNS_NANOCTL = re.compile(r"(?:^|[\s|(;&])nanoctl\s")
EXIT = re.compile(r"#[^#]*\bexit (\d+)\b(?![/\d])")
MAX_WIDTH = 120


@dataclass(frozen=True)
class Example:
    command: str
    """One command as the shell gets it (a pipeline may span lines)."""
    exit_code: int


@dataclass(frozen=True)
class Block:
    heading: str
    """The section the block is in (its last `#` heading)."""
    examples: list[Example]

    @property
    def names_another_api(self) -> bool:
        return any(url in e.command for e in self.examples for url in (DEV, DEMO, "$dev"))


def blocks(text: str) -> list[Block]:
    """Every ```sh or ```console block that runs nanoctl, in order, with its commands."""
    found: list[Block] = []
    pattern = re.compile(r"^(#+ [^\n]*)$|^```(\w*)\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
    heading = ""
    for match in pattern.finditer(text):
        if match.group(1):
            heading = match.group(1)
            continue
        kind, body = match.group(2), match.group(3)
        if kind not in ("sh", "console"):
            continue
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
            examples = [
                Example(c, int(m.group(1)) if (m := EXIT.search(c)) else 0) for c in commands
            ]
            found.append(Block(heading, examples))
    return found


def code_of(line: str) -> str:
    """The line without its comment (the README's comments never hold a quoted `#`)."""
    return line.split(" #", 1)[0]


class Shell:
    """A fresh bash at a real terminal, in ``work``, with the stand-ins on PATH."""

    def __init__(self, tmp_path: Path, a: ReferenceServer, b: ReferenceServer) -> None:
        self.a, self.b = a, b
        self.work, stubs = tmp_path / "work", tmp_path / "bin"
        self.work.mkdir()
        stubs.mkdir()
        handed = 'test -n "$NANOSERVICES_TOKEN"'
        programs = {
            self.work / "deploy.sh": f'#!/bin/sh\n{handed} && test -n "$NANOSERVICES_API_URL"\n',
            stubs / "node": f'#!/bin/sh\n{handed} && test -f "$1"\n',
        }
        for path, text in programs.items():
            path.write_text(text)
            path.chmod(0o755)
        (self.work / "release.js").write_text("// handed the token in NANOSERVICES_TOKEN\n")
        env = environment(
            {
                "PATH": f"{NANOCTL.parent}:{stubs}:/usr/bin:/bin",
                "TMPDIR": str(tmp_path),
                "NANOSERVICES_API_URL": None,
                "NANOCTL_CONFIG_DIR": None,
                "NANO_TOKEN": api.VALID,  # a CI secret, as the quick start's CI line reads it
                "PS1": "",
                "PS2": "",
                "HISTFILE": "/dev/null",  # the README's commands hold the demo's tokens
            }
        )
        self.child = pexpect.spawn(
            "bash",
            ["--norc", "--noprofile"],
            env=env,
            cwd=str(self.work),
            encoding="utf-8",
            timeout=60,
        )
        self.transcript: list[str] = []
        self.child.sendline("PS1= PS2= PROMPT_COMMAND='echo \"@@exit:$?@@\"'")
        self.child.expect(DONE)

    def run_blocks(self, found: list[Block]) -> list[str]:
        """Each block's commands in order; the failures, as the README would be wrong."""
        failures: list[str] = []
        for block in found:
            production = not block.names_another_api
            if production:
                self.run(f"export NANOSERVICES_API_URL={self.a.url}")
            for example in block.examples:
                command = (
                    example.command.replace(DEMO, self.a.url)
                    .replace(PRODUCTION, self.a.url)
                    .replace(DEV, self.b.url)
                )
                code = self.run(command)
                if code != example.exit_code:
                    failures.append(
                        f"{block.heading}: {example.command!r}: exit {code}, "
                        f"the README says {example.exit_code}"
                    )
            if production:
                self.run("unset NANOSERVICES_API_URL")
        return failures

    def run(self, command: str) -> int:
        """Type ``command``, answer its prompt, and return its exit status."""
        for line in command.splitlines():
            self.child.sendline(line)
        token = api.VALID_EMAIL if "--profile dev" in command else api.VALID
        while True:
            index = self.child.expect([DONE, re.escape(TOKEN_INPUT), r"\[y/N\] ", r"\[Y/n\] "])
            self.transcript.append(f"{self.child.before}{self.child.after}")
            if index == 0:
                return int(self.child.match.group(1))
            if index == 1:
                self.child.sendline(token)
                continue
            self.child.sendline("")  # keep, and let the exit code say what happened
            self.transcript.append("\n!!! a question the example does not expect\n")
            return -1

    def close(self) -> None:
        self.child.close(force=True)
        print(masked("".join(self.transcript)))


def test_the_readme_examples_run_in_order_in_one_shell(
    server: ReferenceServer, other_host_server: ReferenceServer, tmp_path: Path
) -> None:
    found = blocks(README.read_text(encoding="utf-8"))
    count = sum(len(block.examples) for block in found)
    assert count >= 20, [e.command for block in found for e in block.examples]

    shell = Shell(tmp_path, server, other_host_server)
    try:
        failures = shell.run_blocks(found)
    finally:
        shell.close()

    assert failures == []
    # what the Profiles example says it did: dev's credential went to dev's API, only there
    assert {r.bearer for r in other_host_server.requests} == {api.VALID_EMAIL}
    assert api.VALID_EMAIL not in {r.bearer for r in server.requests}


def test_the_quick_start_runs_as_written_in_a_fresh_shell(
    server: ReferenceServer, other_host_server: ReferenceServer, tmp_path: Path
) -> None:
    """Logged in, shown, used, logged out, and the CI line: each command as the README
    writes it, the production API being the reference server."""
    [quick_start] = [b for b in blocks(README.read_text(encoding="utf-8")) if "Quick" in b.heading]
    commands = [example.command for example in quick_start.examples]
    assert len(commands) <= 10
    assert [c.split()[:2] for c in commands[:4]] == [
        ["nanoctl", "login"],
        ["nanoctl", "status"],
        ["nanoctl", "api"],
        ["nanoctl", "logout"],
    ]
    assert commands[-1].startswith('NANOSERVICES_TOKEN="$NANO_TOKEN" nanoctl ')

    shell = Shell(tmp_path, server, other_host_server)
    try:
        failures = shell.run_blocks([quick_start])
    finally:
        shell.close()

    assert failures == []
    assert [r.bearer for r in server.requests].count(api.VALID) >= 4  # each command asked A
    assert not (shell.work.parent / "home" / ".config" / "nanoctl" / "credentials.json").exists()


def test_the_development_examples_run_in_order_in_one_shell(
    server: ReferenceServer, other_host_server: ReferenceServer, tmp_path: Path
) -> None:
    found = blocks(DEVELOPMENT.read_text(encoding="utf-8"))
    assert sum(len(block.examples) for block in found) >= 6

    shell = Shell(tmp_path, server, other_host_server)
    try:
        failures = shell.run_blocks(found)
    finally:
        shell.close()

    assert failures == []


def test_the_readme_reads_in_120_columns_outside_its_code_blocks() -> None:
    inside = False
    too_wide: list[str] = []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            inside = not inside
        elif not inside and len(line) > MAX_WIDTH:
            too_wide.append(f"README.md:{number}: {len(line)} characters")
    assert too_wide == []


def test_the_readme_starts_with_what_nanoctl_is_then_the_two_commands_of_a_fresh_clone() -> None:
    text = README.read_text(encoding="utf-8")
    before_code, _, rest = text.partition("```sh\n")
    first_block = rest.split("```", 1)[0]

    assert before_code.startswith("# nanoctl\n\n`nanoctl` is the command-line client")
    assert len([line for line in before_code.splitlines()[2:] if line.strip()]) == 3
    assert [line.split()[0] for line in first_block.splitlines()] == [
        "./scripts/demo",
        "./scripts/test",
    ]
    assert "[DEVELOPMENT.md](DEVELOPMENT.md)" in text.split("## ", 1)[0]
    assert "gnome-keyring" in text.split("## ", 1)[0]  # what scripts/system-deps.sh installs


def masked(text: str) -> str:
    """The transcript for pytest's capture: the README's own tokens masked (the leak sweep
    scans it), line ends normalised."""
    for token in sorted(leaks.known_tokens(), key=len, reverse=True):
        text = text.replace(token, "<token>")
    return text.replace("\r\n", "\n")


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a document's headings."""
    found = set()
    for heading in re.findall(r"^#+ (.*)$", re.sub(r"```.*?```", "", text, flags=re.DOTALL), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_every_link_between_the_two_documents_leads_somewhere() -> None:
    texts = {path.name: path.read_text(encoding="utf-8") for path in (README, DEVELOPMENT)}
    broken = [
        f"{name}: ({target}#{anchor})"
        for name, text in texts.items()
        for target, anchor in re.findall(r"\]\(([\w.]*)#([\w-]+)\)", text)
        if anchor not in anchors(texts[target or name])
    ]
    assert broken == []
