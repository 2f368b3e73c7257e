#!/usr/bin/python3
"""PyTorch twin of samples/CharLm: the character-level LSTM language model on the King James Bible.

Both sides follow one specification, written down here as the code does it:
- Corpus data/kjv/kjv.txt.gz, one verse a line (``Ge1:1 In the beginning ...``); each line loses its
  reference (everything up to and including the first space) and keeps the rest and its newline.
- Vocabulary: the distinct characters of that text in ordinal order; a character's id is its index.
- Split: the first floor(0.9 * length) characters train, the rest validate.
- Model: Embedding(vocabulary, 64) -> LSTM(256), the whole sequence -> Linear(vocabulary) at every step;
  softmax cross-entropy per step, the mean over batch x steps. PyTorch's own initialisation of every tensor
  (seeded with --seed); a zero initial state for every window.
- Adam (lr 2e-3, betas 0.9/0.999, eps 1e-8), gradients clipped to global norm 5.0, no schedule.
- Batches of 64 windows of 64 characters (inputs: 64 ids; targets: the next 64). The window starts come
  from SplitMix64 seeded with 42, start = z % (trainLength - 64), 64 starts per batch, in the order drawn.
- 6 epochs of 500 steps. After each epoch, the validation loss in bits per character (mean cross-entropy
  / ln 2) over the validation text cut into consecutive, non-overlapping windows: window k reads the 64
  characters from 64k and predicts the 64 from 64k + 1, so there are floor((validationLength - 1) / 64)
  windows (the remainder is dropped); each starts from a zero state.

Prints ``Epoch: 1, loss=2.345 bpc, validation=2.101 bpc`` per epoch (loss: the mean training bpc of the
epoch's steps), then one line ``RESULT {json}`` with every epoch's figures and the seconds per step.

Run it with Debian's /usr/bin/python3 (python3-torch lives there). --threads sets OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS before torch is imported (Debian's torch does not pass torch.set_num_threads on to
OpenBLAS), unless the environment already sets them.
"""

import argparse
import gzip
import json
import math
import os
import sys
import time

SEQUENCE = 64
BATCH = 64
EMBEDDING = 64
UNITS = 256
LEARNING_RATE = 2e-3
CLIP_NORM = 5.0
BATCH_SEED = 42
MASK64 = (1 << 64) - 1


def parse_args():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description="PyTorch twin of samples/CharLm (see the module docstring).")
    parser.add_argument("--data", default=os.path.join(repo, "data", "kjv", "kjv.txt.gz"),
                        help="the corpus, gzipped or plain [default: the repository's data/kjv/kjv.txt.gz]")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads (default 1)")
    parser.add_argument("--epochs", type=int, default=6, help="epochs (default 6)")
    parser.add_argument("--steps-per-epoch", type=int, default=500, help="training steps per epoch (default 500)")
    parser.add_argument("--validation-windows", type=int, default=0,
                        help="validate on the first N windows only (0, the default: all of them)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the initial weights (default 1)")
    args = parser.parse_args()
    for name, value in (("--threads", args.threads), ("--epochs", args.epochs), ("--steps-per-epoch", args.steps_per_epoch)):
        if value < 1:
            parser.error(f"{name} needs a positive integer; got {value}")
    if args.validation_windows < 0:
        parser.error(f"--validation-windows needs 0 or a positive integer; got {args.validation_windows}")
    return args


def read_corpus(path):
    """The text with every line's verse reference removed (up to and including the first space)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read().decode("ascii")
    kept = []
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        space = line.find(" ")
        if space < 0:
            sys.exit(f"{path}: line {number} has no space after a verse reference: {line[:40]!r}")
        kept.append(line[space + 1:])
    return "".join(kept)


def split_mix64(state):
    """One SplitMix64 step: the new state and the output."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def main():
    args = parse_args()
    threads = str(args.threads)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, threads)
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    text = read_corpus(args.data)
    vocabulary = sorted(set(text))
    index = {c: i for i, c in enumerate(vocabulary)}
    ids = torch.from_numpy(np.array([index[c] for c in text], dtype=np.int64))
    train_length = math.floor(0.9 * len(ids))
    train, validation = ids[:train_length], ids[train_length:]

    class CharLm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(len(vocabulary), EMBEDDING)
            self.lstm = nn.LSTM(EMBEDDING, UNITS, batch_first=True)
            self.output = nn.Linear(UNITS, len(vocabulary))

        def forward(self, x):
            hidden, _ = self.lstm(self.embedding(x))
            return self.output(hidden)

    model = CharLm()
    adam = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    offsets = torch.arange(SEQUENCE + 1)
    bits = 1.0 / math.log(2.0)

    windows = (len(validation) - 1) // SEQUENCE
    if args.validation_windows:
        windows = min(windows, args.validation_windows)
    valid_inputs = validation[:windows * SEQUENCE].view(windows, SEQUENCE)
    valid_targets = validation[1:windows * SEQUENCE + 1].view(windows, SEQUENCE)

    def validate():
        model.eval()
        total = 0.0
        with torch.no_grad():
            for first in range(0, windows, 256):
                logits = model(valid_inputs[first:first + 256])
                total += nn.functional.cross_entropy(
                    logits.reshape(-1, len(vocabulary)), valid_targets[first:first + 256].reshape(-1),
                    reduction="sum").item()
        model.train()
        return total / (windows * SEQUENCE) * bits

    print(f"PyTorch {torch.__version__}, {args.threads} thread(s); {len(text):,} characters, vocabulary {len(vocabulary)}, "
          f"{train_length:,} train, {len(validation):,} validation ({windows} windows of {SEQUENCE}); "
          f"{args.epochs} epochs of {args.steps_per_epoch} steps of {BATCH} x {SEQUENCE}", flush=True)

    state = BATCH_SEED
    modulus = train_length - SEQUENCE
    starts = torch.empty(BATCH, dtype=torch.int64)
    epochs = []
    train_seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        loss_sum = 0.0
        began = time.perf_counter()
        for _ in range(args.steps_per_epoch):
            for b in range(BATCH):
                state, z = split_mix64(state)
                starts[b] = z % modulus
            window = train[starts.unsqueeze(1) + offsets]
            logits = model(window[:, :SEQUENCE])
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(vocabulary)), window[:, 1:].reshape(-1))
            adam.zero_grad(set_to_none=False)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)
            adam.step()
            loss_sum += loss.item()
        seconds = time.perf_counter() - began
        train_seconds += seconds
        loss_bpc = loss_sum / args.steps_per_epoch * bits
        validation_bpc = validate()
        epochs.append({"epoch": epoch, "loss_bpc": loss_bpc, "validation_bpc": validation_bpc,
                       "train_s": seconds, "s_per_step": seconds / args.steps_per_epoch})
        print(f"Epoch: {epoch}, loss={loss_bpc:.3f} bpc, validation={validation_bpc:.3f} bpc", flush=True)

    result = {
        "system": "PyTorch",
        "version": f"torch {torch.__version__}",
        "threads": args.threads,
        "epochs": args.epochs,
        "steps_per_epoch": args.steps_per_epoch,
        "batch": BATCH,
        "sequence": SEQUENCE,
        "vocabulary": len(vocabulary),
        "validation_windows": windows,
        "validation_bpc": [e["validation_bpc"] for e in epochs],
        "loss_bpc": [e["loss_bpc"] for e in epochs],
        "s_per_step": train_seconds / (args.epochs * args.steps_per_epoch),
        "epochs_detail": epochs,
        "load_average": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None,
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
