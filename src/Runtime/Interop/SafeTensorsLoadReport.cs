using System.Collections.Generic;

namespace SourceNet.Interop;

/// <summary>What a non-strict <see cref="SafeTensors.Load(string, INetwork, SafeTensorsLoadOptions)"/> did not load.</summary>
/// <param name="Skipped">The file's tensors the network has no tensor for, in file order, skipped (PyTorch's <c>unexpected_keys</c>).</param>
/// <param name="Missing">The network's tensors the file lacks, in network order, left as they were (PyTorch's <c>missing_keys</c>).</param>
public sealed record SafeTensorsLoadReport(IReadOnlyList<string> Skipped, IReadOnlyList<string> Missing)
{
    /// <summary>Whether every tensor of the file and of the network was loaded, as a strict load requires.</summary>
    public bool IsExact => Skipped.Count == 0 && Missing.Count == 0;
}
