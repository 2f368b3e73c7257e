namespace SourceNet.Samples.Tests;

/// <summary>
/// The sample's --save / --resume / --export-onnx: two epochs straight, and one epoch, save, a fresh run that
/// resumes for the second, end with the same checkpoint bit for bit and print the same second epoch.
/// </summary>
public class ResumeTests
{
    private static readonly string[] s_short = ["--batches", "40", "--batch-size", "50"];

    [Fact]
    public void Resuming_from_a_checkpoint_continues_bit_for_bit()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-resume");
        try
        {
            string straight = Path.Combine(folder, "straight.ckpt"), half = Path.Combine(folder, "half.ckpt"), resumed = Path.Combine(folder, "resumed.ckpt");
            SampleRun twoEpochs = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--epochs", "2", "--save", straight]);
            SampleRun oneEpoch = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--epochs", "1", "--save", half]);
            SampleRun secondEpoch = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--epochs", "2", "--resume", half, "--save", resumed]);
            Assert.True(twoEpochs.ExitCode == 0, twoEpochs.ToString());
            Assert.True(oneEpoch.ExitCode == 0, oneEpoch.ToString());
            Assert.True(secondEpoch.ExitCode == 0, secondEpoch.ToString());

            Assert.Equal(File.ReadAllBytes(straight), File.ReadAllBytes(resumed));
            EpochLines.Parsed expected = EpochLines.Of(twoEpochs.OutputLines)[1];
            EpochLines.Parsed actual = Assert.Single(EpochLines.Of(secondEpoch.OutputLines));
            Assert.Equal((expected.Epoch, expected.Loss, expected.Accuracy), (actual.Epoch, actual.Loss, actual.Accuracy));
            // And a run that does not resume differs: the test would see a resume that silently restarts.
            Assert.NotEqual(File.ReadAllBytes(straight), File.ReadAllBytes(half));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Resuming_from_a_file_that_is_not_a_checkpoint_exits_with_one_clear_line()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-resume-bad");
        try
        {
            string bad = Path.Combine(folder, "bad.ckpt");
            File.WriteAllText(bad, "not a checkpoint");
            SampleRun run = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--epochs", "1", "--resume", bad]);
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"Cannot resume from '{bad}':", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Export_onnx_writes_a_model_file()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-onnx");
        try
        {
            string model = Path.Combine(folder, "mnist.onnx");
            SampleRun run = SampleRun.Start([.. s_short, "--data", RepoPaths.MnistData, "--epochs", "1", "--export-onnx", model]);
            Assert.True(run.ExitCode == 0, run.ToString());
            // The exporter's own tests run such a file in ONNX Runtime; here: the sample wrote one, with the weights in it.
            Assert.True(new FileInfo(model).Length > 784 * 300 * 4, $"{model} is {new FileInfo(model).Length} bytes");
            Assert.Contains($"Exported the trained network to {model} (ONNX).", run.OutputLines);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
