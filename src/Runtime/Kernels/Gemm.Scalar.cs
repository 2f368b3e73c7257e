using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

// Scalar path: machines without SIMD, and slices narrower than 4 columns. It performs the same
// fused multiply-adds in the same order as the vector tiles, so a column gives the same sum on every path.
public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void SliceScalar<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        nint rs = g.ARowStride, step = g.AStepStride, ldb = g.BRowStride, ldc = g.CRowStride;
        int k = g.K;
        for (int i = 0; i < g.M; i++)
        {
            float* ai = g.A + i * rs;
            float* ci = g.C + i * ldc;
            for (int j = j0; j < j1; j++)
            {
                float sum = g.Bias != null ? g.Bias[j] : 0f;
                float* b = g.B + j;
                nint offset = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = MultiplyAdd.Scalar(ai[offset], *b, sum);
                    offset += step;
                    b += ldb;
                }
                ci[j] = Apply<TActivation>.Forward(sum);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void ColumnSumsScalar(int rows, int columns, float* a, float* sums)
    {
        for (int j = 0; j < columns; j++)
        {
            float s = 0f;
            float* x = a + j;
            for (int i = 0; i < rows; i++)
            {
                s += *x;
                x += columns;
            }
            sums[j] = s;
        }
    }
}
