"""Turn one input row into output rows (one per sampled edit sequence) or a rejection.

This is the unit of work the dataset pipeline distributes; it is pure given its inputs
(the seed is derived per row and sample), so any worker layout gives the same output.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from lintseq_core.errors import ConfigError, ProgramRejected, UnknownLanguageError
from lintseq_core.host import PluginHost
from lintseq_core.sample_data import sample_language
from lintseq_core.sampler import make_sampler, rng_for
from lintseq_core.subtrajectories import START_WEIGHTS, subtrajectory_rows

__all__ = ["ConvertConfig", "RowConverter"]


@dataclass(frozen=True)
class ConvertConfig:
    """Everything that decides the content of the output (saved in manifests)."""

    language: str = field(default_factory=sample_language)  # the bundled sample's
    linter: str | None = None
    sampler: str = "lintseq"
    samples_per_program: int = 1
    seed: int = 0
    code_field: str = "code"
    instruction_field: str | None = "instruction"
    instruction_template: str | None = None
    language_field: str | None = None
    extract_code: bool = True
    newlines: str = "keep"  # "keep" (byte-exact) or "lf" (CRLF/CR normalised to LF first)
    reference_rules: bool = False
    indent_bias: float = 1.0
    timeout: float | None = 60.0
    max_lint_calls: int | None = None
    max_lines: int | None = 20000
    verify: bool = False  # every state also checked (and repaired) by the compiler
    verify_analyzer: str | None = None  # None: the language's compiler (pylint for Python)
    subtrajectories: int | None = None  # D3: K (start, end) slices per sequence instead of the path
    start_weights: str = "d3"  # how slice starts are drawn (see lintseq_core.subtrajectories)

    def __post_init__(self) -> None:
        if self.samples_per_program < 1:
            raise ConfigError(f"--samples-per-program must be >= 1, got {self.samples_per_program}")
        if self.newlines not in ("keep", "lf"):
            raise ConfigError(f"--newlines must be 'keep' or 'lf', got {self.newlines!r}")
        if self.timeout is not None and self.timeout <= 0:
            raise ConfigError(f"--timeout must be > 0 seconds, got {self.timeout}")
        if self.subtrajectories is not None and self.subtrajectories < 1:
            raise ConfigError(f"--subtrajectories must be >= 1, got {self.subtrajectories}")
        if self.start_weights not in START_WEIGHTS:
            raise ConfigError(f"--start-weights must be one of {', '.join(START_WEIGHTS)}, got {self.start_weights!r}")
        if self.verify_analyzer is not None and not self.verify:
            raise ConfigError("--verify-analyzer needs --verify")
        if self.verify and self.sampler != "lintseq":
            raise ConfigError(
                f"--verify needs --sampler lintseq: the {self.sampler} sampler deletes lines "
                "without consulting any analyzer, so there is no deletion to extend"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RowConverter:
    """Converts rows with samplers built once per (language, analyzer) in this process."""

    host: PluginHost
    config: ConvertConfig
    _samplers: dict[str, Any] = field(default_factory=dict)

    def sampler_for(self, language: str):
        lang = self.host.language(language).name
        sampler = self._samplers.get(lang)
        if sampler is None:
            primary = lang == self.host.language(self.config.language).name
            linter = self.config.linter if primary else None
            sampler = make_sampler(
                self.host,
                lang,
                linter,
                self.config.sampler,
                reference_rules=self.config.reference_rules,
                indent_bias=self.config.indent_bias,
                max_lint_calls=self.config.max_lint_calls,
                verify=self.config.verify,
                verify_analyzer=self.config.verify_analyzer if primary else None,
            )
            self._samplers[lang] = sampler
        return sampler

    def instruction_of(self, row: Mapping[str, Any]) -> str | None:
        cfg = self.config
        if cfg.instruction_template is not None:
            try:
                return cfg.instruction_template.format_map(dict(row))
            except KeyError as exc:
                raise ProgramRejected("missing_field", f"template field {exc.args[0]!r} not in row") from exc
        if cfg.instruction_field is None:
            return None
        value = row.get(cfg.instruction_field)
        if value is None:
            return None
        return value if isinstance(value, str) else str(value)

    def convert(self, row: Mapping[str, Any], index: int, shard: str | None = None) -> list[dict[str, Any]]:
        """Output rows of ``row`` (at 0-based ``index``, within ``shard`` for a sharded
        input); raises ProgramRejected.

        The sampler is seeded by the row's identity: ``index`` alone, or ``"shard:index"``
        for a sharded input, so a shard converts to the same bytes wherever it is read.
        """
        cfg = self.config
        key: int | str = index if shard is None else f"{shard}:{index}"
        if not isinstance(row, Mapping):
            raise ProgramRejected("bad_row", f"row is {type(row).__name__}, not an object")
        if cfg.code_field not in row:
            raise ProgramRejected(
                "missing_field",
                f"no field {cfg.code_field!r} (row has: {', '.join(sorted(map(str, row))) or 'nothing'});"
                " choose it with --code-field",
            )
        raw = row[cfg.code_field]
        if not isinstance(raw, str):
            raise ProgramRejected("not_a_string", f"field {cfg.code_field!r} is {type(raw).__name__}, not text")
        language = cfg.language
        if cfg.language_field is not None:
            value = row.get(cfg.language_field)
            if not isinstance(value, str) or not value.strip():
                raise ProgramRejected("missing_language", f"no language in field {cfg.language_field!r}")
            language = value
        try:
            sampler = self.sampler_for(language)
        except UnknownLanguageError as exc:
            raise ProgramRejected("unknown_language", str(exc)) from exc
        except ConfigError as exc:  # a known language whose analyzer (or --verify's) cannot run
            raise ProgramRejected("analyzer_unavailable", str(exc)) from exc
        code = self.host.extract_code(sampler.language, raw) if cfg.extract_code else raw
        if cfg.newlines == "lf":
            code = code.replace("\r\n", "\n").replace("\r", "\n")
        if "\x00" in code:
            raise ProgramRejected("binary_content", "program contains NUL bytes")
        if cfg.max_lines is not None and code.count("\n") + 1 > cfg.max_lines:
            raise ProgramRejected("too_long", f"{code.count(chr(10)) + 1} lines > --max-lines {cfg.max_lines}")
        instruction = self.instruction_of(row)
        deadline = None if cfg.timeout is None else time.monotonic() + cfg.timeout
        program = sampler.prepare(code)
        out = []
        for k in range(cfg.samples_per_program):
            seq, stats = sampler.sample(program, rng_for(cfg.seed, key, k), deadline=deadline)
            record: dict[str, Any] = {"index": index}
            if shard is not None:
                record["shard"] = shard
            record.update({
                "sample": k,
                "edit_path": seq.edit_path,
                "instruction": instruction,
                "program": code,
                f"source_{cfg.code_field}": raw,
            })
            if cfg.instruction_field is not None and cfg.instruction_field in row:
                record[f"source_{cfg.instruction_field}"] = row[cfg.instruction_field]
            record.update(
                language=sampler.language,
                linter=sampler.analyzer,
                sampler=sampler.name,
                seed=cfg.seed,
                num_edits=len(seq.states) - 1,
                lint_calls=stats.lint_calls,
                unresolved_diagnostics=stats.unresolved,
                verified=sampler.verifier is not None,
            )
            if sampler.verifier is not None:
                record.update(
                    verifier=sampler.verifier,
                    repairs=stats.repairs,
                    verify_calls=stats.verify_calls,
                    verify_unresolved=stats.verify_unresolved,
                )
            if cfg.subtrajectories is None:
                out.append(record)
            else:
                out.extend(subtrajectory_rows(record, seq, cfg.subtrajectories, seed=cfg.seed,
                                              index=key, sample=k, scheme=cfg.start_weights))
        return out

