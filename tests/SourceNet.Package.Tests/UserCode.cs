namespace SourceNet.Package.Tests;

/// <summary>What a new user writes: the README's network and a few training steps.</summary>
internal static class UserCode
{
    /// <summary>The README's class, verbatim apart from the units of the hidden layer.</summary>
    public static string Network(string hiddenUnits = "300") => $$"""
        using SourceNet;

        [Network(Input = 784, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class MnistMlp
        {
            [Dense({{hiddenUnits}}, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(10)]                   public partial DenseLayer Output { get; }
        }
        """;

    /// <summary>
    /// Trains on synthetic data whose label is the largest of the first ten features (a task a linear
    /// layer can learn) and prints the loss of each step as <c>step N loss X</c>.
    /// </summary>
    public const string Program = """
        using System;
        using System.Globalization;
        using SourceNet;

        const int Samples = 1000, Batch = 100, Steps = 40;
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

        Console.WriteLine(MnistMlp.Summary());
        var model = new MnistMlp(seed: 1, maxBatchSize: Batch);
        var adam = new Adam(learningRate: 1e-3f);
        for (int step = 0; step < Steps; step++)
        {
            int start = step * Batch % Samples;
            float loss = model.TrainStep(features.AsSpan(start * 784, Batch * 784), labels.AsSpan(start, Batch), adam);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step} loss {loss:R}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {model.Evaluate(features, labels):R}"));
        """;
}
