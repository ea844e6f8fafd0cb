#!/usr/bin/env bash
# How `foi run` scales: builds the release binary and the corpus builder, writes benchmark
# rounds of N replies (benches/corpus.rs) under target/bench-rounds/, runs
# `foi run --no-cache --timings` on each under /usr/bin/time -v, and prints a table of
# replies, files, seconds, files/s, MB/s and peak RSS, then the time of each stage.
#
#   benches/scale.sh                  # 200, 2,000 and 20,000 replies
#   benches/scale.sh 209 5000         # other sizes
#   RUNS=3 benches/scale.sh           # best of 3 runs per size (default 1)
#   DEV=1 benches/scale.sh            # also the dev corpus rounds in ../shared/corpus/dev/
#
# Nothing here is asserted: it measures and prints. Outputs go to target/bench-rounds/out-*/.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 2000 20000)
runs=${RUNS:-1}
rounds=target/bench-rounds
timev=/usr/bin/time
[ -x "$timev" ] || { echo "scale.sh: needs GNU time at $timev (Debian package 'time')" >&2; exit 2; }

nice cargo build --release --quiet --bin foi --example make_bench_round
foi=target/release/foi
mkdir -p "$rounds"

table=$(mktemp)
stages=$(mktemp)
trap 'rm -f "$table" "$stages"' EXIT

# measure NAME DIR: best wall time of $runs runs (peak RSS of that run), appended to the tables.
measure() {
    local name=$1 dir=$2 out="$rounds/out-$1"
    local files bytes best="" rss="" log
    files=$(find "$dir/responses" -type f | wc -l)
    bytes=$(find "$dir/responses" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    log=$(mktemp)
    for _ in $(seq "$runs"); do
        rm -rf "$out"
        local start end secs code=0
        start=$(date +%s.%N)
        "$timev" -v "$foi" run "$dir" --out "$out" --no-cache --quiet --timings 2>"$log" || code=$?
        end=$(date +%s.%N)
        if [ "$code" -ge 2 ]; then
            echo "scale.sh: foi run $dir failed (exit $code):" >&2
            cat "$log" >&2
            exit 1
        fi
        secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
        if [ -z "$best" ] || awk -v s="$secs" -v b="$best" 'BEGIN {exit !(s < b)}'; then
            best=$secs
            rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
            grep '^timing ' "$log" | awk -v n="$name" '{print n, $2, $3}' >"$log.stages"
        fi
    done
    awk -v n="$name" -v f="$files" -v b="$bytes" -v s="$best" -v r="$rss" \
        'BEGIN {printf "%-16s %7d %10.3f %9.0f %7.2f %9s\n", n, f, s, f / s, b / 1e6 / s, r}' >>"$table"
    cat "$log.stages" >>"$stages"
    rm -f "$log" "$log.stages"
}

for n in "${sizes[@]}"; do
    dir="$rounds/palliative-$n"
    target/release/examples/make_bench_round "$n" "$dir" >/dev/null
    measure "$n" "$dir"
done
if [ "${DEV:-0}" = 1 ]; then
    for dir in ../shared/corpus/dev/*/; do
        [ -f "$dir/round.toml" ] || continue
        measure "dev:$(basename "$dir")" "${dir%/}"
    done
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); best of $runs run(s); foi run --no-cache"
printf '%-16s %7s %10s %9s %7s %9s\n' replies files seconds "files/s" "MB/s" "RSS MB"
cat "$table"
echo
echo "seconds by stage (foi run --timings):"
awk '{ if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } if (!($2 in sseen)) { sseen[$2] = 1; sorder[++m] = $2 } t[$1, $2] = $3 }
     END {
         printf "%-16s", "replies"; for (j = 1; j <= m; j++) printf " %9s", sorder[j]; printf "\n"
         for (i = 1; i <= n; i++) { printf "%-16s", order[i]; for (j = 1; j <= m; j++) printf " %9s", t[order[i], sorder[j]]; printf "\n" }
     }' "$stages"
