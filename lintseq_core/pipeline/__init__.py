"""The dataset pipeline: read any supported format, convert rows in parallel, lose nothing.

``run_pipeline(ConvertConfig(...), PipelineOptions(...))`` is what ``lintseq-core convert``
runs. Modules: ``readers`` (inputs), ``pool`` (local worker processes), ``ray_engine``
(Ray Data), ``staging`` (spools and checkpoint), ``writers`` (final outputs), ``summary``.
"""

from __future__ import annotations

from lintseq_core.pipeline.outcome import Outcome
from lintseq_core.pipeline.readers import InputItem, bundled_sample, open_input
from lintseq_core.pipeline.run import ENGINES, PipelineOptions, RunResult, run_pipeline
from lintseq_core.pipeline.summary import Summary

__all__ = [
    "ENGINES",
    "InputItem",
    "Outcome",
    "PipelineOptions",
    "RunResult",
    "Summary",
    "bundled_sample",
    "open_input",
    "run_pipeline",
]
