namespace SourceNet.Samples.Tests;

internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds SourceNet.sln.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SourceNet.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Cannot find SourceNet.sln above " + AppContext.BaseDirectory);
        }
    }

    public static string MnistData => Path.Combine(Root, "data", "mnist");

    /// <summary>The sample's entry assembly, copied beside the tests by the project reference.</summary>
    public static string MnistSample => Path.Combine(AppContext.BaseDirectory, "SourceNet.Samples.Mnist.dll");

    /// <summary>The CNN sample's entry assembly, copied beside the tests by the project reference.</summary>
    public static string MnistCnnSample => Path.Combine(AppContext.BaseDirectory, "SourceNet.Samples.MnistCnn.dll");

    public static string NewTempFolder(string prefix)
    {
        string folder = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
