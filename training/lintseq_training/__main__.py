"""``python -m lintseq_training``: the same as ``lintseq-train`` (handy under launchers)."""

from __future__ import annotations

import sys

from lintseq_training.cli import main

if __name__ == "__main__":
    sys.exit(main())
