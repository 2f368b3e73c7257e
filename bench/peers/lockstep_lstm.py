#!/usr/bin/python3
"""Sequential MNIST's LSTM trained by PyTorch and by SourceNet in lockstep: a short block of steps of each in turn.

bench/compare-lstm.sh runs each system for a few seconds in turn; on a shared VM one run can meet a quiet minute and the
next a busy one, and best against best then compares two different machines. Here PyTorch trains in this process (the
model, optimizer and batches of pytorch_lstm.py) and SourceNet in a child (SourceNet.CompareLstm --serve 1, which
answers each "step" line with its step's milliseconds). A pair is a block of each system, alternately first: one
untimed step (after the other system's block the caches hold its data, which steady training would not meet), then
--block timed steps, about a third of a second for PyTorch; so every pair sees the same stretch of the machine. Each
side's time is its own step alone, batch sampling included, timed where it runs (the pipe is not counted); a gap of
--gap-ms separates the blocks, so SourceNet's kernel workers, which spin for 0.5 ms after a job, are asleep before
PyTorch starts. PyTorch's threads follow --threads (OMP_WAIT_POLICY from the environment: set PASSIVE so its pool
sleeps while SourceNet runs). Prints one line RESULT {json}: each side's median and best step over all blocks, the
ratio of the medians, and the median, 10th and 90th percentile of the pairs' ratios (PyTorch's block median over
SourceNet's).

Usage: /usr/bin/python3 bench/peers/lockstep_lstm.py --sourcenet PATH [--sourcenet-threads N] [--threads N] [--pairs N]
       [--block N] [--warmup N] [--cell lstm|gru] [--gap-ms MS] [--data FOLDER] [--batch N] [--seed N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_lstm  # noqa: E402


def parse_args():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description="PyTorch and SourceNet training steps in lockstep (see the module docstring).")
    parser.add_argument("--sourcenet", required=True, help="the SourceNet.CompareLstm executable")
    parser.add_argument("--sourcenet-threads", type=int, default=2, help="SourceNet's kernel threads (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch's intra-op threads (default 1)")
    parser.add_argument("--pairs", type=int, default=15, help="pairs of blocks (default 15)")
    parser.add_argument("--block", type=int, default=10, help="timed steps of a block, after one untimed (default 10)")
    parser.add_argument("--warmup", type=int, default=150, help="untimed steps of each system first (default 150)")
    parser.add_argument("--cell", choices=("lstm", "gru"), default="lstm")
    parser.add_argument("--gap-ms", type=float, default=2.0, help="idle milliseconds between two steps (default 2)")
    parser.add_argument("--data", default=os.path.join(repo, "data", "mnist"))
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name, value, least in (("--sourcenet-threads", args.sourcenet_threads, 1), ("--threads", args.threads, 1),
                               ("--pairs", args.pairs, 1), ("--block", args.block, 1), ("--warmup", args.warmup, 0), ("--batch", args.batch, 1)):
        if value < least:
            parser.error(f"{name} needs an integer of at least {least}; got {value}")
    if args.gap_ms < 0:
        parser.error(f"--gap-ms needs a value of at least 0; got {args.gap_ms}")
    return args


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    args = parse_args()
    child = subprocess.Popen(
        [args.sourcenet, "--serve", "1", "--data", args.data, "--threads", str(args.sourcenet_threads),
         "--warmup", str(args.warmup), "--cell", args.cell, "--batch", str(args.batch), "--seed", str(args.seed)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def answer():
        line = child.stdout.readline()
        if not line:
            sys.exit(f"lockstep_lstm.py: SourceNet.CompareLstm --serve ended early (exit code {child.wait()})")
        return line.strip()

    # One warm-up after the other: SourceNet's split controller times its first steps, which PyTorch's would disturb.
    ready = answer()
    if ready != "READY":
        sys.exit(f"lockstep_lstm.py: SourceNet.CompareLstm --serve said '{ready}' where READY was expected")
    torch, step = pytorch_lstm.training(args)
    for _ in range(args.warmup):
        step()

    def pytorch_step():
        start = time.perf_counter()
        loss = step()
        return (time.perf_counter() - start) * 1e3, loss

    def sourcenet_step():
        child.stdin.write("step\n")
        child.stdin.flush()
        return float(answer())

    pytorch_ms, sourcenet_ms, losses, ratios = [], [], [], []

    def pytorch_block():
        pytorch_step()  # untimed: the caches still hold the other system's data
        times = []
        for _ in range(args.block):
            ms, loss = pytorch_step()
            times.append(ms)
            losses.append(loss)
        pytorch_ms.extend(times)
        return statistics.median(times)

    def sourcenet_block():
        sourcenet_step()
        times = [sourcenet_step() for _ in range(args.block)]
        sourcenet_ms.extend(times)
        return statistics.median(times)

    gap = args.gap_ms / 1e3
    for pair in range(args.pairs):
        # Alternately first, so neither always follows the other's disturbance.
        if pair % 2 == 0:
            pytorch = pytorch_block()
            time.sleep(gap)
            sourcenet = sourcenet_block()
        else:
            sourcenet = sourcenet_block()
            time.sleep(gap)
            pytorch = pytorch_block()
        ratios.append(pytorch / sourcenet)
        time.sleep(gap)
    child.stdin.write("end\n")
    child.stdin.flush()
    last = answer()
    child.wait()
    result = {
        "mode": "lockstep",
        "cell": args.cell,
        "version": f"torch {torch.__version__}",
        "threads": args.threads,
        "passive": os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE",
        "sourcenet_threads": args.sourcenet_threads,
        "pairs": args.pairs,
        "block": args.block,
        "warmup": args.warmup,
        "batch": args.batch,
        "pytorch_ms": statistics.median(pytorch_ms),
        "pytorch_best_ms": min(pytorch_ms),
        "sourcenet_ms": statistics.median(sourcenet_ms),
        "sourcenet_best_ms": min(sourcenet_ms),
        "ratio_of_medians": statistics.median(pytorch_ms) / statistics.median(sourcenet_ms),
        "pair_ratio_median": statistics.median(ratios),
        "pair_ratio_p10": percentile(ratios, 0.1),
        "pair_ratio_p90": percentile(ratios, 0.9),
        "pytorch_final_loss": float(torch.stack(losses[-min(50, len(losses)):]).mean()),
        "sourcenet_final_loss": float(last.split()[1]) if last.startswith("LOSS ") else float("nan"),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
