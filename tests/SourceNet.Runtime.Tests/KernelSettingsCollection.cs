namespace SourceNet.Runtime.Tests;

/// <summary>
/// The test classes that set process-wide kernel settings (<see cref="SourceNet.Kernels.KernelThreads.Count"/>,
/// <see cref="SourceNet.Kernels.KernelThreads.Adaptive"/>, the shared split controller) or that count on them: run one
/// at a time, so a 1-against-2-threads comparison never silently becomes 1 against 1, and no interleaved save and
/// restore leaves a setting changed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelSettingsCollection
{
    public const string Name = "Kernel settings";
}
