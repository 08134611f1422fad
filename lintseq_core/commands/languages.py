"""``lintseq-core languages``: what plugins, languages and analyzers are installed."""

from __future__ import annotations

import argparse
import json

from lintseq_core.host import get_host

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("languages", help="list plugins, languages and analyzers")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    host = get_host()
    data: dict = {
        "plugins": [
            {"name": r.name, "distribution": r.distribution, "version": r.version, "module": r.entry_point.value}
            for r in host.refs
        ],
        "languages": {},
        "versions": dict(host.versions()),
    }
    for name, lang in host.languages.items():
        analyzers = {}
        for aname, info in host.analyzers(name).items():
            problem = info.available() if info.available else None
            analyzers[aname] = {
                "kind": info.kind,
                "description": info.description,
                "version": info.version,
                "available": problem is None,
                **({"problem": problem} if problem else {}),
            }
        data["languages"][name] = {
            "aliases": list(lang.aliases),
            "extensions": list(lang.extensions),
            "fence_tags": list(lang.fence_tags),
            "default_analyzer": lang.default_analyzer,
            "analyzers": analyzers,
        }
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print("plugins:")
    for p in data["plugins"]:
        print(f"  {p['name']:<12} {p['distribution']} {p['version']}  ({p['module']})")
    print("languages:")
    for name, lang in data["languages"].items():
        print(f"  {name}  aliases: {', '.join(lang['aliases']) or '-'}  extensions: {', '.join(lang['extensions']) or '-'}")
        for aname, a in lang["analyzers"].items():
            mark = "*" if aname == lang["default_analyzer"] else " "
            state = "ok" if a["available"] else f"unavailable: {a['problem']}"
            print(f"   {mark} {aname:<12} {a['kind']:<9} {a['version']:<10} {state}")
    if data["versions"]:
        print("versions:")
        for k, v in data["versions"].items():
            print(f"  {k} {v}")
    return 0
