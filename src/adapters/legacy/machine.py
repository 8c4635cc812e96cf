"""The machine facts the old Node client built its key from, as Node names them."""

from __future__ import annotations

import os
import platform
import socket
import sys
from dataclasses import dataclass

# platform.machine() -> Node's os.arch() (Node's process.arch names).
_NODE_ARCH = {
    "x86_64": "x64",
    "amd64": "x64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "ia32",
    "i686": "ia32",
    "x86": "ia32",
    "armv7l": "arm",
    "armv6l": "arm",
    "ppc64le": "ppc64",
    "ppc64": "ppc64",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "loongarch64": "loong64",
    "mips": "mips",
    "mipsel": "mipsel",
}


@dataclass(frozen=True)
class MachineFacts:
    """``os.hostname()``, ``os.userInfo().username``, ``os.arch()``, ``os.platform()``."""

    hostname: str
    username: str
    arch: str
    platform: str

    @classmethod
    def of_this_process(cls) -> MachineFacts:
        return cls(
            socket.gethostname(), _username(), node_arch(platform.machine()), node_platform()
        )


def node_arch(machine: str) -> str:
    lowered = machine.lower()
    return _NODE_ARCH.get(lowered, lowered)


def node_platform(name: str = sys.platform) -> str:
    """Node's os.platform(): linux, darwin, win32, freebsd, ... (the sys.platform stem)."""
    if name.startswith("linux"):
        return "linux"
    if name.startswith("freebsd"):
        return "freebsd"
    return name


def _username() -> str:
    """What os.userInfo() reads: the password entry of the effective uid."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # Windows, or a uid without an entry
        import getpass

        return getpass.getuser()
