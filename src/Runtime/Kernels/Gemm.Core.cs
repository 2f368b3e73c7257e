using System;
using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

public static partial class Gemm
{
    /// <summary>Per-thread buffer for packed panels of a transposed B; grows, never shrinks, so a steady
    /// training loop allocates nothing.</summary>
    [ThreadStatic]
    private static float[]? t_packBuffer;

    /// <summary>Runs <paramref name="g"/> in <paramref name="parts"/> fixed column slices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TActivation>(in GemmArgs g, int parts)
        where TActivation : struct, IActivation
    {
        if (g.M == 0 || g.N == 0)
            return;
        if (parts <= 1)
        {
            ExecuteSlice<TActivation>(g, 0, g.N);
            return;
        }
        if (KernelWorkers.TryAcquire())
        {
            // The shared job instance is only touched while the workers are held.
            GemmJob<TActivation> job = GemmJob<TActivation>.Shared;
            try
            {
                job.Args = g;
                KernelWorkers.Run(job, parts);
            }
            finally
            {
                job.Args = default;
                KernelWorkers.Release();
            }
        }
        else
        {
            for (int p = 0; p < parts; p++)
                ExecuteSlice<TActivation>(g, KernelThreads.SliceStart(g.N, p, parts), KernelThreads.SliceStart(g.N, p + 1, parts));
        }
    }

    /// <summary>Computes output columns [<paramref name="j0"/>, <paramref name="j1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExecuteSlice<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        if (j0 >= j1)
            return;
        if (!g.BTransposed)
        {
            ExecuteDirect<TActivation>(g, j0, j1);
            return;
        }
        // Pack rows j0..j1 of the stored [N,K] matrix as a [K, width] panel so the tiles read B(p, j..j+16)
        // as one contiguous vector. The panel is this slice's only: each thread packs its own columns.
        int width = j1 - j0;
        int needed = checked(g.K * width);
        float[] buffer = t_packBuffer is { } existing && existing.Length >= needed
            ? existing
            : t_packBuffer = new float[Math.Max(needed, 1024)];
        fixed (float* panel = buffer)
        {
            PackTransposed(g.B, g.K, j0, j1, panel);
            GemmArgs packed = g;
            packed.B = panel - j0;
            packed.BRowStride = width;
            packed.BTransposed = false;
            ExecuteDirect<TActivation>(packed, j0, j1);
        }
    }

    /// <summary>panel[p·width + (j - j0)] = b[j·k + p] for j in [j0, j1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackTransposed(float* b, int k, int j0, int j1, float* panel)
    {
        nint width = j1 - j0;
        // Four source rows at a time: four reads streams, and each destination row gets 16 contiguous bytes.
        int j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            float* s0 = b + (nint)j * k;
            float* s1 = s0 + k;
            float* s2 = s1 + k;
            float* s3 = s2 + k;
            float* d = panel + (j - j0);
            for (int p = 0; p < k; p++)
            {
                d[0] = s0[p];
                d[1] = s1[p];
                d[2] = s2[p];
                d[3] = s3[p];
                d += width;
            }
        }
        for (; j < j1; j++)
        {
            float* s = b + (nint)j * k;
            float* d = panel + (j - j0);
            for (int p = 0; p < k; p++)
            {
                *d = s[p];
                d += width;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExecuteDirect<TActivation>(in GemmArgs g, int j0, int j1)
        where TActivation : struct, IActivation
    {
        switch (g.Isa)
        {
            case KernelIsa.Vector512 when g.M == 1:
                MatVecSlice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector512:
                Slice512<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector256:
                Slice256<TActivation>(g, j0, j1);
                break;
            case KernelIsa.Vector128:
                Slice128<TActivation>(g, j0, j1);
                break;
            default:
                SliceScalar<TActivation>(g, j0, j1);
                break;
        }
    }

    /// <summary>The fork-join job for one activation type; one shared instance, used while the workers are held.</summary>
    private sealed class GemmJob<TActivation> : KernelJob
        where TActivation : struct, IActivation
    {
        public static readonly GemmJob<TActivation> Shared = new();

        public GemmArgs Args;

        /// <summary>Columns per chunk: one 64-wide tile panel (128 for the matrix-vector tile), wider only when a
        /// slice would otherwise have more than <see cref="MaxChunks"/> chunks. A slice's last chunk also takes the
        /// remainder, so every chunk is at least a vector wide and runs the same tiles as an unsplit call would.</summary>
        private int MinChunkWidth => Args.M == 1 ? 128 : 64;

        private const int MaxChunks = 1024;

        public override int ChunkCount(int part, int parts)
        {
            int width = KernelThreads.SliceStart(Args.N, part + 1, parts) - KernelThreads.SliceStart(Args.N, part, parts);
            return Math.Clamp(width / MinChunkWidth, 1, MaxChunks);
        }

        public override void RunChunk(int part, int parts, int chunk)
        {
            int start = KernelThreads.SliceStart(Args.N, part, parts);
            int end = KernelThreads.SliceStart(Args.N, part + 1, parts);
            int chunks = Math.Clamp((end - start) / MinChunkWidth, 1, MaxChunks);
            int width = (end - start) / chunks & ~(Width512 - 1);
            int j0 = start + chunk * width;
            int j1 = chunk == chunks - 1 ? end : j0 + width;
            ExecuteSlice<TActivation>(Args, j0, j1);
        }
    }
}
