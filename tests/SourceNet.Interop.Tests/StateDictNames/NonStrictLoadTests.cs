using SourceNet.Interop.Tests.Networks;
using static SourceNet.Interop.Tests.StateDictNames.StateDictNameTests;

namespace SourceNet.Interop.Tests.StateDictNames;

/// <summary>
/// Non-strict loading (<see cref="SafeTensorsLoadOptions"/>): a file with a tensor the network lacks, or lacking one
/// the network has, is refused by default without touching the network; with the option it loads the rest and the
/// report names what was skipped or left.
/// </summary>
public sealed class NonStrictLoadTests
{
    [Fact]
    public void Unexpected_tensors_are_an_error_unless_skipped_and_then_reported()
    {
        using var temp = new TempDirectory();
        string path = temp.File("extra.safetensors");
        HandWrittenSafeTensors.Write(path, [.. Module(), ("fc3.weight", [1, 2], [1f, 2f])]);
        var network = new PyTorchNamedMlp(seed: 3);
        float[] before = network.FC1.Weight.Value.ToArray();

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path, network));
        Assert.Contains("'fc3.weight'", error.Message);
        Assert.Equal(before, network.FC1.Weight.Value);

        SafeTensorsLoadReport report = SafeTensors.Load(path, network, new SafeTensorsLoadOptions { SkipUnexpected = true });
        Assert.Equal(["fc3.weight"], report.Skipped);
        Assert.Empty(report.Missing);
        Assert.Equal(B2, network.FC2.Bias.Value);
    }

    [Fact]
    public void Missing_tensors_are_an_error_unless_allowed_and_then_left_and_reported()
    {
        using var temp = new TempDirectory();
        string path = temp.File("head-less.safetensors");
        HandWrittenSafeTensors.Write(path, [.. Module().Take(2)]);
        var network = new PyTorchNamedMlp(seed: 3);
        float[] head = network.FC2.Weight.Value.ToArray();

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path, network, new SafeTensorsLoadOptions { SkipUnexpected = true }));
        Assert.Contains("'fc2.weight'", error.Message);
        Assert.NotEqual(B1, network.FC1.Bias.Value);

        SafeTensorsLoadReport report = SafeTensors.Load(path, network, new SafeTensorsLoadOptions { AllowMissing = true });
        Assert.Equal(["fc2.weight", "fc2.bias"], report.Missing);
        Assert.Empty(report.Skipped);
        Assert.False(report.IsExact);
        Assert.Equal(B1, network.FC1.Bias.Value);
        Assert.Equal(head, network.FC2.Weight.Value);
    }
}
