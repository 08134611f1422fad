"""lintseq tree-sitter plugin: languages described as data, analysed by one shared engine."""

from __future__ import annotations
