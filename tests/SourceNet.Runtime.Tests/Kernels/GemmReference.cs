using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>Obviously-correct double-precision products and the helpers the kernel tests share.</summary>
public static class GemmReference
{
    public enum Layout { Forward, TransposeA, TransposeB }

    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2.0 - 1.0);
        return values;
    }

    /// <summary>A(i,p) for each layout's storage of A.</summary>
    internal static double A(Layout layout, float[] a, int m, int k, int i, int p) =>
        layout == Layout.TransposeA ? a[p * m + i] : a[i * k + p];

    /// <summary>B(p,j) for each layout's storage of B.</summary>
    internal static double B(Layout layout, float[] b, int n, int k, int p, int j) =>
        layout == Layout.TransposeB ? b[j * k + p] : b[p * n + j];

    /// <summary>Pre-activation sums in double and, per element, Σ|A·B| + |bias| to scale the tolerance.</summary>
    public static (double[] Sums, double[] Magnitudes) Products(Layout layout, int m, int n, int k, float[] a, float[] b, float[]? bias)
    {
        var sums = new double[m * n];
        var magnitudes = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = bias is null ? 0.0 : bias[j];
                double magnitude = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double term = A(layout, a, m, k, i, p) * B(layout, b, n, k, p, j);
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                sums[i * n + j] = sum;
                magnitudes[i * n + j] = magnitude;
            }
        }
        return (sums, magnitudes);
    }

    public static double Activate<TActivation>(double z) where TActivation : struct, IActivation
    {
        if (typeof(TActivation) == typeof(ReluActivation)) return Math.Max(z, 0.0);
        if (typeof(TActivation) == typeof(SigmoidActivation)) return 1.0 / (1.0 + Math.Exp(-z));
        if (typeof(TActivation) == typeof(TanhActivation)) return Math.Tanh(z);
        if (typeof(TActivation) == typeof(LeakyReluActivation)) return z > 0 ? z : 0.01 * z;
        if (typeof(TActivation) == typeof(GeluActivation)) return PyTorchFormulas.GeluTanh(z);
        if (typeof(TActivation) == typeof(SiluActivation)) return PyTorchFormulas.Silu(z);
        return z;
    }

    /// <summary>Asserts every element is within a float accumulation bound of the double reference.</summary>
    public static void AssertClose<TActivation>(double[] sums, double[] magnitudes, float[] actual, int k, string what)
        where TActivation : struct, IActivation
    {
        for (int e = 0; e < sums.Length; e++)
        {
            double expected = Activate<TActivation>(sums[e]);
            // A chain of k fused multiply-adds errs by at most about k·2⁻²⁴ of Σ|terms|; the activation adds a few ulps.
            double tolerance = (k + 2) * 1.2e-7 * magnitudes[e] + 2e-6 * Math.Max(1.0, Math.Abs(expected));
            double error = Math.Abs(actual[e] - expected);
            if (!(error <= tolerance))
                Assert.Fail($"{what}: element {e} is {actual[e]:R}, expected {expected:R} (error {error:E2} > {tolerance:E2}).");
        }
    }

    internal static void Run<TActivation>(Layout layout, KernelIsa isa, int parts, int m, int n, int k, float[] a, float[] b, float[]? bias, float[] c)
        where TActivation : struct, IActivation
    {
        switch (layout)
        {
            case Layout.Forward:
                Gemm.MatMulBiasAt<TActivation>(isa, parts, m, n, k, a, b, bias, c);
                break;
            case Layout.TransposeA:
                Gemm.MatMulTransposeAAt(isa, parts, m, n, k, a, b, c);
                break;
            default:
                Gemm.MatMulTransposeBAt(isa, parts, m, n, k, a, b, c);
                break;
        }
    }

    internal static IEnumerable<KernelIsa> SupportedIsas() =>
        new[] { KernelIsa.Scalar, KernelIsa.Vector128, KernelIsa.Vector256, KernelIsa.Vector512 }.Where(KernelIsaInfo.IsSupported);
}
