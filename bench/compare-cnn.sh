#!/usr/bin/env bash
# The deep MNIST CNN (samples/MnistCnn/MnistCnn.cs) trained by SourceNet and by PyTorch, side by side in one run.
#
# Conv 5x5x32 same + ReLU, max-pool 2, conv 5x5x64 same + ReLU, max-pool 2, dense 1024 ReLU, dropout 0.5,
# dense 10; softmax cross-entropy; Adam (lr 1e-3, betas .9/.999, eps 1e-7); weights N(0, std) with the stds of
# MnistCnn.cs, biases 0; batches drawn with replacement. Each system runs in its own process, alternating
# (PyTorch 1, SourceNet 1, PyTorch 2, SourceNet 2, PyTorch 2 with passive OpenMP waits), and prints one RESULT
# line. Then the convolution kernels are timed at the network's shapes and batch size, next to an FMA probe
# measured in the same run (bench/SourceNet.Benchmarks --conv). The markdown table is printed and saved under
# bench/results/compare-cnn-<UTC time>/ (git-ignored). Results and method: docs/performance.md, "CNN comparison".
#
# Usage: bench/compare-cnn.sh [--epochs N] [--steps N] [--batch-size N] [--threads "1 2"]
#                             [--run-timeout SECONDS] [--nice N] [--no-install]
#   --epochs: epochs per run (default 1); --steps: steps per epoch (default 60000 / batch size, a full epoch;
#   fewer for a quick look); --batch-size: default 50. Each run is stopped after --run-timeout seconds (default
#   1800) and reported as failed. Runs start at niceness --nice (default -10 as root, else 0): the machine is shared.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare-cnn.sh${*:+ $*}"

epochs=1
steps=0
batch=50
threads_list="1 2"
run_timeout=1800
niceness=0
[[ $(id -u) == 0 ]] && niceness=-10
install=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --batch-size) batch="$2"; shift 2 ;;
        --threads) threads_list="$2"; shift 2 ;;
        --run-timeout) run_timeout="$2"; shift 2 ;;
        --nice) niceness="$2"; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "compare-cnn.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $steps -gt 0 ]] || steps=$((60000 / batch))

data="$repo/data/mnist"
logs="$repo/bench/results/compare-cnn-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
# Debian's python3 carries python3-torch; a pyenv python3 earlier on PATH does not.
python=/usr/bin/python3
cnn_dir="$repo/bench/SourceNet.CompareCnn"
bench_dir="$repo/bench/SourceNet.Benchmarks"
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

say "Building SourceNet.CompareCnn and SourceNet.Benchmarks"
build "$cnn_dir/SourceNet.CompareCnn.csproj" "$logs/build-comparecnn.log" || { echo "build failed, see $logs" >&2; exit 1; }
build "$bench_dir/SourceNet.Benchmarks.csproj" "$logs/build-benchmarks.log" || { echo "build failed, see $logs" >&2; exit 1; }

# One process per setting; its RESULT line gets the setting and the load average at its start.
run() {
    local name="$1" threads="$2" policy="$3"; shift 3
    local setting="$threads${policy:+ ${policy,,}}"
    local log="$logs/${name}-${threads}${policy:+-${policy,,}}.log" before
    say "$name, $setting thread(s), $epochs epoch(s) of $steps steps of $batch"
    # Every pool either side might use gets the same size: Debian's torch does not forward set_num_threads
    # to OpenBLAS, and its convolutions run on oneDNN's OpenMP pool.
    local -a environment=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
        SOURCENET_THREADS="$threads")
    [[ -n $policy ]] && environment+=(OMP_WAIT_POLICY="$policy")
    before="$(load)"
    if timeout "$run_timeout" nice -n "$niceness" env "${environment[@]}" "$@" > "$log" 2>&1 && grep -q '^RESULT ' "$log"; then
        grep '^RESULT ' "$log" | sed "s/^RESULT {/{\"setting\": \"$setting\", \"load_before\": \"$before\", \"load_after\": \"$(load)\", /" >> "$results"
        grep '^RESULT ' "$log" | cut -c1-200 >&2
    else
        failed+=("$name at threads $setting: no result (failed or over ${run_timeout} s), see $log")
        tail -5 "$log" >&2 || true
    fi
}

load_start="$(load)"
# The convolution kernels first: a short run, and its FMA probe is the peak the table compares with.
say "Convolution kernels at batch $batch and the FMA probe"
conv_log="$logs/conv.log"
timeout "$run_timeout" nice -n "$niceness" dotnet "$bench_dir/bin/Release/net10.0/SourceNet.Benchmarks.dll" \
    --conv "${threads_list// /,}" "$batch" > "$conv_log" 2>&1 || failed+=("conv timer: failed, see $conv_log")
cat "$conv_log" >&2

common=(--data "$data" --epochs "$epochs" --steps "$steps" --batch "$batch")
for threads in $threads_list; do
    # PyTorch only: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some machines for the tests, are removed so
    # OpenBLAS picks its kernels for this CPU itself.
    run PyTorch "$threads" "" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        "$python" "$repo/bench/peers/pytorch_cnn.py" --threads "$threads" "${common[@]}"
    run SourceNet "$threads" "" dotnet "$cnn_dir/bin/Release/net10.0/SourceNet.CompareCnn.dll" --threads "$threads" "${common[@]}"
    if [[ $threads -gt 1 ]]; then
        # OpenMP's default busy-waiting collapses on a loaded 2-core machine (see docs/performance.md, Notes).
        run PyTorch "$threads" PASSIVE env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
            "$python" "$repo/bench/peers/pytorch_cnn.py" --threads "$threads" "${common[@]}"
    fi
done
load_end="$(load)"

report="$logs/table.md"
{
    printf 'Command: `%s` (%s epoch(s) of %s steps of batch %s)  \n' "$invocation" "$epochs" "$steps" "$batch"
    printf 'Date: %s; commit %s%s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src bench samples 2>/dev/null || echo ' (uncommitted changes)')"
    printf 'Machine: %s (family %s, model %s), %s cores, %s GiB; niceness %s; load average at start %s, at end %s  \n' \
        "$(lscpu | sed -n 's/^Model name: *//p')" "$(lscpu | sed -n 's/^CPU family: *//p')" "$(lscpu | sed -n 's/^Model: *//p')" \
        "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" "$niceness" "$load_start" "$load_end"
    echo
    "$python" "$repo/bench/compare_cnn_report.py" "$results" "$conv_log" "$batch" "$steps"
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo
        printf -- '- FAILED: %s\n' "${failed[@]}"
    fi
} > "$report"

say "Results (also in $report)"
cat "$report"
