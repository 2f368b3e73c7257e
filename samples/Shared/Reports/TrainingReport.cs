using SourceNet.Training;

namespace SourceNet.Samples.Reports;

/// <summary>
/// Writes a training run's report into a folder: <c>metrics.csv</c>, <c>curves.png</c>, the network as
/// <c>network.svg</c> (when the network describes its layers) and as a Mermaid flowchart <c>network.mmd</c>.
/// </summary>
public static class TrainingReport
{
    /// <summary>Writes the report files into <paramref name="folder"/>, creating it.</summary>
    /// <param name="folder">The report folder.</param>
    /// <param name="title">The network's name, for the pictures' titles.</param>
    /// <param name="results">One result per epoch.</param>
    /// <param name="network">The trained network; its <see cref="INetwork.Layers"/> are drawn if it describes them.</param>
    /// <param name="mermaidGraph">The generated <c>MermaidGraph</c>; null for none.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(string folder, string title, IReadOnlyList<EpochResult> results, INetwork network, string? mermaidGraph)
    {
        ArgumentNullException.ThrowIfNull(network);
        Directory.CreateDirectory(folder);
        var written = new List<string>();

        string metrics = Path.Combine(folder, "metrics.csv");
        MetricsCsv.Write(metrics, results);
        written.Add(metrics);

        string curves = Path.Combine(folder, "curves.png");
        CurvesPlot.Write(curves, results, $"{title}: training loss and test accuracy");
        written.Add(curves);

        IReadOnlyList<Layer>? layers = null;
        try
        {
            layers = network.Layers;
        }
        catch (NotSupportedException)
        {
            // A network generated before the generator described its layers: the Mermaid graph still shows it.
        }
        if (layers is { Count: > 0 })
        {
            string svg = Path.Combine(folder, "network.svg");
            // The generator makes a network an IClassifier exactly when it trains with softmax cross-entropy.
            NetworkSvg.Write(svg, title, layers, network is SourceNet.IClassifier ? "SoftmaxCrossEntropy" : null);
            written.Add(svg);
        }
        if (mermaidGraph is not null)
        {
            string mermaid = Path.Combine(folder, "network.mmd");
            File.WriteAllText(mermaid, mermaidGraph);
            written.Add(mermaid);
        }
        return written;
    }
}
