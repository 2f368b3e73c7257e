using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using SkiaSharp;
using SourceNet.Samples.Reports;

namespace SourceNet.Samples.Tests;

/// <summary>
/// Redirected output (CI logs, files): exactly the README's lines, no progress bar and no escape codes; the
/// report's files agree with the printed lines; the <c>--trainer</c> path prints what the explicit loop prints.
/// </summary>
public class RedirectedOutputTests
{
    private static readonly string[] s_short = ["--epochs", "2", "--batches", "40", "--seed", "3"];

    [Fact]
    public void Output_is_the_summary_the_epoch_lines_and_training_complete()
    {
        SampleRun run = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
        string[] lines = run.OutputLines;
        Assert.Contains("Total params: 238,510", run.Output);
        List<EpochLines.Parsed> epochs = EpochLines.Of(lines);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        // The README's ending: the last epoch line, a blank line, "Training complete!".
        int last = Array.FindLastIndex(lines, l => l.StartsWith("Epoch: ", StringComparison.Ordinal));
        Assert.Equal(["", "Training complete!", ""], lines[(last + 1)..]);
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public void Trainer_path_prints_the_same_losses_and_accuracies_as_the_explicit_loop()
    {
        SampleRun byHand = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData]);
        SampleRun trainer = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--trainer"]);

        Assert.True(byHand.ExitCode == 0 && trainer.ExitCode == 0, byHand + "\n" + trainer);
        var expected = EpochLines.Of(byHand.OutputLines).Select(e => (e.Epoch, e.Loss, e.Accuracy)).ToList();
        var actual = EpochLines.Of(trainer.OutputLines).Select(e => (e.Epoch, e.Loss, e.Accuracy)).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Report_holds_metrics_matching_the_printed_lines_a_decodable_plot_and_the_graph()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-report");
        try
        {
            SampleRun run = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--report", folder]);
            Assert.True(run.ExitCode == 0, run.ToString());

            string[] csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
            Assert.Equal(MetricsCsv.Header, csv[0]);
            List<EpochLines.Parsed> printed = EpochLines.Of(run.OutputLines);
            Assert.Equal(printed.Count, csv.Length - 1);
            for (int i = 0; i < printed.Count; i++)
            {
                double[] row = csv[i + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(printed[i].Epoch, (int)row[0]);
                Assert.Equal(printed[i].Loss, row[1].ToString("F3", CultureInfo.InvariantCulture));
                Assert.Equal(printed[i].Accuracy, (row[2] * 100).ToString("F3", CultureInfo.InvariantCulture));
                Assert.Equal(printed[i].Time, row[3].ToString("F3", CultureInfo.InvariantCulture));
                Assert.Equal(40 / row[3], row[4], 6); // steps/s of 40 steps
            }

            using SKBitmap plot = SKBitmap.Decode(Path.Combine(folder, "curves.png"));
            Assert.NotNull(plot);
            Assert.Equal((CurvesPlot.Width, CurvesPlot.Height), (plot.Width, plot.Height));
            Assert.True(DistinctColours(plot) > 20, "The plot is (nearly) blank.");

            Assert.Contains("flowchart", File.ReadAllText(Path.Combine(folder, "network.mmd")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Redirected_process_prints_plain_lines()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { RepoPaths.MnistSample, "--epochs", "1", "--batches", "20", "--data", RepoPaths.MnistData })
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.True(process.ExitCode == 0, output + await error);
        Assert.Single(EpochLines.Of(output.Split('\n').Select(l => l.TrimEnd('\r'))));
        Assert.EndsWith("Training complete!", output.TrimEnd());
        Assert.DoesNotContain('\u001b', output);
    }

    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
            {
                colours.Add(bitmap.GetPixel(x, y));
            }
        }
        return colours.Count;
    }
}
