#!/usr/bin/env bash
# The 2-thread / 1-thread training-step ratio, as a distribution: N rounds, each running SourceNet.Compare
# (the tutorial's network, 600 steps of batch 100 per epoch) at 1 thread, at 2 threads with the adaptive split
# (the default) and at 2 threads always split (SOURCENET_ADAPTIVE_SPLIT=0), one after the other, so all three
# see the same machine state. Step time = median epoch / steps. Prints one line per round and the quantiles.
# Separate processes on a VM differ from run to run; for the ratio inside one process use
# `dotnet bench/SourceNet.Compare/bin/Release/net10.0/SourceNet.Compare.dll --alternate [rounds] [steps]`.
#
# Usage: bench/threads-ratio.sh [rounds (default 20)] [epochs per run (default 3)] [steps per epoch (default 600)]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-20}"
epochs="${2:-3}"
steps="${3:-600}"
dll="$repo/bench/SourceNet.Compare/bin/Release/net10.0/SourceNet.Compare.dll"
dotnet build "$repo/bench/SourceNet.Compare/SourceNet.Compare.csproj" -c Release -nologo > /dev/null
out="$(mktemp)"
step() { # environment... -> step ms
    env "$@" dotnet "$dll" --data "$repo/data/mnist" --epochs "$epochs" --steps "$steps" --single-calls 200 \
        | sed -n 's/^RESULT //p' | python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["step_ms"])'
}
printf '%-5s %-16s %9s %9s %9s %8s %8s\n' round load "1t ms" "2t ms" "2t-split" "2t/1t" "split/1t"
for r in $(seq 1 "$rounds"); do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    one="$(step SOURCENET_THREADS=1)"
    two="$(step SOURCENET_THREADS=2)"
    fixed="$(step SOURCENET_THREADS=2 SOURCENET_ADAPTIVE_SPLIT=0)"
    echo "$r $load $one $two $fixed" >> "$out"
    awk -v r="$r" -v l="$load" -v a="$one" -v b="$two" -v c="$fixed" \
        'BEGIN { printf "%-5s %-16s %9.3f %9.3f %9.3f %8.2f %8.2f\n", r, l, a, b, c, b / a, c / a }'
done
python3 - "$out" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
def quantiles(values):
    v = sorted(values)
    q = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
    return f"min {v[0]:.2f}  p25 {q(.25):.2f}  median {q(.5):.2f}  p75 {q(.75):.2f}  max {v[-1]:.2f}"
one = [float(r[4]) for r in rows]
print(f"\n{len(rows)} rounds. Step-time ratio to 1 thread:")
print("  2 threads, adaptive (default):  " + quantiles([float(r[5]) / o for r, o in zip(rows, one)]))
print("  2 threads, always split:        " + quantiles([float(r[6]) / o for r, o in zip(rows, one)]))
print("  rounds where adaptive lost to 1 thread by more than 5%: "
      + str(sum(float(r[5]) > 1.05 * o for r, o in zip(rows, one))))
PY
rm -f "$out"
