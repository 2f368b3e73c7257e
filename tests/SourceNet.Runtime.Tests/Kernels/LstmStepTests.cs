using System;
using System.Runtime.Intrinsics;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The fused LSTM step kernels (<see cref="LstmStep"/>) against the unfused path they replace (the recurrent product by
/// <see cref="Gemm"/>, then <see cref="LstmCell"/>), on sizes that leave partial unit blocks and row tiles; the same
/// bits on one and two threads; and <see cref="FastMath"/> against double precision.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class LstmStepTests
{
    [Fact]
    public void Sigmoid_and_tanh_match_double_precision_and_stay_finite()
    {
        var inputs = new System.Collections.Generic.List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, 8.99f, 9f, 9.01f, 88f, -88f, 1e4f, -1e4f, float.MaxValue, -float.MaxValue, float.PositiveInfinity, float.NegativeInfinity };
        for (float x = -30f; x <= 30f; x += 0.0009765625f)
            inputs.Add(x);
        for (float x = 1e-6f; x < 1f; x *= 1.01f)
        {
            inputs.Add(x);
            inputs.Add(-x);
        }
        double worstSigmoid = 0, worstTanh = 0;
        var values = new float[8];
        for (int start = 0; start < inputs.Count; start += 8)
        {
            for (int lane = 0; lane < 8; lane++)
                values[lane] = inputs[Math.Min(start + lane, inputs.Count - 1)];
            var x = Vector256.Create(values);
            Vector256<float> sigmoid = FastMath.Sigmoid(x), tanh = FastMath.Tanh(x);
            for (int lane = 0; lane < 8; lane++)
            {
                double v = values[lane];
                double expectedSigmoid = 1 / (1 + Math.Exp(-v)), expectedTanh = Math.Tanh(v);
                Assert.True(float.IsFinite(sigmoid[lane]) && float.IsFinite(tanh[lane]), $"x = {v}: sigmoid {sigmoid[lane]}, tanh {tanh[lane]}");
                Assert.InRange(sigmoid[lane], 0f, 1f);
                Assert.InRange(tanh[lane], -1f, 1f);
                // σ's error is absolute (½ + ½·tanh(x/2)); tanh's is relative, down to the smallest inputs.
                worstSigmoid = Math.Max(worstSigmoid, Math.Abs(sigmoid[lane] - expectedSigmoid));
                if (Math.Abs(expectedTanh) > 1e-37)
                    worstTanh = Math.Max(worstTanh, Math.Abs(tanh[lane] - expectedTanh) / Math.Abs(expectedTanh));
                Assert.Equal(double.IsNegative(v), float.IsNegative(tanh[lane]));
            }
        }
        Assert.True(worstSigmoid < 1.9e-7, $"sigmoid's largest absolute error is {worstSigmoid:E2}");
        Assert.True(worstTanh < 3.2e-7, $"tanh's largest relative error is {worstTanh:E2}");
    }

    [Theory]
    [InlineData(7, 13, 3, false)]
    [InlineData(13, 24, 2, true)]
    [InlineData(6, 16, 2, false)]
    [InlineData(1, 5, 2, true)]
    [InlineData(20, 40, 3, true)]
    public void Forward_matches_the_product_then_the_cell(int batch, int units, int steps, bool sequences)
    {
        var lstm = new Case(batch, units, steps, seed: batch * 100 + units);
        Unfused expected = lstm.RunUnfused(sequences);
        Fused actual = lstm.RunFused(sequences);
        RecurrentAssert.Close(expected.Gates, actual.Gates, "activated gates");
        RecurrentAssert.Close(expected.Cells, actual.Cells, "cell states");
        RecurrentAssert.Close(expected.CellTanh, actual.CellTanh, "tanh of the cell states");
        RecurrentAssert.Close(expected.Hidden, actual.Hidden, "hidden states");
        RecurrentAssert.Close(expected.Sequence, actual.Sequence, "the sequence output");
    }

    [Theory]
    [InlineData(7, 13, 3, false)]
    [InlineData(13, 24, 2, true)]
    [InlineData(6, 16, 2, false)]
    [InlineData(1, 5, 2, true)]
    [InlineData(20, 40, 3, true)]
    public void Backward_matches_the_cell_derivative_then_the_product(int batch, int units, int steps, bool sequences)
    {
        var lstm = new Case(batch, units, steps, seed: batch * 100 + units + 1);
        Unfused forward = lstm.RunUnfused(sequences);
        (float[] expectedDz, float[] expectedDc) = lstm.BackwardUnfused(forward, sequences);
        (float[] actualDz, float[] actualDc) = lstm.BackwardFused(forward, sequences);
        RecurrentAssert.Close(expectedDz, actualDz, "gate gradients");
        RecurrentAssert.Close(expectedDc, actualDc, "dLoss/dc of the first state");
    }

    [Theory]
    [InlineData(40)] // five blocks of units: a tile of three, then of two
    [InlineData(13)] // two blocks, the second partial
    [InlineData(8)]
    public void A_single_sample_gets_the_bits_of_its_row_in_a_batch(int units)
    {
        const int batch = 7, steps = 3;
        var lstm = new Case(batch, units, steps, seed: units);
        Fused all = lstm.RunFused(sequences: true);
        foreach (int b in new[] { 0, 5, 6 }) // in a six-row tile, and the row after it
        {
            Fused one = lstm.Sample(b).RunFused(sequences: true);
            for (int t = 0; t < steps; t++)
            {
                Assert.Equal(all.Gates.AsSpan((t * batch + b) * 4 * units, 4 * units).ToArray(), one.Gates.AsSpan(t * 4 * units, 4 * units).ToArray());
                Assert.Equal(all.CellTanh.AsSpan((t * batch + b) * units, units).ToArray(), one.CellTanh.AsSpan(t * units, units).ToArray());
            }
            for (int t = 0; t <= steps; t++)
            {
                Assert.Equal(all.Hidden.AsSpan((t * batch + b) * units, units).ToArray(), one.Hidden.AsSpan(t * units, units).ToArray());
                Assert.Equal(all.Cells.AsSpan((t * batch + b) * units, units).ToArray(), one.Cells.AsSpan(t * units, units).ToArray());
            }
            Assert.Equal(all.Sequence.AsSpan(b * steps * units, steps * units).ToArray(), one.Sequence);
        }
    }

    [Theory]
    [InlineData(8, 16, false)]  // two tiles of four rows
    [InlineData(9, 13, true)]   // five and four
    [InlineData(50, 24, false)] // seven of six, then four and four: a training chunk
    [InlineData(13, 8, true)]   // six, then four and three
    public void A_row_gets_the_same_backward_bits_in_any_tile(int batch, int units, bool sequences)
    {
        const int steps = 3;
        var lstm = new Case(batch, units, steps, seed: 3 * batch + units);
        (float[] dz, float[] dc) = lstm.BackwardFused(lstm.RunFused(sequences).AsUnfused(), sequences);
        foreach (int b in new[] { 0, batch / 2, batch - 1 })
        {
            Case one = lstm.Sample(b);
            (float[] dzOne, float[] dcOne) = one.BackwardFused(one.RunFused(sequences).AsUnfused(), sequences);
            for (int t = 0; t < steps; t++)
                Assert.Equal(dz.AsSpan((t * batch + b) * 4 * units, 4 * units).ToArray(), dzOne.AsSpan(t * 4 * units, 4 * units).ToArray());
            Assert.Equal(dc.AsSpan(b * units, units).ToArray(), dcOne);
        }
    }

    [Theory]
    [InlineData(7, 13, 3, false, 1)]
    [InlineData(37, 40, 3, true, 2)]
    [InlineData(50, 128, 4, false, 2)]
    [InlineData(1, 8, 2, true, 1)]
    public void Gate_gradients_written_over_the_gates_are_the_same_bits(int batch, int units, int steps, bool sequences, int threads)
    {
        // The generated backward pass writes each step's dZ over that step's activated gates, which nothing reads later.
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = threads;
            var lstm = new Case(batch, units, steps, seed: batch + units);
            Fused forward = lstm.RunFused(sequences);
            (float[] dz, float[] dc) = lstm.BackwardFused(forward.AsUnfused(), sequences);
            (float[] dzInPlace, float[] dcInPlace) = lstm.BackwardFused(forward.AsUnfused(), sequences, inPlace: true);
            Assert.Equal(dz, dzInPlace);
            Assert.Equal(dc, dcInPlace);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void One_and_two_threads_give_the_same_bits()
    {
        int saved = KernelThreads.Count;
        try
        {
            // 37 x 40 x 160 multiply-adds per step: large enough to split over two threads.
            var lstm = new Case(batch: 37, units: 40, steps: 3, seed: 5);
            KernelThreads.Count = 1;
            Fused one = lstm.RunFused(sequences: true);
            (float[] dzOne, float[] dcOne) = lstm.BackwardFused(one.AsUnfused(), sequences: true);
            KernelThreads.Count = 2;
            Fused two = lstm.RunFused(sequences: true);
            (float[] dzTwo, float[] dcTwo) = lstm.BackwardFused(two.AsUnfused(), sequences: true);
            Assert.Equal(one.Hidden, two.Hidden);
            Assert.Equal(one.Cells, two.Cells);
            Assert.Equal(one.Gates, two.Gates);
            Assert.Equal(one.Sequence, two.Sequence);
            Assert.Equal(dzOne, dzTwo);
            Assert.Equal(dcOne, dcTwo);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Large_pre_activations_saturate_without_nan_or_infinity()
    {
        var lstm = new Case(batch: 5, units: 11, steps: 2, seed: 3, scale: 1e4f);
        Fused forward = lstm.RunFused(sequences: false);
        (float[] dz, float[] dc) = lstm.BackwardFused(forward.AsUnfused(), sequences: false);
        foreach (float[] values in new[] { forward.Gates, forward.Cells, forward.Hidden, dz, dc })
            Assert.All(values, v => Assert.True(float.IsFinite(v), $"{v} is not finite"));
        Assert.All(forward.Hidden, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Short_buffers_are_refused_with_the_sizes()
    {
        var packed = new float[LstmStep.ForwardWeightsLength(8)];
        var error = Assert.Throws<ArgumentException>(() => LstmStep.Forward(2, 8, 1, 0, packed, new float[32], new float[63], new float[32], new float[16], new float[32], default));
        Assert.Contains("gates holds 63 values; the LSTM step needs 64", error.Message);
    }

    private sealed record Unfused(float[] Gates, float[] Cells, float[] CellTanh, float[] Hidden, float[] Sequence);

    private sealed record Fused(float[] Gates, float[] Cells, float[] CellTanh, float[] Hidden, float[] Sequence)
    {
        public Unfused AsUnfused() => new(Gates, Cells, CellTanh, Hidden, Sequence);
    }

    /// <summary>Random weights, input projections and output gradients for one layer.</summary>
    private sealed class Case
    {
        private readonly int _batch, _units, _steps;
        private readonly float[] _weightHh, _biasHh, _projection, _outputGradient, _lastGradient;

        private Case(int units, int steps, float[] weightHh, float[] biasHh, float[] projection, float[] outputGradient, float[] lastGradient)
        {
            (_batch, _units, _steps) = (1, units, steps);
            (_weightHh, _biasHh, _projection, _outputGradient, _lastGradient) = (weightHh, biasHh, projection, outputGradient, lastGradient);
        }

        /// <summary>Sample <paramref name="b"/> alone: the same weights, its rows of every step.</summary>
        public Case Sample(int b)
        {
            int width = 4 * _units;
            var projection = new float[_steps * width];
            for (int t = 0; t < _steps; t++)
                Array.Copy(_projection, (t * _batch + b) * width, projection, t * width, width);
            return new Case(_units, _steps, _weightHh, _biasHh, projection,
                _outputGradient.AsSpan(b * _steps * _units, _steps * _units).ToArray(), _lastGradient.AsSpan(b * _units, _units).ToArray());
        }

        public Case(int batch, int units, int steps, int seed, float scale = 1f)
        {
            (_batch, _units, _steps) = (batch, units, steps);
            var random = new SeededRandom(seed);
            _weightHh = new float[units * 4 * units];
            _biasHh = new float[4 * units];
            _projection = new float[steps * batch * 4 * units];
            _outputGradient = new float[batch * steps * units];
            _lastGradient = new float[batch * units];
            random.FillNormal(_weightHh, 0f, 0.3f * scale);
            random.FillNormal(_biasHh, 0f, 0.5f * scale);
            random.FillNormal(_projection, 0f, 1f * scale);
            random.FillNormal(_outputGradient, 0f, 1f);
            random.FillNormal(_lastGradient, 0f, 1f);
        }

        public Unfused RunUnfused(bool sequences)
        {
            int width = 4 * _units;
            float[] gates = (float[])_projection.Clone();
            var cells = new float[(_steps + 1) * _batch * _units];
            var cellTanh = new float[_steps * _batch * _units];
            var hidden = new float[(_steps + 1) * _batch * _units];
            var sequence = new float[sequences ? _batch * _steps * _units : 0];
            var recurrent = new float[_batch * width];
            for (int t = 0; t < _steps; t++)
            {
                Gemm.MatMulBias<IdentityActivation>(_batch, width, _units, new ReadOnlySpan<float>(hidden, t * _batch * _units, _batch * _units), _weightHh, _biasHh, recurrent);
                LstmCell.Forward(_batch, _units, _steps, t, recurrent, gates, cells, cellTanh, hidden, sequence);
            }
            return new Unfused(gates, cells, cellTanh, hidden, sequence);
        }

        public Fused RunFused(bool sequences)
        {
            float[] gates = (float[])_projection.Clone();
            var cells = new float[(_steps + 1) * _batch * _units];
            var cellTanh = new float[_steps * _batch * _units];
            var hidden = new float[(_steps + 1) * _batch * _units];
            var sequence = new float[sequences ? _batch * _steps * _units : 0];
            var packed = new float[LstmStep.ForwardWeightsLength(_units)];
            LstmStep.PackForwardWeights(_units, _weightHh, packed);
            for (int t = 0; t < _steps; t++)
                LstmStep.Forward(_batch, _units, _steps, t, packed, _biasHh, gates, cells, cellTanh, hidden, sequence);
            return new Fused(gates, cells, cellTanh, hidden, sequence);
        }

        /// <summary>Backpropagation through time as the generated code did it before the fused kernels.</summary>
        public (float[] GateGradients, float[] CellGradient) BackwardUnfused(Unfused forward, bool sequences)
        {
            int width = 4 * _units;
            var dz = new float[_steps * _batch * width];
            var dc = new float[_batch * _units];
            float[] dh = sequences ? new float[_batch * _units] : (float[])_lastGradient.Clone();
            for (int t = _steps - 1; t >= 0; t--)
            {
                LstmCell.Backward(_batch, _units, _steps, t, forward.Gates, forward.Cells, forward.CellTanh, dh, sequences ? _outputGradient : default, dc, dz);
                if (t > 0)
                    Gemm.MatMulTransposeB(_batch, _units, width, new ReadOnlySpan<float>(dz, t * _batch * width, _batch * width), _weightHh, dh);
            }
            return (dz, dc);
        }

        /// <param name="inPlace">dZ written over a copy of the activated gates, as the generated code does.</param>
        public (float[] GateGradients, float[] CellGradient) BackwardFused(Unfused forward, bool sequences, bool inPlace = false)
        {
            float[] gates = inPlace ? (float[])forward.Gates.Clone() : forward.Gates;
            float[] dz = inPlace ? gates : new float[_steps * _batch * 4 * _units];
            var dc = new float[_batch * _units];
            var packed = new float[LstmStep.BackwardWeightsLength(_units)];
            LstmStep.PackBackwardWeights(_units, _weightHh, packed);
            for (int t = _steps - 1; t >= 0; t--)
                LstmStep.Backward(_batch, _units, _steps, t, packed, gates, forward.Cells, forward.CellTanh, sequences ? default : _lastGradient, sequences ? _outputGradient : default, dc, dz);
            return (dz, dc);
        }
    }
}
