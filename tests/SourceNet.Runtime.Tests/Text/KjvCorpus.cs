namespace SourceNet.Runtime.Tests.Text;

/// <summary>The repository's data/kjv/kjv.txt.gz.</summary>
internal static class KjvCorpus
{
    public static string Path { get; } = FindPath();

    private static string FindPath()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SourceNet.sln")))
                return System.IO.Path.Combine(directory.FullName, "data", "kjv", "kjv.txt.gz");
        }
        throw new InvalidOperationException($"No SourceNet.sln above '{AppContext.BaseDirectory}'.");
    }
}
