namespace SourceNet.Samples.Tests;

/// <summary>A run whose loss diverges stops with one line and exit code 1, not a stack trace, and saves nothing half-trained.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly string _folder = RepoPaths.NewTempFolder("sourcenet-diverge");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_diverging_run_is_one_line_and_exit_code_1()
    {
        string checkpoint = Path.Combine(_folder, "model.sncp");
        SampleRun run = SampleRun.Start("--epochs", "1", "--batches", "30", "--batch-size", "8", "--learning-rate", "1e30", "--data", TinyMnist.Folder, "--save", checkpoint);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("Training stopped: The loss is ", run.Error, StringComparison.Ordinal);
        Assert.Contains("learning rate too high?", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(checkpoint));
    }
}
