#!/usr/bin/python3
"""A black-box run of hostile inputs through the driftgate CLI.

Usage:
  /usr/bin/python3 tests/hostile/hostile.py --driftgate build/release/cli/driftgate [--cases 600]
      [--seed 1] [--timeout 60] [--keep DIR]

Starting from a small credit snapshot pair (the first rows of examples/credit/), every case writes
a mutated reference and/or current file and runs one command on them (drift, check, perf, proxy,
profile build, drift against a saved profile), each as its own process. The mutations are what
production files and attackers do: truncation at any byte, bytes flipped, deleted or inserted (NUL,
quotes, delimiters, CR, non-UTF-8), a column dropped, renamed, duplicated or added, cells replaced by
text ("N/A", "abc", "1e999", "-inf", "", "True"), rows ragged, a header alone, an empty file, a
BOM, UTF-16, gzip bytes, CRLF and CR-only line ends, a 1 MB field, a very long header name, the
files swapped, a profile given as the current file, an output naming an input, and a file
rewritten or truncated while the run reads it (a concurrent writer).

Every run must hold these invariants; a violation is printed with its case and counted:
  * no crash and no hang: the process ends by itself, with a documented exit code
    (0, 1, 2, 64, 65, 66, 71, 74), never by a signal, within --timeout seconds;
  * no exit 0 on input it could not judge: when the run exits 0, 1 or 2 its JSON report parses,
    and every column of the reference's header that the run monitors and the current file lacks
    appears as a schema check that is not ok; a run whose current file has none of the monitored
    columns never exits 0;
  * every error (exit 64-74) is one line or more on standard error starting "driftgate: error:",
    and standard output is empty;
  * no input overwritten: each input file's bytes are the same after the run (SHA-256), also when
    the run was asked to write its report onto one of them.

It prints the counts per command, per exit code and per family of mutation, and exits 1 when any
invariant was violated. Deterministic for a seed (the concurrent-writer cases depend on timing but
are judged by the same invariants). Not part of ctest: CI runs it with --cases 300.
"""
import argparse
import collections
import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCUMENTED = {0, 1, 2, 64, 65, 66, 71, 74}
FEATURES = ["PAY_0", "PAY_2", "LIMIT_BAL", "utilization_1", "AGE"]


def read_lines(path, n):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    return lines[: n + 1]


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


class Case:
    def __init__(self, family, ref, cur, args, drop=None, concurrent=None, output_on_input=False):
        self.family = family
        self.ref = ref            # bytes of the reference (or None: the pristine one)
        self.cur = cur            # bytes of the current file
        self.args = args          # the command as a list, with {ref}, {cur}, {out} placeholders
        self.drop = drop or []    # monitored columns the current file no longer has
        self.concurrent = concurrent  # a function(path) run on a thread while the command reads
        self.output_on_input = output_on_input


def cells(lines):
    return [l.split(b",") for l in lines if l]


def join(rows, eol=b"\n"):
    return eol.join(b",".join(r) for r in rows) + eol


def mutate_bytes(rng, data):
    data = bytearray(data)
    k = rng.randrange(1, 8)
    for _ in range(k):
        op = rng.randrange(4)
        if not data:
            break
        i = rng.randrange(len(data))
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i: i + rng.randrange(1, 40)]
        elif op == 2:
            data[i:i] = rng.choice([b"\x00", b'"', b",", b"\r", b"\xff\xfe", b"\n", b'""', b";", b"\xe9"])
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return bytes(data)


