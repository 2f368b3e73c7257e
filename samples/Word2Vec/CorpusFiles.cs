namespace SourceNet.Samples.Word2Vec;

/// <summary>Where the sample finds the King James Bible when <c>--corpus</c> is not given.</summary>
public static class CorpusFiles
{
    /// <summary>The repo's data/kjv/kjv.txt.gz, found from the working directory or the executable's folder upwards.</summary>
    public static string FindDefault()
    {
        string relative = Path.Combine("data", "kjv", "kjv.txt.gz");
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return relative;
    }
}
