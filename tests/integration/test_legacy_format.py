"""The old Node client's file format, against Node itself: a fixed vector recorded from
`node` (committed here, so the Python side is checked even where node is absent), the same
vector rebuilt by node when it is on PATH, and this machine's facts as Node reads them."""

from __future__ import annotations

import json
import os
import pwd
import socket
import subprocess

import pytest

from nanoctl.adapters.legacy.cipher import LegacyFormatError, decrypt, encrypt, legacy_key
from nanoctl.adapters.legacy.machine import MachineFacts, node_arch, node_platform
from tests.legacy_files import node_available, node_encrypt, python_encrypt

FACTS = MachineFacts(hostname="build-host", username="ada", arch="x64", platform="linux")
IV = bytes.fromhex("00112233445566778899aabbccddeeff")
TOKEN = "nano_legacy_vector_Qw7Er4Ty"
RECORDED = (
    b"00112233445566778899aabbccddeeff:7262641be6942699df75b2b2c2a9e421:"
    b"72c36c0306f219c9834b658fd5c711a3049820a488cd7ebda18efd"
)
"""`node` 20's output for FACTS, IV and TOKEN (tests/legacy_files.py NODE_WRITER)."""


def test_python_writes_and_reads_the_vector_recorded_from_node() -> None:
    key = legacy_key(FACTS)

    assert encrypt(TOKEN, key, IV) == RECORDED
    assert python_encrypt(TOKEN, FACTS, IV) == RECORDED
    assert decrypt(RECORDED, key) == TOKEN


def test_node_on_this_machine_writes_the_recorded_vector_when_present() -> None:
    # Where node is absent, the recorded vector above stands in for it.
    expected = node_encrypt(TOKEN, FACTS, IV) if node_available() else RECORDED

    assert expected == RECORDED


def test_a_file_node_wrote_with_this_machines_facts_opens_with_the_facts_python_reads() -> None:
    content = node_encrypt(TOKEN) if node_available() else python_encrypt(TOKEN)

    assert decrypt(content, legacy_key(MachineFacts.of_this_process())) == TOKEN


def test_this_machines_facts_are_the_ones_node_reports() -> None:
    if not node_available():  # what Node reads: the host name and the effective uid's entry
        facts = MachineFacts.of_this_process()
        assert (facts.hostname, facts.username) == (
            socket.gethostname(),
            pwd.getpwuid(os.geteuid()).pw_name,
        )
        return
    script = (
        "const os = require('os'); process.stdout.write(JSON.stringify("
        "[os.hostname(), os.userInfo().username, os.arch(), os.platform()]))"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, check=True, timeout=60)

    assert list(vars(MachineFacts.of_this_process()).values()) == json.loads(done.stdout)


@pytest.mark.parametrize(
    ("machine", "arch"),
    [
        ("x86_64", "x64"),
        ("AMD64", "x64"),
        ("aarch64", "arm64"),
        ("arm64", "arm64"),
        ("i686", "ia32"),
        ("armv7l", "arm"),
        ("ppc64le", "ppc64"),
        ("s390x", "s390x"),
    ],
)
def test_machine_names_become_nodes_arch_names(machine: str, arch: str) -> None:
    assert node_arch(machine) == arch


@pytest.mark.parametrize(
    ("platform", "node"), [("linux", "linux"), ("darwin", "darwin"), ("win32", "win32")]
)
def test_platforms_are_named_as_node_names_them(platform: str, node: str) -> None:
    assert node_platform(platform) == node


def test_another_host_name_gives_another_key_and_the_file_does_not_decrypt() -> None:
    renamed = MachineFacts("another-host", FACTS.username, FACTS.arch, FACTS.platform)

    with pytest.raises(LegacyFormatError) as failed:
        decrypt(RECORDED, legacy_key(renamed))

    assert failed.value.problem == "undecryptable"


@pytest.mark.parametrize(
    "content",
    [
        b"not hex at all",
        b"0011:2233",
        RECORDED.replace(b":", b"-"),
        b"0011:" + RECORDED.split(b":", 1)[1],  # an IV of 2 bytes
        RECORDED + b":00",
        b"zz" + RECORDED[2:],
    ],
)
def test_content_not_in_the_old_format_is_malformed(content: bytes) -> None:
    with pytest.raises(LegacyFormatError) as failed:
        decrypt(content, legacy_key(FACTS))

    assert failed.value.problem == "malformed"
    assert TOKEN not in str(failed.value)


def test_a_trailing_newline_is_accepted() -> None:
    assert decrypt(RECORDED + b"\n", legacy_key(FACTS)) == TOKEN
