#!/usr/bin/env bash
# SourceNet side by side with PyTorch, TorchSharp and ONNX Runtime, in one run, on the same data
# and settings.
#
# The workload is the TensorFlow 2 tutorial's network: MNIST 784-300-10, ReLU, softmax
# cross-entropy, Adam (lr 1e-3, betas .9/.999, eps 1e-7), batch 100, 600 random batches
# (with replacement) per epoch, weights and biases ~ N(0, 0.03). Each system runs in its own
# process at 1 and at 2 threads and prints one RESULT line; this script installs what is
# missing, builds, runs them all, and prints a markdown table (also saved to bench/results/).
# ONNX Runtime only infers: it runs the network the first PyTorch run trained and exported.
# Results, method and caveats: docs/performance.md.
#
# Usage: bench/compare.sh [--epochs N] [--threads "1 2"] [--systems "pytorch torchsharp onnxruntime sourcenet"]
#                         [--single-calls N] [--run-timeout SECONDS] [--nice N] [--no-install] [--quick | --full]
#   --full (10 epochs) is the full comparison in docs/performance.md; the default is 5 epochs; --quick (2 epochs,
#   2000 single-image calls) is a first look. Each run is stopped after --run-timeout seconds (default 900) and reported as failed.
#   Runs start at niceness --nice (default -10 as root, else 0) to keep other work from skewing them.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
invocation="bench/compare.sh${*:+ $*}"

epochs=5
threads_list="1 2"
systems="pytorch torchsharp onnxruntime sourcenet"
single_calls=5000
run_timeout=900
niceness=0
[[ $(id -u) == 0 ]] && niceness=-10
install=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --threads) threads_list="$2"; shift 2 ;;
        --systems) systems="$2"; shift 2 ;;
        --single-calls) single_calls="$2"; shift 2 ;;
        --run-timeout) run_timeout="$2"; shift 2 ;;
        --nice) niceness="$2"; shift 2 ;;
        --quick) epochs=2; single_calls=2000; shift ;;
        --full) epochs=10; shift ;;
        --no-install) install=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

data="$repo/data/mnist"
results_dir="$repo/bench/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
logs="$results_dir/compare-$stamp"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
# Debian's python3 carries python3-torch; a pyenv python3 earlier on PATH does not.
python=/usr/bin/python3
torchsharp_dir="$repo/bench/peers/TorchSharp"
torchsharp_out="$torchsharp_dir/bin/Release/net10.0/linux-x64"
onnxruntime_dir="$repo/bench/peers/OnnxRuntime"
onnxruntime_out="$onnxruntime_dir/bin/Release/net10.0/linux-x64"
onnx_model="$logs/mnist-pytorch.onnx"
compare_dir="$repo/bench/SourceNet.Compare"
compare_out="$compare_dir/bin/Release/net10.0"

say() { printf '\n== %s\n' "$*" >&2; }
wants() { [[ " $systems " == *" $1 "* ]]; }

# dotnet build, retried: other builds on this machine can hold locks on shared obj/ files.
build() {
    local project="$1" log="$2" attempt
    for attempt in 1 2 3 4; do
        if dotnet build "$project" -c Release -nologo > "$log" 2>&1; then
            return 0
        fi
        echo "build of $project failed (attempt $attempt), see $log" >&2
        grep -E 'error|being used by another process' "$log" | tail -3 >&2 || true
        sleep 15
    done
    return 1
}

# ---------------------------------------------------------------------------------- install
if [[ $install == 1 ]] && wants pytorch; then
    # python3-torch alone brings the reference BLAS (~6 GFLOP/s); OpenBLAS takes over libblas.so.3.
    if ! "$python" -c 'import torch, numpy' 2>/dev/null || ! dpkg -s libopenblas0-pthread > /dev/null 2>&1; then
        say "Installing python3-torch, python3-numpy, libopenblas0-pthread (apt)"
        apt-get update -q > "$logs/apt-update.log" 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-numpy libopenblas0-pthread > "$logs/apt-install.log" 2>&1
    fi
fi

