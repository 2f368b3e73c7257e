using System.Globalization;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Samples.CommandLine;

namespace SourceNet.Samples.Runs;

/// <summary>
/// What a sample stores beside the weights so that <c>--resume</c> continues bit for bit, and the checks on
/// the way back: the epoch reached, the batch sampler's state, and the batch settings, which must not change
/// (another batch size or number of batches would draw other batches). Every failure is one line.
/// </summary>
public static class ResumePoint
{
    /// <summary>Metadata key of the last epoch completed.</summary>
    public const string EpochKey = "epoch";

    /// <summary>Metadata key of the batch sampler's state.</summary>
    public const string SamplerKey = "sampler";

    /// <summary>Metadata key of the batch size the run used.</summary>
    public const string BatchSizeKey = "batch_size";

    /// <summary>Metadata key of the number of batches per epoch the run used.</summary>
    public const string BatchesPerEpochKey = "batches_per_epoch";

    /// <summary>The metadata of a run that has completed <paramref name="epoch"/> epochs.</summary>
    public static CheckpointMetadata Metadata(int epoch, BatchSampler sampler, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(settings);
        return new CheckpointMetadata
        {
            { EpochKey, epoch },
            { SamplerKey, sampler.GetState() },
            { BatchSizeKey, settings.BatchSize },
            { BatchesPerEpochKey, settings.BatchesPerEpoch },
        };
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into the network, the optimizer and the sampler and
    /// returns the first epoch still to train, or null after writing the reason to <paramref name="error"/>.
    /// </summary>
    public static int? TryLoad(string path, INetwork network, Optimizer optimizer, BatchSampler sampler, TrainingSettings settings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(error);
        string? problem;
        int epoch = 0;
        try
        {
            // Loads everything or nothing: a checkpoint of another network is refused before any value changes.
            CheckpointMetadata saved = Checkpoint.Load(path, network, optimizer);
            problem = CheckSettings(saved, settings) ?? ReadEpoch(saved, settings, out epoch);
            if (problem is null)
            {
                sampler.RestoreState(saved.GetBytes(SamplerKey));
            }
        }
        catch (Exception e) when (e is FileFormatException or IOException or UnauthorizedAccessException
            or KeyNotFoundException or FormatException or ArgumentException)
        {
            // IOException covers a missing file or folder; UnauthorizedAccessException a folder given as the file, or no permission.
            problem = e is UnauthorizedAccessException && Directory.Exists(path) ? "it is a folder, not a checkpoint file." : e.Message;
        }
        if (problem is not null)
        {
            error.WriteLine($"Cannot resume from '{path}': {OneLine(problem)}");
            return null;
        }
        return epoch + 1;
    }

    /// <summary>Refuses batch settings other than the saved ones; checkpoints written before these were stored are not checked.</summary>
    private static string? CheckSettings(CheckpointMetadata saved, TrainingSettings settings)
    {
        foreach ((string key, string option, int value) in new[] { (BatchSizeKey, "--batch-size", settings.BatchSize), (BatchesPerEpochKey, "--batches", settings.BatchesPerEpoch) })
        {
            if (saved.ContainsKey(key) && saved.GetInt64(key) != value)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"it was saved with {option} {saved.GetInt64(key)}, and {option} {value} would draw other batches: the run would not continue bit for bit. Give {option} {saved.GetInt64(key)}.");
            }
        }
        return null;
    }

    private static string? ReadEpoch(CheckpointMetadata saved, TrainingSettings settings, out int epoch)
    {
        epoch = 0;
        long reached = saved.GetInt64(EpochKey);
        if (reached < 0 || reached >= int.MaxValue)
            return string.Create(CultureInfo.InvariantCulture, $"its epoch is {reached}; an epoch is 0 to {int.MaxValue - 1}.");
        if (reached >= settings.Epochs)
            return string.Create(CultureInfo.InvariantCulture,
                $"it has already reached epoch {reached}, and --epochs {settings.Epochs} counts the total: there is nothing left to train. Give --epochs {reached + 1} or more.");
        epoch = (int)reached;
        return null;
    }

    /// <summary>The first line of a message: an exception's message can carry a second line (an actual value).</summary>
    internal static string OneLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
