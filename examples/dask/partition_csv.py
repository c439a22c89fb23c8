#!/usr/bin/python3
"""Splits a CSV into N partition files with the same header (the layout a data lake writes):
    partition_csv.py SRC.csv OUT_DIR N"""
import os
import sys


def main(src, out, parts):
    with open(src) as f:
        header, *rows = f.readlines()
    os.makedirs(out, exist_ok=True)
    step = -(-len(rows) // parts)
    for i in range(parts):
        with open(os.path.join(out, f"part-{i:03d}.csv"), "w") as f:
            f.write(header)
            f.writelines(rows[i * step:(i + 1) * step])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
