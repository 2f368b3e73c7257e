using System;
using System.IO;

namespace SourceNet.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the whole new one: the bytes go to a temporary
/// file in the target's directory, which is flushed to disk and then renamed over the target.
/// </summary>
internal static class AtomicFile
{
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
        // Same directory as the target, so the final rename never crosses file systems.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                Stream target = wrap is null ? file : wrap(file);
                write(target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
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
