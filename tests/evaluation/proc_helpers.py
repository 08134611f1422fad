"""Reading /proc to find processes a sample left behind (the sandbox tests' leak checks)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path


def proc_entries(name: str) -> Iterator[tuple[str, bytes]]:
    """``(pid, /proc/<pid>/<name>)`` of every process; one that ends while read is skipped."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            yield pid, Path(f"/proc/{pid}/{name}").read_bytes()
        except OSError:
            continue


def pids_with(marker: str, wait_s: float = 0.0) -> list[str]:
    """Pids whose command line holds ``marker``, after up to ``wait_s`` seconds for them to go
    (SIGKILLed processes may take a moment to disappear)."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = [pid for pid, cmd in proc_entries("cmdline") if marker.encode() in cmd]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)
