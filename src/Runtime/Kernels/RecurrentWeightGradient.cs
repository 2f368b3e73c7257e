using System;
using System.ComponentModel;

namespace SourceNet.Kernels;

/// <summary>
/// A recurrent layer's weight gradient over every step at once, <c>dW = Aᵀ·dZ</c> with A [rows, m] (the inputs or the
/// previous hidden states of every step, step-major) and dZ [rows, n] (the gates' gradients), rows = steps·batch: a
/// long sum (1,400 rows for 28 steps of 50 samples) into a small output. Blocked over the rows so that the strip of dZ
/// a tile reads stays in L1 and the block of A in L2; each output element is still one chain of fused multiply-adds
/// over the rows in increasing order (the partial sum is stored and reloaded exactly between blocks), so the result
/// is the same whichever path, block size or thread computes it. The bias's gradient (dZ's column sums) and a second
/// weight on the same dZ (an LSTM's W_ih and W_hh) can be taken in the same pass: dZ (2.9 MB for 1,400 rows of 512,
/// more than L2) is then read once instead of three times.
/// </summary>
/// <remarks>Threads split the output's columns in panels of 16 (a fixed partition: the same bits on any count).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class RecurrentWeightGradient
{
    /// <summary>
    /// <c>weight.Gradient = Aᵀ·dZ</c> (A stored [rows, m], dZ [rows, n], the weight [m, n]), then the optimizer's update
    /// of the weight when <paramref name="optimizer"/> is given.
    /// </summary>
    /// <param name="m">Rows of the weight (features of A).</param>
    /// <param name="n">Columns of the weight (of dZ).</param>
    /// <param name="rows">Rows of A and dZ (steps · batch).</param>
    /// <param name="a">A, [rows, m] (more values are ignored).</param>
    /// <param name="gradients">dZ, [rows, n].</param>
    /// <param name="weight">The weight, [m, n].</param>
    /// <param name="optimizer">Updates the weight afterwards, or null.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or the weight's shape is not [m, n].</exception>
    public static void Compute(int m, int n, int rows, ReadOnlySpan<float> a, ReadOnlySpan<float> gradients, Parameter weight, Optimizer? optimizer)
    {
        CheckSizes(n, rows, gradients, default, hasBias: false);
        CheckSide(m, n, rows, a, weight, nameof(a));
        Run(m, a, weight, 0, default, null, n, rows, gradients, default, hasBias: false);
        optimizer?.Update(weight);
    }

    /// <summary>
    /// <c>weight.Gradient = Aᵀ·dZ</c> and <c>biasGradient[j] = Σ_p dZ[p, j]</c> in one pass over dZ, then the optimizer's
    /// update of the weight (not of the bias, whose parameter the caller holds). The bias's sums are the same bits as
    /// <see cref="Gemm.ColumnSums"/>: each column one chain of adds from zero over the rows in increasing order.
    /// </summary>
    /// <param name="m">Rows of the weight (features of A).</param>
    /// <param name="n">Columns of the weight (of dZ) and values of the bias.</param>
    /// <param name="rows">Rows of A and dZ (steps · batch).</param>
    /// <param name="a">A, [rows, m] (more values are ignored).</param>
    /// <param name="gradients">dZ, [rows, n].</param>
    /// <param name="weight">The weight, [m, n].</param>
    /// <param name="biasGradient">Receives dZ's column sums in its first n values.</param>
    /// <param name="optimizer">Updates the weight afterwards, or null.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or the weight's shape is not [m, n].</exception>
    public static void Compute(int m, int n, int rows, ReadOnlySpan<float> a, ReadOnlySpan<float> gradients, Parameter weight, Span<float> biasGradient, Optimizer? optimizer)
    {
        CheckSizes(n, rows, gradients, biasGradient, hasBias: true);
        CheckSide(m, n, rows, a, weight, nameof(a));
        Run(m, a, weight, 0, default, null, n, rows, gradients, biasGradient, hasBias: true);
        optimizer?.Update(weight);
    }

    /// <summary>
    /// An LSTM's two weight gradients and its bias's from the one dZ both sides share, in one pass over dZ:
    /// <c>weightIh.Gradient = inputsᵀ·dZ</c>, <c>weightHh.Gradient = hiddenᵀ·dZ</c> and <c>biasGradient</c> = dZ's
    /// column sums, W_ih's and the bias's the same bits as <see cref="Compute(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Parameter, Optimizer?)"/>
    /// and <see cref="Gemm.ColumnSums"/> give; then the optimizer's update of W_ih, then of W_hh. W_hh's too, unless
    /// rows whose input is zero share a hidden state (sequences that start blank, from a zero state): their dZ are
    /// added first and the sum takes one row for them, so W_hh's sums are rounded differently there (the same bits
    /// on any thread count).
    /// </summary>
    /// <param name="inputs">Rows of W_ih (features of each step's input).</param>
    /// <param name="units">Rows of W_hh (hidden units).</param>
    /// <param name="n">Columns of both weights (of dZ) and values of the bias.</param>
    /// <param name="rows">Rows of the inputs, the hidden states and dZ (steps · batch).</param>
    /// <param name="stepInputs">Every step's input, [rows, inputs] (more values are ignored).</param>
    /// <param name="hidden">Every step's previous hidden state, [rows, units] (more values are ignored).</param>
    /// <param name="gradients">dZ, [rows, n].</param>
    /// <param name="weightIh">W_ih, [inputs, n].</param>
    /// <param name="weightHh">W_hh, [units, n].</param>
    /// <param name="biasGradient">Receives dZ's column sums in its first n values.</param>
    /// <param name="optimizer">Updates both weights afterwards, or null.</param>
    /// <exception cref="ArgumentException">A span is shorter than the sizes need, or a weight's shape does not match.</exception>
    public static void ComputeBothSides(int inputs, int units, int n, int rows, ReadOnlySpan<float> stepInputs, ReadOnlySpan<float> hidden,
        ReadOnlySpan<float> gradients, Parameter weightIh, Parameter weightHh, Span<float> biasGradient, Optimizer? optimizer)
    {
        CheckSizes(n, rows, gradients, biasGradient, hasBias: true);
        CheckSide(inputs, n, rows, stepInputs, weightIh, nameof(stepInputs));
        CheckSide(units, n, rows, hidden, weightHh, nameof(hidden));
        if (ReferenceEquals(weightIh, weightHh))
            throw new ArgumentException($"W_ih and W_hh are the same parameter ({weightIh.Name}); each side needs its own gradient.", nameof(weightHh));
        Run(inputs, stepInputs, weightIh, units, hidden, weightHh, n, rows, gradients, biasGradient, hasBias: true);
        optimizer?.Update(weightIh);
        optimizer?.Update(weightHh);
    }

    private static void CheckSizes(int n, int rows, ReadOnlySpan<float> gradients, Span<float> biasGradient, bool hasBias)
    {
        if (n <= 0 || rows < 0)
            throw new ArgumentOutOfRangeException(n <= 0 ? nameof(n) : nameof(rows), $"A weight gradient needs n > 0 and rows ≥ 0; got n {n}, rows {rows}.");
        if (gradients.Length < (long)rows * n)
            throw new ArgumentException($"A weight gradient over {rows} rows of {n} needs {(long)rows * n} values of dZ; got {gradients.Length}.", nameof(gradients));
        if (hasBias && biasGradient.Length < n)
            throw new ArgumentException($"The bias's gradient needs {n} values (dZ's columns); got {biasGradient.Length}.", nameof(biasGradient));
    }

    private static void CheckSide(int m, int n, int rows, ReadOnlySpan<float> a, Parameter weight, string name)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (m <= 0)
            throw new ArgumentOutOfRangeException(name, $"A weight gradient needs m > 0 (features of {name}); got {m}.");
        if (weight.Rows != m || weight.Columns != n)
            throw new ArgumentException($"Parameter {weight.Name} is {weight.ShapeText}; the gradient is [{m}, {n}].", nameof(weight));
        if (a.Length < (long)rows * m)
            throw new ArgumentException($"A weight gradient over {rows} rows needs {(long)rows * m} values of {name} ([{rows}, {m}]); got {a.Length}.", name);
    }

    /// <summary>Both sides (the second absent when <paramref name="secondWeight"/> is null) and the bias over threads.</summary>
    private static unsafe void Run(int firstM, ReadOnlySpan<float> firstA, Parameter firstWeight, int secondM, ReadOnlySpan<float> secondA, Parameter? secondWeight,
        int n, int rows, ReadOnlySpan<float> gradients, Span<float> biasGradient, bool hasBias)
    {
        int panels = (n + 15) / 16;
        int parts = Math.Min(BlockRunner.PartsFor((long)(firstM + secondM) * n * rows), panels);
        float[] secondC = secondWeight?.Gradient ?? [];
        fixed (float* pa = firstA)
        fixed (float* pc = firstWeight.Gradient)
        fixed (float* qa = secondA)
        fixed (float* qc = secondC)
        fixed (float* pb = gradients)
        fixed (float* bias = biasGradient)
        {
            var work = new Work
            {
                First = new Side(pa, pc, firstM, rows),
                Second = secondWeight is null ? default : new Side(qa, qc, secondM, rows),
                B = pb, Bias = hasBias ? bias : null, N = n, Rows = rows,
                PanelsPerBlock = parts <= 1 ? panels : (panels + parts - 1) / parts,
            };
            if (panels >= OfferedBlocks && ChunkHelp.CanOfferWork<Work>())
            {
                // In a training chunk that other threads could help: a few blocks, offered (each block packs its rows
                // of A again, so no more than a few).
                work.PanelsPerBlock = (panels + OfferedBlocks - 1) / OfferedBlocks;
                ChunkHelp.RunOffered(work);
                return;
            }
            BlockRunner.Run(work, parts);
        }
    }

    /// <summary>Blocks of columns a pass offers to helpers (<see cref="ChunkHelp"/>).</summary>
    private const int OfferedBlocks = 4;
}
