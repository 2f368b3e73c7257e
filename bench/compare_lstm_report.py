#!/usr/bin/python3
"""The markdown report of bench/compare-lstm.sh, from its results.jsonl and its run logs.

Usage: compare_lstm_report.py RESULTS_JSONL LOG_FOLDER

Every run's figure is its median step (step_ms in its RESULT line). For each system the best run is the fastest
over rounds (and, for the overall line, over thread counts); speed-up = PyTorch's best / SourceNet's best. The
lines of SourceNet's logs that speak of the FMA peak (the recurrent kernels as a fraction of the peak measured in
the same run) are copied as they are.
"""

import glob
import json
import os
import re
import sys

GOAL = 3.0  # issue 17: SourceNet at least 3x faster than PyTorch, best against best


def best(runs, system, threads=None):
    mine = [r for r in runs if r["system"] == system and (threads is None or int(r["threads"]) == threads)]
    return min(mine, key=lambda r: r["step_ms"]) if mine else None


def main():
    results_path, log_folder = sys.argv[1], sys.argv[2]
    runs = [json.loads(line) for line in open(results_path, encoding="utf-8") if line.strip()]
    if not runs:
        print("No run produced a result (see the logs).")
        return
    runs.sort(key=lambda r: (int(r["threads"]), r["system"] != "PyTorch", r.get("round", 0)))

    print("Step = median of the timed steps of one run (after its warm-up), each step sampling its batch, in ms; "
          "mean = their mean; best = its fastest step. "
          "Load = 1-minute load average when the run started. '2 passive' = 2 threads with OMP_WAIT_POLICY=PASSIVE.\n")
    print("| System | Threads | Round | Step, median (ms) | Step, mean (ms) | Step, best (ms) | Final loss | Load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        step_best, step_mean = r.get("step_best_ms"), r.get("step_mean_ms")
        loss = r.get("final_loss")
        print(f"| {r['system']} | {r.get('setting', r['threads'])} | {r.get('round', '')} | {r['step_ms']:.2f} "
              f"| {'' if step_mean is None else f'{step_mean:.2f}'} "
              f"| {'' if step_best is None else f'{step_best:.2f}'} | {'' if loss is None else f'{loss:.4f}'} "
              f"| {r['load_before'].split()[0]} |")

    print()
    for threads in sorted({int(r["threads"]) for r in runs}):
        ours, theirs = best(runs, "SourceNet", threads), best(runs, "PyTorch", threads)
        if ours and theirs:
            print(f"- {threads} thread(s): PyTorch's best {theirs['step_ms']:.2f} ms, SourceNet's best "
                  f"{ours['step_ms']:.2f} ms: SourceNet {theirs['step_ms'] / ours['step_ms']:.2f}x faster")
        elif theirs:
            print(f"- {threads} thread(s): PyTorch's best {theirs['step_ms']:.2f} ms (no SourceNet run)")
    ours, theirs = best(runs, "SourceNet"), best(runs, "PyTorch")
    if ours and theirs:
        ratio = theirs["step_ms"] / ours["step_ms"]
        verdict = "goal met" if ratio >= GOAL else "goal missed"
        print(f"- Best against best: PyTorch {theirs['step_ms']:.2f} ms at {theirs['threads']} thread(s), SourceNet "
              f"{ours['step_ms']:.2f} ms at {ours['threads']} thread(s): SourceNet {ratio:.2f}x faster "
              f"(goal >= {GOAL:.0f}x: {verdict})")

    peak_lines = []
    for log in sorted(glob.glob(os.path.join(log_folder, "SourceNet-*.log"))):
        name = os.path.basename(log)[:-4]
        for line in open(log, encoding="utf-8", errors="replace"):
            line = line.rstrip()
            if not line.startswith("RESULT ") and re.search(r"FMA|peak|allocated", line, re.IGNORECASE):
                peak_lines.append(f"- {name}: {line}")
    if peak_lines:
        print("\nSourceNet's kernels against the FMA peak, and its allocations, as each run printed them:\n")
        print("\n".join(peak_lines))

    versions = sorted({r["version"] for r in runs if "version" in r})
    if versions:
        print("\nVersions: " + "; ".join(versions))


if __name__ == "__main__":
    main()
