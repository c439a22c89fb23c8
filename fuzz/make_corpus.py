#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz_corpus/<target>/.

    /usr/bin/python3 fuzz/make_corpus.py

fuzz_csv:    every CSV fixture of tests/data/csv, the head of the tests/data/e2e snapshots, every
             malformed CSV of the bad-input table of tests/e2e/test_cli.cpp, and a few edge cases,
             each behind the mode byte that fuzz_csv.cpp reads first (delimiter, column request,
             policy, thread-count check).
fuzz_config: the default configuration (cli/config.cpp default_config_toml), every configuration
             case of the bad-input table, and a few valid overrides.
fuzz_stats:  samples in fuzz_stats.cpp's record format: ties, NaN, infinities, huge and subnormal
             values, one-element and unbalanced samples, valid probabilities with both classes.
fuzz_profile: small profile files written from docs/profile-format.md (counted columns with signed
             zeros and infinities, categories with an empty name, booleans, a sorted column plain
             and one run-coded, the score by class, no columns at all), each as a whole file
             (mode byte 0) and as contents for the target to frame (mode byte 1).
Files are named by content hash, as libFuzzer names what it adds, so that reruns are idempotent.
Inputs found by fuzzing (regression inputs) live in the same directories under names starting
with "regress-"; this script never removes files.
"""
import hashlib
import os
import re
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fuzz_corpus")


def put(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def mode(delim=0, request=2, skip=False, case=False, threads=0):
    return bytes([delim | (request << 2) | (int(skip) << 4) | (int(case) << 5) | (threads << 6)])


# ---- CSV ------------------------------------------------------------------------------------
def csv_seeds():
    seeds = []
    data = os.path.join(ROOT, "tests", "data")
    for name in sorted(os.listdir(os.path.join(data, "csv"))):
        with open(os.path.join(data, "csv", name), "rb") as f:
            text = f.read()
        delim = 1 if "semicolon" in name else 2 if "tab" in name else 0
        seeds.append((delim, text))
    for name in ("reference.csv", "moderate.csv", "severe.csv"):
        path = os.path.join(data, "e2e", name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                seeds.append((0, b"".join(f.readlines()[:25])))
    # The malformed CSV inputs of the end-to-end bad-input table.
    with open(os.path.join(ROOT, "tests", "e2e", "test_cli.cpp"), encoding="utf-8") as f:
        src = f.read()
    for name, content in re.findall(r'\{"([^"]+)", "((?:[^"\\]|\\.)*)", "', src):
        if name.startswith("config"):
            continue
        seeds.append((0, content.encode().decode("unicode_escape").encode("latin-1")))
    seeds += [
        (0, b'a,b\n"1,5","x""y"\n"",NA\n'),
        (0, b'a,b\r\n1,2\r\n3,4'),
        (0, b'\xef\xbb\xbfa,b\n1,2\n'),
        (0, b'a,b\n inf , -Infinity\n+1.5,nan\n1e308,1e-320\n0x10,1e999\n'),
        (0, b'a\n""\n1\n\n\n'),
        (0, b'a,a\n1,2\n'),
        (0, b'a,b\n1,"2\n3"\n'),
        (0, b'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n'),
        (0, b'a,b\n1\r2,3\n'),
        (0, b',b\n1,2\n'),
        (1, b'a;b\n1,5;2\n"3;4";NULL\n'),
        (2, b'a\tb\n1\t2\n\t\n'),
        (0, b'x\n-999\nNA\nna\nNULL\n'),
    ]
    for delim, text in seeds:
        put("fuzz_csv", mode(delim, 2) + text)
        put("fuzz_csv", mode(delim, 0, threads=3) + text)
        put("fuzz_csv", mode(delim, 1, skip=True, threads=1) + text)


# ---- configuration --------------------------------------------------------------------------
def config_seeds():
    with open(os.path.join(ROOT, "cli", "config.cpp"), encoding="utf-8") as f:
        src = f.read()
    m = re.search(r'default_config_toml\(\) \{\s*return R"\((.*?)\)";', src, re.S)
    if m:
        put("fuzz_config", m.group(1).encode())
    with open(os.path.join(ROOT, "tests", "e2e", "test_cli.cpp"), encoding="utf-8") as f:
        cli = f.read()
    for name, content in re.findall(r'\{"(config[^"]*)", "((?:[^"\\]|\\.)*)", "', cli):
        put("fuzz_config", content.encode().decode("unicode_escape").encode("latin-1"))
    for text in [
        "",
        '[importance]\nincome = 0.1\ncode = 0.5\nutil = 0.4\n[drift]\ntop_k = 2\n',
        '[input]\nreference = "r.csv"\ncurrent = "c.csv"\ndelimiter = "\\t"\nmissing_values = ["-999"]\n',
        '[features.PAY_0]\nbinning = "distinct"\n[features.LIMIT_BAL]\nedges = [0, 1e4, 1e5, 1e6]\npsi_warning = 0.05\n'
        'psi_critical = 0.2\nks_pvalue_warning = 0.1\nks_pvalue_critical = 0.001\nbins = 5\nmax_distinct = 3\n',
        '[drift]\nbinning = "uniform"\nbins = 1\nepsilon = 1e-12\nks_method = "exact"\nks_alternative = "less"\n'
        '[drift.ks_statistic]\nwarning = 0.1\ncritical = 0.2\n[drift.csi]\ntarget = 0.01\n',
        '[proxy]\nconfidence = 0.999999\nhigh_risk_above = 1\napproval_below = 0\n'
        '[proxy.mean_score]\nlow = 0.1\nhigh = 0.1\nseverity = "warning"\n',
        '[checks]\ndrift = false\ncsi = false\nperformance = false\nproxies = false\n'
        '[columns]\nfeatures = ["a", "b"]\nexclude = ["id"]\nscore = ""\nlabel = ""\n',
        '[performance]\nthreshold = 0\nconfidence = 0.5\n[performance.auc]\nwarning = inf\ncritical = -inf\n',
        '[drift.psi]\nwarning = nan\n',
        '[features]\nx = 1\n',
        '[drift]\nbins = 9223372036854775807\n',
    ]:
        put("fuzz_config", text.encode())


# ---- statistics -----------------------------------------------------------------------------
SPECIAL = {"nan": 192, "inf": 193, "-inf": 194, "0": 195, "-0": 196, "max": 197, "-max": 198,
           "min": 199, "-min": 200, "denorm": 201, "-denorm": 202, "1e300": 203, "-1e300": 204}


def rec(label, v):
    """One (label byte, value) record; v: int in [-4, 11], float, or a SPECIAL name."""
    if isinstance(v, str):
        return bytes([label, SPECIAL[v]])
    if isinstance(v, int) and -4 <= v <= 11:
        return bytes([label, v + 4])
    if isinstance(v, float) and 0.0 <= v < 1.0 and (v * 65536).is_integer():
        return bytes([label, 64]) + struct.pack("<H", int(v * 65536))
    return bytes([label, 128]) + struct.pack("<d", float(v))


def stats_seeds():
    import random
    rnd = random.Random(20240601)
    cases = []
    # probabilities with both classes, balanced split
    cases.append((0x2A, 128, [(i % 2, rnd.randrange(65536) / 65536.0) for i in range(40)]))
    # heavy ties
    cases.append((0x13, 100, [(rnd.randrange(2), rnd.randrange(-4, 12)) for i in range(60)]))
    # one element each
    cases.append((0x00, 128, [(0, 1), (1, 2)]))
    # unbalanced: 1 vs many
    cases.append((0x45, 3, [(i % 2, rnd.gauss(0, 1)) for i in range(80)]))
    # NaN and infinities
    cases.append((0x71, 128, [(0, "nan"), (1, "inf"), (0, "-inf"), (1, 0.25), (0, "nan"), (1, 3), (0, "-inf"), (1, "inf")]))
    # huge and subnormal magnitudes
    cases.append((0x8F, 128, [(i % 2, v) for i, v in enumerate(["max", "-max", "denorm", "-denorm", "min", "1e300",
                                                                 "-1e300", 1e-310, -1e150, 1e150, "0", "-0"])]))
    # all identical
    cases.append((0x09, 128, [(i % 2, 0.5) for i in range(30)]))
    # bad labels and weights 0
    cases.append((0x30, 128, [(0xFF, 0.1), (0xFE, 0.2), (0, 0.3), (1, 0.4)]))
    cases.append((0xF7, 128, [(i % 2, 0.1 * (i % 7)) for i in range(24)]))  # weight 0 everywhere
    # strong drift for tiny p-values (exact log recursion): 200 vs 150 separated samples
    cases.append((0x05, 146, [(i % 2, float(i)) for i in range(200)] + [(i % 2, 1e6 + i) for i in range(150)]))
    # equal sizes, one-sided
    cases.append((0x03, 128, [(i % 2, rnd.random() * 10) for i in range(64)]))
    for k, (head, split, recs) in enumerate(cases):
        # label bytes 0/1 get weight 1 (bit 1 set) except in the all-zero-weight case (k == 8)
        lab = lambda l: l if l >= 0xFE or k == 8 else (l & 1) | 0x02
        put("fuzz_stats", bytes([head, split]) + b"".join(rec(lab(l), v) for l, v in recs))


# ---- profiles ---------------------------------------------------------------------------------
K1, K2, M64 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, (1 << 64) - 1


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def profile_checksum(contents):
    """docs/profile-format.md: words into four lanes, folded with the length, then the finish."""
    lane = [K1, K2, ~K1 & M64, ~K2 & M64]
    padded = contents + b"\0" * (-len(contents) % 8)
    for i in range(0, len(padded), 8):
        w = struct.unpack_from("<Q", padded, i)[0]
        k = (i // 8) % 4
        lane[k] = (rotl(lane[k] ^ ((w * K2) & M64), 31) * K1) & M64
    h = (len(contents) * K1) & M64
    for x in lane:
        h = (rotl(h ^ ((x * K2) & M64), 27) * K1 + 0x52DCE729) & M64
    h ^= h >> 33
    h = (h * K2) & M64
    h ^= h >> 29
    return h


def u64(v):
    return struct.pack("<Q", v)


def f64s(vs):
    return b"".join(struct.pack("<d", v) for v in vs)


def text(s):
    b = s.encode("utf-8")
    return u64(len(b)) + b + b"\0" * (-len(b) % 8)


def sorted_plain(values, missing=0):
    return u64(missing) + u64(0) + u64(len(values)) + f64s(values)


def sorted_runs(values, counts, missing=0):
    return u64(missing) + u64(1) + u64(len(values)) + f64s(values) + b"".join(u64(c) for c in counts)


def column(name, typ, rep, body, invalid=0, first_invalid=""):
    return text(name) + u64(typ) + u64(invalid) + text(first_invalid) + u64(rep) + body


def counted(values, counts, missing=0):
    return u64(missing) + u64(len(values)) + f64s(values) + b"".join(u64(c) for c in counts)


def categories(names, counts, missing=0):
    return u64(missing) + u64(len(names)) + b"".join(text(n) for n in names) + b"".join(u64(c) for c in counts)


def profile_contents(rows, header, columns, classes=None, score="", label=""):
    out = text("seed.csv") + u64(rows) + u64(1700000000) + text("0.2.0") + text(score) + text(label)
    out += u64(len(header)) + b"".join(text(h) for h in header)
    out += u64(len(columns)) + b"".join(columns)
    if classes is None:
        return out + u64(0)
    return out + u64(1) + classes[0] + classes[1]


def profile_file(contents):
    return b"\x89DGP\r\n\x1a\n" + struct.pack("<II", 1, 0) + u64(len(contents)) + contents + u64(profile_checksum(contents))


def profile_seeds():
    inf = float("inf")
    small = profile_contents(
        6, ["x", "grade", "flag", "score", "default"],
        [column("x", 0, 2, counted([-0.0, 0.0, 1.0, inf], [1, 1, 2, 1], 1), 1, "ref.csv:6:2: \"?\""),
         column("grade", 2, 3, categories(["", "A", "B"], [1, 3, 1], 1)),
         column("flag", 1, 2, counted([0.0, 1.0], [2, 3], 1)),
         column("score", 0, 2, counted([0.1, 0.5, 0.9], [3, 2, 1]))],
        (sorted_plain([0.5, 0.9]), sorted_runs([0.1, 0.5], [3, 1])), "score", "default")
    wide = [i * 0.5 - 40.0 for i in range(300)]
    sorted_cols = profile_contents(
        900, ["plain", "runs"],
        [column("plain", 0, 0, sorted_plain(wide, 600)),
         column("runs", 0, 0, sorted_runs([-inf, -0.0, 0.0] + wide[1:], [2] * 302))])
    empty = profile_contents(0, [], [])
    texts = profile_contents(
        4, ["", "a long column name \u00e4\u00f6", "unprofiled"],
        [column("", 0, 2, counted([], [], 4)),
         column("a long column name \u00e4\u00f6", 2, 3, categories(["1234567", "12345678", "123456789"], [1, 1, 1], 1))])
    for contents in (small, sorted_cols, empty, texts):
        put("fuzz_profile", b"\x00" + profile_file(contents))
        put("fuzz_profile", b"\x01" + contents)
    # Format 3: the same contents (no sorted column, so no deviation) followed by parts: none, and
    # the two parts of a merged profile.
    for contents in (small + u64(2) + u64(1) + u64(5), empty + u64(0)):
        put("fuzz_profile", b"\x07" + contents)


if __name__ == "__main__":
    csv_seeds()
    config_seeds()
    stats_seeds()
    profile_seeds()
    for t in sorted(os.listdir(OUT)):
        print(t, len(os.listdir(os.path.join(OUT, t))))
