using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The LSTM's forward step with its own input projection (<see cref="LstmStep.ForwardFromInputs"/>) against the two
/// passes it replaces: <see cref="Gemm.MatMulBias{TActivation}(int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
/// over every step, then <see cref="LstmStep.Forward"/> per step. Every value must have the same bits (the generated
/// networks' results, and MNIST's goldens, rest on it), on sizes with partial unit blocks and row tiles, single rows,
/// one and two threads; and a step from a zero state, which skips the recurrent product, against its values by hand.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class LstmStepFromInputsTests
{
    public static IEnumerable<object[]> BatchesAndUnits()
    {
        foreach (int batch in new[] { 1, 2, 7, 50 })
        {
            foreach (int units in new[] { 7, 8, 40, 128 })
                yield return new object[] { batch, units };
        }
    }

    [Theory]
    [MemberData(nameof(BatchesAndUnits))]
    public void Forward_from_the_inputs_has_the_bits_of_the_projection_then_the_step(int batch, int units)
    {
        foreach (int inputs in new[] { 1, 5, 28, 100 })
        {
            var lstm = new Case(batch, units, inputs, steps: 3, seed: batch * 1000 + units * 10 + inputs);
            AssertBitsOfTwoPasses(lstm, sequences: inputs % 2 == 1, $"batch {batch}, units {units}, inputs {inputs}");
        }
    }

    [Theory]
    [InlineData(50, 128, 28)] // sequential MNIST's chunk: eight tiles of six rows and one of two
    [InlineData(7, 13, 5)]
    [InlineData(13, 40, 64)]  // as many inputs as a tile's mask holds
    [InlineData(13, 40, 65)]  // one more: every input summed
    public void Inputs_that_are_zero_in_a_whole_tile_are_skipped_with_the_same_bits(int batch, int units, int inputs)
    {
        // Image-like inputs: a blank first step and border, each sample's own band of pixels, −0 among the zeros. The
        // tiles leave out the inputs that are zero in all their rows; every value must keep the bits of the two passes.
        var lstm = new Case(batch, units, inputs, steps: 4, seed: batch + inputs, blankBorders: true);
        AssertBitsOfTwoPasses(lstm, sequences: true, $"batch {batch}, units {units}, inputs {inputs}");
    }

    [Theory]
    [InlineData(50, 128, 28, 8)] // sequential MNIST's chunk
    [InlineData(13, 40, 5, 6)]
    [InlineData(9, 7, 3, 4)]
    public void Sequences_with_blank_first_steps_are_copied_with_the_bits_of_their_own_steps(int batch, int units, int inputs, int steps)
    {
        // Sample b's first b mod (steps + 1) inputs are zero (some all blank), one sample's blank steps are −0: from the
        // zero state the samples of each blank prefix are one state, which the kernel computes for one row and copies.
        var lstm = new Case(batch, units, inputs, steps, seed: batch * 3 + inputs, blankPrefixes: true);
        AssertBitsOfTwoPasses(lstm, sequences: true, $"batch {batch}, units {units}, inputs {inputs}, {steps} steps");
    }

    /// <summary>Runs <paramref name="lstm"/> from its inputs at one and at two threads: every buffer must have the bits
    /// of the two passes it replaces.</summary>
    private static void AssertBitsOfTwoPasses(Case lstm, bool sequences, string at)
    {
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                State expected = lstm.RunTwoPasses(sequences);
                State actual = lstm.RunFromInputs(sequences);
                string where = $"{at}, {threads} thread(s)";
                RecurrentAssert.SameBits(expected.Gates, actual.Gates, $"gates ({where})");
                RecurrentAssert.SameBits(expected.Cells, actual.Cells, $"cell states ({where})");
                RecurrentAssert.SameBits(expected.CellTanh, actual.CellTanh, $"tanh of the cell states ({where})");
                RecurrentAssert.SameBits(expected.Hidden, actual.Hidden, $"hidden states ({where})");
                RecurrentAssert.SameBits(expected.Sequence, actual.Sequence, $"the sequence output ({where})");
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void A_row_is_copied_only_where_its_input_and_both_states_have_the_same_bits()
    {
        // Step 1 from a state set by hand: rows 0 to 5 have zero inputs; row 1 repeats row 0's h and c (a copy), rows 2,
        // 3 and 4 differ from it in one value of c, of h, of the input (−0: the same values, but not the same bits),
        // and row 5 repeats row 2. Each row must get what the unfused step computes for it.
        const int batch = 7, units = 9, inputs = 4, steps = 2, width = 4 * units;
        var random = new SeededRandom(17);
        var weightIh = new float[inputs * width];
        var biasIh = new float[width];
        var weightHh = new float[units * width];
        var biasHh = new float[width];
        random.FillNormal(weightIh, 0f, 0.5f);
        random.FillNormal(biasIh, 0f, 0.5f);
        random.FillNormal(weightHh, 0f, 0.3f);
        random.FillNormal(biasHh, 0f, 0.5f);
        var stepInputs = new float[steps * batch * inputs];
        random.FillNormal(stepInputs.AsSpan((steps * batch - 1) * inputs), 0f, 1f); // row 6 of step 1 has an input
        stepInputs[(batch + 4) * inputs + 2] = -0f;
        var hidden = new float[(steps + 1) * batch * units];
        var cells = new float[(steps + 1) * batch * units];
        random.FillNormal(hidden.AsSpan(batch * units, batch * units), 0f, 0.5f);
        random.FillNormal(cells.AsSpan(batch * units, batch * units), 0f, 1f);
        void CopyState(int from, int to)
        {
            Array.Copy(hidden, (batch + from) * units, hidden, (batch + to) * units, units);
            Array.Copy(cells, (batch + from) * units, cells, (batch + to) * units, units);
        }
        CopyState(0, 1);
        CopyState(0, 2);
        CopyState(0, 3);
        CopyState(0, 4);
        cells[(batch + 2) * units + 5] += 0.25f;
        hidden[(batch + 3) * units + units - 1] += 0.25f;
        CopyState(2, 5);

        var expectedGates = new float[steps * batch * width];
        Gemm.MatMulBias<IdentityActivation>(steps * batch, width, inputs, stepInputs, weightIh, biasIh, expectedGates);
        float[] expectedCells = (float[])cells.Clone(), expectedHidden = (float[])hidden.Clone();
        var expectedTanh = new float[steps * batch * units];
        var packedHh = new float[LstmStep.ForwardWeightsLength(units)];
        LstmStep.PackForwardWeights(units, weightHh, packedHh);
        LstmStep.Forward(batch, units, steps, 1, packedHh, biasHh, expectedGates, expectedCells, expectedTanh, expectedHidden, default);

        var gates = new float[steps * batch * width];
        var cellTanh = new float[steps * batch * units];
        var packed = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
        LstmStep.PackForwardFromInputsWeights(units, inputs, weightIh, biasIh, weightHh, packed);
        LstmStep.ForwardFromInputs(batch, units, inputs, steps, 1, stepInputs, packed, biasHh, gates, cells, cellTanh, hidden, default);

        RecurrentAssert.SameBits(expectedGates.AsSpan(batch * width).ToArray(), gates.AsSpan(batch * width).ToArray(), "gates of step 1");
        RecurrentAssert.SameBits(expectedCells, cells, "cell states");
        RecurrentAssert.SameBits(expectedTanh, cellTanh, "tanh of the cell states");
        RecurrentAssert.SameBits(expectedHidden, hidden, "hidden states");
        // The rows whose state differs from row 0's differ from it after the step too, so a copy of row 0 would fail above.
        foreach (int row in new[] { 2, 3 })
            Assert.NotEqual(hidden.AsSpan(2 * batch * units, units).ToArray(), hidden.AsSpan((2 * batch + row) * units, units).ToArray());
    }

    [Fact]
    public void The_mask_of_a_tile_sets_the_inputs_any_row_uses()
    {
        // Three rows of 70 inputs (past the 64 a mask holds, which the caller checks): NaN counts as used, −0 does not.
        var rows = new float[3 * 70];
        rows[0 * 70 + 0] = 1f;
        rows[1 * 70 + 9] = float.NaN;
        rows[2 * 70 + 63] = -2f;
        rows[1 * 70 + 5] = -0f;
        rows[2 * 70 + 66] = 3f; // beyond the columns asked for
        unsafe
        {
            // The rows of a tile's list: all three, the first two, the second alone.
            int* all = stackalloc int[] { 0, 1, 2 };
            fixed (float* a = rows)
            {
                Assert.Equal((1UL << 0) | (1UL << 9) | (1UL << 63), RecurrentTiles.NonZeroColumns(a, all, 3, 70, 64));
                Assert.Equal((1UL << 0) | (1UL << 9), RecurrentTiles.NonZeroColumns(a, all, 2, 70, 13));
                Assert.Equal(0UL, RecurrentTiles.NonZeroColumns(a, all + 1, 1, 70, 5));
            }
        }
        Assert.Equal((1UL << 28) - 1, RecurrentTiles.AllColumns(28));
        Assert.Equal(ulong.MaxValue, RecurrentTiles.AllColumns(64));
    }

    [Theory]
    [InlineData(40)] // five blocks of units: three at a time, then two
    [InlineData(13)] // two blocks, the second partial
    public void A_single_sample_gets_the_bits_of_its_row_in_a_batch(int units)
    {
        const int batch = 7, steps = 3, inputs = 5;
        var lstm = new Case(batch, units, inputs, steps, seed: units);
        State all = lstm.RunFromInputs(sequences: true);
        foreach (int b in new[] { 0, 5, 6 }) // in a six-row tile, and the row after it
        {
            State one = lstm.Sample(b).RunFromInputs(sequences: true);
            for (int t = 0; t < steps; t++)
            {
                RecurrentAssert.SameBits(all.Gates.AsSpan((t * batch + b) * 4 * units, 4 * units).ToArray(), one.Gates.AsSpan(t * 4 * units, 4 * units).ToArray(), $"gates of sample {b}, step {t}");
                RecurrentAssert.SameBits(all.CellTanh.AsSpan((t * batch + b) * units, units).ToArray(), one.CellTanh.AsSpan(t * units, units).ToArray(), $"tanh c of sample {b}, step {t}");
            }
            for (int t = 0; t <= steps; t++)
            {
                RecurrentAssert.SameBits(all.Hidden.AsSpan((t * batch + b) * units, units).ToArray(), one.Hidden.AsSpan(t * units, units).ToArray(), $"h of sample {b}, state {t}");
                RecurrentAssert.SameBits(all.Cells.AsSpan((t * batch + b) * units, units).ToArray(), one.Cells.AsSpan(t * units, units).ToArray(), $"c of sample {b}, state {t}");
            }
            RecurrentAssert.SameBits(all.Sequence.AsSpan(b * steps * units, steps * units).ToArray(), one.Sequence, $"the sequence of sample {b}");
        }
    }

    [Fact]
    public void The_packed_panels_hold_the_bias_then_the_input_and_recurrent_weights()
    {
        const int units = 9, inputs = 2, width = 4 * units;
        var weightIh = new float[inputs * width];
        var biasIh = new float[width];
        var weightHh = new float[units * width];
        for (int j = 0; j < width; j++)
        {
            biasIh[j] = 1000 + j;
            for (int k = 0; k < inputs; k++)
                weightIh[k * width + j] = 2000 + 100 * k + j;
            for (int k = 0; k < units; k++)
                weightHh[k * width + j] = 10000 + 100 * k + j;
        }
        var packed = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
        LstmStep.PackForwardFromInputsWeights(units, inputs, weightIh, biasIh, weightHh, packed);
        int panel = (1 + inputs + units) * 16;
        Assert.Equal(2 * 2 * panel, packed.Length);
        // Block 1 (unit 8 alone), pair (g, o): b_ih of g's unit 8, then of o's; W_ih's row 1; W_hh's row 3; zeros past unit 8.
        int at = (2 * 1 + 1) * panel;
        Assert.Equal(1000 + 2 * units + 8, packed[at]);
        Assert.Equal(0f, packed[at + 1]);
        Assert.Equal(1000 + 3 * units + 8, packed[at + 8]);
        Assert.Equal(2000 + 100 + 2 * units + 8, packed[at + 16 + 16]);
        Assert.Equal(10000 + 300 + 3 * units + 8, packed[at + (1 + inputs + 3) * 16 + 8]);
        Assert.Equal(0f, packed[at + (1 + inputs + 3) * 16 + 9]);
        // W_hh's part is what PackForwardWeights packs for Forward.
        var hidden = new float[LstmStep.ForwardWeightsLength(units)];
        LstmStep.PackForwardWeights(units, weightHh, hidden);
        for (int p = 0; p < 4; p++)
            Assert.Equal(hidden.AsSpan(p * units * 16, units * 16).ToArray(), packed.AsSpan(p * panel + (1 + inputs) * 16, units * 16).ToArray());
    }

    [Fact]
    public void Short_buffers_and_no_inputs_are_refused_with_the_sizes()
    {
        const int batch = 2, units = 8, inputs = 3, steps = 1;
        var packed = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
        var stepInputs = new float[steps * batch * inputs];
        var error = Assert.Throws<ArgumentException>(() => LstmStep.ForwardFromInputs(batch, units, inputs, steps, 0, new float[5], packed, new float[32],
            new float[64], new float[32], new float[16], new float[32], default));
        Assert.Contains("stepInputs holds 5 values; the LSTM step needs 6", error.Message);
        error = Assert.Throws<ArgumentException>(() => LstmStep.ForwardFromInputs(batch, units, inputs, steps, 0, stepInputs, new float[packed.Length - 1], new float[32],
            new float[64], new float[32], new float[16], new float[32], default));
        Assert.Contains($"packedWeights holds {packed.Length - 1} values; the LSTM step needs {packed.Length}", error.Message);
        error = Assert.Throws<ArgumentException>(() => LstmStep.ForwardFromInputs(batch, units, inputs, steps, 0, stepInputs, packed, new float[32],
            new float[63], new float[32], new float[16], new float[32], default));
        Assert.Contains("gates holds 63 values; the LSTM step needs 64", error.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => LstmStep.ForwardFromInputs(batch, units, 0, steps, 0, stepInputs, packed, new float[32],
            new float[64], new float[32], new float[16], new float[32], default));
        Assert.Contains("inputs > 0; got 0", range.Message);
        error = Assert.Throws<ArgumentException>(() => LstmStep.PackForwardFromInputsWeights(units, inputs, new float[inputs * 32 - 1], new float[32], new float[units * 32], packed));
        Assert.Contains($"weightIh holds {inputs * 32 - 1} values; the LSTM step needs {inputs * 32}", error.Message);
    }

    private sealed record State(float[] Gates, float[] Cells, float[] CellTanh, float[] Hidden, float[] Sequence);

    [Theory]
    [InlineData(7, 13)]
    [InlineData(50, 128)]
    [InlineData(1, 40)]
    public void A_step_from_a_zero_state_has_the_bits_of_the_projection_and_biases_through_the_cell(int batch, int units)
    {
        // From a zero state every sum of h·W_hh is +0, so the kernel skips that product: z must be exactly
        // (x·W_ih + b_ih) + b_hh, and the cell's values those of the activations of z, on one and two threads.
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                var lstm = new Case(batch, units, inputs: 5, steps: 2, seed: batch + units);
                State actual = lstm.RunFromInputs(sequences: false);
                (float[] gates, float[] hidden) = lstm.FirstStepByHand();
                RecurrentAssert.SameBits(gates, actual.Gates.AsSpan(0, gates.Length).ToArray(), $"gates of step 0 ({threads} thread(s))");
                RecurrentAssert.SameBits(hidden, actual.Hidden.AsSpan(batch * units, hidden.Length).ToArray(), $"h after step 0 ({threads} thread(s))");
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    /// <summary>Random weights and step-major inputs for one layer (a third of the inputs exact zeros, as pixels are).</summary>
    private sealed class Case
    {
        private readonly int _batch, _units, _inputs, _steps;
        private readonly float[] _weightIh, _biasIh, _weightHh, _biasHh, _stepInputs;

        public Case(int batch, int units, int inputs, int steps, int seed, bool blankBorders = false, bool blankPrefixes = false)
        {
            (_batch, _units, _inputs, _steps) = (batch, units, inputs, steps);
            var random = new SeededRandom(seed);
            int width = 4 * units;
            _weightIh = new float[inputs * width];
            _biasIh = new float[width];
            _weightHh = new float[units * width];
            _biasHh = new float[width];
            _stepInputs = new float[steps * batch * inputs];
            random.FillNormal(_weightIh, 0f, 0.5f);
            random.FillNormal(_biasIh, 0f, 0.5f);
            random.FillNormal(_weightHh, 0f, 0.3f);
            random.FillNormal(_biasHh, 0f, 0.5f);
            random.FillNormal(_stepInputs, 0f, 1f);
            for (int i = 0; i < _stepInputs.Length; i += 3)
                _stepInputs[i] = 0f;
            if (blankBorders)
                BlankBorders(random);
            if (blankPrefixes)
                BlankPrefixes();
        }

        /// <summary>Sample b's first b mod (steps + 1) steps all zeros (sample 3's −0), the rest as drawn.</summary>
        private void BlankPrefixes()
        {
            for (int b = 0; b < _batch; b++)
            {
                for (int t = 0; t < b % (_steps + 1); t++)
                    Array.Fill(_stepInputs, b == 3 ? -0f : 0f, (t * _batch + b) * _inputs, _inputs);
            }
        }

        /// <summary>Step 0 all zeros; at every other step the first and last quarter of the inputs zero, and each
        /// sample's values outside its own band of the rest (so a tile's rows use different inputs); −0 for some.</summary>
        private void BlankBorders(SeededRandom random)
        {
            int border = _inputs / 4;
            for (int t = 0; t < _steps; t++)
            {
                for (int b = 0; b < _batch; b++)
                {
                    int from = border + (int)(random.NextUInt64() % (ulong)Math.Max(1, _inputs - 2 * border));
                    int to = Math.Min(_inputs - border, from + 1 + _inputs / 5);
                    for (int k = 0; k < _inputs; k++)
                    {
                        if (t == 0 || k < from || k >= to)
                            _stepInputs[(t * _batch + b) * _inputs + k] = (k + b) % 4 == 0 ? -0f : 0f;
                    }
                }
            }
        }

        private Case(Case source, float[] stepInputs)
        {
            (_batch, _units, _inputs, _steps) = (1, source._units, source._inputs, source._steps);
            (_weightIh, _biasIh, _weightHh, _biasHh, _stepInputs) = (source._weightIh, source._biasIh, source._weightHh, source._biasHh, stepInputs);
        }

        /// <summary>Sample <paramref name="b"/> alone: the same weights, its rows of every step.</summary>
        public Case Sample(int b)
        {
            var stepInputs = new float[_steps * _inputs];
            for (int t = 0; t < _steps; t++)
                Array.Copy(_stepInputs, (t * _batch + b) * _inputs, stepInputs, t * _inputs, _inputs);
            return new Case(this, stepInputs);
        }

        /// <summary>Step 0 from the zero state, value by value: z = projection + b_hh (the projection by
        /// <see cref="Gemm"/>), i, f, o = σ(z), g = tanh(z), c' = i·g (f·c is +0), h' = o·tanh(c').</summary>
        public (float[] Gates, float[] Hidden) FirstStepByHand()
        {
            int width = 4 * _units;
            var gates = new float[_batch * width];
            Gemm.MatMulBias<IdentityActivation>(_batch, width, _inputs, _stepInputs, _weightIh, _biasIh, gates);
            var hidden = new float[_batch * _units];
            for (int b = 0; b < _batch; b++)
            {
                for (int u = 0; u < _units; u++)
                {
                    int at = b * width + u;
                    float i = Lane(FastMath.Sigmoid, gates[at] + _biasHh[u]);
                    float f = Lane(FastMath.Sigmoid, gates[at + _units] + _biasHh[u + _units]);
                    float g = Lane(FastMath.Tanh, gates[at + 2 * _units] + _biasHh[u + 2 * _units]);
                    float o = Lane(FastMath.Sigmoid, gates[at + 3 * _units] + _biasHh[u + 3 * _units]);
                    (gates[at], gates[at + _units], gates[at + 2 * _units], gates[at + 3 * _units]) = (i, f, g, o);
                    float cell = MultiplyAdd.Scalar(i, g, f * 0f);
                    hidden[b * _units + u] = o * Lane(FastMath.Tanh, cell);
                }
            }
            return (gates, hidden);
        }

        private static float Lane(Func<Vector256<float>, Vector256<float>> function, float x) => function(Vector256.Create(x))[0];

        private State NewState(bool sequences) => new(
            new float[_steps * _batch * 4 * _units], new float[(_steps + 1) * _batch * _units], new float[_steps * _batch * _units],
            new float[(_steps + 1) * _batch * _units], new float[sequences ? _batch * _steps * _units : 0]);

        /// <summary>What the generated code ran before: the projection of every step in one product, then the steps.</summary>
        public State RunTwoPasses(bool sequences)
        {
            State s = NewState(sequences);
            Gemm.MatMulBias<IdentityActivation>(_steps * _batch, 4 * _units, _inputs, _stepInputs, _weightIh, _biasIh, s.Gates);
            var packed = new float[LstmStep.ForwardWeightsLength(_units)];
            LstmStep.PackForwardWeights(_units, _weightHh, packed);
            for (int t = 0; t < _steps; t++)
                LstmStep.Forward(_batch, _units, _steps, t, packed, _biasHh, s.Gates, s.Cells, s.CellTanh, s.Hidden, s.Sequence);
            return s;
        }

        public State RunFromInputs(bool sequences)
        {
            State s = NewState(sequences);
            // Gates start as NaNs: every value the step reads must be one it wrote.
            Array.Fill(s.Gates, float.NaN);
            var packed = new float[LstmStep.ForwardFromInputsWeightsLength(_units, _inputs)];
            LstmStep.PackForwardFromInputsWeights(_units, _inputs, _weightIh, _biasIh, _weightHh, packed);
            for (int t = 0; t < _steps; t++)
                LstmStep.ForwardFromInputs(_batch, _units, _inputs, _steps, t, _stepInputs, packed, _biasHh, s.Gates, s.Cells, s.CellTanh, s.Hidden, s.Sequence);
            return s;
        }
    }
}
