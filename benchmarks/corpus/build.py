"""Build the real-code development corpora, per language, from what package registries ship.

    python benchmarks/corpus/build.py                       # every language in sources/
    python benchmarks/corpus/build.py --lang go java --per-language 200
    python benchmarks/corpus/build.py --sources benchmarks/corpus/fresh --out ~/.cache/lintseq/fresh

Each ``sources/<language>.toml`` lists where that language's real code comes from: Debian
binary packages (``apt-get download`` + ``dpkg-deb -x``, nothing installed), npm packages
(``npm pack``) and PyPI sdists (``pip download --no-binary``). Downloads are cached under
``~/.cache/lintseq/downloads``; the corpus goes to ``~/.cache/lintseq/corpora/<language>/``:
the selected files (as ``<source>/<path inside the package>``) and ``manifest.jsonl``, one
line per file with its package, version, licence, line count and role. Nothing is committed.

Roles: ``program`` files compile alone (whole programs, judged absolutely by the compiler);
``library`` files belong to a package spread over several files (judged relatively: a state
passes when the compiler reports no error that the original lacks). Files are picked
deterministically (a hash of the path and ``--seed``), at most ``max_per_source`` from one
source so that many authors are represented, between ``min_lines`` and ``max_lines`` lines.

A source TOML looks like::

    language = "go"              # the lintseq language name
    extensions = [".go"]
    per_language = 300           # files kept in all (default 300)
    min_lines = 20               # default 20
    max_lines = 2000             # default 2000
    max_line_length = 300        # optional: drop files with a longer line (minified, bundled)
    exclude = ["**/testdata/**"] # globs (on the path inside the package) dropped everywhere

    [[source]]
    id = "go-test"               # folder name in the corpus
    kind = "apt"                 # apt | npm | pypi | local
    package = "golang-1.19-src"  # npm: "name@version", pypi: "name==version", local: a path
    include = ["usr/share/go-1.19/test/*.go"]
    exclude = []
    role = "program"             # program | library
    licence = "BSD-3-Clause"
    max_files = 80               # this source's cap (default: per_language / number of sources)
    require = ["func main"]      # optional: keep only files containing each of these strings
    reject = []                  # optional: drop files containing any of these strings
    min_lines = 500              # optional: this source's size window (e.g. to fill the large
    max_lines = 2000             #   sizes from a package whose files are mostly small)
    unpack = []                  # optional: archives in the package (globs) to unpack beside
                                 #   themselves, once (a source tarball); include sees inside
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
CACHE = Path(os.environ.get("LINTSEQ_CACHE", Path.home() / ".cache" / "lintseq"))
KINDS = ("apt", "npm", "pypi", "local")
ROLES = ("program", "library")
_SOURCE_KEYS = {"id", "kind", "package", "include", "exclude", "role", "licence", "max_files", "require", "reject",
                "min_lines", "max_lines", "unpack"}
_TOP_KEYS = {"language", "extensions", "per_language", "min_lines", "max_lines", "max_line_length", "exclude",
             "source"}


class CorpusError(Exception):
    """A source file or a download that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    package: str
    include: tuple[str, ...]
    role: str
    licence: str
    exclude: tuple[str, ...] = ()
    max_files: int | None = None
    require: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    min_lines: int | None = None  # this source's own size window (default: the language's)
    max_lines: int | None = None
    unpack: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageSources:
    language: str
    extensions: tuple[str, ...]
    sources: tuple[Source, ...]
    per_language: int = 300
    min_lines: int = 20
    max_lines: int = 2000
    exclude: tuple[str, ...] = field(default_factory=tuple)
    max_line_length: int | None = None  # longer lines mean generated code (minified, bundled)


