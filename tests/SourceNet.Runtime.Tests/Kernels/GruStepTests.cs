using System;
using System.Runtime.Intrinsics;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The fused GRU step kernels (<see cref="GruStep"/>) against the unfused path they replace (the recurrent product by
/// <see cref="Gemm"/>, then <see cref="GruCell"/>; backward, the cell's derivatives, then <c>dZ_hidden·W_hhᵀ + z·dh</c>),
/// on sizes that leave partial unit blocks and row tiles; the same bits on one and two threads and for a sample alone.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class GruStepTests
{
    [Theory]
    [InlineData(1, 7, 3, false)]
    [InlineData(5, 7, 3, true)]
    [InlineData(13, 7, 3, false)]
    [InlineData(13, 24, 2, true)]
    [InlineData(4, 16, 2, false)]
    [InlineData(20, 40, 3, true)]
    public void Forward_matches_the_product_then_the_cell(int batch, int units, int steps, bool sequences)
    {
        var gru = new Case(batch, units, steps, seed: batch * 100 + units);
        Forward expected = gru.RunUnfused(sequences);
        Forward actual = gru.RunFused(sequences);
        RecurrentAssert.Close(expected.Gates, actual.Gates, "activated gates");
        RecurrentAssert.Close(expected.ResetHidden, actual.ResetHidden, "W_hn h + b_hn");
        RecurrentAssert.Close(expected.Hidden, actual.Hidden, "hidden states");
        RecurrentAssert.Close(expected.Sequence, actual.Sequence, "the sequence output");
    }

    [Theory]
    [InlineData(1, 7, 3, false)]
    [InlineData(5, 7, 3, true)]
    [InlineData(13, 7, 3, false)]
    [InlineData(13, 24, 2, true)]
    [InlineData(6, 16, 2, false)]
    [InlineData(20, 40, 3, true)]
    public void Backward_matches_the_cell_derivative_then_the_product(int batch, int units, int steps, bool sequences)
    {
        var gru = new Case(batch, units, steps, seed: batch * 100 + units + 1);
        Forward forward = gru.RunUnfused(sequences);
        Backward expected = gru.BackwardUnfused(forward, sequences);
        Backward actual = gru.BackwardFused(forward, sequences);
        RecurrentAssert.Close(expected.InputSide, actual.InputSide, "input-side gate gradients");
        RecurrentAssert.Close(expected.HiddenSide, actual.HiddenSide, "hidden-side gate gradients");
        RecurrentAssert.Close(expected.Direct, actual.Direct, "z·dh of the first step");
    }

    [Theory]
    [InlineData(40)] // five blocks of units: a row of four, then of one
    [InlineData(13)] // two blocks, the second partial
    [InlineData(7)] // one partial block
    [InlineData(56)] // seven blocks: four, then three
    public void A_single_sample_gets_the_bits_of_its_row_in_a_batch(int units)
    {
        const int batch = 7, steps = 3;
        var gru = new Case(batch, units, steps, seed: units);
        Forward all = gru.RunFused(sequences: true);
        foreach (int b in new[] { 0, 3, 4, 6 }) // in a four-row tile, its last row, and the rows after it
        {
            Forward one = gru.Sample(b).RunFused(sequences: true);
            for (int t = 0; t < steps; t++)
            {
                Assert.Equal(all.Gates.AsSpan((t * batch + b) * 3 * units, 3 * units).ToArray(), one.Gates.AsSpan(t * 3 * units, 3 * units).ToArray());
                Assert.Equal(all.ResetHidden.AsSpan((t * batch + b) * units, units).ToArray(), one.ResetHidden.AsSpan(t * units, units).ToArray());
            }
            for (int t = 0; t <= steps; t++)
                Assert.Equal(all.Hidden.AsSpan((t * batch + b) * units, units).ToArray(), one.Hidden.AsSpan(t * units, units).ToArray());
            Assert.Equal(all.Sequence.AsSpan(b * steps * units, steps * units).ToArray(), one.Sequence);
        }
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(50, 128)]
    [InlineData(1, 40)]
    public void A_step_from_a_zero_state_has_the_bits_of_the_cell_on_the_biases(int batch, int units)
    {
        // From a zero state every sum of h·W_hh is +0 and the kernel skips that product: r, z and n must be the cell's
        // values on b_hh alone (s = +0 + b_hh), and h' = n + z·(0 − n).
        var gru = new Case(batch, units, steps: 2, seed: batch + units);
        Forward actual = gru.RunFused(sequences: false);
        (float[] gates, float[] resetHidden, float[] hidden) = gru.FirstStepByHand();
        RecurrentAssert.SameBits(gates, actual.Gates.AsSpan(0, gates.Length).ToArray(), "r, z and n of step 0");
        RecurrentAssert.SameBits(resetHidden, actual.ResetHidden.AsSpan(0, resetHidden.Length).ToArray(), "s_n + b_hn of step 0");
        RecurrentAssert.SameBits(hidden, actual.Hidden.AsSpan(batch * units, hidden.Length).ToArray(), "h after step 0");
    }

    [Fact]
    public void One_and_two_threads_give_the_same_bits()
    {
        int saved = KernelThreads.Count;
        try
        {
            // 37 x 40 x 120 multiply-adds per step: large enough to split over two threads.
            var gru = new Case(batch: 37, units: 40, steps: 3, seed: 5);
            KernelThreads.Count = 1;
            Forward one = gru.RunFused(sequences: true);
            Backward backOne = gru.BackwardFused(one, sequences: true);
            KernelThreads.Count = 2;
            Forward two = gru.RunFused(sequences: true);
            Backward backTwo = gru.BackwardFused(two, sequences: true);
            Assert.Equal(one.Hidden, two.Hidden);
            Assert.Equal(one.Gates, two.Gates);
            Assert.Equal(one.ResetHidden, two.ResetHidden);
            Assert.Equal(one.Sequence, two.Sequence);
            Assert.Equal(backOne.InputSide, backTwo.InputSide);
            Assert.Equal(backOne.HiddenSide, backTwo.HiddenSide);
            Assert.Equal(backOne.Direct, backTwo.Direct);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Large_pre_activations_saturate_without_nan_or_infinity()
    {
        var gru = new Case(batch: 5, units: 11, steps: 3, seed: 3, scale: 1e4f);
        Forward forward = gru.RunFused(sequences: false);
        Backward backward = gru.BackwardFused(forward, sequences: false);
        foreach (float[] values in new[] { forward.Gates, forward.ResetHidden, forward.Hidden, backward.InputSide, backward.HiddenSide, backward.Direct })
            Assert.All(values, v => Assert.True(float.IsFinite(v), $"{v} is not finite"));
        Assert.All(forward.Hidden, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Short_buffers_are_refused_with_the_sizes()
    {
        var packed = new float[GruStep.ForwardWeightsLength(8)];
        var error = Assert.Throws<ArgumentException>(() => GruStep.Forward(2, 8, 1, 0, packed, new float[24], new float[47], new float[16], new float[32], default));
        Assert.Contains("gates holds 47 values; the GRU step needs 48", error.Message);
        error = Assert.Throws<ArgumentException>(() => GruStep.Forward(2, 8, 1, 0, packed, new float[23], new float[48], new float[16], new float[32], default));
        Assert.Contains("biasHh holds 23 values; the GRU step needs 24", error.Message);
        error = Assert.Throws<ArgumentException>(() => GruStep.Forward(2, 8, 1, 0, packed, new float[24], new float[48], new float[16], new float[31], default));
        Assert.Contains("hidden holds 31 values; the GRU step needs 32", error.Message);
        var backward = new float[GruStep.BackwardWeightsLength(8)];
        error = Assert.Throws<ArgumentException>(() => GruStep.Backward(2, 8, 1, 0, backward, new float[48], new float[16], new float[32], default, default, new float[15], new float[48], new float[48]));
        Assert.Contains("directGradient holds 15 values; the GRU step needs 16", error.Message);
        error = Assert.Throws<ArgumentException>(() => GruStep.PackForwardWeights(8, new float[191], packed));
        Assert.Contains("weightHh holds 191 values; the GRU step needs 192", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GruStep.Forward(2, 8, 1, 1, packed, new float[24], new float[48], new float[16], new float[32], default));
    }

    private sealed record Forward(float[] Gates, float[] ResetHidden, float[] Hidden, float[] Sequence);

    private sealed record Backward(float[] InputSide, float[] HiddenSide, float[] Direct);

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

        public Case(int batch, int units, int steps, int seed, float scale = 1f)
        {
            (_batch, _units, _steps) = (batch, units, steps);
            var random = new SeededRandom(seed);
            _weightHh = new float[units * 3 * units];
            _biasHh = new float[3 * units];
            _projection = new float[steps * batch * 3 * units];
            _outputGradient = new float[batch * steps * units];
            _lastGradient = new float[batch * units];
            random.FillNormal(_weightHh, 0f, 0.3f * scale);
            random.FillNormal(_biasHh, 0f, 0.5f * scale);
            random.FillNormal(_projection, 0f, 1f * scale);
            random.FillNormal(_outputGradient, 0f, 1f);
            random.FillNormal(_lastGradient, 0f, 1f);
        }

        /// <summary>Sample <paramref name="b"/> alone: the same weights, its rows of every step.</summary>
        public Case Sample(int b)
        {
            int width = 3 * _units;
            var projection = new float[_steps * width];
            for (int t = 0; t < _steps; t++)
                Array.Copy(_projection, (t * _batch + b) * width, projection, t * width, width);
            return new Case(_units, _steps, _weightHh, _biasHh, projection,
                _outputGradient.AsSpan(b * _steps * _units, _steps * _units).ToArray(), _lastGradient.AsSpan(b * _units, _units).ToArray());
        }

        private (float[] Gates, float[] ResetHidden, float[] Hidden, float[] Sequence) Buffers(bool sequences) =>
            ((float[])_projection.Clone(), new float[_steps * _batch * _units], new float[(_steps + 1) * _batch * _units],
                new float[sequences ? _batch * _steps * _units : 0]);

        /// <summary>Step 0 from the zero state, value by value, as the fused epilogue computes it on sums of +0.</summary>
        public (float[] Gates, float[] ResetHidden, float[] Hidden) FirstStepByHand()
        {
            int width = 3 * _units;
            var gates = new float[_batch * width];
            var resetHidden = new float[_batch * _units];
            var hidden = new float[_batch * _units];
            for (int b = 0; b < _batch; b++)
            {
                for (int u = 0; u < _units; u++)
                {
                    int at = b * width + u;
                    float reset = Lane(FastMath.Sigmoid, 0f + (_projection[at] + _biasHh[u]));
                    float update = Lane(FastMath.Sigmoid, 0f + (_projection[at + _units] + _biasHh[u + _units]));
                    float s = 0f + _biasHh[u + 2 * _units];
                    float candidate = Lane(FastMath.Tanh, MultiplyAdd.Scalar(reset, s, _projection[at + 2 * _units]));
                    (gates[at], gates[at + _units], gates[at + 2 * _units]) = (reset, update, candidate);
                    resetHidden[b * _units + u] = s;
                    hidden[b * _units + u] = MultiplyAdd.Scalar(update, 0f - candidate, candidate);
                }
            }
            return (gates, resetHidden, hidden);
        }

        private static float Lane(Func<Vector256<float>, Vector256<float>> function, float x) => function(Vector256.Create(x))[0];

        /// <summary>The forward pass as the generated code ran it before the fused kernels.</summary>
        public Forward RunUnfused(bool sequences)
        {
            (float[] gates, float[] resetHidden, float[] hidden, float[] sequence) = Buffers(sequences);
            var recurrent = new float[_batch * 3 * _units];
            for (int t = 0; t < _steps; t++)
            {
                Gemm.MatMulBias<IdentityActivation>(_batch, 3 * _units, _units, new ReadOnlySpan<float>(hidden, t * _batch * _units, _batch * _units), _weightHh, _biasHh, recurrent);
                GruCell.Forward(_batch, _units, _steps, t, recurrent, gates, resetHidden, hidden, sequence);
            }
            return new Forward(gates, resetHidden, hidden, sequence);
        }

        public Forward RunFused(bool sequences)
        {
            (float[] gates, float[] resetHidden, float[] hidden, float[] sequence) = Buffers(sequences);
            var packed = new float[GruStep.ForwardWeightsLength(_units)];
            GruStep.PackForwardWeights(_units, _weightHh, packed);
            for (int t = 0; t < _steps; t++)
                GruStep.Forward(_batch, _units, _steps, t, packed, _biasHh, gates, resetHidden, hidden, sequence);
            return new Forward(gates, resetHidden, hidden, sequence);
        }

        /// <summary>Backpropagation through time as the generated code did it before the fused kernels.</summary>
        public Backward BackwardUnfused(Forward forward, bool sequences)
        {
            int width = 3 * _units;
            var input = new float[_steps * _batch * width];
            var fromHidden = new float[_steps * _batch * width];
            var direct = new float[_batch * _units];
            float[] dh = sequences ? new float[_batch * _units] : (float[])_lastGradient.Clone();
            for (int t = _steps - 1; t >= 0; t--)
            {
                GruCell.Backward(_batch, _units, _steps, t, forward.Gates, forward.ResetHidden, forward.Hidden, dh, sequences ? _outputGradient : default, input, fromHidden, direct);
                if (t > 0)
                {
                    Gemm.MatMulTransposeB(_batch, _units, width, new ReadOnlySpan<float>(fromHidden, t * _batch * width, _batch * width), _weightHh, dh);
                    System.Numerics.Tensors.TensorPrimitives.Add(dh, direct, dh);
                }
            }
            return new Backward(input, fromHidden, direct);
        }

        public Backward BackwardFused(Forward forward, bool sequences)
        {
            int width = 3 * _units;
            var input = new float[_steps * _batch * width];
            var fromHidden = new float[_steps * _batch * width];
            var direct = new float[_batch * _units];
            // What the direct path holds before the last step does not matter: the kernel does not read it there.
            Array.Fill(direct, float.NaN);
            var packed = new float[GruStep.BackwardWeightsLength(_units)];
            GruStep.PackBackwardWeights(_units, _weightHh, packed);
            for (int t = _steps - 1; t >= 0; t--)
                GruStep.Backward(_batch, _units, _steps, t, packed, forward.Gates, forward.ResetHidden, forward.Hidden, sequences ? default : _lastGradient, sequences ? _outputGradient : default, direct, input, fromHidden);
            return new Backward(input, fromHidden, direct);
        }
    }
}
