#!/usr/bin/env bash
# Sequential MNIST with an LSTM trained by SourceNet and by PyTorch, alternating in one run (issue 17, "Performance").
#
# Each image is 28 steps of 28 pixels; LSTM(128) -> the last hidden state -> Dense(10); softmax cross-entropy; Adam
# (lr 1e-3, betas .9/.999, eps 1e-7); batches of 100 drawn with replacement. PyTorch runs bench/peers/pytorch_lstm.py
# (nn.LSTM), SourceNet runs bench/SourceNet.CompareLstm; both take --threads N --steps S --warmup W, run W untimed
# steps, time S steps one by one and print one line RESULT {json} (step_ms: the median step). Rounds alternate
# (round 1: PyTorch 1, SourceNet 1, PyTorch 2, PyTorch 2 with OMP_WAIT_POLICY=PASSIVE, SourceNet 2; round 2: the same...),
# and the report compares the best run of each system, and at each thread count, best against best. SourceNet's lines about the FMA peak (the
# recurrent step's kernels as a fraction of the peak measured in the same run) are copied into the report.
# The markdown report is printed and saved under bench/results/compare-lstm-<UTC time>/ (git-ignored).
#
# Usage: bench/compare-lstm.sh [--steps N] [--warmup N] [--rounds N] [--threads "1 2"] [--peer-only]
#                              [--run-timeout SECONDS] [--nice N] [--no-install] [--cell lstm|gru]
#   --steps: timed steps per run (default 200); --warmup: untimed steps first (default 20); --rounds: how many
#   times each setting runs (default 3); --peer-only: PyTorch alone (no .NET build), e.g. before the C# side exists.
#   Each run is stopped after --run-timeout seconds (default 900) and reported as failed. Runs start at niceness
#   --nice (default -10 as root, else 0): the machine is shared. --cell gru: a GRU(128) in both (nn.GRU, [Gru(128)]).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare-lstm.sh${*:+ $*}"

steps=200
warmup=20
rounds=3
threads_list="1 2"
run_timeout=900
niceness=0
[[ $(id -u) == 0 ]] && niceness=-10
install=1
peer_only=0
cell=lstm
positive() { [[ $2 =~ ^[0-9]+$ && $2 -ge $3 ]] || { echo "compare-lstm.sh: $1 needs an integer of at least $3; got '$2'" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps|--warmup|--rounds|--threads|--run-timeout|--nice|--cell)
            [[ $# -ge 2 ]] || { echo "compare-lstm.sh: $1 needs a value" >&2; exit 2; } ;;&
        --steps) positive "$1" "$2" 1; steps="$2"; shift 2 ;;
        --warmup) positive "$1" "$2" 0; warmup="$2"; shift 2 ;;
        --rounds) positive "$1" "$2" 1; rounds="$2"; shift 2 ;;
        --threads) for t in $2; do positive "$1" "$t" 1; done; threads_list="$2"; shift 2 ;;
        --run-timeout) positive "$1" "$2" 1; run_timeout="$2"; shift 2 ;;
        --nice) [[ $2 =~ ^-?[0-9]+$ ]] || { echo "compare-lstm.sh: --nice needs an integer; got '$2'" >&2; exit 2; }; niceness="$2"; shift 2 ;;
        --peer-only) peer_only=1; shift ;;
        --cell) [[ $2 == lstm || $2 == gru ]] || { echo "compare-lstm.sh: --cell takes lstm or gru; got '$2'" >&2; exit 2; }; cell="$2"; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "compare-lstm.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

data="$repo/data/mnist"
logs="$repo/bench/results/compare-lstm-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
# Debian's python3 carries python3-torch; a pyenv python3 earlier on PATH does not.
python=/usr/bin/python3
lstm_dir="$repo/bench/SourceNet.CompareLstm"
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

