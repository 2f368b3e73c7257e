using System;
using System.Linq;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// Rows that share their first steps (<see cref="LstmStep.FindSharedSteps"/>) carried once through backpropagation
/// (<see cref="LstmStep.Backward(int, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{int})"/>):
/// the counts against their definition written out here, and the sums the weights' gradients take (dZ's column sums,
/// and the inputs and previous states times dZ) against those of the steps run for every row, in doubles.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class LstmSharedStepsTests
{
    [Theory]
    [InlineData(new[] { 0, 2, 4, 1, 3, 2, 0, 4, 1 }, 8, 4)] // row 8 starts from its own state
    [InlineData(new[] { 3, 1, 0, 1, 0 }, -1, 4)]             // row 0 alone past step 0: step 1 on is nobody's
    [InlineData(new[] { 4, 4, 4 }, -1, 4)]                   // all blank: every step shared
    [InlineData(new[] { 0, 1, 0 }, -1, 3)]                   // one blank row: nothing shared
    [InlineData(new[] { 2, 2, 2 }, 0, 3)]                    // the first blank row has its own state: nothing shared
    public void Each_row_shares_the_blank_first_steps_of_its_group(int[] blankSteps, int ownInitialState, int steps)
    {
        var lstm = new Case(blankSteps, units: 7, inputs: 5, steps, seed: blankSteps.Length, ownInitialState);
        lstm.Forward();
        int[] shared = lstm.SharedSteps();
        Assert.Equal(ExpectedSharedSteps(blankSteps, ownInitialState, steps), shared);
    }

    /// <summary>Step s is shared by the rows whose first s + 1 inputs are zeros and that start from the state of the
    /// first row with a blank first input, while they are two or more.</summary>
    private static int[] ExpectedSharedSteps(int[] blankSteps, int ownInitialState, int steps)
    {
        int anchor = Array.FindIndex(blankSteps, blank => blank > 0);
        bool Common(int row) => anchor >= 0 && (row == ownInitialState) == (anchor == ownInitialState);
        int shared = 0;
        while (shared < steps && blankSteps.Where((blank, row) => Common(row) && blank > shared).Count() >= 2)
            shared++;
        return blankSteps.Select((blank, row) => Common(row) ? Math.Min(blank, shared) : 0).ToArray();
    }

    [Theory]
    [InlineData(50, 128, 28, 8, 1)] // sequential MNIST's chunk, a shorter sequence
    [InlineData(50, 24, 6, 9, 2)]
    [InlineData(13, 9, 5, 5, 2)]
    [InlineData(7, 16, 3, 4, 1)]
    public void Carrying_shared_rows_once_gives_the_sums_of_every_row(int batch, int units, int inputs, int steps, int threads)
    {
        // Sample b's first b mod (steps + 2) inputs are zero (some sequences all blank), the generated code's layout:
        // dZ over the activated gates.
        int[] blankSteps = Enumerable.Range(0, batch).Select(b => b % (steps + 2)).ToArray();
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = threads;
            var lstm = new Case(blankSteps, units, inputs, steps, seed: batch + units + steps, ownInitialState: -1);
            lstm.Forward();
            int[] shared = lstm.SharedSteps();
            Assert.Contains(shared, count => count >= 2);
            (float[] everyRow, float[] everyRowCell) = lstm.Backward(sharedSteps: null);
            (float[] once, float[] onceCell) = lstm.Backward(shared);

            lstm.AssertSameSums(everyRow, once);
            // dLoss/dc of the initial state, summed over the rows that started from it.
            RecurrentAssert.Close(lstm.ColumnSums(everyRowCell, units), lstm.ColumnSums(onceCell, units), "dLoss/dc of the initial state, summed");
            for (int row = 0; row < batch; row++)
            {
                for (int t = 0; t < steps; t++)
                {
                    float[] dz = lstm.Row(once, t, row);
                    if (t >= shared[row])
                        RecurrentAssert.SameBits(lstm.Row(everyRow, t, row), dz, $"dZ of row {row} at step {t}, which it does not share");
                    else if (t < shared[row] && row != lstm.FirstSharing(shared, t))
                        Assert.All(dz, value => Assert.Equal(0f, value));
                }
            }

            // Two threads (or one) give the bits of the other count (where the step's rows split: the larger cases).
            KernelThreads.Count = 3 - threads;
            (float[] otherCount, float[] _) = lstm.Backward(shared);
            RecurrentAssert.SameBits(once, otherCount, $"dZ at {3 - threads} thread(s) against {threads}");
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Shared_steps_with_a_gradient_at_every_step_or_out_of_range_are_refused()
    {
        var lstm = new Case(new[] { 2, 2, 0 }, units: 5, inputs: 3, steps: 2, seed: 1, ownInitialState: -1);
        lstm.Forward();
        var error = Assert.Throws<ArgumentException>(() => lstm.Backward(lstm.SharedSteps(), outputGradient: new float[3 * 2 * 5]));
        Assert.Contains("last state", error.Message);
        error = Assert.Throws<ArgumentException>(() => lstm.Backward(new[] { 3, 0, 0 }));
        Assert.Contains("holds 3", error.Message);
    }

    private sealed class Case
    {
        private readonly int _batch, _units, _inputs, _steps;
        private readonly float[] _weightIh, _biasIh, _weightHh, _biasHh, _stepInputs, _lastGradient;
        private readonly float[] _gates, _cells, _cellTanh, _hidden;

        public Case(int[] blankSteps, int units, int inputs, int steps, int seed, int ownInitialState)
        {
            (_batch, _units, _inputs, _steps) = (blankSteps.Length, units, inputs, steps);
            int width = 4 * units;
            var random = new SeededRandom(seed);
            _weightIh = Normal(random, inputs * width, 0.5f);
            _biasIh = Normal(random, width, 0.5f);
            _weightHh = Normal(random, units * width, 0.3f);
            _biasHh = Normal(random, width, 0.5f);
            _stepInputs = Normal(random, steps * _batch * inputs, 1f);
            _lastGradient = Normal(random, _batch * units, 1f);
            for (int b = 0; b < _batch; b++)
            {
                for (int t = 0; t < Math.Min(blankSteps[b], steps); t++)
                    Array.Fill(_stepInputs, b == 2 ? -0f : 0f, (t * _batch + b) * inputs, inputs);
            }
            _gates = new float[steps * _batch * width];
            _cells = new float[(steps + 1) * _batch * units];
            _cellTanh = new float[steps * _batch * units];
            _hidden = new float[(steps + 1) * _batch * units];
            if (ownInitialState >= 0)
                _hidden[ownInitialState * units] = 0.5f;
        }

        private static float[] Normal(SeededRandom random, int count, float deviation)
        {
            var values = new float[count];
            random.FillNormal(values, 0f, deviation);
            return values;
        }

        public void Forward()
        {
            var packed = new float[LstmStep.ForwardFromInputsWeightsLength(_units, _inputs)];
            LstmStep.PackForwardFromInputsWeights(_units, _inputs, _weightIh, _biasIh, _weightHh, packed);
            for (int t = 0; t < _steps; t++)
                LstmStep.ForwardFromInputs(_batch, _units, _inputs, _steps, t, _stepInputs, packed, _biasHh, _gates, _cells, _cellTanh, _hidden, default);
        }

        public int[] SharedSteps()
        {
            var shared = new int[_batch];
            LstmStep.FindSharedSteps(_batch, _units, _inputs, _steps, _stepInputs, _hidden, _cells, shared);
            return shared;
        }

        /// <summary>Every step backward from the last state's gradient, dZ written over a copy of the activated gates.</summary>
        public (float[] GateGradients, float[] CellGradient) Backward(int[]? sharedSteps, float[]? outputGradient = null)
        {
            float[] dz = (float[])_gates.Clone();
            var dc = new float[_batch * _units];
            var packed = new float[LstmStep.BackwardWeightsLength(_units)];
            LstmStep.PackBackwardWeights(_units, _weightHh, packed);
            for (int t = _steps - 1; t >= 0; t--)
            {
                LstmStep.Backward(_batch, _units, _steps, t, packed, dz, _cells, _cellTanh, outputGradient is null ? _lastGradient : default,
                    outputGradient, dc, dz, sharedSteps);
            }
            return (dz, dc);
        }

        public int FirstSharing(int[] sharedSteps, int step) => Array.FindIndex(sharedSteps, count => count > step);

        public float[] Row(float[] gateGradients, int step, int row) =>
            gateGradients.AsSpan((step * _batch + row) * 4 * _units, 4 * _units).ToArray();

        public float[] ColumnSums(float[] rows, int width)
        {
            var sums = new float[width];
            for (int i = 0; i < rows.Length; i++)
                sums[i % width] += rows[i];
            return sums;
        }

        /// <summary>dZ's column sums, Σ x_t ⊗ dZ_t and Σ h_(t−1) ⊗ dZ_t over every row and step, in doubles, each within
        /// 1e-5 of the sum of its terms' magnitudes.</summary>
        public void AssertSameSums(float[] expected, float[] actual)
        {
            int width = 4 * _units;
            var (biasE, biasA, biasScale) = (new double[width], new double[width], new double[width]);
            var (ihE, ihA, ihScale) = (new double[_inputs * width], new double[_inputs * width], new double[_inputs * width]);
            var (hhE, hhA, hhScale) = (new double[_units * width], new double[_units * width], new double[_units * width]);
            for (int t = 0; t < _steps; t++)
            {
                for (int b = 0; b < _batch; b++)
                {
                    int row = t * _batch + b;
                    for (int j = 0; j < width; j++)
                    {
                        double e = expected[row * width + j], a = actual[row * width + j];
                        biasE[j] += e; biasA[j] += a; biasScale[j] += Math.Abs(e);
                        for (int k = 0; k < _inputs; k++)
                        {
                            double x = _stepInputs[row * _inputs + k];
                            ihE[k * width + j] += x * e; ihA[k * width + j] += x * a; ihScale[k * width + j] += Math.Abs(x * e);
                        }
                        for (int k = 0; k < _units; k++)
                        {
                            double h = _hidden[row * _units + k];
                            hhE[k * width + j] += h * e; hhA[k * width + j] += h * a; hhScale[k * width + j] += Math.Abs(h * e);
                        }
                    }
                }
            }
            AssertWithin(biasE, biasA, biasScale, "dZ's column sums (the biases' gradient)");
            AssertWithin(ihE, ihA, ihScale, "Σ x ⊗ dZ (W_ih's gradient)");
            AssertWithin(hhE, hhA, hhScale, "Σ h ⊗ dZ (W_hh's gradient)");
        }

        private static void AssertWithin(double[] expected, double[] actual, double[] scale, string what)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                double tolerance = 1e-5 * (scale[i] + 1e-3);
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what} [{i}]: {actual[i]:R} against {expected[i]:R} (within {tolerance:G3})");
            }
        }
    }
}
