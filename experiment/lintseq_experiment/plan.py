"""Experiment plans: YAML files that inherit like training recipes, validated into frozen values.

A plan names the data sources, the languages (each with its source and benchmarks), the arms
(``lintseq``, ``random``, ``baseline``), the models (a shipped training recipe plus overrides, and
either a hub/local model or a tiny model built from a config), sampling settings and seeds.
``inherit: NAME`` reads a shipped plan (``lintseq_experiment/plans``) or a path first, so a plan
states only what differs. Every unknown key, wrong type or impossible combination raises
:class:`PlanError` naming the key, before anything runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintseq_training.yaml_family import YamlFamily, merge_mappings

from lintseq_experiment.errors import PlanError

__all__ = [
    "ARM_KINDS",
    "Arm",
    "EvalSettings",
    "Language",
    "ModelSpec",
    "Plan",
    "Source",
    "apply_overrides",
    "list_plans",
    "load_plan",
    "plan_path",
]

ARM_KINDS = ("lintseq", "random", "baseline")
BUNDLED = "bundled"


@dataclass(frozen=True)
class Source:
    """Where programs come from: a local file (relative to the plan), ``bundled``, or a hub name."""

    name: str
    path: str | None
    hub: str | None
    format: str | None
    split: str
    subset: str | None
    revision: str | None
    code_field: str
    instruction_field: str
    language_field: str | None


@dataclass(frozen=True)
class Language:
    """One language of the grid: its programs and the benchmarks its models are scored on."""

    name: str
    source: str
    source_value: str
    max_programs: int | None
    programs_hint: int | None
    benchmarks: tuple[str, ...]


@dataclass(frozen=True)
class Arm:
    """A way of turning programs into training data: LintSeq, random deletion, or whole programs."""

    name: str
    kind: str
    analyzer: str | None
    verify: bool
    data_from: str | None

    @property
    def format(self) -> str:
        return "baseline" if self.kind == "baseline" else "editseq"


@dataclass(frozen=True)
class ModelSpec:
    """A base model and the training recipe it is fine-tuned with."""

    name: str
    recipe: str | Mapping[str, str]
    model: str | None
    tiny: Mapping[str, int] | None
    params: float | None
    overrides: Mapping[str, Any]
    gpus: int

    def recipe_for(self, fmt: str) -> str:
        return self.recipe if isinstance(self.recipe, str) else self.recipe[fmt]


@dataclass(frozen=True)
class EvalSettings:
    """Sampling and execution settings shared by every evaluation of the grid."""

    n: int
    temperature: float
    top_p: float
    max_new_tokens: int
    limit: int | None
    dataset: str | None
    timeout: float | None
    workers: int | None
    ks: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """A validated plan; ``raw`` is the merged mapping it came from (saved with every run)."""

    name: str
    description: str
    sources: Mapping[str, Source]
    languages: tuple[Language, ...]
    arms: tuple[Arm, ...]
    models: tuple[ModelSpec, ...]
    samples_per_program: int
    convert_seed: int
    convert_timeout: float | None
    convert_workers: int
    epochs: float | None
    max_steps: int | None
    eval: EvalSettings
    seeds: tuple[int, ...]
    estimates: Mapping[str, Any]
    report: Mapping[str, Any]
    launcher: Mapping[str, Any]
    base_dir: Path
    raw: Mapping[str, Any] = field(repr=False)

    def arm(self, name: str) -> Arm:
        return next(a for a in self.arms if a.name == name)

    def source_path(self, source: Source) -> Path | None:
        """The local file of ``source`` (the bundled sample for ``bundled``), or None for the hub."""
        if source.path is None:
            return None
        if source.path == BUNDLED:
            from lintseq_core.sample_data import bundled_sample

            return bundled_sample()
        path = Path(source.path).expanduser()
        return path if path.is_absolute() else (self.base_dir / path).resolve()


# -- files and inheritance ---------------------------------------------------------------


def _annotate(path: Path, data: dict[str, Any]) -> None:
    """Paths a plan names are relative to the file that names them, not to one inheriting it."""
    here = str(path.resolve().parent)
    data.setdefault("base_dir", here)
    sources = data.get("sources")
    if isinstance(sources, dict):
        for src in sources.values():
            if isinstance(src, dict) and isinstance(src.get("path"), str):
                src.setdefault("_base_dir", here)


PLANS = YamlFamily("lintseq_experiment", "plans", "plan", PlanError, annotate=_annotate)


def list_plans() -> list[str]:
    """Names of the shipped plans (files starting with ``_`` are shared bases)."""
    return PLANS.names()


def plan_path(name_or_path: str | Path) -> Path:
    """A shipped plan by name (``cpu-tiny``) or a YAML file by path."""
    return PLANS.path(name_or_path)


def apply_overrides(raw: Mapping[str, Any], pairs: list[str]) -> dict[str, Any]:
    """``key.sub=value`` overrides (YAML values) on a merged plan mapping, as ``--set`` gives them."""
    import yaml

    out = merge_mappings(raw, {})
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise PlanError(f"--set {pair!r}: give KEY=VALUE, e.g. --set eval.limit=5")
        value = yaml.safe_load(text) if text else None
        node: dict[str, Any] = out
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            child = dict(child) if isinstance(child, Mapping) else {}
            node[part] = child
            node = child
        node[parts[-1]] = value
    return out


def load_plan(source: str | Path, overrides: list[str] | None = None) -> Plan:
    """Read, merge, override and validate a plan."""
    raw = PLANS.read(plan_path(source))
    if overrides:
        raw = apply_overrides(raw, overrides)
    return validate(raw)


# -- validation --------------------------------------------------------------------------

_TOP = {"name", "description", "base_dir", "sources", "languages", "arms", "models", "convert",
        "training", "eval", "seeds", "estimates", "report", "launcher"}
_SOURCE = {"path", "hub", "format", "split", "subset", "revision", "code_field", "instruction_field",
           "language_field", "_base_dir"}
_LANGUAGE = {"source", "source_value", "max_programs", "programs", "benchmarks"}
_ARM = {"kind", "analyzer", "verify", "data_from"}
_MODEL = {"recipe", "model", "tiny", "params", "overrides", "gpus"}
_TINY = {"vocab_size", "hidden_size", "layers", "heads", "seed"}
_CONVERT = {"samples_per_program", "seed", "timeout", "workers"}
_TRAINING = {"epochs", "max_steps"}
_EVAL = {"n", "temperature", "top_p", "max_new_tokens", "limit", "dataset", "timeout", "workers", "ks"}
_REPORT = {"bootstrap", "confidence", "seed", "reference_arm"}
_ESTIMATES = {"tokens_per_example", "gpu_flops"}
_LAUNCHER = {"distributed"}
_DISTRIBUTED = ("accelerate", "torchrun", "deepspeed")
_FORMATS = ("jsonl", "json", "parquet", "csv", "arrow", "hf-disk", "hub")


def _keys(where: str, value: Any, allowed: set[str]) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PlanError(f"{where} must be a mapping, got {type(value).__name__}")
    for key in value:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f" (did you mean {where + '.' if where else ''}{close[0]}?)" if close else ""
            keys = ", ".join(sorted(k for k in allowed if not k.startswith("_")))
            raise PlanError(f"unknown plan key '{where + '.' if where else ''}{key}'{hint}; known: {keys}")
    return value


def _typed(where: str, value: Any, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        names = " or ".join(k.__name__ for k in kinds)
        raise PlanError(f"plan key '{where}' must be {names}, got {value!r}")
    return value


def _positive(where: str, value: Any, *, optional: bool = False) -> Any:
    if isinstance(value, str):  # PyYAML reads 1.5e8 (no sign in the exponent) as text
        try:
            value = float(value)
        except ValueError:
            pass
    value = _typed(where, value, (int, float), optional=optional)
    if value is not None and value <= 0:
        raise PlanError(f"plan key '{where}' must be > 0, got {value!r}")
    return value


def _mapping(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not value:
        raise PlanError(f"plan key '{where}' must be a non-empty mapping of name: settings")
    return value


def validate(raw: Mapping[str, Any]) -> Plan:
    """A :class:`Plan` from a merged mapping; raises :class:`PlanError` naming the bad key."""
    top = _keys("", raw, _TOP)
    base_dir = Path(str(top.get("base_dir", ".")))
    sources = {name: _source(name, spec, base_dir) for name, spec in _mapping("sources", top.get("sources")).items()}
    languages = tuple(_language(name, spec, sources) for name, spec in _mapping("languages", top.get("languages")).items())
    arms = tuple(_arm(name, spec) for name, spec in _mapping("arms", top.get("arms")).items())
    _check_data_from(arms)
    models = tuple(_model(name, spec) for name, spec in _mapping("models", top.get("models")).items())
    convert = _keys("convert", top.get("convert"), _CONVERT)
    training = _keys("training", top.get("training"), _TRAINING)
    seeds = top.get("seeds", [0])
    if not isinstance(seeds, list) or not seeds or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise PlanError(f"plan key 'seeds' must be a non-empty list of integers, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise PlanError(f"plan key 'seeds' repeats a seed: {seeds}")
    report = _report(top.get("report"), arms)
    estimates = _estimates(top.get("estimates"))
    launcher = _keys("launcher", top.get("launcher"), _LAUNCHER)
    if launcher.get("distributed", "accelerate") not in _DISTRIBUTED:
        raise PlanError(f"plan key 'launcher.distributed' must be one of {', '.join(_DISTRIBUTED)}, "
                        f"got {launcher['distributed']!r}")
    name = str(top.get("name") or "plan")
    return Plan(
        name=name,
        description=str(top.get("description") or ""),
        sources=sources,
        languages=languages,
        arms=arms,
        models=models,
        samples_per_program=int(_positive("convert.samples_per_program", convert.get("samples_per_program", 1))),
        convert_seed=int(_typed("convert.seed", convert.get("seed", 0), int)),
        convert_timeout=_positive("convert.timeout", convert.get("timeout"), optional=True),
        convert_workers=int(_positive("convert.workers", convert.get("workers", 1))),
        epochs=_positive("training.epochs", training.get("epochs"), optional=True),
        max_steps=_positive("training.max_steps", training.get("max_steps"), optional=True),
        eval=_eval(top.get("eval")),
        seeds=tuple(seeds),
        estimates=estimates,
        report=report,
        launcher=dict(launcher),
        base_dir=base_dir,
        raw=dict(raw),
    )


def _source(name: str, spec: Any, base_dir: Path) -> Source:
    where = f"sources.{name}"
    s = _keys(where, spec, _SOURCE)
    path, hub = s.get("path"), s.get("hub")
    if (path is None) == (hub is None):
        raise PlanError(f"plan key '{where}' needs exactly one of path (a file, or 'bundled') or hub (a dataset name)")
    fmt = s.get("format")
    if fmt is not None and fmt not in _FORMATS:
        raise PlanError(f"plan key '{where}.format' must be one of {', '.join(_FORMATS)}, got {fmt!r}")
    if path is not None and path != BUNDLED and not Path(str(path)).expanduser().is_absolute():
        path = str((Path(str(s.get("_base_dir", base_dir))) / str(path)).resolve())
    return Source(
        name=name,
        path=None if path is None else str(_typed(f"{where}.path", path, str)),
        hub=_typed(f"{where}.hub", hub, str, optional=True),
        format=fmt,
        split=str(_typed(f"{where}.split", s.get("split", "train"), str)),
        subset=_typed(f"{where}.subset", s.get("subset"), str, optional=True),
        revision=_typed(f"{where}.revision", s.get("revision"), str, optional=True),
        code_field=str(_typed(f"{where}.code_field", s.get("code_field", "code"), str)),
        instruction_field=str(_typed(f"{where}.instruction_field", s.get("instruction_field", "instruction"), str)),
        language_field=_typed(f"{where}.language_field", s.get("language_field"), str, optional=True),
    )


def _language(name: str, spec: Any, sources: Mapping[str, Source]) -> Language:
    where = f"languages.{name}"
    s = _keys(where, spec, _LANGUAGE)
    source = s.get("source")
    if source not in sources:
        raise PlanError(f"plan key '{where}.source' must name one of sources ({', '.join(sources)}), got {source!r}")
    benchmarks = s.get("benchmarks")
    if not isinstance(benchmarks, list) or not benchmarks or not all(isinstance(b, str) for b in benchmarks):
        raise PlanError(f"plan key '{where}.benchmarks' must be a non-empty list of benchmark names")
    _check_benchmarks(where, benchmarks)
    max_programs = _positive(f"{where}.max_programs", s.get("max_programs"), optional=True)
    hint = _positive(f"{where}.programs", s.get("programs"), optional=True)
    return Language(
        name=name,
        source=str(source),
        source_value=str(s.get("source_value") or name),
        max_programs=None if max_programs is None else int(max_programs),
        programs_hint=None if hint is None else int(hint),
        benchmarks=tuple(benchmarks),
    )


def _check_benchmarks(where: str, names: list[str]) -> None:
    from lintseq_eval.benchmarks import benchmark_names
    from lintseq_eval.suites import suite_names

    known = set(benchmark_names(aliases=True)) | set(suite_names())
    for b in names:
        if b not in known:
            close = difflib.get_close_matches(b, sorted(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise PlanError(f"plan key '{where}.benchmarks': unknown benchmark {b!r}{hint}; see lintseq-eval --help")


def _arm(name: str, spec: Any) -> Arm:
    where = f"arms.{name}"
    s = _keys(where, spec, _ARM)
    kind = s.get("kind", name)
    if kind not in ARM_KINDS:
        raise PlanError(f"plan key '{where}.kind' must be one of {', '.join(ARM_KINDS)}, got {kind!r}")
    if kind != "lintseq" and (s.get("analyzer") or s.get("verify")):
        raise PlanError(f"plan key '{where}': analyzer and verify apply to kind lintseq only (this arm is {kind})")
    if kind != "baseline" and s.get("data_from") is not None:
        raise PlanError(f"plan key '{where}.data_from' applies to baseline arms only")
    return Arm(
        name=name,
        kind=kind,
        analyzer=_typed(f"{where}.analyzer", s.get("analyzer"), str, optional=True),
        verify=bool(_typed(f"{where}.verify", s.get("verify", False), bool)),
        data_from=_typed(f"{where}.data_from", s.get("data_from"), str, optional=True),
    )


def _check_data_from(arms: tuple[Arm, ...]) -> None:
    converted = [a.name for a in arms if a.kind != "baseline"]
    for arm in arms:
        if arm.kind != "baseline":
            continue
        if not converted:
            raise PlanError(
                f"plan key 'arms.{arm.name}': a baseline arm trains on the programs an edit-sequence arm "
                "converted (the same programs for every arm); add a lintseq or random arm"
            )
        if arm.data_from is not None and arm.data_from not in converted:
            raise PlanError(f"plan key 'arms.{arm.name}.data_from' must name one of {', '.join(converted)}")


def _model(name: str, spec: Any) -> ModelSpec:
    where = f"models.{name}"
    s = _keys(where, spec, _MODEL)
    recipe = s.get("recipe")
    if isinstance(recipe, Mapping):
        _keys(f"{where}.recipe", recipe, {"editseq", "baseline"})
        if set(recipe) != {"editseq", "baseline"}:
            raise PlanError(f"plan key '{where}.recipe' as a mapping needs both editseq and baseline recipes")
    elif not isinstance(recipe, str):
        raise PlanError(f"plan key '{where}.recipe' must name a training recipe (see lintseq-train recipes)")
    model, tiny = s.get("model"), s.get("tiny")
    if (model is None) == (tiny is None):
        raise PlanError(f"plan key '{where}' needs exactly one of model (hub name or folder) or tiny (a config)")
    if tiny is not None:
        tiny = {k: int(_typed(f"{where}.tiny.{k}", v, int) if k == "seed" else _positive(f"{where}.tiny.{k}", v))
                for k, v in _keys(f"{where}.tiny", tiny, _TINY).items()}
    overrides = dict(_keys(f"{where}.overrides", s.get("overrides"), _train_fields()))
    if "format" in overrides or "max_steps" in overrides or "num_train_epochs" in overrides:
        raise PlanError(
            f"plan key '{where}.overrides': format comes from the arm and steps/epochs from "
            "training.max_steps / training.epochs (the same for every arm); remove them here"
        )
    for recipe_name in ([recipe] if isinstance(recipe, str) else list(recipe.values())):
        _check_recipe(f"{where}.recipe", recipe_name, overrides)
    return ModelSpec(
        name=name,
        recipe=recipe if isinstance(recipe, str) else dict(recipe),
        model=_typed(f"{where}.model", model, str, optional=True),
        tiny=tiny,
        params=_positive(f"{where}.params", s.get("params"), optional=True),
        overrides=overrides,
        gpus=int(_positive(f"{where}.gpus", s.get("gpus", 1))),
    )


def _train_fields() -> set[str]:
    from dataclasses import fields

    from lintseq_training.config import TrainConfig

    return {f.name for f in fields(TrainConfig)}


def _check_recipe(where: str, recipe: str, overrides: Mapping[str, Any]) -> None:
    from lintseq_training.config import load_config
    from lintseq_training.errors import ConfigError as TrainConfigError

    try:
        load_config(recipe, dict(overrides))
    except TrainConfigError as exc:
        raise PlanError(f"plan key '{where}' ({recipe}): {exc}") from exc


def _eval(spec: Any) -> EvalSettings:
    s = _keys("eval", spec, _EVAL)
    n = int(_positive("eval.n", s.get("n", 1)))
    ks = s.get("ks", [k for k in (1, 5, 10, 100) if k <= n])
    if not isinstance(ks, list) or not all(isinstance(k, int) and 1 <= k <= n for k in ks):
        raise PlanError(f"plan key 'eval.ks' must list integers between 1 and eval.n={n}, got {ks!r}")
    temperature = _typed("eval.temperature", s.get("temperature", 0.0 if n == 1 else 1.0), (int, float))
    if n > 1 and temperature == 0:
        raise PlanError("plan key 'eval.temperature' is 0 (greedy) with eval.n > 1: every sample would be the same")
    limit = _positive("eval.limit", s.get("limit"), optional=True)
    workers = _positive("eval.workers", s.get("workers"), optional=True)
    return EvalSettings(
        n=n,
        temperature=float(temperature),
        top_p=float(_typed("eval.top_p", s.get("top_p", 0.95), (int, float))),
        max_new_tokens=int(_positive("eval.max_new_tokens", s.get("max_new_tokens", 512))),
        limit=None if limit is None else int(limit),
        dataset=_typed("eval.dataset", s.get("dataset"), str, optional=True),
        timeout=_positive("eval.timeout", s.get("timeout"), optional=True),
        workers=None if workers is None else int(workers),
        ks=tuple(sorted(set(ks))),
    )


def _report(spec: Any, arms: tuple[Arm, ...]) -> dict[str, Any]:
    s = dict(_keys("report", spec, _REPORT))
    _positive("report.bootstrap", s.get("bootstrap", 1000))
    confidence = _typed("report.confidence", s.get("confidence", 0.95), (int, float))
    if not 0 < confidence < 1:
        raise PlanError(f"plan key 'report.confidence' must be between 0 and 1, got {confidence}")
    _typed("report.seed", s.get("seed", 0), int)
    ref = s.get("reference_arm")
    if ref is not None and ref not in {a.name for a in arms}:
        raise PlanError(f"plan key 'report.reference_arm' must name an arm ({', '.join(a.name for a in arms)}), got {ref!r}")
    return s


def _estimates(spec: Any) -> dict[str, Any]:
    s = dict(_keys("estimates", spec, _ESTIMATES))
    if "gpu_flops" in s:
        s["gpu_flops"] = float(_positive("estimates.gpu_flops", s["gpu_flops"]))
    per = _keys("estimates.tokens_per_example", s.get("tokens_per_example"), {"editseq", "baseline"})
    for fmt, value in per.items():
        _positive(f"estimates.tokens_per_example.{fmt}", value)
    return s
