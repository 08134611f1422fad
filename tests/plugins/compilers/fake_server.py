"""A stand-in warm server speaking lintseq's framed protocol, for lifecycle tests.

``python fake_server.py MODE``: ``echo`` answers (0, upper-cased request, ""); ``sleep``
never answers a request containing ``sleep``; ``die`` exits on a request containing
``die``; ``unsupported`` greets with ("unsupported", reason); ``silent`` never greets.
"""

from __future__ import annotations

import sys
import time


def read_int(stream) -> int | None:
    line = stream.readline()
    return int(line) if line else None


def read(stream) -> list[bytes] | None:
    n = read_int(stream)
    if n is None:
        return None
    return [stream.read(read_int(stream)) for _ in range(n)]


def send(*fields: bytes) -> None:
    out = sys.stdout.buffer
    out.write(b"%d\n" % len(fields))
    for f in fields:
        out.write(b"%d\n" % len(f) + f)
    out.flush()


def main() -> None:
    mode = sys.argv[1]
    if mode == "silent":
        time.sleep(60)
        return
    if mode == "unsupported":
        send(b"unsupported", b"no compiler in this test")
        return
    send(b"ready", b"fake 1.0")
    while (request := read(sys.stdin.buffer)) is not None:
        joined = b" ".join(request)
        if mode == "sleep" and b"sleep" in joined:
            time.sleep(60)
        if mode == "die" and b"die" in joined:
            sys.exit(3)
        send(b"0", joined.upper(), b"")


if __name__ == "__main__":
    main()
