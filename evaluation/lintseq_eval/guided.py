"""Lint-guided decoding: an edit-sequence model whose every kept edit leaves a clean program.

A LintSeq model writes a program as insertion diffs separated by ``<|diff|>``; every state
it saw in training was lint-clean. Guidance holds it to that at inference. At each edit
boundary the new edit is resolved onto the state so far (the lenient resolver evaluation
uses, :func:`lintseq_core.edits.apply_diff` with ``strict=False``) and the new state is
analyzed through the plugin host. The edit is kept when the analyzer reports no error the
previous state lacked; otherwise it is resampled, up to ``retries`` more times. When every
try fails, the least-bad try is kept (fewest new errors; ``on_exhausted="keep"``) or the
sample stops there (``"stop"``); :attr:`GuidedResult.stop_reason` and ``forced_edits`` say
which happened.

Baseline rule ("errors the previous state lacked"): an error's identity is its code and
its message with every number blanked (numbers in messages are often line numbers, which
an insertion shifts). The errors of a state are a *multiset* of these keys; an edit's new
errors are ``Counter(after) - Counter(before)``. So an error that was already there and
merely moved down does not count, and a second error of a kind the state already had
does. This is the sampler's rule (:mod:`lintseq_core.sampler`) without its line component:
the sampler charges errors to lines of a known original program, while a generated edit may
put its lines anywhere. An edit that resolves to nothing (no hunk header, nothing added)
is rejected as ``malformed``: the lenient resolver would skip it, so keeping it only spends
tokens. A blank edit (``\\n<|diff|>``) is the training format's end marker: the sample ends.

The loop, :func:`guide_edits`, is independent of the model: it calls ``propose`` for one
edit (from the last kept boundary), then ``commit`` for the try it keeps. Backends (the
transformers loop here; vLLM in :mod:`lintseq_eval.guided_vllm`) and tests supply those.
Tokens are counted for every try: ``generated_tokens = kept_tokens + rejected_tokens``
(rejected ones are the "extra tokens spent" of the FLOPs axis).
"""

from __future__ import annotations

import hashlib
import inspect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from lintseq_core.edits import DIFF_TOKEN, apply_diff, join_lines, parse_diff, split_lines
from lintseq_core.errors import DiffError
from lintseq_core.sampler import error_identity
from lintseq_eval.errors import EvalError

if TYPE_CHECKING:
    from lintseq_core.host import PluginHost
    from lintseq_core.types import Diagnostic

__all__ = [
    "ON_EXHAUSTED",
    "STOP_REASONS",
    "Attempt",
    "EditBoundaryCriteria",
    "EditGuide",
    "GuideConfig",
    "GuidedResult",
    "TransformersEditModel",
    "Verdict",
    "attempt_seed",
    "error_keys",
    "guide_edits",
    "guided_generate",
]

ON_EXHAUSTED = ("keep", "stop")
# end: the model wrote the end marker (a blank edit); eos: it ended with EOS; max_new_tokens:
# the kept text reached the limit; retries_exhausted: every try of an edit broke the program
# and none could be kept (``stop``, or no try resolved to anything).
STOP_REASONS = ("end", "eos", "max_new_tokens", "retries_exhausted")
MALFORMED = "lintseq-guide/malformed-edit"


def error_keys(diagnostics: Sequence[Diagnostic]) -> Counter[tuple[str, str]]:
    """The multiset of error identities of one state (see the module docstring)."""
    return Counter(map(error_identity, diagnostics))


