using System.Globalization;
using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>The tutorial's per-epoch line: <c>Epoch: 1, loss=0.327, test set accuracy=94.880%, time=0.572s</c>.</summary>
public static class EpochLine
{
    /// <summary>Formats <paramref name="result"/> as the tutorial prints it.</summary>
    public static string Format(EpochResult result) => string.Create(CultureInfo.InvariantCulture,
        $"Epoch: {result.Epoch}, loss={result.MeanLoss:F3}, test set accuracy={result.TestAccuracy * 100:F3}%, time={result.TrainingTime.TotalSeconds:F3}s");
}
