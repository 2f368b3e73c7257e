using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The batch-normalisation kernels against two references: a double-precision one (are the formulas right?) and a
/// scalar one that adds in the documented order (float sums over groups of 32 rows, added in double, row order), which
/// the kernels must match bit for bit at 1 and 2 threads: the split over threads must not change a single bit.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public sealed class BatchNormTests
{
    private const float Epsilon = 1e-5f, Momentum = 0.1f;

    // Rows x channels: one group, a ragged last group, a tail past the last multiple of 8 channels, and sizes large
    // enough (at least 64K values) that the passes split over threads.
    [Theory]
    [InlineData(5, 3)]
    [InlineData(33, 8)]
    [InlineData(4001, 20)]
    [InlineData(39200, 16)]
    public void MatchesTheReferencesBitForBitAtOneAndTwoThreads(int rows, int channels)
    {
        float[] input = Values(rows * channels, 1, offset: 0.3f), outputGradient = Values(rows * channels, 2, offset: 0f);
        float[] gamma = Values(channels, 3, offset: 1f), beta = Values(channels, 4, offset: 0f);
        Result expected = OrderedReference(rows, channels, input, outputGradient, gamma, beta);
        foreach (int threads in new[] { 1, 2 })
        {
            Result found = Run(threads, rows, channels, input, outputGradient, gamma, beta);
            Assert.Equal(expected.Mean, found.Mean);
            Assert.Equal(expected.InverseDeviation, found.InverseDeviation);
            Assert.Equal(expected.RunningMean, found.RunningMean);
            Assert.Equal(expected.RunningVariance, found.RunningVariance);
            Assert.Equal(expected.Output, found.Output);
            Assert.Equal(expected.GammaGradient, found.GammaGradient);
            Assert.Equal(expected.BetaGradient, found.BetaGradient);
            Assert.Equal(expected.InputGradient, found.InputGradient);
        }
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(4001, 20)]
    public void AgreesWithTheDoublePrecisionFormulas(int rows, int channels)
    {
        float[] input = Values(rows * channels, 5, offset: -0.2f), outputGradient = Values(rows * channels, 6, offset: 0f);
        float[] gamma = Values(channels, 7, offset: 1f), beta = Values(channels, 8, offset: 0f);
        Result found = Run(2, rows, channels, input, outputGradient, gamma, beta);
        for (int c = 0; c < channels; c++)
        {
            double mean = 0, variance = 0;
            for (int r = 0; r < rows; r++) mean += input[r * channels + c];
            mean /= rows;
            for (int r = 0; r < rows; r++) variance += Math.Pow(input[r * channels + c] - mean, 2);
            variance /= rows;
            double inverse = 1 / Math.Sqrt(variance + Epsilon);
            Close(mean, found.Mean[c]);
            Close(inverse, found.InverseDeviation[c]);
            Close(Momentum * mean, found.RunningMean[c]);
            Close((1 - Momentum) + Momentum * variance * rows / (rows - 1), found.RunningVariance[c]);
            double dBeta = 0, dGamma = 0;
            for (int r = 0; r < rows; r++)
            {
                double xHat = (input[r * channels + c] - mean) * inverse;
                Close(Math.Max(0, gamma[c] * xHat + beta[c]), found.Output[r * channels + c]);
                dBeta += outputGradient[r * channels + c];
                dGamma += outputGradient[r * channels + c] * xHat;
            }
            Close(dBeta, found.BetaGradient[c]);
            Close(dGamma, found.GammaGradient[c]);
            for (int r = 0; r < rows; r++)
            {
                double xHat = (input[r * channels + c] - mean) * inverse;
                double dx = gamma[c] * inverse * (outputGradient[r * channels + c] - dBeta / rows - xHat * dGamma / rows);
                Close(dx, found.InputGradient[r * channels + c]);
            }
        }
    }

    private sealed record Result(float[] Mean, float[] InverseDeviation, float[] RunningMean, float[] RunningVariance, float[] Output,
        float[] GammaGradient, float[] BetaGradient, float[] InputGradient);

    private static Result Run(int threads, int rows, int channels, float[] input, float[] outputGradient, float[] gamma, float[] beta)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            var result = new Result(new float[channels], new float[channels], new float[channels], Enumerable.Repeat(1f, channels).ToArray(),
                new float[rows * channels], new float[channels], new float[channels], new float[rows * channels]);
            BatchNorm.TrainForward<ReluActivation>(rows, channels, input, gamma, beta, Epsilon, Momentum, result.RunningMean, result.RunningVariance,
                result.Mean, result.InverseDeviation, result.Output);
            BatchNorm.Backward(rows, channels, input, outputGradient, gamma, result.Mean, result.InverseDeviation, result.GammaGradient,
                result.BetaGradient, result.InputGradient);
            return result;
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    /// <summary>The kernels' arithmetic, one value at a time in the documented order (vector lanes are IEEE float
    /// operations, so lane by lane is the same bits); channels past the last multiple of 8 add each value in double.</summary>
    private static Result OrderedReference(int rows, int channels, float[] x, float[] dy, float[] gamma, float[] beta)
    {
        int vectorChannels = channels - channels % 8;
        double Sum(int c, Func<int, float> term, Func<int, double> tailTerm)
        {
            double sum = 0;
            if (c >= vectorChannels)
            {
                for (int r = 0; r < rows; r++) sum += tailTerm(r);
                return sum;
            }
            for (int start = 0; start < rows; start += 32)
            {
                float group = 0;
                for (int r = start; r < Math.Min(rows, start + 32); r++) group += term(r);
                sum += group;
            }
            return sum;
        }
        var mean = new float[channels];
        var inverse = new float[channels];
        var runningMean = new float[channels];
        var runningVariance = new float[channels];
        var output = new float[rows * channels];
        var gammaGradient = new float[channels];
        var betaGradient = new float[channels];
        var inputGradient = new float[rows * channels];
        for (int c = 0; c < channels; c++)
        {
            mean[c] = (float)(Sum(c, r => x[r * channels + c], r => x[r * channels + c]) / rows);
            float m = mean[c];
            double squares = Sum(c, r => (x[r * channels + c] - m) * (x[r * channels + c] - m),
                r => ((double)x[r * channels + c] - m) * ((double)x[r * channels + c] - m));
            double variance = squares / rows;
            inverse[c] = (float)(1.0 / Math.Sqrt(variance + Epsilon));
            runningMean[c] = (float)((1.0 - Momentum) * 0f + Momentum * mean[c]);
            runningVariance[c] = (float)((1.0 - Momentum) * 1f + Momentum * (rows > 1 ? squares / (rows - 1) : variance));
            float scale = gamma[c] * inverse[c], shift = beta[c] - mean[c] * scale;
            for (int r = 0; r < rows; r++) output[r * channels + c] = Math.Max(0f, x[r * channels + c] * scale + shift);
            float inv = inverse[c];
            double dBeta = Sum(c, r => dy[r * channels + c], r => dy[r * channels + c]);
            double dGamma = Sum(c, r => dy[r * channels + c] * ((x[r * channels + c] - m) * inv),
                r => (double)dy[r * channels + c] * ((x[r * channels + c] - m) * inv));
            betaGradient[c] = (float)dBeta;
            gammaGradient[c] = (float)dGamma;
            double s = (double)gamma[c] * inv;
            float a = (float)s, b = (float)(-s * (dGamma / rows) * inv), k = (float)(-s * (dBeta / rows) + s * (dGamma / rows) * inv * m);
            for (int r = 0; r < rows; r++) inputGradient[r * channels + c] = a * dy[r * channels + c] + b * x[r * channels + c] + k;
        }
        return new Result(mean, inverse, runningMean, runningVariance, output, gammaGradient, betaGradient, inputGradient);
    }

    private static void Close(double expected, float found) =>
        Assert.True(Math.Abs(expected - found) <= 2e-4 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, found {found}");

    private static float[] Values(int count, int seed, float offset)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => offset + (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
