using System.Globalization;
using System.Text.RegularExpressions;

namespace SourceNet.Samples.Tests;

/// <summary>The sample's per-epoch lines, parsed: <c>Epoch: N, loss=…, test set accuracy=…%, time=…s</c>.</summary>
internal static partial class EpochLines
{
    [GeneratedRegex(@"^Epoch: (?<epoch>\d+), loss=(?<loss>\d+\.\d{3}), test set accuracy=(?<accuracy>\d+\.\d{3})%, time=(?<time>\d+\.\d{3})s$")]
    private static partial Regex Line();

    public readonly record struct Parsed(int Epoch, string Loss, string Accuracy, string Time);

    public static bool TryParse(string line, out Parsed parsed)
    {
        Match match = Line().Match(line);
        parsed = match.Success
            ? new Parsed(int.Parse(match.Groups["epoch"].Value, CultureInfo.InvariantCulture), match.Groups["loss"].Value, match.Groups["accuracy"].Value, match.Groups["time"].Value)
            : default;
        return match.Success;
    }

    /// <summary>The epoch lines of <paramref name="output"/>, in order; any other line that starts with "Epoch" fails.</summary>
    public static List<Parsed> Of(IEnumerable<string> output)
    {
        var lines = new List<Parsed>();
        foreach (string line in output.Where(l => l.StartsWith("Epoch", StringComparison.Ordinal)))
        {
            Assert.True(TryParse(line, out Parsed parsed), $"Not an epoch line: '{line}'");
            lines.Add(parsed);
        }
        return lines;
    }
}
