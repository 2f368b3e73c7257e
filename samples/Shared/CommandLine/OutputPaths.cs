namespace SourceNet.Samples.CommandLine;

/// <summary>
/// Checks the paths a run will write before it trains, so that a run is never lost to a path that could not
/// have worked: the folder must exist and take a new file, and a file must not land on a folder (or a
/// folder on a file). Each check returns one line saying what is wrong, or null.
/// </summary>
public static class OutputPaths
{
    /// <summary>Checks that <paramref name="path"/>, given to <paramref name="option"/>, can be written as a file.</summary>
    public static string? CheckFile(string option, string path)
    {
        if (!TryGetFullPath(path, out string full, out string? problem))
            return $"{option} '{path}': {problem}";
        if (Directory.Exists(full))
            return $"{option} '{path}' is a folder; a file name is needed.";
        string folder = Path.GetDirectoryName(full)!;
        return CheckFolderTakesFiles(folder) is { } why ? $"{option} '{path}': {why}" : null;
    }

    /// <summary>Checks that <paramref name="path"/>, given to <paramref name="option"/>, is or can become a folder that takes files.</summary>
    public static string? CheckFolder(string option, string path)
    {
        if (!TryGetFullPath(path, out string full, out string? problem))
            return $"{option} '{path}': {problem}";
        if (File.Exists(full))
            return $"{option} '{path}' is a file; a folder is needed.";
        string writable = Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? full;
        return CheckFolderTakesFiles(writable) is { } why ? $"{option} '{path}': {why}" : null;
    }

    private static string? CheckFolderTakesFiles(string folder)
    {
        if (File.Exists(folder))
            return $"'{folder}' is a file, not a folder.";
        if (!Directory.Exists(folder))
            return $"the folder '{folder}' does not exist.";
        // Permissions, read-only mounts and ACLs all show in one way only: try it.
        string probe = Path.Combine(folder, $".sourcenet-write-check-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the folder '{folder}' cannot be written ({e.Message.TrimEnd('.')}).";
        }
    }

    private static bool TryGetFullPath(string path, out string full, out string? problem)
    {
        try
        {
            full = Path.GetFullPath(path);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            full = "";
            problem = e.Message;
            return false;
        }
    }
}
