using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The test assembly's entry point, for <see cref="IsaFallbackTests"/>: <c>dotnet exec SourceNet.Runtime.Tests.dll
/// --kernel-check</c> checks every kernel path this process can run against the double reference, and that every
/// path gives the same bits. Run with AVX-512, AVX2 or all intrinsics turned off, it exercises the
/// fallbacks (multiply then add, narrower tiles) that an in-process test on a modern machine never reaches: whether
/// FMA is used is a JIT-time constant.
/// </summary>
internal static class KernelCheckProgram
{
    public const string Argument = "--kernel-check";

    public static int Main(string[] args)
    {
        if (args is not [Argument])
        {
            Console.Error.WriteLine($"Usage: dotnet exec SourceNet.Runtime.Tests.dll {Argument}");
            return 2;
        }
        // First line: what the JIT gave this process, parsed by the test.
        Console.WriteLine($"best={KernelIsaInfo.Best} fused={MultiplyAdd.IsFused}");
        try
        {
            int checks = Run();
            Console.WriteLine($"OK {checks} products");
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine("FAIL " + e.Message);
            return 1;
        }
    }

    private static int Run()
    {
        int checks = 0;
        // Odd sizes straddle the tile edges; (100, 300, 97) and (1, 300, 784) split over threads.
        var shapes = new[] { (7, 37, 19), (13, 10, 9), (5, 97, 33), (1, 300, 784), (100, 300, 97) };
        foreach (Layout layout in Enum.GetValues<Layout>())
        {
            foreach ((int m, int n, int k) in shapes)
            {
                float[] a = Random(m * k, m + n), b = Random(k * n, n + k);
                float[]? bias = layout == Layout.Forward ? Random(n, k) : null;
                (double[] sums, double[] magnitudes) = Products(layout, m, n, k, a, b, bias);
                var first = new float[m * n];
                Run<ReluActivation>(layout, KernelIsa.Scalar, 1, m, n, k, a, b, bias, first);
                foreach (KernelIsa isa in SupportedIsas())
                {
                    foreach (int parts in new[] { 1, 2 })
                    {
                        var c = new float[m * n];
                        Run<ReluActivation>(layout, isa, parts, m, n, k, a, b, bias, c);
                        string what = $"{layout} {m}x{n}x{k} {isa} parts={parts}";
                        // Only the forward product fuses an activation.
                        if (layout == Layout.Forward)
                            AssertClose<ReluActivation>(sums, magnitudes, c, k, what);
                        else
                            AssertClose<IdentityActivation>(sums, magnitudes, c, k, what);
                        for (int e = 0; e < c.Length; e++)
                        {
                            if (BitConverter.SingleToInt32Bits(c[e]) != BitConverter.SingleToInt32Bits(first[e]))
                                throw new InvalidOperationException($"{what}: element {e} is {c[e]:R}, the scalar path gave {first[e]:R}.");
                        }
                        checks++;
                    }
                }
            }
        }
        // The sampler's byte scaling has its own AVX-512 / AVX2 / scalar paths: the same quotients on each.
        byte[] pixels = Enumerable.Range(0, 256 + 791).Select(v => (byte)(v * 37)).ToArray();
        var scaled = new float[pixels.Length];
        SourceNet.Data.BatchSampler.ScaleBytes(pixels, scaled, 255f);
        for (int i = 0; i < pixels.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(scaled[i]) != BitConverter.SingleToInt32Bits(pixels[i] / 255f))
                throw new InvalidOperationException($"ScaleBytes: byte {pixels[i]} at {i} gave {scaled[i]:R}, not {pixels[i] / 255f:R}.");
        }
        return checks + 1;
    }
}
