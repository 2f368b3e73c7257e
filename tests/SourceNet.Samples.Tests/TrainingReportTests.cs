using SourceNet.Samples.Reports;
using SourceNet.Training;

namespace SourceNet.Samples.Tests;

/// <summary>The report folder: which files, from which network.</summary>
public class TrainingReportTests
{
    private static readonly EpochResult[] s_results =
    [
        new(1, 0.5, 0.9, TimeSpan.FromSeconds(0.5), 600),
        new(2, 0.25, 0.95, TimeSpan.FromSeconds(0.4), 600),
    ];

    [Fact]
    public void Network_with_layers_gets_its_svg()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-report-unit");
        try
        {
            var network = new FakeNetwork([new DenseLayer("Hidden", 4, 3), new DenseLayer("Output", 3, 2)]);
            IReadOnlyList<string> files = TrainingReport.Write(folder, "Fake", s_results, network, "flowchart TD\n");
            Assert.Equal(["metrics.csv", "curves.png", "network.svg", "network.mmd"], files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, f));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Network_that_cannot_describe_its_layers_gets_no_svg()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-report-unit");
        try
        {
            IReadOnlyList<string> files = TrainingReport.Write(folder, "Fake", s_results, new FakeNetwork(null), null);
            Assert.Equal(["metrics.csv", "curves.png"], files.Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A network described by hand; with no layers, it keeps INetwork's default (NotSupportedException).</summary>
    private sealed class FakeNetwork(Layer[]? layers) : INetwork
    {
        public int InputSize => 4;
        public int OutputSize => 2;
        public int MaxBatchSize => 1;
        public IReadOnlyList<Parameter> Parameters => [];
        IReadOnlyList<Layer> INetwork.Layers => layers ?? throw new NotSupportedException("No layers.");
    }
}
