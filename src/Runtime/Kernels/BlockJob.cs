using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>
/// Work cut into independent blocks (row blocks of a convolution, samples of a pooling pass): each block writes
/// its own outputs and computes them the same way whichever thread runs it, so splitting never changes results.
/// </summary>
internal interface IBlockWork
{
    /// <summary>Number of blocks.</summary>
    int Blocks { get; }

    /// <summary>Runs block <paramref name="block"/>.</summary>
    void RunBlock(int block);
}

/// <summary>
/// Runs an <see cref="IBlockWork"/> over <see cref="KernelThreads.Count"/> threads: part p owns a fixed range
/// of blocks (the same range every call) and each block is one chunk of <see cref="KernelWorkers"/>, so a late
/// thread's blocks are taken over by the others.
/// </summary>
internal static class BlockRunner
{
    /// <summary>Runs every block of <paramref name="work"/>, split over at most <paramref name="maxParts"/> threads.</summary>
    public static void Run<TWork>(in TWork work, int maxParts)
        where TWork : struct, IBlockWork
    {
        int blocks = work.Blocks;
        int parts = System.Math.Min(maxParts, blocks);
        // Read before trying for the workers, so the shared instance is created on the first call whether or
        // not the workers are free then (a later call then allocates nothing either way).
        BlockJob<TWork> job = BlockJob<TWork>.Shared;
        // KernelWorkers counts a part's chunks in 16 bits; more blocks than that per part run here, in order.
        if (parts > 1 && (blocks + parts - 1) / parts <= ushort.MaxValue && KernelWorkers.TryAcquire())
        {
            // The shared job instance is only touched while the workers are held.
            try
            {
                job.Work = work;
                KernelWorkers.Run(job, parts);
            }
            finally
            {
                job.Work = default;
                KernelWorkers.Release();
            }
            return;
        }
        // One thread, or the workers are busy with another caller: the same blocks, in order, here.
        TWork local = work;
        for (int b = 0; b < blocks; b++)
            local.RunBlock(b);
    }

    /// <summary>Threads worth using for <paramref name="multiplyAdds"/> of work (small jobs stay on the caller).</summary>
    public static int PartsFor(long multiplyAdds) =>
        multiplyAdds < KernelThreads.MinParallelMultiplyAdds ? 1 : KernelThreads.Count;

    private sealed class BlockJob<TWork> : KernelJob
        where TWork : struct, IBlockWork
    {
        public static readonly BlockJob<TWork> Shared = new();

        public TWork Work;

        private static int First(int blocks, int part, int parts) => (int)((long)blocks * part / parts);

        public override int ChunkCount(int part, int parts) =>
            First(Work.Blocks, part + 1, parts) - First(Work.Blocks, part, parts);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunChunk(int part, int parts, int chunk) =>
            Work.RunBlock(First(Work.Blocks, part, parts) + chunk);
    }
}
