"""lintseq's built-in Python plugin: the fast ``ast`` analyzer and the ``pylint`` reference.

Registered through the ``lintseq`` entry-point group (``python = "lintseq_python.plugin"``)
like any third-party plugin.
"""

from __future__ import annotations
