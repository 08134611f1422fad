"""lintseq compilers plugin: gcc/g++, javac, node, tsc, rustc, go, ruby as faithful analyzers."""

from __future__ import annotations