# ---------------------------------------------------------------------------------- build
failed=()
if wants torchsharp; then
    say "Building the TorchSharp peer (first restore downloads libtorch, ~130 MB)"
    if build "$torchsharp_dir/TorchSharpMnist.csproj" "$logs/build-torchsharp.log"; then
        # libLibTorchSharp.so (GCC 13) wants GLIBCXX_3.4.32; Debian 12 has 3.4.30. Its only symbol of
        # that version is never called, so mark the requirement weak -- in the build output only.
        "$python" "$repo/bench/peers/weaken_version_need.py" "$torchsharp_out/libLibTorchSharp.so" GLIBCXX_3.4.32 >&2
    else
        failed+=("TorchSharp: build failed, see $logs/build-torchsharp.log")
        systems="${systems/torchsharp/}"
    fi
fi
if wants onnxruntime; then
    if ! wants pytorch; then
        failed+=("ONNX Runtime: skipped, it needs the model the PyTorch run exports")
        systems="${systems/onnxruntime/}"
    else
        say "Building the ONNX Runtime peer"
        if ! build "$onnxruntime_dir/OnnxRuntimeMnist.csproj" "$logs/build-onnxruntime.log"; then
            failed+=("ONNX Runtime: build failed, see $logs/build-onnxruntime.log")
            systems="${systems/onnxruntime/}"
        fi
    fi
fi
if wants sourcenet; then
    say "Building SourceNet.Compare"
    if ! build "$compare_dir/SourceNet.Compare.csproj" "$logs/build-sourcenet.log"; then
        failed+=("SourceNet: build failed, see $logs/build-sourcenet.log")
        systems="${systems/sourcenet/}"
    fi
fi

# ---------------------------------------------------------------------------------- run
# The FMA peak, measured (bench/Shared/FmaPeak.cs) before and after the runs; the report takes the higher of
# each, since a busy machine can only lower it. Floors and "% of peak" come from it, never from a constant.
peaks="$logs/peak.jsonl"
: > "$peaks"
probe_peak() {
    if [[ -f $compare_out/SourceNet.Compare.dll ]]; then
        nice -n "$niceness" dotnet "$compare_out/SourceNet.Compare.dll" --peak 2>&1 | grep '^PEAK ' | cut -c6- >> "$peaks" || true
    fi
}
probe_peak
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run() {
    local name="$1" threads="$2" wait_policy="$3"; shift 3
    local setting="$threads" tag="${name// /}-$threads"
    if [[ -n $wait_policy ]]; then
        setting="$threads ${wait_policy,,}"
        tag="$tag-${wait_policy,,}"
    fi
    local log="$logs/$tag.log"
    say "$name, $setting thread(s), $epochs epoch(s)"
    # Every pool a peer might use gets the same size: Debian's torch does not forward
    # torch.set_num_threads to OpenBLAS, and libtorch uses OpenMP.
    local -a environment=(OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
        SOURCENET_THREADS="$threads")
    [[ -n $wait_policy ]] && environment+=(OMP_WAIT_POLICY="$wait_policy")
    if timeout "$run_timeout" nice -n "$niceness" env "${environment[@]}" "$@" > "$log" 2>&1 && grep -q '^RESULT ' "$log"; then
        grep '^RESULT ' "$log" | sed "s/^RESULT {/{\"setting\": \"$setting\", /" >> "$results"
        grep '^RESULT ' "$log" | cut -c1-160 >&2
    else
        failed+=("$name at threads $setting: no result (failed or over ${run_timeout} s), see $log")
        tail -5 "$log" >&2 || true
    fi
}
common=(--data "$data" --epochs "$epochs" --single-calls "$single_calls")
for threads in $threads_list; do
    # With more than one thread, OpenMP's default busy-waiting can collapse on a 2-core VM (the
    # BLAS pool and the OpenMP pool spin against each other): the peers also run with passive waits.
    wait_policies=("")
    [[ $threads -gt 1 ]] && wait_policies+=(PASSIVE)
    for policy in "${wait_policies[@]}"; do
        if wants pytorch; then
            export_model=()
            [[ -f $onnx_model ]] || export_model=(--export-onnx "$onnx_model")
            run PyTorch "$threads" "$policy" "$python" "$repo/bench/peers/pytorch_mnist.py" --threads "$threads" \
                "${common[@]}" "${export_model[@]}"
        fi
        if wants torchsharp; then
            run TorchSharp "$threads" "$policy" dotnet "$torchsharp_out/TorchSharpMnist.dll" --threads "$threads" "${common[@]}"
        fi
        if wants onnxruntime && [[ -f $onnx_model ]]; then
            run "ONNX Runtime" "$threads" "$policy" dotnet "$onnxruntime_out/OnnxRuntimeMnist.dll" --threads "$threads" \
                --model "$onnx_model" "${common[@]}"
        fi
    done
    if wants sourcenet; then
        run SourceNet "$threads" "" dotnet "$compare_out/SourceNet.Compare.dll" "${common[@]}"
    fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
