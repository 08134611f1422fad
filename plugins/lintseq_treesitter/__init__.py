"""lintseq treesitter plugin."""

from __future__ import annotations