def attempt_seed(seed: int, prompt: int, sample: int, edit: int, attempt: int) -> int:
    """Seed of one try: depends only on where it is, so runs are reproducible whatever
    the batching, and the first try of an edit is the same with and without guidance."""
    digest = hashlib.sha256(f"lintseq-guide:{seed}:{prompt}:{sample}:{edit}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass(frozen=True)
class GuideConfig:
    """How guidance reacts to an edit that breaks the program.

    ``enforce=False`` observes only: every edit is analyzed and counted but kept (the
    unguided baseline on the same seeds). ``retry_temperature`` is used for retries when
    sampling is greedy (temperature 0), since a greedy retry would repeat the same edit.
    """

    retries: int = 4
    on_exhausted: str = "keep"
    analyzer: str | None = None
    enforce: bool = True
    retry_temperature: float = 1.0

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise EvalError(f"--guide-retries must be >= 0, got {self.retries}")
        if self.on_exhausted not in ON_EXHAUSTED:
            raise EvalError(f"on_exhausted must be one of {ON_EXHAUSTED}, got {self.on_exhausted!r}")


@dataclass(frozen=True)
class Verdict:
    """What the analyzer says about one proposed edit (the guide's state is unchanged)."""

    accepted: bool
    lines: tuple[str, ...]  # the state the edit would leave
    new_errors: tuple[tuple[str, str], ...]  # keys the previous state lacked (with repeats)
    keys: Counter[tuple[str, str]] = field(compare=False, repr=False, default_factory=Counter)

    @property
    def malformed(self) -> bool:
        return self.new_errors == ((MALFORMED, ""),)


class EditGuide:
    """The program state of one sample and the analyzer that judges each edit.

    Use it directly to guide your own loop: ``verdict = guide.check(edit_text)``; when you
    keep the edit, ``guide.commit(verdict)``.
    """

    def __init__(self, language: str, analyzer: str | None = None, *, start: str = "",
                 host: PluginHost | None = None) -> None:
        if host is None:
            from lintseq_core.host import get_host

            host = get_host()
        self.host = host
        self.language = host.language(language).name
        self.analyzer = host.analyzer(self.language, analyzer).name
        self.lines: tuple[str, ...] = tuple(split_lines(start)) if start else ()
        self.calls = 0
        self.keys = self._analyze(self.lines) if self.lines else Counter()

    def _analyze(self, lines: Sequence[str]) -> Counter[tuple[str, str]]:
        self.calls += 1
        return error_keys(self.host.analyze(self.language, self.analyzer, join_lines(lines)))

    @property
    def program(self) -> str:
        return join_lines(self.lines)

    def check(self, edit: str) -> Verdict:
        """Resolve ``edit`` (one diff, without ``<|diff|>``) on the current state and judge it."""
        try:
            added = sum(len(h.added) for h in parse_diff(edit, strict=False))
            lines = tuple(apply_diff(list(self.lines), edit, strict=False)) if added else self.lines
        except DiffError:
            added, lines = 0, self.lines
        if not added or lines == self.lines:
            return Verdict(False, self.lines, ((MALFORMED, ""),), self.keys)
        keys = self._analyze(lines)
        new = tuple(sorted((keys - self.keys).elements()))
        return Verdict(not new, lines, new, keys)

    def commit(self, verdict: Verdict) -> None:
        """Make ``verdict``'s state the current one (its errors become the new baseline)."""
        if verdict.malformed:
            return  # the resolver skips it: the state does not change
        self.lines, self.keys = verdict.lines, verdict.keys


@dataclass(frozen=True)
class Attempt:
    """One try at the next edit, from the last kept boundary.

    ``text`` is the edit without the boundary token; ``end`` is ``"diff"`` (the model wrote
    ``<|diff|>``), ``"eos"`` or ``"length"`` (the token budget ran out); ``tokens`` counts
    every generated token, the boundary or EOS included.
    """

    text: str
    tokens: int
    end: str
    token_ids: tuple[int, ...] = ()


@dataclass
class GuidedResult:
    """One guided sample: its completion text and what guidance cost."""

    text: str = ""
    edits_kept: int = 0
    edits_rejected: int = 0
    states_clean: int = 0  # kept edits that added no error
    forced_edits: int = 0  # kept edits that broke the program (least-bad after R retries)
    malformed_edits: int = 0  # of the forced ones, edits that resolve to nothing (unguided runs only)
    kept_tokens: int = 0
    rejected_tokens: int = 0  # the extra tokens guidance spent
    analyzer_calls: int = 0
    max_retries_used: int = 0  # most retries (tries - 1) any one edit took
    stop_reason: str = ""
    new_errors: list[list[str]] = field(default_factory=list)  # of each forced edit

    @property
    def edits_generated(self) -> int:
        return self.edits_kept + self.edits_rejected

    @property
    def generated_tokens(self) -> int:
        return self.kept_tokens + self.rejected_tokens

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("text")
        d["edits_generated"] = self.edits_generated
        d["generated_tokens"] = self.generated_tokens
        return d


def guide_edits(
    propose: Callable[[int, int, int], Attempt],
    commit: Callable[[Attempt], None],
    guide: EditGuide,
    config: GuideConfig,
    max_new_tokens: int,
) -> GuidedResult:
    """Generate edits until the end marker, EOS, the token limit or an exhausted edit.

    ``propose(edit_index, attempt_index, budget)`` returns one :class:`Attempt` of at most
    ``budget`` tokens from the last kept boundary; ``commit(attempt)`` makes it part of the
    sample (the backend appends its tokens; an uncommitted try is rolled back). Every
    committed edit's text is followed by ``<|diff|>`` in :attr:`GuidedResult.text`, as the
    model wrote it, so the usual resolver reads it.
    """
    res = GuidedResult()
    calls0 = guide.calls
    pieces: list[str] = []
    edit = 0
    while True:
        budget = max_new_tokens - res.kept_tokens
        if budget <= 0:
            res.stop_reason = "max_new_tokens"
            break
        tries: list[tuple[Attempt, Verdict | None]] = []
        chosen: tuple[Attempt, Verdict | None] | None = None
        for a in range(config.retries + 1 if config.enforce else 1):
            res.max_retries_used = max(res.max_retries_used, a)
            att = propose(edit, a, budget)
            if not att.text.strip():  # the end marker, or nothing before EOS / the limit
                chosen = (att, None)
                break
            verdict = guide.check(att.text)
            if verdict.accepted or not config.enforce:
                chosen = (att, verdict)
                break
            tries.append((att, verdict))
        if chosen is None and config.on_exhausted == "keep":
            usable = [t for t in tries if t[1] is not None and not t[1].malformed]
            if usable:
                chosen = min(usable, key=lambda t: len(t[1].new_errors))  # type: ignore[union-attr]
        for t in tries:
            if chosen is None or t[0] is not chosen[0]:
                res.edits_rejected += 1
                res.rejected_tokens += t[0].tokens
        if chosen is None:
            res.stop_reason = "retries_exhausted"
            break
        att, verdict = chosen
        commit(att)
        res.kept_tokens += att.tokens
        if verdict is not None:
            guide.commit(verdict)
            res.edits_kept += 1
            if verdict.accepted:
                res.states_clean += 1
            else:
                res.forced_edits += 1
                res.malformed_edits += verdict.malformed
                res.new_errors.append([f"{c}: {m}" if m else c for c, m in verdict.new_errors])
        pieces.append(att.text + ("\n" + DIFF_TOKEN if att.end == "diff" else ""))
        if verdict is None and att.end == "diff":
            res.stop_reason = "end"
            break
        if att.end == "eos":
            res.stop_reason = "eos"
            break
        if att.end == "length":
            res.stop_reason = "max_new_tokens"
            break
        edit += 1
    res.text = "".join(pieces)
    res.analyzer_calls = guide.calls - calls0
    return res


# ---- transformers -----------------------------------------------------------------------


def _diff_token_id(tok: Any) -> int:
    ids = tok.encode(DIFF_TOKEN, add_special_tokens=False)
    if len(ids) != 1:
        raise EvalError(
            f"guided generation needs {DIFF_TOKEN} as one token of the tokenizer (the training stack "
            f"adds it); this one splits it into {len(ids)} tokens"
        )
    return int(ids[0])


class EditBoundaryCriteria:
    """A transformers ``StoppingCriteria`` that stops ``generate`` at each ``<|diff|>``.

    For your own loop: generate one edit with ``stopping_criteria=[EditBoundaryCriteria(tok)]``
    and ``past_key_values=cache``, judge the text with :meth:`EditGuide.check`, and on
    rejection crop the cache back to the boundary (``cache.crop(-n)`` drops the last ``n``
    positions in every transformers version) and sample again. Rows are done once they
    end in ``<|diff|>`` (EOS is handled by ``generate`` itself).
    """

    def __init__(self, tokenizer: Any) -> None:
        self.diff_id = _diff_token_id(tokenizer)

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        return input_ids[:, -1] == self.diff_id


def _sample_token(logits: Any, temperature: float, top_p: float, gen: Any) -> int:
    import torch

    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    if top_p < 1.0:
        sorted_p, order = torch.sort(probs, descending=True)
        cut = torch.cumsum(sorted_p, dim=-1) - sorted_p >= top_p  # keep the smallest nucleus
        sorted_p[cut] = 0.0
        probs = torch.zeros_like(probs).scatter(0, order, sorted_p)
    return int(torch.multinomial(probs, 1, generator=gen))


def _crop(cache: Any, length: int) -> None:
    """Cut ``cache`` to its first ``length`` positions. A negative argument means "remove
    that many" both in transformers 4 (where a positive one is the length to keep) and in 5
    (where a positive one is refused)."""
    extra = cache.get_seq_length() - length
    if extra > 0:
        cache.crop(-extra)


class TransformersEditModel:
    """One sample's decoding state for :func:`guide_edits`: token ids and a KV cache.

    A try decodes token by token from the last kept boundary with its own seeded
    generator; a rejected try is undone by cropping the cache back to the boundary
    (``DynamicCache.crop``), so the prompt and kept edits are never recomputed.
    """

    def __init__(self, model: Any, tokenizer: Any, prompt: str, *, temperature: float, top_p: float,
                 seed: int, prompt_index: int = 0, sample_index: int = 0, retry_temperature: float = 1.0) -> None:
        import torch
        from transformers import DynamicCache

        self.model, self.tok = model, tokenizer
        self.device = next(model.parameters()).device
        self.diff_id = _diff_token_id(tokenizer)
        self.eos = tokenizer.eos_token_id
        self.ids: list[int] = tokenizer(prompt, add_special_tokens=True)["input_ids"]
        self.prompt_len = len(self.ids)
        try:
            self.cache = DynamicCache(config=model.config)
        except TypeError:  # transformers < 4.56 builds it without the config
            self.cache = DynamicCache()
        self.cached = 0  # leading positions of self.ids whose keys/values the cache holds
        self.temperature, self.top_p, self.retry_temperature = temperature, top_p, retry_temperature
        self.seed, self.where = seed, (prompt_index, sample_index)
        self._last: tuple[tuple[int, ...], int] | None = None  # token ids of the last try, cache length
        self.torch = torch
        # transformers 5 renamed the forward argument ``past_key_values`` to ``cache``
        # (and 4.50 ``num_logits_to_keep`` to ``logits_to_keep``): pass what this version takes
        params = inspect.signature(model.forward).parameters
        self._forward_kw: dict[str, Any] = {"use_cache": True}
        keep = [k for k in ("logits_to_keep", "num_logits_to_keep") if k in params]
        if keep:
            self._forward_kw[keep[0]] = 1
        self._cache_kw = "cache" if "cache" in params else "past_key_values"

    def propose(self, edit: int, attempt: int, budget: int) -> Attempt:
        torch = self.torch
        gen = torch.Generator(device="cpu").manual_seed(attempt_seed(self.seed, *self.where, edit, attempt))
        temperature = self.temperature if attempt == 0 or self.temperature > 0 else self.retry_temperature
        start = min(self.cached, len(self.ids) - 1)
        _crop(self.cache, start)
        feed = self.ids[start:]
        new: list[int] = []
        end = "length"
        with torch.no_grad():
            while len(new) < budget:
                out = self.model(input_ids=torch.tensor([feed], device=self.device),
                                 **{self._cache_kw: self.cache}, **self._forward_kw)
                t = _sample_token(out.logits[0, -1].cpu(), temperature, self.top_p, gen)
                new.append(t)
                feed = [t]
                if t == self.eos:
                    end = "eos"
                    break
                if t == self.diff_id:
                    end = "diff"
                    break
        body = new[:-1] if end != "length" else new
        text = self.tok.decode(body, skip_special_tokens=False)
        self._last = (tuple(new), self.cache.get_seq_length())
        return Attempt(text[:-1] if end == "diff" and text.endswith("\n") else text, len(new), end, tuple(new))

    def commit(self, attempt: Attempt) -> None:
        reused = self._last is not None and self._last[0] == attempt.token_ids
        boundary = len(self.ids)
        kept = [t for t in attempt.token_ids if t != self.eos]
        self.ids.extend(kept)
        # the cache still holds this try's keys/values only if it was the last one decoded
        self.cached = min(self._last[1], len(self.ids)) if reused and self._last else min(self.cached, boundary)

    @property
    def generated_ids(self) -> list[int]:
        return self.ids[self.prompt_len:]


def guided_generate(
    model: Any,
    tokenizer: Any,
    prompt: str,
    guide: EditGuide,
    config: GuideConfig | None = None,
    *,
    max_new_tokens: int = 512,
    temperature: float = 0.0,
    top_p: float = 0.95,
    seed: int = 0,
    prompt_index: int = 0,
    sample_index: int = 0,
) -> GuidedResult:
    """Guided generation of one sample with a loaded transformers model (batch size 1).

    ``prompt`` ends in ``<|diff|>`` (:func:`lintseq_core.edits.training_prompt`); ``guide``
    starts at the program the edits apply to. Same ``seed``/indices: same result.
    """
    config = config or GuideConfig()
    state = TransformersEditModel(model, tokenizer, prompt, temperature=temperature, top_p=top_p, seed=seed,
                                  prompt_index=prompt_index, sample_index=sample_index,
                                  retry_temperature=config.retry_temperature)
    return guide_edits(state.propose, state.commit, guide, config, max_new_tokens)
