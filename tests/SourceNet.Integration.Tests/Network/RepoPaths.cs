namespace SourceNet.Integration.Tests.Network;

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
}