def make_cases(rng, ref_lines, cur_lines, n):
    ref = join(cells(ref_lines))
    cur_rows = cells(cur_lines)
    header = cur_rows[0]
    cur = join(cur_rows)
    cmd_drift = ["drift", "{ref}", "{cur}", "--columns", ",".join(FEATURES), "--score", "score", "--format", "json"]
    cmd_check = ["check", "--config", os.path.join(ROOT, "examples/credit/config.toml"), "--reference", "{ref}",
                 "--current", "{cur}", "--format", "json"]
    cmd_perf = ["perf", "{cur}", "--score", "score", "--label", "default", "--format", "json"]
    cmd_proxy = ["proxy", "{cur}", "--score", "score", "--format", "json"]
    cmd_default = ["drift", "{ref}", "{cur}", "--format", "json"]
    commands = [cmd_drift, cmd_check, cmd_perf, cmd_proxy, cmd_default]
    cases = []

    def add(family, ref_b, cur_b, args, **kw):
        cases.append(Case(family, ref_b, cur_b, args, **kw))

    families = ["bytes", "truncate", "drop_column", "rename_column", "duplicate_column", "new_column", "bad_cell",
                "ragged", "header_only", "empty", "bom_crlf", "cr_only", "utf16", "gzip", "long_field",
                "long_header", "swap", "profile_as_current", "output_on_input", "concurrent", "wrong_file",
                "all_missing", "constant", "label_as_score"]
    for k in range(n):
        fam = families[k % len(families)]
        args = rng.choice(commands)
        if fam == "bytes":
            if rng.random() < 0.5:
                add(fam, ref, mutate_bytes(rng, cur), args)
            else:
                add(fam, mutate_bytes(rng, ref), cur, args)
        elif fam == "truncate":
            add(fam, ref, cur[: rng.randrange(len(cur))], args)
        elif fam == "drop_column":
            j = rng.randrange(len(header))
            name = header[j].decode()
            rows = [r[:j] + r[j + 1:] for r in cur_rows]
            add(fam, ref, join(rows), args, drop=[name])
        elif fam == "rename_column":
            j = rng.randrange(len(header))
            rows = [list(r) for r in cur_rows]
            name = rows[0][j].decode()
            rows[0][j] = rows[0][j] + b"_v2"
            add(fam, ref, join(rows), args, drop=[name])
        elif fam == "duplicate_column":
            j = rng.randrange(len(header))
            rows = [r + [r[j]] for r in cur_rows]
            add(fam, ref, join(rows), args)
        elif fam == "new_column":
            rows = [r + [b"extra" if i == 0 else str(rng.randrange(5)).encode()] for i, r in enumerate(cur_rows)]
            add(fam, ref, join(rows), args)
        elif fam == "bad_cell":
            rows = [list(r) for r in cur_rows]
            for _ in range(rng.randrange(1, 4)):
                i = rng.randrange(1, len(rows))
                j = rng.randrange(len(header))
                rows[i][j] = rng.choice([b"N/A", b"abc", b"1e999", b"-inf", b"", b"True", b"0x10", b"1,5", b'"7"', b"--1"])
            add(fam, ref, join(rows), args)
        elif fam == "ragged":
            rows = [list(r) for r in cur_rows]
            i = rng.randrange(1, len(rows))
            rows[i] = rows[i][:-1] if rng.random() < 0.5 else rows[i] + [b"9"]
            add(fam, ref, join(rows), args)
        elif fam == "header_only":
            add(fam, ref, join(cur_rows[:1]), args)
        elif fam == "empty":
            add(fam, ref if rng.random() < 0.5 else b"", b"" if rng.random() < 0.7 else cur, args)
        elif fam == "bom_crlf":
            add(fam, b"\xef\xbb\xbf" + ref, join(cur_rows, b"\r\n"), args)
        elif fam == "cr_only":
            add(fam, ref, join(cur_rows, b"\r"), args)
        elif fam == "utf16":
            add(fam, ref, b"\xff\xfe" + cur.decode().encode("utf-16-le"), args)
        elif fam == "gzip":
            add(fam, ref, gzip.compress(cur, mtime=0), args)
        elif fam == "long_field":
            rows = [list(r) for r in cur_rows]
            rows[rng.randrange(1, len(rows))][rng.randrange(len(header))] = b"9" * (1 << 20)
            add(fam, ref, join(rows), args)
        elif fam == "long_header":
            rows = [list(r) for r in cur_rows]
            rows[0] = rows[0] + [b"h" * (1 << 22)]
            rows[1:] = [r + [b"1"] for r in rows[1:]]
            add(fam, ref, join(rows), args)
        elif fam == "swap":
            add(fam, cur, ref, args)
        elif fam == "profile_as_current":
            add(fam, ref, None, ["drift", "{ref}", "{profile}", "--format", "json"])
        elif fam == "output_on_input":
            target = rng.choice(["{ref}", "{cur}"])
            add(fam, ref, cur, cmd_drift + ["--output", target], output_on_input=True)
        elif fam == "concurrent":
            def writer(path, rng_state=rng.random()):
                time.sleep(0.002 + 0.02 * rng_state)
                try:
                    with open(path, "r+b") as f:
                        if rng_state < 0.5:
                            f.truncate(max(0, os.path.getsize(path) // 3))
                        else:
                            f.seek(0)
                            f.write(b"x" * 64)
                except OSError:
                    pass
            add(fam, ref, cur, rng.choice([cmd_drift, cmd_perf, cmd_default]), concurrent=writer)
        elif fam == "wrong_file":
            rows = [[b"a", b"b"]] + [[str(i).encode(), str(i * 2).encode()] for i in range(50)]
            add(fam, ref, join(rows), rng.choice([cmd_drift, cmd_default, cmd_check]), drop=list(FEATURES))
        elif fam == "all_missing":
            j = rng.randrange(len(header))
            rows = [list(r) for r in cur_rows]
            for r in rows[1:]:
                r[j] = b""
            add(fam, ref, join(rows), args)
        elif fam == "constant":
            j = rng.randrange(len(header))
            rows = [list(r) for r in cur_rows]
            for r in rows[1:]:
                r[j] = rows[1][j]
            add(fam, ref, join(rows), args)
        elif fam == "label_as_score":
            add(fam, ref, cur, ["perf", "{cur}", "--score", "default", "--label", "default", "--format", "json"])
    return cases


def monitored(args, ref_header):
    """The columns a drift/check run monitors (for the schema invariant)."""
    if args[0] == "drift" and "--columns" in args:
        return args[args.index("--columns") + 1].split(",")
    if args[0] in ("drift", "check"):
        return [h for h in ref_header if h not in ("score", "default")]
    return []


def run_case(exe, case, tmp, timeout, ref_pristine, cur_pristine, profile):
    ref_path = os.path.join(tmp, "ref.csv")
    cur_path = os.path.join(tmp, "cur.csv")
    out_path = os.path.join(tmp, "out.json")
    with open(ref_path, "wb") as f:
        f.write(case.ref if case.ref is not None else ref_pristine)
    with open(cur_path, "wb") as f:
        f.write(case.cur if case.cur is not None else cur_pristine)
    args = [a.replace("{ref}", ref_path).replace("{cur}", cur_path).replace("{out}", out_path).replace("{profile}", profile)
            for a in case.args]
    before = {p: sha(p) for p in (ref_path, cur_path, profile)}
    proc = subprocess.Popen([exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    t = None
    if case.concurrent:
        t = threading.Thread(target=case.concurrent, args=(cur_path,))
        t.start()
    problems = []
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        problems.append(f"hang: no end within {timeout} s")
    if t:
        t.join()
    code = proc.returncode
    if code < 0:
        problems.append(f"killed by signal {-code}")
    elif code not in DOCUMENTED and not problems:
        problems.append(f"undocumented exit code {code}")
    if not case.concurrent:
        for p, h in before.items():
            if sha(p) != h:
                problems.append(f"input overwritten: {os.path.basename(p)}")
    elif sha(ref_path) != before[ref_path] or sha(profile) != before[profile]:
        problems.append("input overwritten")
    if case.output_on_input and code != 64:
        problems.append(f"--output naming an input gave exit {code}, not 64")
    if code in (0, 1, 2):
        try:
            report = json.loads(out) if "--output" not in args else None
        except ValueError:
            report = None
            problems.append("a report that is not JSON")
        if report is not None:
            schema = {(c.get("column"), c["severity"]) for c in report["checks"] if c["section"] == "schema"}
            for name in case.drop:
                if name in monitored(case.args, FEATURES + ["PAY_3", "PAY_4", "PAY_5", "PAY_6", "payment_ratio_1", "BILL_AMT1"]) \
                        and not any(col == name and sev != "ok" for col, sev in schema):
                    if not (case.args[0] in ("perf", "proxy")):
                        problems.append(f"column {name} dropped from the current file, yet no schema breach")
            if case.family == "wrong_file" and code == 0:
                problems.append("exit 0 on a current file without any monitored column")
    elif code in DOCUMENTED:
        if out.strip() and "--output" not in args:
            problems.append("an error with a report on standard output")
        if not err.decode(errors="replace").startswith("driftgate: error:") and code != 0:
            problems.append("an error message without the 'driftgate: error:' prefix: " + err[:120].decode(errors="replace"))
    return code, problems, err.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--driftgate", default=os.path.join(ROOT, "build/release/cli/driftgate"))
    ap.add_argument("--cases", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--keep", help="copy the inputs of failing cases here")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ref_lines = read_lines(os.path.join(ROOT, "examples/credit/reference.csv"), 1500)
    cur_lines = read_lines(os.path.join(ROOT, "examples/credit/current_drifted.csv"), 800)
    cases = make_cases(rng, ref_lines, cur_lines, a.cases)
    by_code = collections.Counter()
    by_cmd = collections.Counter()
    by_family = collections.defaultdict(collections.Counter)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="driftgate-hostile-") as tmp:
        ref_pristine = join(cells(ref_lines))
        cur_pristine = join(cells(cur_lines))
        base = os.path.join(tmp, "base.csv")
        with open(base, "wb") as f:
            f.write(ref_pristine)
        profile = os.path.join(tmp, "ref.dgp")
        subprocess.run([a.driftgate, "profile", "build", base, "-o", profile, "-q"], check=True)
        start = time.time()
        for i, case in enumerate(cases):
            code, problems, err = run_case(a.driftgate, case, tmp, a.timeout, ref_pristine, cur_pristine, profile)
            by_code[code] += 1
            by_cmd[case.args[0]] += 1
            by_family[case.family][code] += 1
            if problems:
                failures += 1
                print(f"case {i} ({case.family}, {' '.join(case.args[:2])}): exit {code}: {'; '.join(problems)}")
                print("   stderr: " + err.strip()[:300])
                if a.keep:
                    d = os.path.join(a.keep, f"case-{i}")
                    os.makedirs(d, exist_ok=True)
                    for name in ("ref.csv", "cur.csv"):
                        shutil.copy(os.path.join(tmp, name), d)
                    with open(os.path.join(d, "command"), "w") as f:
                        f.write(" ".join(case.args) + "\n")
        elapsed = time.time() - start
    print(f"\n{len(cases)} cases in {elapsed:.0f} s, {failures} violating an invariant")
    print("by exit code: " + ", ".join(f"{c}: {n}" for c, n in sorted(by_code.items())))
    print("by command:   " + ", ".join(f"{c}: {n}" for c, n in sorted(by_cmd.items())))
    print("by family (exit code: count):")
    for fam, counts in sorted(by_family.items()):
        print(f"  {fam:20s} " + ", ".join(f"{c}: {n}" for c, n in sorted(counts.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
