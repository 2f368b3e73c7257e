using SourceNet.Kernels;

namespace SourceNet.Bench.Compare;

/// <summary>A kernel thread setting compared inside one process (--alternate, --inference-breakdown).</summary>
internal sealed record ThreadSetting(string Name, int Threads, bool Adaptive)
{
    /// <summary>1 thread, 2 threads with the adaptive split (the default), 2 threads always split.</summary>
    public static readonly ThreadSetting[] Compared =
    [
        new("1 thread", 1, true),
        new("2 threads, adaptive", 2, true),
        new("2 threads, always split", 2, false),
    ];

    /// <summary>The setting in force now, to put back afterwards.</summary>
    public static ThreadSetting Current() => new("current", KernelThreads.Count, KernelThreads.Adaptive);

    public void Apply()
    {
        KernelThreads.Count = Threads;
        KernelThreads.Adaptive = Adaptive;
    }
}
