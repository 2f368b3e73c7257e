#!/usr/bin/python3
"""The markdown table of bench/compare-resnet.sh, from its results.jsonl.

Usage: compare_resnet_report.py RESULTS_JSONL BATCH STEPS [FMA_LOG]

One row per run, in the order they ran; then, per thread count, SourceNet's median steps/s over PyTorch's best
setting at that thread count (its median over rounds), and over PyTorch's best setting at any thread count. With the
FMA probe's log, each run's step is also set against the step's floor: its products at the measured FMA peak.
"""

import json
import re
import statistics
import sys

# The products of samples/MnistResNet/MnistResNet.cs, one sample: (name, output values, multiply-adds per output
# value, whether the backward pass computes the input's gradient). The stem reads the image, whose gradient nobody
# needs; every other product runs three times in a step (forward, weight gradient, input gradient).
PRODUCTS = [
    ("Stem 3x3, 1 -> 16", 28 * 28 * 16, 9 * 1, False),
    ("Block1Conv1 3x3, 16 -> 16", 28 * 28 * 16, 9 * 16, True),
    ("Block1Conv2 3x3, 16 -> 16", 28 * 28 * 16, 9 * 16, True),
    ("Block2Conv1 3x3 /2, 16 -> 32", 14 * 14 * 32, 9 * 16, True),
    ("Block2Conv2 3x3, 32 -> 32", 14 * 14 * 32, 9 * 32, True),
    ("Block2Shortcut 1x1 /2, 16 -> 32", 14 * 14 * 32, 16, True),
    ("Block3Conv1 3x3 /2, 32 -> 64", 7 * 7 * 64, 9 * 32, True),
    ("Block3Conv2 3x3, 64 -> 64", 7 * 7 * 64, 9 * 64, True),
    ("Block3Shortcut 1x1 /2, 32 -> 64", 7 * 7 * 64, 32, True),
    ("Output dense 64 -> 10", 10, 64, True),
]
STEP_FLOP_PER_SAMPLE = sum(2 * outputs * macs * (3 if input_gradient else 2)
                           for _, outputs, macs, input_gradient in PRODUCTS)


def read_peaks(path):
    """{threads: GFLOP/s}, the higher of the probes, from lines like
    'Measured FMA peak (Vector256): 56.7 GFLOP/s on 1 thread, 113.2 on 2'."""
    peaks = {}
    for line in open(path, encoding="utf-8"):
        probe = re.search(r"FMA peak.*?: ([\d.]+) GFLOP/s on 1 thread, ([\d.]+) on 2", line)
        if probe:
            for threads, value in ((1, float(probe.group(1))), (2, float(probe.group(2)))):
                peaks[threads] = max(peaks.get(threads, 0.0), value)
    return peaks


def main():
    results_path, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    runs = [json.loads(line) for line in open(results_path, encoding="utf-8") if line.strip()]
    full_steps = 60000 // batch
    print(f"Steps/s = steps of batch {batch} per second of training (batch sampling included, evaluation not), "
          f"median over the run's epochs; a full epoch is {full_steps} steps. Load = 1-minute load average at the "
          "run's start / end. '2 passive' = 2 threads with OMP_WAIT_POLICY=PASSIVE.\n")
    print("| Round | System | Threads | Steps/s | Step (ms) | Full epoch, projected (s) | Final loss | Load start / end | Peak RSS (MiB) |")
    print("|---:|---|---|---:|---:|---:|---:|---|---:|")
    for r in runs:
        print(f"| {r['round']} | {r['system']} | {r['setting']} | {r['steps_per_s']:.2f} | {r['step_ms']:.1f} "
              f"| {r['step_ms'] * full_steps / 1e3:.1f} | {r['final_loss']:.4f} "
              f"| {r['load_before'].split()[0]} / {r['load_after'].split()[0]} | {r['peak_rss_mib']:.0f} |")

    def median_rate(system, setting):
        rates = [r["steps_per_s"] for r in runs if r["system"] == system and r["setting"] == setting]
        return statistics.median(rates) if rates else None

    settings = sorted({r["setting"] for r in runs})
    pytorch = {s: median_rate("PyTorch", s) for s in settings if median_rate("PyTorch", s) is not None}
    best_overall = max(pytorch.items(), key=lambda item: item[1]) if pytorch else None
    print("\n| Threads | SourceNet steps/s | PyTorch best steps/s (setting) | Ratio at these threads | Ratio vs PyTorch's best overall |")
    print("|---|---:|---:|---:|---:|")
    for threads in sorted({int(r["threads"]) for r in runs}):
        ours = median_rate("SourceNet", str(threads))
        theirs = [(s, v) for s, v in pytorch.items() if s.split()[0] == str(threads)]
        if ours is None or not theirs:
            continue
        setting, rate = max(theirs, key=lambda item: item[1])
        print(f"| {threads} | {ours:.2f} | {rate:.2f} ({setting}) | {ours / rate:.2f}x "
              f"| {ours / best_overall[1]:.2f}x (PyTorch {best_overall[0]}) |")
    if len(sys.argv) > 4:
        report_floor(runs, batch, read_peaks(sys.argv[4]), pytorch, best_overall)
    versions = sorted({r["version"] for r in runs})
    if versions:
        print("\nVersions: " + "; ".join(versions))


def plural(threads):
    return f"{threads} thread" + ("s" if threads != 1 else "")


def report_floor(runs, batch, peaks, pytorch, best_overall):
    """Each run's share of the FMA peak, and the most any system could beat PyTorch's best by on this machine."""
    if not peaks:
        print("\nNo FMA probe result: no floor.")
        return
    step_flop = STEP_FLOP_PER_SAMPLE * batch
    print(f"\nOne training step is {step_flop / 1e9:.2f} GFLOP of convolution and dense products "
          f"({STEP_FLOP_PER_SAMPLE / 1e6:.1f} MFLOP per sample; batch normalisation, sums and pooling not counted). "
          "FMA peak, the higher of the probes before and after: "
          + ", ".join(f"{peak:.1f} GFLOP/s on {plural(threads)}" for threads, peak in sorted(peaks.items()))
          + "; floor = the step's products at that peak.\n")
    print("| Round | System | Threads | Step (ms) | Floor (ms) | Step / floor | GFLOP/s over the step | % of peak |")
    print("|---:|---|---|---:|---:|---:|---:|---:|")
    for r in runs:
        threads = int(r["threads"])
        if threads not in peaks:
            continue
        floor_ms = step_flop / (peaks[threads] * 1e9) * 1e3
        rate = step_flop / (r["step_ms"] / 1e3) / 1e9
        print(f"| {r['round']} | {r['system']} | {r['setting']} | {r['step_ms']:.1f} | {floor_ms:.1f} "
              f"| {r['step_ms'] / floor_ms:.2f} | {rate:.1f} | {100 * rate / peaks[threads]:.0f}% |")
    if best_overall:
        best_ms = 1e3 / best_overall[1]
        for threads, peak in sorted(peaks.items()):
            floor_ms = step_flop / (peak * 1e9) * 1e3
            print(f"\nAt {plural(threads)}, a step at the floor ({floor_ms:.1f} ms) would be {best_ms / floor_ms:.2f}x "
                  f"PyTorch's best setting ({best_overall[0]}, {best_ms:.1f} ms): no system can beat it by more here.")


if __name__ == "__main__":
    main()
