using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SourceNet.Bench.LstmLatency;

/// <summary>
/// A yardstick for the profile, not a kernel SourceNet uses: y = bias + x·W for one row x, W [k, n] row-major, in
/// column tiles of 8 Vector256 accumulators, so 8 independent FMA chains hide the FMA latency that a tile of 1 row x 2
/// vectors (SourceNet's AVX2 tile at one row) cannot. Same order of additions per column as a row-by-row product.
/// </summary>
internal static class ReferenceMatVec
{
    public static bool Supported => Fma.IsSupported && Vector256.IsHardwareAccelerated;

    public static unsafe void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, int k, int n)
    {
        if (n % 64 != 0 || x.Length < k || w.Length < k * n || bias.Length < n || y.Length < n)
            throw new ArgumentException($"The yardstick takes n a multiple of 64 and full spans; got k {k}, n {n}.");
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            for (int j = 0; j < n; j += 64)
            {
                Vector256<float> c0 = Avx.LoadVector256(pb + j), c1 = Avx.LoadVector256(pb + j + 8);
                Vector256<float> c2 = Avx.LoadVector256(pb + j + 16), c3 = Avx.LoadVector256(pb + j + 24);
                Vector256<float> c4 = Avx.LoadVector256(pb + j + 32), c5 = Avx.LoadVector256(pb + j + 40);
                Vector256<float> c6 = Avx.LoadVector256(pb + j + 48), c7 = Avx.LoadVector256(pb + j + 56);
                float* row = pw + j;
                for (int p = 0; p < k; p++, row += n)
                {
                    Vector256<float> a = Vector256.Create(px[p]);
                    c0 = Fma.MultiplyAdd(a, Avx.LoadVector256(row), c0);
                    c1 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 8), c1);
                    c2 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 16), c2);
                    c3 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 24), c3);
                    c4 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 32), c4);
                    c5 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 40), c5);
                    c6 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 48), c6);
                    c7 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 56), c7);
                }
                Avx.Store(py + j, c0); Avx.Store(py + j + 8, c1); Avx.Store(py + j + 16, c2); Avx.Store(py + j + 24, c3);
                Avx.Store(py + j + 32, c4); Avx.Store(py + j + 40, c5); Avx.Store(py + j + 48, c6); Avx.Store(py + j + 56, c7);
            }
        }
    }
}
