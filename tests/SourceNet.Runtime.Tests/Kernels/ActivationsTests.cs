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

    private static double ExpectedDerivative<TActivation>(double y) where TActivation : struct, IActivation
    {
        if (typeof(TActivation) == typeof(ReluActivation)) return y > 0 ? 1 : 0;
        if (typeof(TActivation) == typeof(SigmoidActivation)) return y * (1 - y);
        if (typeof(TActivation) == typeof(TanhActivation)) return 1 - y * y;
        if (typeof(TActivation) == typeof(LeakyReluActivation)) return y > 0 ? 1 : 0.01;
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

    private static void CheckBackward<TActivation>() where TActivation : struct, IOutputDerivative
    {
        foreach (int n in Lengths)
        {
            float[] output = Values(n, n + 1);
            Activations.ForwardInPlace<TActivation>(output);
            float[] upstream = Values(n, n + 2), gradient = (float[])upstream.Clone();
            Activations.BackwardInPlace<TActivation>(output, gradient);
            for (int i = 0; i < n; i++)
            {
                double expected = upstream[i] * ExpectedDerivative<TActivation>(output[i]);
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
    [Fact] public void LeakyReluForward() => CheckForward<LeakyReluActivation>();
    [Fact] public void LeakyReluBackward() => CheckBackward<LeakyReluActivation>();
    [Fact] public void GeluForward() => CheckForward<GeluActivation>();
    [Fact] public void SiluForward() => CheckForward<SiluActivation>();

    private static float[] Lanes(System.Runtime.Intrinsics.Vector512<float> v)
    {
        var lanes = new float[16];
        System.Runtime.Intrinsics.Vector512.CopyTo(v, lanes);
        return lanes;
    }

    [Fact]
    public void Every_width_follows_the_one_rule()
    {
        // The rule is written once over IActivationMath. Arithmetic-only rules give each width the scalar
        // path's bits; rules with an exponential agree to the vector Exp's accuracy (a few ulps).
        float[] x = Values(16, 99);
        var v512 = System.Runtime.Intrinsics.Vector512.Create(x);
        Assert.Equal(x.Select(v => Apply<LeakyReluActivation>.Forward(v)).ToArray(), Lanes(Apply<LeakyReluActivation>.Forward(v512)));
        Assert.Equal(x.Select(v => Derivative.FromOutput<ReluActivation>(v)).ToArray(), Lanes(Derivative.FromOutput<ReluActivation>(v512)));
        Assert.Equal(x.Select(v => Derivative.FromOutput<TanhActivation>(v)).ToArray(), Lanes(Derivative.FromOutput<TanhActivation>(v512)));
        float[] scalar = x.Select(v => Apply<SigmoidActivation>.Forward(v)).ToArray(), vector = Lanes(Apply<SigmoidActivation>.Forward(v512));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(scalar[i] - vector[i]) <= 4e-7f, $"sigmoid({x[i]}): scalar {scalar[i]}, vector {vector[i]}");
        }
    }

    [Fact]
    public void BackwardRejectsMismatchedLengths() =>
        Assert.Throws<ArgumentException>(() => Activations.BackwardInPlace<ReluActivation>(new float[3], new float[4]));
}
