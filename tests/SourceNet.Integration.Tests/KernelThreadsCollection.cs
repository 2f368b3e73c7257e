namespace SourceNet.Integration.Tests;

/// <summary>
/// The test classes that set the process-wide <see cref="SourceNet.Kernels.KernelThreads.Count"/>: run one at a time,
/// so one class's 1-thread run never sees another's 2, and no interleaved save and restore leaves the count changed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
    public const string Name = "Kernel thread count";
}
