namespace SourceNet.Samples.Tests;

/// <summary>The sample's command line: a bad value or an unknown option is one clear line, the usage and exit code 2.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("--seed abc", "--seed", "abc")]
    [InlineData("--epochs 0", "--epochs", "0")]
    [InlineData("--batch-size -5", "--batch-size", "-5")]
    [InlineData("--batches 0", "--batches", "0")]
    [InlineData("--learning-rate -1", "--learning-rate", "-1")]
    [InlineData("--learning-rate NaN", "--learning-rate", "NaN")]
    [InlineData("--epochs", "--epochs", "")]
    [InlineData("--bogus", "--bogus", "")]
    // Values that do not parse: each was an exception and exit 134 (issue 19).
    [InlineData("--epochs abc", "--epochs", "abc")]
    [InlineData("--batch-size 1.5", "--batch-size", "1.5")]
    [InlineData("--batches x", "--batches", "x")]
    [InlineData("--learning-rate inf", "--learning-rate", "inf")]
    [InlineData("--learning-rate 1e-3x", "--learning-rate", "1e-3x")]
    [InlineData("--batch-size 2147483648", "--batch-size", "2147483648")]
    public void Bad_command_line_prints_one_line_and_usage_and_exits_2(string commandLine, string option, string value)
    {
        SampleRun run = SampleRun.Start(commandLine.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        string first = run.Error.Split('\n')[0];
        Assert.Contains(option, first);
        Assert.Contains(value, first);
        Assert.Contains("Usage:", run.Error);
        Assert.Contains("--learning-rate <X>", run.Error);
        Assert.DoesNotContain("   at ", run.Error); // no stack trace
        Assert.DoesNotContain("Exception", run.Error);
    }

    [Fact]
    public void Help_lists_every_option_and_exits_0()
    {
        SampleRun run = SampleRun.Start("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string option in new[] { "--epochs", "--batch-size", "--batches", "--learning-rate", "--seed", "--data", "--save", "--resume", "--export-onnx", "--report", "--trainer", "--version" })
        {
            Assert.Contains(option, run.Output);
        }
        Assert.Contains("[default: 10]", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Missing_data_folder_is_one_line_and_exit_code_1()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-mnist-" + Guid.NewGuid().ToString("N"));
        SampleRun run = SampleRun.Start("--data", missing);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"Cannot load MNIST from '{missing}'", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }
}
