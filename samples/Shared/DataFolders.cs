namespace SourceNet.Samples;

/// <summary>Where the sample finds MNIST when <c>--data</c> is not given.</summary>
public static class DataFolders
{
    /// <summary>The repo's data/mnist, found from the working directory or the executable's folder upwards.</summary>
    public static string FindDefault()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data", "mnist");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine("data", "mnist");
    }
}