probe_peak

# ---------------------------------------------------------------------------------- report
report="$logs/table.md"
{
    printf 'Command: `%s` (%s epochs, threads %s)  \n' "$invocation" "$epochs" "$threads_list"
    printf 'Date: %s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'Commit: %s%s  \n' "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
    printf 'Machine: %s (family %s, model %s), %s cores, %s GiB; runs at niceness %s; load average before %s, after %s  \n' \
        "$(lscpu | sed -n 's/^Model name: *//p')" "$(lscpu | sed -n 's/^CPU family: *//p')" "$(lscpu | sed -n 's/^Model: *//p')" "$(nproc)" \
        "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" "$niceness" "$load_before" "$load_after"
    echo
    "$python" - "$results" "$single_calls" "$peaks" <<'PY'
import json, sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ORDER = ["PyTorch", "TorchSharp", "ONNX Runtime", "SourceNet"]
rows.sort(key=lambda r: (ORDER.index(r["system"]) if r["system"] in ORDER else len(ORDER), r["setting"]))
single_calls = int(sys.argv[2])
# Matmul work of one step (batch 100): forward 784x300 and 300x10, their weight gradients, and the
# hidden-layer input gradient: 2*100*(784*300 + 300*10) * 2 + 2*100*10*300 = 95.9 MFLOP.
STEP_FLOP = 2 * 100 * (784 * 300 + 300 * 10) * 2 + 2 * 100 * 10 * 300
# The FMA peak measured in this run (best of the probes before and after), FLOP/s: 1 thread, 2 threads.
probes = [json.loads(line) for line in open(sys.argv[3]) if line.strip()]
if probes:
    PEAK = {1: max(p["gflops_1"] for p in probes) * 1e9, 2: max(p["gflops_2"] for p in probes) * 1e9}
    PEAK_NOTE = (f"measured in this run ({probes[0]['vector']}, 12-16 FMA chains per thread, best of "
                 f"{len(probes)} probe(s)): {PEAK[1] / 1e9:.0f} GFLOP/s on 1 core, {PEAK[2] / 1e9:.0f} on 2")
else:
    PEAK = None
    PEAK_NOTE = "not measured (SourceNet.Compare --peak did not run)"

def fmt(value, digits, scale=1):
    return "n/a" if value is None else f"{value * scale:,.{digits}f}"

trained = [r for r in rows if r["epoch_median_s"] is not None]
steps = trained[0]["steps_per_epoch"] if trained else 600
epochs = trained[0]["epochs"] if trained else 0

# Each system's best setting is marked: by median epoch time, or by latency for inference-only systems.
def rank(r):
    return r["epoch_median_s"] if r["epoch_median_s"] is not None else r["infer1_us"]
best_setting = {}
for r in rows:
    if r["system"] not in best_setting or rank(r) < rank(best_setting[r["system"]]):
        best_setting[r["system"]] = r

print(f"Training: {epochs} epoch(s) of {steps} steps of batch 100; epoch = training only, median and min-max "
      f"over epochs; step = median epoch / {steps}. Inference: 1 image = median of {single_calls} calls "
      "(image in, digit out) after 500 warm-up calls; 10k images = the whole test set in one call, median of 5 "
      "after a warm-up. Alloc = managed bytes allocated by the calling thread (GC.GetAllocatedBytesForCurrentThread; "
      "per step: last epoch); all threads = GC.GetTotalAllocatedBytes(true) per step (SourceNet only). Peak RSS = VmHWM of the process (ONNX Runtime's process loads only the test set). "
      "Threads '2 passive' = 2 threads with OMP_WAIT_POLICY=PASSIVE. ★ = that system's best setting.\n")
print("| System | Threads | Epoch (s), median | Epoch min-max (s) | Step (ms) | 1 image (µs) | 10k images (ms) "
      "| Alloc/step (B) | Alloc/step, all threads (B) | Alloc/inference (B) | Peak RSS (MiB) | Test accuracy | Final loss |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    star = " ★" if best_setting[r["system"]] is r else ""
    span = "n/a" if r["epoch_min_s"] is None else f"{r['epoch_min_s']:.3f}-{r['epoch_max_s']:.3f}"
    print(f"| {r['system']}{star} | {r['setting']} | {fmt(r['epoch_median_s'], 3)} | {span} "
          f"| {fmt(r['step_ms'], 3)} | {fmt(r['infer1_us'], 1)} | {fmt(r['infer_batch_ms'], 1)} "
          f"| {fmt(r['alloc_step_bytes'], 0)} | {fmt(r.get('alloc_step_bytes_all_threads'), 0)} "
          f"| {fmt(r['alloc_infer_bytes'], 0)} | {fmt(r['peak_rss_mib'], 0)} "
          f"| {fmt(r['accuracy'], 2, 100)}% | {fmt(r['final_loss'], 4)} |")

print()
print(f"FMA peak: {PEAK_NOTE}.\n")
if PEAK:
    floor1, floor2 = STEP_FLOP * steps / PEAK[1], STEP_FLOP * steps / PEAK[2]
    print(f"FMA floor: one step is {STEP_FLOP / 1e6:.1f} MFLOP of matmul; at the measured peak an epoch cannot take "
          f"less than {floor1:.3f} s on 1 core, {floor2:.3f} s on 2.\n")
    for r in trained:
        floor = floor1 if r["threads"] < 2 else floor2
        print(f"- {r['system']}, threads {r['setting']}: median epoch {r['epoch_median_s'] / floor:.2f}x the floor "
              f"({100 * floor / r['epoch_median_s']:.0f}% of the measured FMA peak)")
ours = [r for r in rows if r["system"] == "SourceNet"]
peers = [r for r in rows if r["system"] != "SourceNet"]
training_peers = [r for r in peers if r["epoch_median_s"] is not None]
if ours and peers:
    print()
    print("SourceNet against the best peer, per metric: each side at its best setting for that metric; "
          "ratio = SourceNet / peer (below 1: SourceNet is faster or smaller). Peak RSS and accuracy are compared "
          "with the peers that train.\n")
    print("| Metric | SourceNet | Best peer | Ratio |")
    print("|---|---:|---:|---:|")
    metrics = [("Epoch time, median (s)", "epoch_median_s", 3, 1, min, training_peers),
               ("Step time (ms)", "step_ms", 3, 1, min, training_peers),
               ("Single-image inference (µs)", "infer1_us", 1, 1, min, peers),
               ("10,000-image inference (ms)", "infer_batch_ms", 1, 1, min, peers),
               ("Peak RSS, training process (MiB)", "peak_rss_mib", 0, 1, min, training_peers),
               ("Test accuracy (%)", "accuracy", 2, 100, max, training_peers)]
    for label, key, digits, scale, pick, candidates in metrics:
        ours_with = [r for r in ours if r[key] is not None]
        theirs = [r for r in candidates if r[key] is not None]
        if not ours_with or not theirs:
            continue
        o = pick(ours_with, key=lambda r: r[key])
        p = pick(theirs, key=lambda r: r[key])
        print(f"| {label} | {fmt(o[key], digits, scale)} (threads {o['setting']}) "
              f"| {fmt(p[key], digits, scale)} ({p['system']}, threads {p['setting']}) | {o[key] / p[key]:.2f} |")
    for label, key in [("Managed alloc per training step (B)", "alloc_step_bytes"),
                       ("Managed alloc per single-image inference (B)", "alloc_infer_bytes")]:
        ours_with = [r for r in ours if r[key] is not None]
        theirs = [r for r in peers if r[key] is not None]
        if ours_with and theirs:
            o = min(ours_with, key=lambda r: r[key])
            p = min(theirs, key=lambda r: r[key])
            print(f"| {label} | {fmt(o[key], 0)} | {fmt(p[key], 0)} ({p['system']}, managed side only; "
                  f"PyTorch n/a) | - |")

print()
print("Versions: " + "; ".join(sorted({r["version"] for r in rows})))
PY
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo
        printf -- '- FAILED: %s\n' "${failed[@]}"
    fi
} > "$report"

say "Results (also in $report)"
cat "$report"