def load_sources(path: Path) -> LanguageSources:
    """One ``sources/<language>.toml``, validated: an unknown key is an error naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise CorpusError(f"{path}: unknown key(s) {sorted(unknown)}; known: {sorted(_TOP_KEYS)}")
    sources = []
    for i, raw in enumerate(data.get("source", [])):
        bad = set(raw) - _SOURCE_KEYS
        if bad:
            raise CorpusError(f"{path}: source {i}: unknown key(s) {sorted(bad)}; known: {sorted(_SOURCE_KEYS)}")
        if raw.get("kind") not in KINDS:
            raise CorpusError(f"{path}: source {i}: kind must be one of {KINDS}, got {raw.get('kind')!r}")
        if raw.get("role") not in ROLES:
            raise CorpusError(f"{path}: source {i}: role must be one of {ROLES}, got {raw.get('role')!r}")
        sources.append(
            Source(
                id=raw["id"],
                kind=raw["kind"],
                package=raw["package"],
                include=tuple(raw["include"]),
                role=raw["role"],
                licence=raw.get("licence", "see package"),
                exclude=tuple(raw.get("exclude", ())),
                max_files=raw.get("max_files"),
                require=tuple(raw.get("require", ())),
                reject=tuple(raw.get("reject", ())),
                unpack=tuple(raw.get("unpack", ())),
                min_lines=raw.get("min_lines"),
                max_lines=raw.get("max_lines"),
            )
        )
    ids = [s.id for s in sources]
    if len(ids) != len(set(ids)):
        raise CorpusError(f"{path}: source ids must be unique: {ids}")
    return LanguageSources(
        language=data["language"],
        extensions=tuple(data["extensions"]),
        sources=tuple(sources),
        per_language=data.get("per_language", 300),
        min_lines=data.get("min_lines", 20),
        max_lines=data.get("max_lines", 2000),
        exclude=tuple(data.get("exclude", ())),
        max_line_length=data.get("max_line_length"),
    )


# ---- fetching (cached) -------------------------------------------------------------------
def _run(argv: list[str], cwd: Path) -> str:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise CorpusError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout


def _extract_archive(archive: Path, dest: Path) -> None:
    name = archive.name
    if name.endswith(".zip") or name.endswith(".whl"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(dest)
    elif name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
        with tarfile.open(archive) as tf:
            tf.extractall(dest, filter="data")
    else:
        raise CorpusError(f"do not know how to unpack {archive}")


def fetch(source: Source) -> tuple[Path, str]:
    """The unpacked tree of a source and its exact version, downloading once."""
    if source.kind == "local":
        root = Path(source.package).expanduser()
        if not root.is_dir():
            raise CorpusError(f"local source {source.id}: {root} is not a folder")
        return root, "local"
    safe = source.package.replace("/", "_").replace("@", "_").replace("=", "_")
    base = CACHE / "downloads" / source.kind / safe
    tree = base / "tree"
    version_file = base / "VERSION"
    if tree.is_dir() and version_file.exists():
        _unpack_inner(source, tree)
        return tree, version_file.read_text().strip()
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(dir=base))
    if source.kind == "apt":
        _run(["apt-get", "download", "-q", source.package], work)
        (deb,) = work.glob("*.deb")
        _run(["dpkg-deb", "-x", str(deb), str(work / "x")], work)
        version = deb.name.split("_")[1]
    elif source.kind == "npm":
        out = _run(["npm", "pack", "--silent", source.package], work).strip().splitlines()[-1]
        _extract_archive(work / out, work / "x")
        version = out.rsplit("-", 1)[-1].removesuffix(".tgz")
    else:  # pypi
        _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
              "--no-build-isolation", "-d", str(work), source.package], work)
        (archive,) = [p for p in work.iterdir() if p.is_file()]
        _extract_archive(archive, work / "x")
        version = source.package.partition("==")[2] or archive.name
    (work / "x").rename(tree)
    # A Java source zip inside the package (openjdk's lib/src.zip) is unpacked in place.
    for inner in tree.rglob("src.zip"):
        _extract_archive(inner, inner.with_suffix(""))
    shutil.rmtree(work, ignore_errors=True)
    version_file.write_text(version)
    _unpack_inner(source, tree)
    return tree, version


def _unpack_inner(source: Source, tree: Path) -> None:
    """Unpack the archives that ``source.unpack`` names, once, beside themselves
    (``x/gcc.tar.xz`` -> ``x/gcc/``); the download cache is shared by a package's sources."""
    for pattern in source.unpack:
        for archive in sorted(tree.glob(pattern)):
            target = archive.parent / archive.name.split(".tar")[0].removesuffix(".zip")
            if target.is_dir():
                continue
            work = Path(tempfile.mkdtemp(dir=archive.parent))
            _extract_archive(archive, work)
            work.rename(target)


