#!/usr/bin/env bash
# Single-sequence inference latency of the MNIST LSTM (samples/MnistLstm: 28 steps of 28 pixels, LSTM(128), dense 10),
# SourceNet against ONNX Runtime running the same weights (issue 17, section 5).
#
# One process (bench/SourceNet.LstmLatency) hosts both: it trains the network briefly (deterministic), exports it to
# ONNX (opset 17 LSTM), checks that both systems give the same logits (at most 1e-4 apart, the same digit) one by one
# and on all 10,000 test images, then in each round times every setting in turn: SourceNet's Forward(image, logits) and
# Predict(image) at each kernel thread count (what SOURCENET_THREADS sets), ONNX Runtime's Run on a [1, 784] input with
# preallocated OrtValues at each intra-op thread count (0: its default), sequential, every graph optimization. Each
# setting: --warmup untimed calls, --calls timed calls (median, p10, p90; managed bytes per call on the calling thread),
# then one call on the whole test set. The FMA peak (bench/Shared/FmaPeak.cs) and the load average are measured in the
# same run. Last, the kernels of SourceNet's single-sequence path are timed one by one (--profile-calls calls each; 0
# skips it) to show where its time goes. The markdown table is printed and saved with every log under bench/results/lstm-latency-<UTC time>/
# (git-ignored).
#
# Usage: bench/compare-lstm-latency.sh [--rounds N] [--calls N] [--warmup N] [--images N] [--train-steps N]
#                                      [--threads "1 2"] [--ort-threads "1 2 0"] [--profile-calls N] [--nice N] [--no-build]
#   Defaults: 3 rounds, 5000 calls after 500 warm-up calls, over the first 1000 test images; 150 training steps of 100.
#   Runs at niceness --nice (default -10 as root, else 0): the machine is shared. --no-build runs the last build.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare-lstm-latency.sh"
[[ $# -gt 0 ]] && invocation+="$(printf ' %q' "$@")"

niceness=0
[[ $(id -u) == 0 ]] && niceness=-10
build=1
forward=()
integer() { [[ $2 =~ ^[0-9]+$ && $2 -ge $3 ]] || { echo "compare-lstm-latency.sh: $1 needs integers of at least $3; got '$2'" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds|--calls|--warmup|--images|--train-steps|--threads|--ort-threads|--profile-calls|--nice)
            [[ $# -ge 2 ]] || { echo "compare-lstm-latency.sh: $1 needs a value" >&2; exit 2; } ;;&
        --nice) [[ $2 =~ ^-?[0-9]+$ ]] || { echo "compare-lstm-latency.sh: --nice needs an integer; got '$2'" >&2; exit 2; }
            niceness="$2"; shift 2 ;;
        --rounds|--calls|--images|--threads) for n in $2; do integer "$1" "$n" 1; done ;;&
        --warmup|--train-steps|--ort-threads|--profile-calls) for n in $2; do integer "$1" "$n" 0; done ;;&
        --rounds|--calls|--warmup|--images|--train-steps|--threads|--ort-threads|--profile-calls) forward+=("$1" "$2"); shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "compare-lstm-latency.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

project="$repo/bench/SourceNet.LstmLatency"
logs="$repo/bench/results/lstm-latency-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
load() { cut -d' ' -f1-3 /proc/loadavg; }

if [[ $build == 1 ]]; then
    printf '\n== Building SourceNet.LstmLatency\n' >&2
    # Retried: other builds on this machine can hold locks on shared obj/ files.
    for attempt in 1 2 3; do
        dotnet build "$project/SourceNet.LstmLatency.csproj" -c Release -nologo > "$logs/build.log" 2>&1 && break
        echo "build failed (attempt $attempt), see $logs/build.log" >&2
        [[ $attempt == 3 ]] && exit 1
        sleep 10
    done
fi

load_start="$(load)"
printf '\n== Running (progress below; log in %s/run.log)\n' "$logs" >&2
# OPENBLAS_* are irrelevant here; SOURCENET_THREADS is removed because the process sets the kernel threads itself.
status=0
nice -n "$niceness" env -u SOURCENET_THREADS dotnet "$project/bin/Release/net10.0/SourceNet.LstmLatency.dll" \
    --data "$repo/data/mnist" --out "$logs" "${forward[@]}" > "$logs/run.log" || status=$?

report="$logs/report.md"
{
    printf 'Command: `%s`  \n' "$invocation"
    printf 'Date: %s; commit %s%s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src bench samples 2>/dev/null || echo ' (uncommitted changes)')"
    printf 'Machine: %s, %s cores; niceness %s; load average before the process %s, after %s  \n' \
        "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" "$niceness" "$load_start" "$(load)"
    sed -n 's/^ACCURACY //p; s/^AGREEMENT /Logits, /p' "$logs/run.log" | sed 's/$/  /'
    echo
    [[ -f $logs/table.md ]] && cat "$logs/table.md"
    echo
    sed -n 's/^PROFILE /SourceNet single-sequence kernels one by one, /p' "$logs/run.log" | sed 's/$/  /'
    [[ $status == 0 ]] || printf -- '\n- FAILED: exit code %s, see %s/run.log\n' "$status" "$logs"
} > "$report"

printf '\n== Results (also in %s)\n' "$report" >&2
cat "$report"
exit "$status"
