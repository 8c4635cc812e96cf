"""Token files of the old Node nanoctl, made in the real format: by Node itself
(crypto.scryptSync and aes-256-gcm, os.hostname() and friends) when `node` is on PATH,
else with `cryptography` (tests/integration/test_legacy_format.py proves both agree)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from nanoctl.adapters.legacy.cipher import encrypt, legacy_key
from nanoctl.adapters.legacy.machine import MachineFacts
from tests import leaks

LOCATIONS = (".nanoctl", ".blok", ".blokctl")

NODE_WRITER = r"""
const crypto = require('crypto');
const os = require('os');
const [token, host, user, arch, platform, ivHex] = process.argv.slice(1);
const facts = [host || os.hostname(), user || os.userInfo().username,
               arch || os.arch(), platform || os.platform()];
const password = facts[0] + crypto.createHash('sha256')
  .update(facts[1] + facts[2] + facts[3]).digest('hex');
const key = crypto.scryptSync(password, 'salt', 32, { N: 16384, r: 8, p: 1 });
const iv = ivHex ? Buffer.from(ivHex, 'hex') : crypto.randomBytes(16);
const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
process.stdout.write(iv.toString('hex') + ':' + cipher.getAuthTag().toString('hex') + ':'
  + sealed.toString('hex'));
"""


def node_available() -> bool:
    return shutil.which("node") is not None


def node_encrypt(token: str, facts: MachineFacts | None = None, iv: bytes | None = None) -> bytes:
    """What the old client writes for ``token``; ``facts`` None: this machine's, as Node
    reads them."""
    given = (facts.hostname, facts.username, facts.arch, facts.platform) if facts else ("",) * 4
    done = subprocess.run(
        ["node", "-e", NODE_WRITER, token, *given, iv.hex() if iv else ""],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def python_encrypt(token: str, facts: MachineFacts | None = None, iv: bytes | None = None) -> bytes:
    key = legacy_key(facts or MachineFacts.of_this_process())
    return encrypt(token, key, iv or os.urandom(16))


def legacy_content(token: str, facts: MachineFacts | None = None) -> bytes:
    """The file's bytes, by Node when it is there."""
    leaks.register(token)
    return node_encrypt(token, facts) if node_available() else python_encrypt(token, facts)


def legacy_path(home: Path, location: str = ".nanoctl") -> Path:
    return home / location / "token" / "token.enc"


def write_legacy(
    home: Path,
    token: str | None,
    location: str = ".nanoctl",
    *,
    facts: MachineFacts | None = None,
    mtime: float | None = None,
    content: bytes | None = None,
) -> Path:
    """``home/location/token/token.enc`` holding ``token`` (None: empty, as the old client
    leaves it; ``content``: those bytes as they are), dated ``mtime``."""
    path = legacy_path(home, location)
    path.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        content = b"" if token is None else legacy_content(token, facts)
    path.write_bytes(content)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def renamed_host() -> MachineFacts:
    """This machine's facts under another host name: a file written before a rename."""
    return replace(MachineFacts.of_this_process(), hostname="old-laptop-before-rename")
