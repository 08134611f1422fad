"""Counts of a conversion, kept as small histograms so they fit in a checkpoint and survive resume."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lintseq_core.pipeline.outcome import Outcome

__all__ = ["Summary"]


def _quantile(hist: Counter[int], q: float) -> int | None:
    """Nearest-rank quantile of a histogram: the smallest value with ceil(q * n) at or below it."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value
    return max(hist)


def _describe(hist: Counter[int]) -> dict[str, Any]:
    total = sum(hist.values())
    if not total:
        return {"count": 0}
    return {
        "count": total,
        "mean": round(sum(k * v for k, v in hist.items()) / total, 3),
        "median": _quantile(hist, 0.5),
        "p90": _quantile(hist, 0.9),
        "min": min(hist),
        "max": max(hist),
    }


@dataclass
class Summary:
    """Rows read, converted and rejected by reason; edits per program; lines per edit."""

    rows_read: int = 0
    converted: int = 0
    output_rows: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    edits_per_program: Counter[int] = field(default_factory=Counter)
    lines_per_edit: Counter[int] = field(default_factory=Counter)
    convert_seconds: float = 0.0  # time spent inside the converter, summed over workers
    elapsed: float = 0.0  # wall clock of the run, summed over resumed parts
    # --verify: sequences verified, edits repaired, verifier calls, repairs that deleted the rest
    verified: int = 0
    repairs: int = 0
    verify_calls: int = 0
    verify_unresolved: int = 0

    def add(self, outcome: Outcome) -> None:
        self.rows_read += 1
        self.convert_seconds += outcome.seconds
        if outcome.reject is not None:
            self.rejected[outcome.reject["reason"]] += 1
            return
        self.converted += 1
        self.output_rows += len(outcome.lines)
        for sample in outcome.edits:
            self.edits_per_program[len(sample)] += 1
            self.lines_per_edit.update(sample)
        verified, repairs, calls, unresolved = outcome.verify
        self.verified += verified
        self.repairs += repairs
        self.verify_calls += calls
        self.verify_unresolved += unresolved

    def to_state(self) -> dict[str, Any]:
        """Exact state for the checkpoint (histograms as ``{value: count}``)."""
        return {
            "rows_read": self.rows_read,
            "converted": self.converted,
            "output_rows": self.output_rows,
            "rejected": dict(self.rejected),
            "edits_per_program": {str(k): v for k, v in self.edits_per_program.items()},
            "lines_per_edit": {str(k): v for k, v in self.lines_per_edit.items()},
            "convert_seconds": self.convert_seconds,
            "elapsed": self.elapsed,
            "verify": [self.verified, self.repairs, self.verify_calls, self.verify_unresolved],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Summary:
        verified, repairs, calls, unresolved = state.get("verify", (0, 0, 0, 0))
        return cls(
            rows_read=state["rows_read"],
            converted=state["converted"],
            output_rows=state["output_rows"],
            rejected=Counter(state["rejected"]),
            edits_per_program=Counter({int(k): v for k, v in state["edits_per_program"].items()}),
            lines_per_edit=Counter({int(k): v for k, v in state["lines_per_edit"].items()}),
            convert_seconds=state["convert_seconds"],
            elapsed=state["elapsed"],
            verified=verified,
            repairs=repairs,
            verify_calls=calls,
            verify_unresolved=unresolved,
        )

    def report(self) -> dict[str, Any]:
        """The summary written to ``manifest.json`` and printed at the end."""
        return {
            "rows_read": self.rows_read,
            "converted": self.converted,
            "rejected": sum(self.rejected.values()),
            "rejected_by_reason": dict(sorted(self.rejected.items())),
            "output_rows": self.output_rows,
            "edits_per_program": _describe(self.edits_per_program),
            "lines_per_edit": _describe(self.lines_per_edit),
            "seconds": round(self.elapsed, 3),
            "programs_per_second": round(self.rows_read / self.elapsed, 2) if self.elapsed > 0 else None,
            "verify": {
                "verified_sequences": self.verified,
                "repairs": self.repairs,
                "verifier_calls": self.verify_calls,
                "repairs_deleting_the_rest": self.verify_unresolved,
            },
        }

    def format(self) -> str:
        r = self.report()
        lines = [
            f"rows read {r['rows_read']}, converted {r['converted']}, rejected {r['rejected']}"
            f" -> {r['output_rows']} edit sequences",
        ]
        if r["rejected_by_reason"]:
            lines.append("rejected: " + ", ".join(f"{k} {v}" for k, v in r["rejected_by_reason"].items()))
        for key, label in (("edits_per_program", "edits per program"), ("lines_per_edit", "lines per edit")):
            d = r[key]
            if d["count"]:
                lines.append(f"{label}: mean {d['mean']}, median {d['median']}, p90 {d['p90']}, max {d['max']}")
        v = r["verify"]
        if v["verified_sequences"]:
            lines.append(
                f"verified {v['verified_sequences']} sequences: {v['verifier_calls']} verifier "
                f"calls, {v['repairs']} edits repaired ({v['repairs_deleting_the_rest']} by "
                "deleting the rest)"
            )
        if r["programs_per_second"] is not None:
            lines.append(f"{r['seconds']} s, {r['programs_per_second']} programs/s")
        return "\n".join(lines)
