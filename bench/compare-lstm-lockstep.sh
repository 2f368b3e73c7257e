#!/usr/bin/env bash
# Sequential MNIST's LSTM, SourceNet against PyTorch's nn.LSTM in lockstep (bench/peers/lockstep_lstm.py): short
# blocks of training steps of each system in turn, so both are timed in the same stretches of a shared machine.
# compare-lstm.sh runs each system for seconds at a time and compares the best run of each, which on a VM whose
# neighbours come and go can set a quiet minute of one against a busy minute of the other.
#
# Each round runs three pairings, one process pair each: PyTorch 1 thread against SourceNet 2, PyTorch 2 threads
# (OMP_WAIT_POLICY=PASSIVE, its fastest 2-thread setting here) against SourceNet 2, and 1 against 1. The report gives
# every pairing's medians, the ratio of the medians and the spread of the blocks' ratios; and per round SourceNet at
# 2 threads against PyTorch's faster setting of that round (best against best, side by side).
# The markdown report is printed and saved under bench/results/compare-lstm-lockstep-<UTC time>/ (git-ignored).
#
# Usage: bench/compare-lstm-lockstep.sh [--rounds N] [--pairs N] [--block N] [--warmup N] [--cell lstm|gru] [--no-build]
#   defaults: 3 rounds, 15 pairs of blocks of 10 timed steps, 150 warm-up steps per process. Needs python3-torch
#   (bench/compare-lstm.sh installs it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare-lstm-lockstep.sh${*:+ $*}"
rounds=3 pairs=15 block=10 warmup=150 cell=lstm build=1
positive() { [[ $2 =~ ^[0-9]+$ && $2 -ge $3 ]] || { echo "compare-lstm-lockstep.sh: $1 needs an integer of at least $3; got '$2'" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds|--pairs|--block|--warmup|--cell) [[ $# -ge 2 ]] || { echo "compare-lstm-lockstep.sh: $1 needs a value" >&2; exit 2; } ;;&
        --rounds) positive "$1" "$2" 1; rounds="$2"; shift 2 ;;
        --pairs) positive "$1" "$2" 1; pairs="$2"; shift 2 ;;
        --block) positive "$1" "$2" 1; block="$2"; shift 2 ;;
        --warmup) positive "$1" "$2" 0; warmup="$2"; shift 2 ;;
        --cell) [[ $2 == lstm || $2 == gru ]] || { echo "compare-lstm-lockstep.sh: --cell takes lstm or gru; got '$2'" >&2; exit 2; }; cell="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "compare-lstm-lockstep.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

python=/usr/bin/python3
"$python" -c 'import torch' 2>/dev/null || { echo "compare-lstm-lockstep.sh: $python cannot import torch; run bench/compare-lstm.sh once (it installs python3-torch)" >&2; exit 1; }
logs="$repo/bench/results/compare-lstm-lockstep-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
server="$repo/bench/SourceNet.CompareLstm/bin/Release/net10.0/SourceNet.CompareLstm"
if [[ $build == 1 ]]; then
    dotnet build "$repo/bench/SourceNet.CompareLstm/SourceNet.CompareLstm.csproj" -c Release -nologo > "$logs/build.log" 2>&1 \
        || { echo "compare-lstm-lockstep.sh: the build failed, see $logs/build.log" >&2; exit 1; }
fi

# One pairing: PyTorch's threads (and wait policy) against SourceNet's; its RESULT line gets the round.
pairing() {
    local round="$1" pytorch="$2" policy="$3" sourcenet="$4"
    local name="pytorch-${pytorch}${policy:+-passive}-sourcenet-${sourcenet}-round${round}"
    printf '\n== round %s: PyTorch %s%s thread(s) against SourceNet %s\n' "$round" "$pytorch" "${policy:+ passive}" "$sourcenet" >&2
    local -a environment=(OMP_NUM_THREADS="$pytorch" MKL_NUM_THREADS="$pytorch" OPENBLAS_NUM_THREADS="$pytorch")
    [[ -n $policy ]] && environment+=(OMP_WAIT_POLICY="$policy")
    if env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u SOURCENET_THREADS "${environment[@]}" "$python" "$repo/bench/peers/lockstep_lstm.py" \
            --sourcenet "$server" --sourcenet-threads "$sourcenet" --threads "$pytorch" --pairs "$pairs" --block "$block" \
            --warmup "$warmup" --cell "$cell" --data "$repo/data/mnist" > "$logs/$name.log" 2>&1 && grep -q '^RESULT ' "$logs/$name.log"; then
        grep '^RESULT ' "$logs/$name.log" | tail -1 | sed "s/^RESULT {/{\"round\": $round, /" >> "$results"
    else
        echo "compare-lstm-lockstep.sh: $name gave no result, see $logs/$name.log" >&2
        tail -5 "$logs/$name.log" >&2 || true
        exit 1
    fi
}

for ((round = 1; round <= rounds; round++)); do
    pairing "$round" 1 "" 2
    pairing "$round" 2 PASSIVE 2
    pairing "$round" 1 "" 1
done

{
    printf 'Command: `%s` (%s pairs of blocks of %s timed steps a pairing, %s warm-up steps, batch 100, %s)  \n' "$invocation" "$pairs" "$block" "$warmup" "$cell"
    printf 'Date: %s; commit %s%s  \n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src bench samples 2>/dev/null || echo ' (uncommitted changes)')"
    "$python" - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("| Round | PyTorch | SourceNet | PyTorch median (best), ms | SourceNet median (best), ms | Ratio of medians | Blocks' ratios p10 / median / p90 |")
print("|---:|---|---|---:|---:|---:|---|")
for r in rows:
    setting = f"{r['threads']}{' passive' if r['passive'] else ''}"
    print(f"| {r['round']} | {setting} | {r['sourcenet_threads']} | {r['pytorch_ms']:.2f} ({r['pytorch_best_ms']:.2f}) | "
          f"{r['sourcenet_ms']:.2f} ({r['sourcenet_best_ms']:.2f}) | {r['ratio_of_medians']:.2f}x | "
          f"{r['pair_ratio_p10']:.2f} / {r['pair_ratio_median']:.2f} / {r['pair_ratio_p90']:.2f} |")
print()
best = []
for round in sorted({r["round"] for r in rows}):
    twos = [r for r in rows if r["round"] == round and r["sourcenet_threads"] == 2]
    fastest = min(twos, key=lambda r: r["pytorch_ms"])
    best.append(fastest["ratio_of_medians"])
    print(f"- Round {round}: PyTorch's faster setting ({fastest['threads']}{' passive' if fastest['passive'] else ''} thread(s), "
          f"{fastest['pytorch_ms']:.2f} ms) against SourceNet's 2 threads beside it ({fastest['sourcenet_ms']:.2f} ms): "
          f"**{fastest['ratio_of_medians']:.2f}x**")
ones = [r["ratio_of_medians"] for r in rows if r["sourcenet_threads"] == 1]
print(f"- Best against best, side by side, over {len(best)} round(s): {min(best):.2f}-{max(best):.2f}x (goal >= 3x: "
      f"{'met in every round' if min(best) >= 3 else 'met in %d of %d' % (sum(b >= 3 for b in best), len(best))})")
print(f"- 1 thread against 1: {min(ones):.2f}-{max(ones):.2f}x")
PY
} | tee "$logs/table.md"
echo "Saved under $logs" >&2