# ---- selection ---------------------------------------------------------------------------
def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) for p in patterns)


def _rank(rel: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}:{rel}".encode()).hexdigest()


def candidates(lang: LanguageSources, source: Source, tree: Path) -> list[tuple[str, str, int]]:
    """(path inside the package, text, lines) of every usable file, in a seeded order."""
    out = []
    for path in tree.rglob("*"):
        if not path.is_file() or path.suffix not in lang.extensions or path.is_symlink():
            continue
        rel = path.relative_to(tree).as_posix()
        if not _matches(rel, source.include) or _matches(rel, source.exclude + lang.exclude):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        n = text.count("\n") + (0 if text.endswith("\n") else 1)
        low = lang.min_lines if source.min_lines is None else source.min_lines
        high = lang.max_lines if source.max_lines is None else source.max_lines
        if not low <= n <= high:
            continue
        if any(s not in text for s in source.require) or any(s in text for s in source.reject):
            continue
        if lang.max_line_length and max(map(len, text.splitlines()), default=0) > lang.max_line_length:
            continue
        out.append((rel, text, n))
    return out


def build_language(lang: LanguageSources, out_root: Path, seed: int, per_language: int | None) -> Path:
    """Fetch every source of a language, select files, write them and the manifest."""
    target = per_language or lang.per_language
    out_dir = out_root / lang.language
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    default_cap = max(1, -(-target // max(1, len(lang.sources))))
    pools: list[tuple[Source, str, list[tuple[str, str, int]]]] = []
    for source in lang.sources:
        tree, version = fetch(source)
        found = sorted(candidates(lang, source, tree), key=lambda c: _rank(c[0], seed))
        pools.append((source, version, found))
        print(f"  {lang.language}/{source.id}: {len(found)} usable files ({source.package} {version})", file=sys.stderr)
    # Round robin over sources, each up to its cap, until the language's target is met.
    chosen: list[tuple[Source, str, tuple[str, str, int]]] = []
    taken = {s.id: 0 for s, _, _ in pools}
    progress = True
    while len(chosen) < target and progress:
        progress = False
        for source, version, found in pools:
            cap = source.max_files or default_cap
            k = taken[source.id]
            if k < len(found) and k < cap and len(chosen) < target:
                chosen.append((source, version, found[k]))
                taken[source.id] = k + 1
                progress = True
    with open(out_dir / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for source, version, (rel, text, n) in chosen:
            dest = out_dir / source.id / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
            row = {
                "path": f"{source.id}/{rel}",
                "language": lang.language,
                "role": source.role,
                "source": source.id,
                "package": source.package,
                "version": version,
                "licence": source.licence,
                "lines": n,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
            manifest.write(json.dumps(row) + "\n")
    print(f"{lang.language}: {len(chosen)} files -> {out_dir}", file=sys.stderr)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lang", nargs="+", help="languages to build (default: every sources/*.toml)")
    p.add_argument("--out", type=Path, default=CACHE / "corpora", help="corpus root (default ~/.cache/lintseq/corpora)")
    p.add_argument("--per-language", type=int, help="files per language (default: the TOML's per_language)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sources", type=Path, default=SOURCES,
                   help="folder of <language>.toml source lists (default: sources/; fresh/ holds "
                        "packages the development corpora do not use)")
    args = p.parse_args(argv)
    files = sorted(args.sources.glob("*.toml"))
    if not files:
        p.error(f"no <language>.toml in {args.sources}")
    langs = [load_sources(f) for f in files]
    if args.lang:
        unknown = set(args.lang) - {lang.language for lang in langs}
        if unknown:
            p.error(f"no sources for {sorted(unknown)}; have {[lang.language for lang in langs]}")
        langs = [lang for lang in langs if lang.language in args.lang]
    for lang in langs:
        try:
            build_language(lang, args.out, args.seed, args.per_language)
        except CorpusError as exc:
            print(f"error: {lang.language}: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
