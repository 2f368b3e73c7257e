using SourceNet.Checkpoints;
using SourceNet.Samples.Mnist;

namespace SourceNet.Samples.Tests;

/// <summary>
/// <c>--resume</c> turns every failure into one line and exit code 1 (issue 19: each of these was a stack
/// trace), and refuses settings that would not continue bit for bit. On the tiny MNIST folder, so each run
/// takes a fraction of a second.
/// </summary>
public sealed class ResumeRefusalTests : IDisposable
{
    private static readonly string[] s_short = ["--batches", "2", "--batch-size", "8", "--data", TinyMnist.Folder];
    private readonly string _folder = RepoPaths.NewTempFolder("sourcenet-resume-refusal");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A checkpoint of the sample's network and optimizer with the given metadata, as --save writes it but for the metadata.</summary>
    private string Crafted(string name, CheckpointMetadata metadata)
    {
        string path = Path.Combine(_folder, name);
        Checkpoint.Save(path, new MnistMlp(seed: 1, maxBatchSize: 8), new Adam(1e-3f), metadata);
        return path;
    }

    private static byte[] SamplerState() =>
        new Data.BatchSampler(new float[784], [0], 784, new SeededRandom(2)).GetState();

    private static void AssertRefused(SampleRun run, string path, string reason)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"Cannot resume from '{path}': ", run.Error, StringComparison.Ordinal);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Epoch:", run.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadEpochs => new()
    {
        { "four-bytes", "not an 8-byte integer" },
        { "-1", "its epoch is -1" },
        { "2147483648", "its epoch is 2147483648" },
        { "2147483647", "its epoch is 2147483647" },
    };

    [Theory]
    [MemberData(nameof(BadEpochs))]
    public void An_epoch_that_is_not_a_valid_count_is_refused(string epoch, string reason)
    {
        var metadata = new CheckpointMetadata { { "sampler", SamplerState() } };
        if (epoch == "four-bytes")
            metadata.Set("epoch", [1, 0, 0, 0]);
        else
            metadata.Set("epoch", long.Parse(epoch, System.Globalization.CultureInfo.InvariantCulture));
        string path = Crafted("epoch.sncp", metadata);
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", path]), path, reason);
    }

    [Fact]
    public void A_bad_sampler_state_is_refused()
    {
        string path = Crafted("sampler.sncp", new CheckpointMetadata { { "epoch", 1 }, { "sampler", new byte[] { 1, 2, 3 } } });
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", path]), path, "sampler state");
    }

    [Fact]
    public void A_checkpoint_without_the_samples_metadata_is_refused()
    {
        string path = Crafted("bare.sncp", []);
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", path]), path, "no key 'epoch'");
    }

    [Fact]
    public void A_folder_is_refused()
    {
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", _folder]), _folder, "is a folder");
    }

    [Fact]
    public void A_file_over_2_GB_is_refused_without_reading_it()
    {
        string path = Path.Combine(_folder, "huge.sncp");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            // A plausible header: magic, version 2, the file's own length. Sparse: it costs no disk.
            stream.Write("SNCK"u8);
            stream.Write(BitConverter.GetBytes(2u));
            stream.Write(BitConverter.GetBytes(3L << 30));
            stream.SetLength(3L << 30);
        }
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", path]), path, "at most");
    }

    [SkippableFact]
    public void An_unreadable_file_is_refused()
    {
        Skip.If(OperatingSystem.IsWindows(), "chmod is a Unix test.");
        Skip.If(Environment.UserName == "root", "root reads a file whatever its mode.");
        string path = Crafted("unreadable.sncp", []);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.None);
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "3", "--resume", path]), path, "denied");
    }

    [Fact]
    public void Another_batch_size_or_batch_count_or_an_epoch_already_reached_is_refused_with_the_reason()
    {
        string saved = Path.Combine(_folder, "one.sncp");
        SampleRun first = SampleRun.Start([.. s_short, "--epochs", "1", "--save", saved]);
        Assert.True(first.ExitCode == 0, first.ToString());

        AssertRefused(SampleRun.Start(["--batches", "2", "--batch-size", "16", "--data", TinyMnist.Folder, "--epochs", "2", "--resume", saved]),
            saved, "it was saved with --batch-size 8");
        AssertRefused(SampleRun.Start(["--batches", "3", "--batch-size", "8", "--data", TinyMnist.Folder, "--epochs", "2", "--resume", saved]),
            saved, "it was saved with --batches 2");
        AssertRefused(SampleRun.Start([.. s_short, "--epochs", "1", "--resume", saved]), saved, "already reached epoch 1");
        // And the saved settings resume.
        SampleRun resumed = SampleRun.Start([.. s_short, "--epochs", "2", "--resume", saved]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal([2], EpochLines.Of(resumed.OutputLines).Select(e => e.Epoch));
    }
}
