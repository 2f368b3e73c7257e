using SourceNet.Checkpoints;
using SourceNet.Samples.MnistCnn;

namespace SourceNet.Samples.Tests;

/// <summary>
/// A finished run is never lost to a write (issue 19): an unwritable report is refused before training; a
/// write that fails after training anyway is one line, exit 1, and the checkpoint (written first) and the
/// ONNX model are still there. The CNN has the same --save, --resume and --export-onnx as the MLP.
/// </summary>
public sealed class RunOutputTests : IDisposable
{
    private readonly string _folder = RepoPaths.NewTempFolder("sourcenet-outputs");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_report_onto_a_file_is_refused_before_training_and_nothing_is_trained()
    {
        string file = Path.Combine(_folder, "report.txt");
        File.WriteAllText(file, "");
        string checkpoint = Path.Combine(_folder, "model.sncp");
        // Before: trained, failed in the report, and never wrote the checkpoint.
        SampleRun run = SampleRun.Start("--epochs", "1", "--batches", "2", "--batch-size", "8", "--data", TinyMnist.Folder, "--report", file, "--save", checkpoint);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"--report '{file}' is a file", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_write_failing_after_training_loses_neither_the_checkpoint_nor_the_other_outputs()
    {
        string report = Path.Combine(_folder, "report");
        // metrics.csv taken by a folder: the report's first write fails, which no check before training can foresee.
        Directory.CreateDirectory(Path.Combine(report, "metrics.csv"));
        string checkpoint = Path.Combine(_folder, "model.sncp"), onnx = Path.Combine(_folder, "model.onnx");
        SampleRun run = SampleRun.Start("--epochs", "1", "--batches", "2", "--batch-size", "8", "--data", TinyMnist.Folder,
            "--report", report, "--save", checkpoint, "--export-onnx", onnx);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"Could not write the training report to '{report}': ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains($"Saved the trained network to {checkpoint}.", run.OutputLines);
        Assert.Contains($"Exported the trained network to {onnx} (ONNX).", run.OutputLines);
        Checkpoint.Load(checkpoint, new Mnist.MnistMlp(maxBatchSize: 8), new Adam(1e-3f));
        Assert.True(new FileInfo(onnx).Length > 784 * 300 * 4);
    }

    [Fact]
    public void The_cnns_explicit_loop_trains_exactly_as_the_trainer_it_replaces()
    {
        // The CNN sample used Trainer before it shared the explicit loop (which --resume continues): same batches,
        // same steps, same bytes, so the README's five CNN lines stand.
        string[] common = ["--epochs", "2", "--batches", "3", "--batch-size", "4", "--data", TinyMnist.Folder];
        string byHand = Path.Combine(_folder, "hand.sncp"), trainer = Path.Combine(_folder, "trainer.sncp");
        SampleRun a = SampleRun.StartCnn([.. common, "--save", byHand]);
        SampleRun b = SampleRun.StartCnn([.. common, "--save", trainer, "--trainer"]);
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, $"{a}\n{b}");
        Assert.Equal(File.ReadAllBytes(trainer), File.ReadAllBytes(byHand));
        Assert.Equal(EpochLines.Of(b.OutputLines).Select(e => (e.Epoch, e.Loss, e.Accuracy)), EpochLines.Of(a.OutputLines).Select(e => (e.Epoch, e.Loss, e.Accuracy)));
    }

    [Fact]
    public void The_cnn_resumes_bit_for_bit_and_exports_onnx()
    {
        string[] common = ["--batches", "3", "--batch-size", "4", "--data", TinyMnist.Folder];
        string straight = Path.Combine(_folder, "straight.sncp"), half = Path.Combine(_folder, "half.sncp"), resumed = Path.Combine(_folder, "resumed.sncp");
        string onnx = Path.Combine(_folder, "cnn.onnx");
        SampleRun two = SampleRun.StartCnn([.. common, "--epochs", "2", "--save", straight, "--export-onnx", onnx]);
        SampleRun one = SampleRun.StartCnn([.. common, "--epochs", "1", "--save", half]);
        SampleRun second = SampleRun.StartCnn([.. common, "--epochs", "2", "--resume", half, "--save", resumed]);
        Assert.True(two.ExitCode == 0 && one.ExitCode == 0 && second.ExitCode == 0, $"{two}\n{one}\n{second}");

        // Weights, Adam's moments, the sampler and the dropout generator: the same bytes as the uninterrupted run.
        Assert.Equal(File.ReadAllBytes(straight), File.ReadAllBytes(resumed));
        Assert.NotEqual(File.ReadAllBytes(straight), File.ReadAllBytes(half));
        Assert.Equal(EpochLines.Of(two.OutputLines)[1] with { Time = "" }, Assert.Single(EpochLines.Of(second.OutputLines)) with { Time = "" });
        Checkpoint.Load(resumed, new MnistCnn.MnistCnn(maxBatchSize: 4), new Adam(1e-3f));
        Assert.True(new FileInfo(onnx).Length > 3136 * 1024 * 4, "The CNN's ONNX model lacks its weights.");
    }
}
