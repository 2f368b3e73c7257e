#!/usr/bin/env bash
# The 2-thread / 1-thread training-step ratio on both samples, as a distribution: N rounds, each training the
# tutorial's MLP (bench/SourceNet.Compare: batches of 100) and the deep MNIST CNN (bench/SourceNet.CompareCnn:
# batches of 50) at 1 thread, then at 2 threads with the default adaptive choice (per network: split by samples,
# split by products or one thread), back to back, so both settings of a round see about the same machine. Step time =
# median epoch / steps. Prints one line per round with the 1-minute load average when the round started, then, per
# sample, min/p25/median/p75/max of the ratio and the rounds where 2 threads lost.
# Separate processes on a VM differ from run to run; for the MLP's ratio inside one process use
# `dotnet bench/SourceNet.Compare/bin/Release/net10.0/SourceNet.Compare.dll --alternate [rounds] [steps]`.
#
# Usage: bench/threads-ratio.sh [rounds (default 20)] [MLP epochs x steps (default 3x600)] [CNN epochs x steps (default 3x60)]
# Goal (issue 18): median <= 0.6 and max <= 1.0 on both samples.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-20}"
mlp="${2:-3x600}"
cnn="${3:-3x60}"
mlp_dll="$repo/bench/SourceNet.Compare/bin/Release/net10.0/SourceNet.Compare.dll"
cnn_dll="$repo/bench/SourceNet.CompareCnn/bin/Release/net10.0/SourceNet.CompareCnn.dll"
dotnet build "$repo/bench/SourceNet.Compare/SourceNet.Compare.csproj" -c Release -nologo > /dev/null
dotnet build "$repo/bench/SourceNet.CompareCnn/SourceNet.CompareCnn.csproj" -c Release -nologo > /dev/null
out="$(mktemp)"
step_ms() { python3 -c 'import json,sys; print("%.4f" % json.loads(sys.stdin.read())["step_ms"])'; }
mlp_step() { # threads -> step ms
    SOURCENET_THREADS="$1" dotnet "$mlp_dll" --data "$repo/data/mnist" --epochs "${mlp%x*}" --steps "${mlp#*x}" --single-calls 200 \
        | sed -n 's/^RESULT //p' | step_ms
}
cnn_step() { # threads -> step ms
    SOURCENET_THREADS="$1" dotnet "$cnn_dll" --data "$repo/data/mnist" --epochs "${cnn%x*}" --steps "${cnn#*x}" \
        | sed -n 's/^RESULT //p' | step_ms
}
printf '%-5s %-6s %10s %10s %8s %10s %10s %8s\n' round load "MLP 1t ms" "MLP 2t ms" "MLP 2/1" "CNN 1t ms" "CNN 2t ms" "CNN 2/1"
for r in $(seq 1 "$rounds"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    m1="$(mlp_step 1)"
    m2="$(mlp_step 2)"
    c1="$(cnn_step 1)"
    c2="$(cnn_step 2)"
    echo "$r $load $m1 $m2 $c1 $c2" >> "$out"
    awk -v r="$r" -v l="$load" -v a="$m1" -v b="$m2" -v c="$c1" -v d="$c2" \
        'BEGIN { printf "%-5s %-6s %10.3f %10.3f %8.2f %10.2f %10.2f %8.2f\n", r, l, a, b, b / a, c, d, d / c }'
done
python3 - "$out" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
def q(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
def line(name, ratios):
    return (f"  {name}: min {min(ratios):.2f}  p25 {q(ratios, .25):.2f}  median {q(ratios, .5):.2f}  "
            f"p75 {q(ratios, .75):.2f}  max {max(ratios):.2f}; rounds where 2 threads lost (> 1.00): {sum(r > 1 for r in ratios)}")
loads = [float(r[1]) for r in rows]
print(f"\n{len(rows)} rounds, 1-minute load average at the rounds' starts: min {min(loads):.2f}, median {q(loads, .5):.2f}, max {max(loads):.2f}")
print("2-thread step / 1-thread step (goal: median <= 0.6, max <= 1.0):")
print(line("MLP", [float(r[3]) / float(r[2]) for r in rows]))
print(line("CNN", [float(r[5]) / float(r[4]) for r in rows]))
PY
rm -f "$out"
