using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// Every built-in activation's derivative, as its kernel writes it, against central differences of its own forward
/// rule in double; GELU's and SiLU's values against PyTorch's formulas; and the passes that keep pre-activations
/// (GELU, SiLU) against the scalar rule at every vector width and tail.
/// </summary>
public class ActivationDerivativeTests
{
    // Around 0, where the curves bend, and far out, where exponentials saturate (and overflow in float).
    private static readonly double[] Points = [-30, -10, -5, -3, -1.5, -1, -0.5, -0.1, -1e-3, 1e-3, 0.1, 0.5, 1, 1.5, 3, 5, 10, 30];

    private static double Central(Func<double, double> f, double z)
    {
        double h = 1e-5 * Math.Max(1, Math.Abs(z));
        return (f(z + h) - f(z - h)) / (2 * h);
    }

    private static void CheckFromOutput<TActivation>() where TActivation : struct, IOutputDerivative
    {
        foreach (double z in Points)
        {
            double y = Apply<TActivation>.Forward(z);
            double expected = Central(Apply<TActivation>.Forward, z), actual = Derivative.FromOutput<TActivation>(y);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{typeof(TActivation).Name}'({z}) = {actual}, central differences {expected}");
        }
    }

    private static void CheckFromPreActivation<TActivation>() where TActivation : struct, IPreActivationDerivative
    {
        foreach (double z in Points)
        {
            double expected = Central(Apply<TActivation>.Forward, z), actual = Derivative.FromPreActivation<TActivation>(z);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{typeof(TActivation).Name}'({z}) = {actual}, central differences {expected}");
            // The float rule agrees with the double one (no overflow into NaN at large |z|).
            float single = Derivative.FromPreActivation<TActivation>((float)z);
            Assert.True(Math.Abs(single - actual) <= 1e-5 * Math.Max(1, Math.Abs(actual)), $"{typeof(TActivation).Name}'({z}) in float = {single}, in double {actual}");
        }
    }

    [Fact] public void Identity_derivative_matches_central_differences() => CheckFromOutput<IdentityActivation>();
    [Fact] public void ReLU_derivative_matches_central_differences() => CheckFromOutput<ReluActivation>();
    [Fact] public void LeakyReLU_derivative_matches_central_differences() => CheckFromOutput<LeakyReluActivation>();
    [Fact] public void Sigmoid_derivative_matches_central_differences() => CheckFromOutput<SigmoidActivation>();
    [Fact] public void Tanh_derivative_matches_central_differences() => CheckFromOutput<TanhActivation>();
    [Fact] public void GELU_derivative_matches_central_differences() => CheckFromPreActivation<GeluActivation>();
    [Fact] public void SiLU_derivative_matches_central_differences() => CheckFromPreActivation<SiluActivation>();

    [Fact]
    public void GELU_is_PyTorchs_tanh_form_and_SiLU_is_PyTorchs()
    {
        foreach (double z in Points.Append(0).Append(-100).Append(100))
        {
            Assert.True(Math.Abs(Apply<GeluActivation>.Forward(z) - PyTorchFormulas.GeluTanh(z)) <= 1e-7 * Math.Max(1, Math.Abs(z)), $"GELU({z}) = {Apply<GeluActivation>.Forward(z)}, PyTorch {PyTorchFormulas.GeluTanh(z)}");
            Assert.True(Math.Abs(Apply<SiluActivation>.Forward(z) - PyTorchFormulas.Silu(z)) <= 1e-12 * Math.Max(1, Math.Abs(z)), $"SiLU({z}) = {Apply<SiluActivation>.Forward(z)}, PyTorch {PyTorchFormulas.Silu(z)}");
            float gelu = Apply<GeluActivation>.Forward((float)z), silu = Apply<SiluActivation>.Forward((float)z);
            Assert.True(Math.Abs(gelu - PyTorchFormulas.GeluTanh((float)z)) <= 1e-6 * Math.Max(1, Math.Abs(z)), $"GELU({z}) in float = {gelu}");
            Assert.True(Math.Abs(silu - PyTorchFormulas.Silu((float)z)) <= 1e-6 * Math.Max(1, Math.Abs(z)), $"SiLU({z}) in float = {silu}");
        }
        // Known values of the tanh form, to the printed digits (torch.nn.functional.gelu(x, approximate='tanh')).
        Assert.Equal(0.841192, Apply<GeluActivation>.Forward(1.0), 6);
        Assert.Equal(-0.158808, Apply<GeluActivation>.Forward(-1.0), 6);
    }

    // Every length up to three 16-wide vectors, so each vector loop and the scalar tail run alone and together.
    private static readonly int[] Lengths = Enumerable.Range(0, 50).Append(1000).ToArray();

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
    }

    private static void CheckPasses<TActivation>() where TActivation : struct, IPreActivationDerivative
    {
        foreach (int n in Lengths)
        {
            float[] z = Values(n, n), y = new float[n];
            Activations.Forward<TActivation>(z, y);
            float[] upstream = Values(n, n + 7), gradient = (float[])upstream.Clone();
            Activations.BackwardFromPreActivationsInPlace<TActivation>(z, gradient);
            for (int i = 0; i < n; i++)
            {
                // The vector exponential may differ from MathF.Exp in the last bits: a few ulps, not the same bits.
                float f = Apply<TActivation>.Forward(z[i]), d = upstream[i] * Derivative.FromPreActivation<TActivation>(z[i]);
                Assert.True(Math.Abs(y[i] - f) <= 1e-6f * Math.Max(1, Math.Abs(f)), $"{typeof(TActivation).Name} n={n} [{i}]: f({z[i]}) = {y[i]}, scalar {f}");
                Assert.True(Math.Abs(gradient[i] - d) <= 1e-6f * Math.Max(1, Math.Abs(d)), $"{typeof(TActivation).Name} n={n} [{i}]: dz = {gradient[i]}, scalar {d}");
            }
        }
    }

    [Fact] public void GELU_passes_match_the_scalar_rule_at_every_length() => CheckPasses<GeluActivation>();
    [Fact] public void SiLU_passes_match_the_scalar_rule_at_every_length() => CheckPasses<SiluActivation>();

    [Fact]
    public void Pre_activation_passes_reject_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => Activations.Forward<GeluActivation>(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Activations.BackwardFromPreActivationsInPlace<SiluActivation>(new float[3], new float[4]));
    }

    [Fact]
    public void Only_the_piecewise_linear_kernels_claim_the_same_bits_at_every_width()
    {
        Assert.True(Apply<IdentityActivation>.ExactAtEveryWidth);
        Assert.True(Apply<ReluActivation>.ExactAtEveryWidth);
        Assert.True(Apply<LeakyReluActivation>.ExactAtEveryWidth);
        Assert.False(Apply<SigmoidActivation>.ExactAtEveryWidth);
        Assert.False(Apply<TanhActivation>.ExactAtEveryWidth);
        Assert.False(Apply<GeluActivation>.ExactAtEveryWidth);
        Assert.False(Apply<SiluActivation>.ExactAtEveryWidth);
    }
}
