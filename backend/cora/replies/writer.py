"""Who writes a reply: this process's identity, and whether the writer named by one is gone.

An identity is `host/boot/pid/start`: the host name, the kernel's boot id, the process id and
the process's start time, so that a reused pid, or a pid after a reboot, is not taken for the
writer. Only writers on this host can be found gone; others are left to their lease.
"""

import os
import socket
from pathlib import Path

PROC = Path("/proc")


def _boot_id() -> str:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return "-"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot; None when there is no such process."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "-"
    return stat.rpartition(")")[2].split()[19]


def identity(pid: int) -> str:
    return f"{socket.gethostname()}/{_boot_id()}/{pid}/{_start_time(pid) or '-'}"


THIS_PROCESS = identity(os.getpid())


def writer_gone(writer: str) -> bool:
    """True when `writer` names a process of this host (and boot) that no longer runs."""
    host, boot, pid, start = [*writer.split("/"), "", "", ""][:4]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if boot != _boot_id():
        return True
    if writer == THIS_PROCESS:
        return False
    now_start = _start_time(int(pid))
    if now_start is None:
        return True
    return start not in ("-", now_start)
