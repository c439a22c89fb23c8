#!/usr/bin/env python3
"""Writes the compressed fixtures of tests/e2e/test_compressed.cpp and tests/cli/test_decompress.cpp
from the plain fixtures of tests/data/e2e, with Python's gzip and lzma modules and the `zstd`
command line tool (Debian package zstd). Deterministic: gzip headers carry mtime 0.

    /usr/bin/python3 tests/data/compressed/gen_compressed.py

What each file is for:
  reference.csv.gz, moderate.csv.gz      gzip -9 of tests/data/e2e/{reference,moderate}.csv
  reference.csv.zst, moderate.csv.zst    zstd -19 of the same
  gzip_named_plain.csv                   reference.csv.gz under a .csv name (magic bytes, not names)
  two_members.csv.gz                     reference.csv as two gzip members (cat a.gz b.gz)
  two_frames.csv.zst                     reference.csv as two zstd frames
  pzstd.csv.zst                          reference.csv by `pzstd` (zstd's parallel tool): a skippable
                                         frame (its frame sizes) before the zstd frame
  truncated.csv.gz, truncated.csv.zst    the first 60 % of reference.csv.{gz,zst}
  corrupt.csv.gz                         reference.csv.gz with its stored CRC-32 changed
  corrupt.csv.zst                        reference.csv.zst with 16 bytes of its middle inverted
  trailing_garbage.csv.gz                reference.csv.gz followed by a line of text
  bad_value.csv, bad_value.csv.gz/.zst   a file whose third record holds a bad number (line 3)
  bomb.csv.zst                           300 MiB of zero bytes (no line feed), about 10 KB
  reference.csv.xz                       xz: a compression the reader refuses
"""
import gzip
import lzma
import os
import subprocess

here = os.path.dirname(os.path.abspath(__file__))
e2e = os.path.join(here, "..", "e2e")


def read(name):
    with open(os.path.join(e2e, name), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def zst(data):
    # --content-size: the frame header states the decompressed size (what `zstd FILE` writes).
    return subprocess.run(["zstd", "-19", "-q", "-c", "--no-check", "--content-size", "--stream-size=" + str(len(data))],
                          input=data, stdout=subprocess.PIPE, check=True).stdout


def zst_checked(data):
    return subprocess.run(["zstd", "-19", "-q", "-c", "--check"], input=data, stdout=subprocess.PIPE, check=True).stdout


reference = read("reference.csv")
moderate = read("moderate.csv")
write("reference.csv.gz", gz(reference))
write("moderate.csv.gz", gz(moderate))
write("reference.csv.zst", zst(reference))
write("moderate.csv.zst", zst_checked(moderate))
write("gzip_named_plain.csv", gz(reference))

half = reference.index(b"\n", len(reference) // 2) + 1
write("two_members.csv.gz", gz(reference[:half]) + gz(reference[half:]))
write("two_frames.csv.zst", zst(reference[:half]) + zst_checked(reference[half:]))
write("pzstd.csv.zst", subprocess.run(["pzstd", "-q", "-p", "2", "-c"], input=reference, stdout=subprocess.PIPE,
                                      check=True).stdout)

g = gz(reference)
z = zst_checked(reference)
write("truncated.csv.gz", g[: len(g) * 6 // 10])
write("truncated.csv.zst", z[: len(z) * 6 // 10])
# The gzip trailer is CRC-32 then ISIZE, little-endian: invert the CRC's first byte.
bad = bytearray(g)
bad[-8] ^= 0xFF
write("corrupt.csv.gz", bytes(bad))
bad = bytearray(z)
mid = len(bad) // 2
for i in range(mid, mid + 16):
    bad[i] ^= 0xFF
write("corrupt.csv.zst", bytes(bad))
write("trailing_garbage.csv.gz", g + b"not gzip\n")

bad_value = b"a,b\n1,2\n3,x7\n4,5\n"
write("bad_value.csv", bad_value)
write("bad_value.csv.gz", gz(bad_value))
write("bad_value.csv.zst", zst(bad_value))

write("bomb.csv.zst", zst(bytes(300 << 20)))
write("reference.csv.xz", lzma.compress(reference))
