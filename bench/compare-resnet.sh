#!/usr/bin/env bash
# The residual network (samples/MnistResNet/MnistResNet.cs) trained by SourceNet and by PyTorch, side by side in one run.
#
# Stem conv 3x3x16 + BN + ReLU, three stages of residual blocks (16, 32, 64 channels; stride-2 convolutions and 1x1
# projection shortcuts down to 7x7), global average pooling, dense 10; softmax cross-entropy; Adam (lr 1e-3, betas
# .9/.999, eps 1e-7); weights N(0, std) with the stds of MnistResNet.cs, biases 0, BN gamma 1 beta 0; batches of 50
# drawn with replacement, no augmentation on either side. Each system runs in its own process, alternating (PyTorch 1,
# SourceNet 1, PyTorch 2, SourceNet 2, PyTorch 2 with passive OpenMP waits; --rounds repeats the sequence), and prints
# one RESULT line. An FMA probe runs before and after; the report sets every step against the step's floor (its
# convolution and dense products at the measured peak). The markdown table (steps/s, SourceNet / PyTorch ratio, share
# of the FMA peak, load average) is printed and saved under
# bench/results/compare-resnet-<UTC time>/ (git-ignored).
#
# Usage: bench/compare-resnet.sh [--epochs N] [--steps N] [--warmup N] [--batch-size N] [--threads "1 2"]
#                                [--rounds N] [--eval] [--run-timeout SECONDS] [--nice N] [--no-install]
#   --steps: steps per epoch (default 60000 / batch size, a full epoch; e.g. 100 for a quick look); --warmup: untimed
#   steps before the first epoch (default 0; for short runs, so JIT and first-call costs stay out); --eval: also
#   measure test-set accuracy (off by default: a timing run). Each run is stopped after --run-timeout seconds
#   (default 3600) and reported as failed. Runs start at niceness --nice (default -10 as root, else 0).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare-resnet.sh${*:+ $*}"

epochs=1
steps=0
warmup=0
batch=50
threads_list="1 2"
rounds=1
evaluate=0
run_timeout=3600
niceness=0
[[ $(id -u) == 0 ]] && niceness=-10
install=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --batch-size) batch="$2"; shift 2 ;;
        --threads) threads_list="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --eval) evaluate=1; shift ;;
        --run-timeout) run_timeout="$2"; shift 2 ;;
        --nice) niceness="$2"; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "compare-resnet.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $steps -gt 0 ]] || steps=$((60000 / batch))

data="$repo/data/mnist"
logs="$repo/bench/results/compare-resnet-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
# Debian's python3 carries python3-torch; a pyenv python3 earlier on PATH does not.
python=/usr/bin/python3
resnet_dir="$repo/bench/SourceNet.CompareResNet"
failed=()

