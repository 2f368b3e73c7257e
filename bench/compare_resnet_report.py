#!/usr/bin/python3
"""The markdown table of bench/compare-resnet.sh, from its results.jsonl.

Usage: compare_resnet_report.py RESULTS_JSONL BATCH STEPS

One row per run, in the order they ran; then, per thread count, SourceNet's median steps/s over PyTorch's best
setting at that thread count (its median over rounds), and over PyTorch's best setting at any thread count.
"""

import json
import statistics
import sys


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
    versions = sorted({r["version"] for r in runs})
    if versions:
        print("\nVersions: " + "; ".join(versions))


if __name__ == "__main__":
    main()
