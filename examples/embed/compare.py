#!/usr/bin/python3
"""Checks that examples/embed reproduces `driftgate check`'s JSON: the same checks in the same
order, every field equal (numbers parsed to the same doubles), the same status and summary.

Usage: examples/embed/compare.py EMBED_EXE DRIFTGATE_EXE CONFIG REFERENCE CURRENT

Exits 0 when the two agree, 1 (with the first difference) when they do not, 2 on wrong usage.
"""
import json
import subprocess
import sys

USAGE = "usage: compare.py EMBED_EXE DRIFTGATE_EXE CONFIG REFERENCE CURRENT"


def main():
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__.strip())
        sys.exit(0)
    if len(args) != 5:
        print(f"{USAGE}\ncompare.py: error: expected 5 arguments, got {len(args)}", file=sys.stderr)
        sys.exit(2)
    embed, driftgate, config, reference, current = args
    a = subprocess.run([embed, config, reference, current], capture_output=True, text=True)
    b = subprocess.run([driftgate, "check", "--config", config, "--reference", reference, "--current", current,
                        "--format", "json"], capture_output=True, text=True)
    if a.returncode != b.returncode:
        sys.exit(f"exit codes differ: embed {a.returncode}, driftgate {b.returncode}\n{a.stderr}{b.stderr}")
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    for key in ("status", "checks"):
        if ja[key] != jb[key]:
            if key == "checks":
                for x, y in zip(ja[key], jb[key]):
                    if x != y:
                        sys.exit(f"first differing check:\nembed:     {json.dumps(x)}\ndriftgate: {json.dumps(y)}")
                sys.exit(f"{len(ja[key])} checks from embed, {len(jb[key])} from driftgate")
            sys.exit(f"{key} differs: {ja[key]!r} against {jb[key]!r}")
    if {k: v for k, v in ja["summary"].items()} != jb["summary"]:
        sys.exit(f"summaries differ: {ja['summary']} against {jb['summary']}")
    print(f"examples/embed reproduces driftgate check: {len(ja['checks'])} checks, status {ja['status']}, "
          f"exit {a.returncode}")


if __name__ == "__main__":
    main()
