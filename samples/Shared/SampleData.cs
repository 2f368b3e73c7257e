using SourceNet.Data;

namespace SourceNet.Samples;

/// <summary>Loading MNIST for a sample: the data, or one line on the error stream saying why not.</summary>
public static class SampleData
{
    /// <summary>Loads MNIST from <paramref name="folder"/>; on failure writes one line to <paramref name="error"/> and returns null.</summary>
    public static MnistDataset? TryLoad(string folder, TextWriter error)
    {
        try
        {
            return MnistDataset.Load(folder);
        }
        catch (Exception e) when (e is FileFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            error.WriteLine($"Cannot load MNIST from '{folder}': {e.Message}");
            return null;
        }
    }
}
