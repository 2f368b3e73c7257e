using System;
using System.IO;

namespace SourceNet.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the whole new one: the bytes go to a temporary
/// file <c>.NAME.RANDOM.tmp</c> in the target's directory, which is flushed to disk and then renamed over the target.
/// </summary>
/// <remarks>
/// <para>A process killed part-way leaves its temporary file behind. Each write first removes the temporary
/// files of the same target that no process has open, so they do not accumulate: a write holds a lock on its
/// temporary file from creation until it has its final name, and a file that can be opened exclusively is
/// therefore a leftover. (The locks are the runtime's advisory <c>flock</c> on Unix, sharing modes on Windows;
/// with <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> set, two processes must not write the same target at once.)</para>
/// </remarks>
internal static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>. If <paramref name="write"/> throws, the
    /// temporary file is deleted and the target is left as it was.
    /// </summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <param name="wrap">Tests only: wraps the file stream, e.g. in one that fails part-way.</param>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap = null)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string name = Path.GetFileName(fullPath);
        RemoveLeftovers(directory, name);
        // Same directory as the target, so the final rename never crosses file systems.
        string temporary = Path.Combine(directory, $".{name}.{Path.GetRandomFileName()}{TemporarySuffix}");
        FileStream? file = null;
        try
        {
            // FileShare.Delete: the file can be renamed while open (Windows), and on Unix the runtime holds a
            // shared lock on it, which tells RemoveLeftovers in another process that this file is in use.
            file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete, bufferSize: 1);
            Stream target = wrap is null ? file : wrap(file);
            write(target);
            target.Flush();
            file.Flush(flushToDisk: true);
            // Renamed while still open and locked: there is no moment at which it looks abandoned.
            File.Move(temporary, fullPath, overwrite: true);
            file.Dispose();
        }
        catch
        {
            file?.Dispose();
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The temporary files of <paramref name="name"/>'s earlier writes that were interrupted (no process holds them).</summary>
    internal static void RemoveLeftovers(string directory, string name)
    {
        string prefix = "." + name + ".";
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, "*" + TemporarySuffix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // The write itself will report a directory it cannot use.
        }
        foreach (string candidate in candidates)
        {
            string file = Path.GetFileName(candidate);
            if (!IsTemporaryOf(file, prefix))
                continue;
            try
            {
                // An exclusive open fails while a writer holds the file; otherwise the file goes when this handle closes.
                using var stale = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use by a live write, or not ours to delete: leave it.
            }
        }
    }

    /// <summary>Whether <paramref name="file"/> is <c>prefix</c> + a random 8.3 name + <c>.tmp</c>: another target's temporary files (<c>.NAME.x.RANDOM.tmp</c>) do not match.</summary>
    private static bool IsTemporaryOf(string file, string prefix)
    {
        if (!file.StartsWith(prefix, StringComparison.Ordinal) || !file.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            return false;
        ReadOnlySpan<char> random = file.AsSpan(prefix.Length, file.Length - prefix.Length - TemporarySuffix.Length);
        return random.Length == 12 && random[8] == '.' && random.IndexOf('.') == 8 && random.LastIndexOf('.') == 8;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
