"""Runs inside the sandbox when a reference solution is probed for network use:
``python netprobe.py SCRIPT`` (:mod:`lintseq_eval.network` writes it as ``netprobe.py``).

It reports, on a copy of the process's stderr taken before ``SCRIPT`` runs (BigCodeBench's
harness points file descriptors 1 and 2 at ``/dev/null``), one line per distinct event:

* ``LINTSEQ-NETWORK resolve HOST`` / ``connect HOST``: a host name lookup
  (``socket.getaddrinfo``, ``gethostbyname``, ``gethostbyaddr``) or a connection / datagram
  to an address other than loopback, seen by an audit hook (:pep:`578`), which the program
  cannot remove and which fires even when the program catches the error;
* ``LINTSEQ-NETWORK data-missing NAME`` / ``data-found NAME``: a lookup of NLTK data
  (``nltk.data.find``, which TextBlob uses too) that failed / succeeded. NLTK tries several
  names for one resource (``corpora/stopwords.zip``, then ``corpora/stopwords``), so the host
  counts a resource as missing only when no form of it was found.

Then ``SCRIPT`` runs as ``__main__`` (``runpy``), exactly as it would have without the probe.
Standard library only: it runs in the sample's interpreter. Only reference solutions run
under it, never a model's samples.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import runpy
import sys

PREFIX = "LINTSEQ-NETWORK"
_LOCAL = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "::1", "::", "0.0.0.0",
          "<broadcast>"}
_seen: set[str] = set()
_depth = [0]
_fd = os.dup(2)


def _report(kind: str, detail: object) -> None:
    line = f"{PREFIX} {kind} {str(detail)[:200]}".replace("\n", " ")
    if line in _seen:
        return
    _seen.add(line)
    try:
        os.write(_fd, (line + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


def _remote(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False  # None (a passive socket), an AF_UNIX path given as bytes is handled above
    host = host.strip("[]").lower()
    return host not in _LOCAL and not host.startswith("127.") and not host.startswith("/")


def _audit(event: str, args: tuple) -> None:
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        if args and _remote(args[0]):
            _report("resolve", args[0])
    elif event in ("socket.connect", "socket.sendto"):
        address = args[1] if len(args) > 1 else None
        if isinstance(address, tuple) and address and _remote(address[0]):
            _report("connect", address[0])


class _NltkData(importlib.abc.MetaPathFinder):
    """Wraps ``nltk.data.find`` once ``nltk.data`` is imported (a post-import hook)."""

    def find_spec(self, name, path, target=None):
        if name != "nltk.data":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            find = module.find

            def watched(resource_name, *args, **kwargs):
                _depth[0] += 1  # find calls itself for each zip form: report the outer call only
                try:
                    found = find(resource_name, *args, **kwargs)
                except LookupError:
                    if _depth[0] == 1:
                        _report("data-missing", resource_name)
                    raise
                finally:
                    _depth[0] -= 1
                if _depth[0] == 0:
                    _report("data-found", resource_name)
                return found

            module.find = watched

        spec.loader.exec_module = exec_module
        return spec


def main() -> None:
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.addaudithook(_audit)
    sys.meta_path.insert(0, _NltkData())
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
