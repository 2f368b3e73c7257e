using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

public class ActivationsTests
{
    // Every length up to three 16-wide vectors, so each vector loop and the scalar tail run alone and together.
    private static readonly int[] Lengths = Enumerable.Range(0, 50).Append(1000).ToArray();

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
    }

    private static double Derivative<TActivation>(double y) where TActivation : struct, IActivation
    {
        if (typeof(TActivation) == typeof(ReluActivation)) return y > 0 ? 1 : 0;
        if (typeof(TActivation) == typeof(SigmoidActivation)) return y * (1 - y);
        if (typeof(TActivation) == typeof(TanhActivation)) return 1 - y * y;
        return 1;
    }

    private static void CheckForward<TActivation>() where TActivation : struct, IActivation
    {
        foreach (int n in Lengths)
        {
            float[] x = Values(n, n), y = (float[])x.Clone();
            Activations.ForwardInPlace<TActivation>(y);
            for (int i = 0; i < n; i++)
            {
                double expected = GemmReference.Activate<TActivation>(x[i]);
                Assert.True(Math.Abs(y[i] - expected) <= 2e-6, $"{typeof(TActivation).Name} n={n} [{i}]: f({x[i]}) = {y[i]}, expected {expected}");
            }
        }
    }

    private static void CheckBackward<TActivation>() where TActivation : struct, IActivation
    {
        foreach (int n in Lengths)
        {
            float[] output = Values(n, n + 1);
            Activations.ForwardInPlace<TActivation>(output);
            float[] upstream = Values(n, n + 2), gradient = (float[])upstream.Clone();
            Activations.BackwardInPlace<TActivation>(output, gradient);
            for (int i = 0; i < n; i++)
            {
                double expected = upstream[i] * Derivative<TActivation>(output[i]);
                Assert.True(Math.Abs(gradient[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{typeof(TActivation).Name} n={n} [{i}]: {gradient[i]}, expected {expected}");
            }
        }
    }

    [Fact] public void IdentityForward() => CheckForward<IdentityActivation>();
    [Fact] public void ReluForward() => CheckForward<ReluActivation>();
    [Fact] public void SigmoidForward() => CheckForward<SigmoidActivation>();
    [Fact] public void TanhForward() => CheckForward<TanhActivation>();
    [Fact] public void IdentityBackward() => CheckBackward<IdentityActivation>();
    [Fact] public void ReluBackward() => CheckBackward<ReluActivation>();
    [Fact] public void SigmoidBackward() => CheckBackward<SigmoidActivation>();
    [Fact] public void TanhBackward() => CheckBackward<TanhActivation>();

    [Fact]
    public void BackwardRejectsMismatchedLengths() =>
        Assert.Throws<ArgumentException>(() => Activations.BackwardInPlace<ReluActivation>(new float[3], new float[4]));
}
