using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Data;

/// <summary>The genuine MNIST set, loaded once for all the tests that read it.</summary>
public sealed class MnistFixture
{
    public MnistDataset Dataset { get; } = MnistDataset.Load(TestFiles.MnistFolder);
}