say() { printf '\n== %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# dotnet build, retried: other builds on this machine can hold locks on shared obj/ files.
build() {
    local project="$1" log="$2" attempt
    for attempt in 1 2 3; do
        dotnet build "$project" -c Release -nologo > "$log" 2>&1 && return 0
        echo "build of $project failed (attempt $attempt), see $log" >&2
        sleep 10
    done
    return 1
}

if [[ $install == 1 ]]; then
    # python3-torch alone brings the reference BLAS; OpenBLAS takes over libblas.so.3.
    if ! "$python" -c 'import torch, numpy' 2>/dev/null || ! dpkg -s libopenblas0-pthread > /dev/null 2>&1; then
        say "Installing python3-torch, python3-numpy, libopenblas0-pthread (apt)"
        apt-get update -q > "$logs/apt-update.log" 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-numpy libopenblas0-pthread \
            > "$logs/apt-install.log" 2>&1
    fi
fi

say "Building SourceNet.CompareResNet and SourceNet.Benchmarks (the FMA probe)"
build "$resnet_dir/SourceNet.CompareResNet.csproj" "$logs/build-compareresnet.log" || { echo "build failed, see $logs" >&2; exit 1; }
bench_dir="$repo/bench/SourceNet.Benchmarks"
build "$bench_dir/SourceNet.Benchmarks.csproj" "$logs/build-benchmarks.log" || { echo "build failed, see $logs" >&2; exit 1; }

# The FMA peak, probed before and after the runs: the report's floor (the step's products at that peak) uses the
# higher probe, so a probe slowed by other work on the machine cannot make the floor look lower than it is.
fma_log="$logs/fma.log"
probe() {
    nice -n "$niceness" dotnet "$bench_dir/bin/Release/net10.0/SourceNet.Benchmarks.dll" --fma 2>&1 | tail -1 | tee -a "$fma_log" >&2
}

# One process per setting; its RESULT line gets the setting, the round and the load average at its start and end.
run() {
    local name="$1" threads="$2" policy="$3" round="$4"; shift 4
    local setting="$threads${policy:+ ${policy,,}}"
    local log="$logs/${name}-${threads}${policy:+-${policy,,}}-round${round}.log" before
    say "Round $round: $name, $setting thread(s), $epochs epoch(s) of $steps steps of $batch"
    # Every pool either side might use gets the same size: Debian's torch does not forward set_num_threads
    # to OpenBLAS, and its convolutions run on oneDNN's OpenMP pool.
    local -a environment=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
        SOURCENET_THREADS="$threads")
    [[ -n $policy ]] && environment+=(OMP_WAIT_POLICY="$policy")
    before="$(load)"
    if timeout "$run_timeout" nice -n "$niceness" env "${environment[@]}" "$@" > "$log" 2>&1 && grep -q '^RESULT ' "$log"; then
        grep '^RESULT ' "$log" | sed "s/^RESULT {/{\"setting\": \"$setting\", \"round\": $round, \"load_before\": \"$before\", \"load_after\": \"$(load)\", /" >> "$results"
        grep '^RESULT ' "$log" | cut -c1-200 >&2
    else
        failed+=("$name at threads $setting, round $round: no result (failed or over ${run_timeout} s), see $log")
        tail -5 "$log" >&2 || true
    fi
}

load_start="$(load)"
: > "$fma_log"
probe
common=(--data "$data" --epochs "$epochs" --steps "$steps" --warmup "$warmup" --batch "$batch")
pytorch_eval=(); [[ $evaluate == 1 ]] || pytorch_eval=(--no-eval)
for ((round = 1; round <= rounds; round++)); do
    for threads in $threads_list; do
        # PyTorch only: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some machines for the tests, are removed so
        # OpenBLAS picks its kernels for this CPU itself.
        run PyTorch "$threads" "" "$round" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
            "$python" "$repo/bench/peers/pytorch_resnet.py" --threads "$threads" "${common[@]}" "${pytorch_eval[@]}"
        run SourceNet "$threads" "" "$round" dotnet "$resnet_dir/bin/Release/net10.0/SourceNet.CompareResNet.dll" \
            --threads "$threads" "${common[@]}" --eval "$evaluate"
        if [[ $threads -gt 1 ]]; then
            # OpenMP's default busy-waiting collapses on a loaded 2-core machine (see docs/performance.md, Notes).
            run PyTorch "$threads" PASSIVE "$round" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
                "$python" "$repo/bench/peers/pytorch_resnet.py" --threads "$threads" "${common[@]}" "${pytorch_eval[@]}"
        fi
    done
done
load_end="$(load)"
probe

report="$logs/table.md"
{
    printf 'Command: `%s` (%s round(s); %s warm-up steps, then %s epoch(s) of %s steps of batch %s)  \n' "$invocation" "$rounds" "$warmup" "$epochs" "$steps" "$batch"
    printf 'Date: %s; commit %s%s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src bench samples 2>/dev/null || echo ' (uncommitted changes)')"
    printf 'Machine: %s, %s cores, %s GiB; niceness %s; load average at start %s, at end %s  \n' \
        "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" \
        "$niceness" "$load_start" "$load_end"
    echo
    "$python" "$repo/bench/compare_resnet_report.py" "$results" "$batch" "$steps" "$fma_log"
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo
        printf -- '- FAILED: %s\n' "${failed[@]}"
    fi
} > "$report"

say "Results (also in $report)"
cat "$report"
