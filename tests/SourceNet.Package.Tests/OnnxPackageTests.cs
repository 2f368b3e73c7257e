using System.Globalization;
using System.Text.RegularExpressions;

namespace SourceNet.Package.Tests;

/// <summary>
/// ONNX export from the packages alone: a fresh project adds SourceNet and SourceNet.Onnx from the local feed,
/// trains the README's network, exports it, and ONNX Runtime (another package) gives the network's own logits.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class OnnxPackageTests(PackageFeed feed)
{
    /// <summary>The ONNX Runtime the repository's interop tests use (Directory.Packages.props).</summary>
    private const string OnnxRuntimeVersion = "1.31.1";

    [Fact]
    public void A_trained_network_exports_from_the_package_and_onnx_runtime_agrees()
    {
        string project = feed.NewProject("ExportOnnx");
        DotnetCli.Succeed(project, "add", "package", "SourceNet.Onnx", "--version", feed.Version);
        DotnetCli.Succeed(project, "add", "package", "Microsoft.ML.OnnxRuntime", "--version", OnnxRuntimeVersion);
        File.WriteAllText(Path.Combine(project, "MnistMlp.cs"), UserCode.Network());
        File.WriteAllText(Path.Combine(project, "Program.cs"), Program);

        DotnetCli.Succeed(project, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        string output = DotnetCli.Succeed(project, "run", "-c", "Release", "--no-build");

        Assert.True(File.Exists(Path.Combine(project, "model.onnx")), $"No model.onnx written:\n{output}");
        Match trained = Regex.Match(output, @"^trained (\S+) -> (\S+)$", RegexOptions.Multiline);
        Assert.True(trained.Success, output);
        double first = Parse(trained.Groups[1].Value), last = Parse(trained.Groups[2].Value);
        Assert.True(last < 0.8 * first, $"The exported network was not trained: loss {first} -> {last}.\n{output}");
        Match compared = Regex.Match(output, @"^logits (\d+) max difference (\S+) scale (\S+)$", RegexOptions.Multiline);
        Assert.True(compared.Success, output);
        Assert.Equal(32 * 10, int.Parse(compared.Groups[1].Value, CultureInfo.InvariantCulture));
        double difference = Parse(compared.Groups[2].Value), scale = Parse(compared.Groups[3].Value);
        Assert.True(scale > 0.1, $"Logits too small to compare: {output}");
        // Same weights, float arithmetic in another order: equal to a few ulps of the logits' size.
        Assert.True(difference <= 1e-4 * Math.Max(1, scale), $"ONNX Runtime's logits differ from the network's by {difference}:\n{output}");
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Trains on the synthetic task of <see cref="UserCode.Program"/>, exports, runs the export, compares.</summary>
    private const string Program = """
        using System;
        using System.Globalization;
        using Microsoft.ML.OnnxRuntime;
        using SourceNet;
        using SourceNet.Onnx;

        const int Samples = 1000, Batch = 100, Steps = 40, Compared = 32;
        var random = new SeededRandom(7);
        var features = new float[Samples * 784];
        var labels = new int[Samples];
        random.FillNormal(features, 0f, 1f);
        for (int i = 0; i < Samples; i++)
        {
            int best = 0;
            for (int k = 1; k < 10; k++)
            {
                if (features[i * 784 + k] > features[i * 784 + best]) best = k;
            }
            labels[i] = best;
        }

        var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
        var adam = new Adam(learningRate: 1e-3f);
        float first = 0, last = 0;
        for (int step = 0; step < Steps; step++)
        {
            int start = step * Batch % Samples;
            last = model.TrainStep(features.AsSpan(start * 784, Batch * 784), labels.AsSpan(start, Batch), adam);
            if (step == 0) first = last;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {first:R} -> {last:R}"));

        OnnxExporter.Export("model.onnx", model);

        var inputs = features.AsSpan(0, Compared * 784).ToArray();
        var expected = new float[Compared * 10];
        model.Forward(inputs, expected);
        using var session = new InferenceSession("model.onnx");
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [Compared, 784]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        ReadOnlySpan<float> actual = outputs[0].GetTensorDataAsSpan<float>();
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logits {actual.Length} max difference {difference:R} scale {scale:R}"));
        """;
}
