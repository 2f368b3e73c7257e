using System.Threading.Tasks;

namespace SourceNet.Samples.Tests;

/// <summary>
/// Both samples as real processes, as a hostile user drives them (issue 19): every unparsable or overflowing
/// value, every output path that cannot be written, and every checkpoint that cannot be resumed from is one
/// line (plus the usage for a command-line error), the documented exit code, and no stack trace. Each
/// sample's cases run side by side, so the processes' start-up is paid about once.
/// </summary>
public class SampleProcessTests
{
    private sealed record Case(string[] Args, int ExitCode, params string[] FirstLineContains);

    private static IEnumerable<Case> Cases(string sample, string folder)
    {
        string missing = Path.Combine(folder, "missing", "x");
        string file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "not a folder");
        // The largest value a sample has in any buffer: the CNN's first convolution's patches, the residual network's
        // 28x28x16 activations, the LSTM's gates of 28 steps (28 x 4 x 128), the MLP's input.
        int largest = sample == RepoPaths.MnistCnnSample ? 25088 : sample.EndsWith("MnistResNet.dll", StringComparison.Ordinal) ? 12544
            : sample.EndsWith("MnistLstm.dll", StringComparison.Ordinal) ? 14336 : 784;
        string limit = $"at most {Array.MaxLength / largest:N0}";
        string[] data = ["--data", TinyMnist.Folder];
        yield return new(["--epochs", "abc"], 2, "--epochs", "'abc'");
        yield return new(["--batch-size", "1.5"], 2, "--batch-size", "'1.5'");
        yield return new(["--batches", "x"], 2, "--batches", "'x'");
        yield return new(["--learning-rate", "inf"], 2, "--learning-rate", "'inf'");
        yield return new(["--learning-rate", "1e-3x"], 2, "--learning-rate", "'1e-3x'");
        yield return new(["--epochs", "99999999999"], 2, "--epochs", "'99999999999'");
        yield return new(["--batch-size", "2147483647"], 2, "--batch-size 2147483647", limit);
        if (sample == RepoPaths.MnistCnnSample)
        {
            // 100000 x 25,088 wraps in 32-bit arithmetic: this was an OverflowException.
            yield return new(["--batch-size", "100000"], 2, "--batch-size 100000", limit);
        }
        yield return new(["--save", missing], 2, "--save", "does not exist");
        yield return new(["--save", folder], 2, "--save", "is a folder");
        yield return new(["--export-onnx", missing], 2, "--export-onnx", "does not exist");
        yield return new(["--export-onnx", folder], 2, "--export-onnx", "is a folder");
        yield return new(["--report", file], 2, "--report", "is a file");
        yield return new(["--report", Path.Combine(folder, "missing", "report")], 2, "--report", "does not exist");
        if (OperatingSystem.IsLinux() && Directory.Exists("/sys"))
        {
            // Read-only even for root, where a chmod'ed folder is not.
            yield return new(["--save", "/sys/model.sncp"], 2, "--save", "cannot be written");
        }
        yield return new(["--resume", folder, .. data], 1, "Cannot resume from", "is a folder");
        yield return new(["--resume", missing, .. data], 1, "Cannot resume from");
        yield return new(["--resume", file, .. data], 1, "Cannot resume from", "magic number");
        yield return new(["--resume", file, "--trainer"], 2, "--trainer");
    }

    [Theory]
    [InlineData("SourceNet.Samples.Mnist")]
    [InlineData("SourceNet.Samples.MnistCnn")]
    [InlineData("SourceNet.Samples.MnistResNet")]
    [InlineData("SourceNet.Samples.MnistLstm")]
    public async Task Every_bad_flag_path_or_file_is_one_line_and_its_exit_code(string name)
    {
        string sample = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        string folder = RepoPaths.NewTempFolder("sourcenet-cli");
        try
        {
            Case[] cases = [.. Cases(sample, folder)];
            SampleProcess[] runs = await Task.WhenAll(cases.Select(c => SampleProcess.RunAsync(sample, c.Args)));
            var failures = new List<string>();
            for (int i = 0; i < cases.Length; i++)
            {
                Case c = cases[i];
                SampleProcess run = runs[i];
                int expectedExit = c.ExitCode;
                bool ok = run.ExitCode == expectedExit
                    && c.FirstLineContains.All(text => run.FirstErrorLine.Contains(text, StringComparison.Ordinal))
                    && !run.Error.Contains("   at ", StringComparison.Ordinal)
                    && !run.Error.Contains("Exception", StringComparison.Ordinal)
                    && (expectedExit != 2 || (run.Output.Length == 0 && run.Error.Contains("Usage:", StringComparison.Ordinal)))
                    && (expectedExit != 1 || run.Error.TrimEnd('\n').Split('\n').Length == 1);
                if (!ok)
                {
                    failures.Add($"{string.Join(' ', c.Args)}: expected exit {expectedExit} and a first line with [{string.Join(", ", c.FirstLineContains)}]; got {run}");
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("SourceNet.Samples.Mnist")]
    [InlineData("SourceNet.Samples.MnistCnn")]
    [InlineData("SourceNet.Samples.MnistResNet")]
    [InlineData("SourceNet.Samples.MnistLstm")]
    public async Task Version_prints_the_version_and_trains_nothing(string name)
    {
        SampleProcess run = await SampleProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, name + ".dll"), "--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches($@"^{name.Replace(".", @"\.")} \d+\.\d+\.\d+\S* \(SourceNet runtime \d+\.\d+\.\d+\S*\)\n$", run.Output);
        Assert.DoesNotContain("Epoch", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }
}