if [[ $peer_only == 0 ]]; then
    if [[ ! -f $lstm_dir/SourceNet.CompareLstm.csproj ]]; then
        echo "compare-lstm.sh: $lstm_dir/SourceNet.CompareLstm.csproj is missing; run with --peer-only for PyTorch alone" >&2
        exit 1
    fi
    say "Building SourceNet.CompareLstm"
    build "$lstm_dir/SourceNet.CompareLstm.csproj" "$logs/build-comparelstm.log" || { echo "build failed, see $logs" >&2; exit 1; }
fi

# One process per run; its RESULT line gets the round, the setting and the load average at its start and end.
run() {
    local name="$1" threads="$2" policy="$3" round="$4"; shift 4
    local setting="$threads${policy:+ ${policy,,}}"
    local log="$logs/${name}-${threads}${policy:+-${policy,,}}-round${round}.log" before
    say "$name, $setting thread(s), round $round: $warmup warm-up steps, $steps timed steps"
    # Every pool either side might use gets the same size: Debian's torch does not forward set_num_threads to
    # OpenBLAS. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some machines for the tests, are removed so OpenBLAS
    # picks its kernels for this CPU itself.
    local -a environment=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
        SOURCENET_THREADS="$threads")
    [[ -n $policy ]] && environment+=(OMP_WAIT_POLICY="$policy")
    before="$(load)"
    if timeout "$run_timeout" nice -n "$niceness" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${environment[@]}" "$@" \
            > "$log" 2>&1 && grep -q '^RESULT ' "$log"; then
        grep '^RESULT ' "$log" | tail -1 | sed "s/^RESULT {/{\"setting\": \"$setting\", \"round\": $round, \"load_before\": \"$before\", \"load_after\": \"$(load)\", /" >> "$results"
        grep '^RESULT ' "$log" | tail -1 | cut -c1-200 >&2
    else
        failed+=("$name at $setting thread(s), round $round: no result (failed or over ${run_timeout} s), see $log")
        tail -5 "$log" >&2 || true
    fi
}

common=(--steps "$steps" --warmup "$warmup" --cell "$cell")
load_start="$(load)"
for ((round = 1; round <= rounds; round++)); do
    for threads in $threads_list; do
        run PyTorch "$threads" "" "$round" "$python" "$repo/bench/peers/pytorch_lstm.py" --data "$data" --threads "$threads" "${common[@]}"
        if [[ $threads -gt 1 ]]; then
            # OpenMP's default busy-waiting collapses on a loaded 2-core machine (docs/performance.md, Notes).
            run PyTorch "$threads" PASSIVE "$round" "$python" "$repo/bench/peers/pytorch_lstm.py" --data "$data" --threads "$threads" "${common[@]}"
        fi
        if [[ $peer_only == 0 ]]; then
            run SourceNet "$threads" "" "$round" dotnet "$lstm_dir/bin/Release/net10.0/SourceNet.CompareLstm.dll" --threads "$threads" "${common[@]}"
        fi
    done
done
load_end="$(load)"

report="$logs/table.md"
{
    printf 'Command: `%s` (%s round(s); each run: %s warm-up steps, %s timed steps of batch 100)  \n' "$invocation" "$rounds" "$warmup" "$steps"
    printf 'Date: %s; commit %s%s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src bench samples 2>/dev/null || echo ' (uncommitted changes)')"
    printf 'Machine: %s (family %s, model %s), %s cores, %s GiB; niceness %s; load average at start %s, at end %s  \n' \
        "$(lscpu | sed -n 's/^Model name: *//p')" "$(lscpu | sed -n 's/^CPU family: *//p')" "$(lscpu | sed -n 's/^Model: *//p')" \
        "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" "$niceness" "$load_start" "$load_end"
    echo
    "$python" "$repo/bench/compare_lstm_report.py" "$results" "$logs"
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo
        printf -- '- FAILED: %s\n' "${failed[@]}"
    fi
} > "$report"

say "Results (also in $report)"
cat "$report"
[[ ${#failed[@]} -eq 0 ]]
