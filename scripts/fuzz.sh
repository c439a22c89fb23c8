#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of fuzz/ (clang 14 with libFuzzer and the sanitizer
# runtimes; on Debian 12: apt-get install clang-14 libclang-rt-14-dev). Installs nothing.
#
#   scripts/fuzz.sh build  [BUILD_DIR]                     build the targets (default build/fuzz)
#   scripts/fuzz.sh run    TARGET SECONDS [BUILD_DIR] [-- LIBFUZZER_ARGS...]
#                                                          fuzz TARGET for SECONDS, starting from its
#                                                          committed corpus; new inputs go to
#                                                          BUILD_DIR/corpus/TARGET, crashes to
#                                                          BUILD_DIR/artifacts/TARGET/
#   scripts/fuzz.sh replay [BUILD_DIR]                     build at -O1 (default build/fuzz-replay),
#                                                          then run every target once over its
#                                                          committed corpus (-runs=0): exit non-zero
#                                                          on any crash or invariant failure
#
# TARGET: fuzz_csv | fuzz_config | fuzz_stats | fuzz_profile. Environment: CXX (default clang++-14), JOBS
# (default 2). See fuzz/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=()  # the files fuzz/fuzz_*.cpp
for f in "$root"/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
cxx="${CXX:-clang++-14}"
jobs="${JOBS:-2}"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }

# build DIR [OPT]: the targets at -O2 for fuzzing, or at OPT (replay: -O1, which compiles in two
# thirds of the time and runs a corpus once just as well).
build() {
    local dir="$1" opt="${2:--O2}"
    command -v "$cxx" >/dev/null || { echo "fuzz.sh: $cxx not found (Debian: clang-14 libclang-rt-14-dev)" >&2; exit 69; }
    cmake -S "$root" -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt -DNDEBUG" \
        -DDRIFTGATE_BUILD_FUZZERS=ON -DDRIFTGATE_BUILD_TESTS=OFF -DDRIFTGATE_BUILD_CLI=OFF >/dev/null
    cmake --build "$dir" -j"$jobs" --target "${targets[@]}"
}

is_target() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

cmd="${1:-}"
[ -n "$cmd" ] || usage
shift
case "$cmd" in
build)
    build "$(realpath -m "${1:-$root/build/fuzz}")"
    ;;
run)
    [ $# -ge 2 ] || usage
    target="$1" seconds="$2"
    shift 2
    is_target "$target" || { echo "fuzz.sh: unknown target '$target' (${targets[*]})" >&2; exit 64; }
    dir="$root/build/fuzz"
    if [ $# -gt 0 ] && [ "$1" != "--" ]; then dir="$(realpath -m "$1")"; shift; fi
    [ "${1:-}" = "--" ] && shift
    build "$dir"
    mkdir -p "$dir/corpus/$target" "$dir/artifacts/$target"
    dict=()
    [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
    # New inputs are written to the first directory (the build's), the committed seeds are read.
    exec "$dir/fuzz/$target" "$dir/corpus/$target" "$root/tests/fuzz_corpus/$target" "${dict[@]}" \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target/" "$@"
    ;;
replay)
    dir="$(realpath -m "${1:-$root/build/fuzz-replay}")"
    build "$dir" -O1
    status=0
    for t in "${targets[@]}"; do
        echo "== $t: $(ls "$root/tests/fuzz_corpus/$t" | wc -l) inputs"
        if ! "$dir/fuzz/$t" -runs=0 -rss_limit_mb=4096 -artifact_prefix="$dir/$t-" "$root/tests/fuzz_corpus/$t" >"$dir/$t.replay.log" 2>&1; then
            tail -40 "$dir/$t.replay.log" >&2
            echo "fuzz.sh: $t failed on its corpus (log: $dir/$t.replay.log)" >&2
            status=1
        else
            grep -E '^#[0-9]+.*(DONE|INITED)' "$dir/$t.replay.log" | tail -1
        fi
    done
    exit $status
    ;;
*) usage ;;
esac
