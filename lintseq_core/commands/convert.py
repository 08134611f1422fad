"""``lintseq-core convert`` (being written)."""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("convert", help="(not available yet)")
