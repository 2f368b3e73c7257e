using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace SourceNet.Text;

/// <summary>
/// Reads a text of one verse a line, each line starting with its reference and a space
/// (<c>Ge1:1 In the beginning God created the heaven and the earth.</c>), as data/kjv/kjv.txt.gz holds the King
/// James Bible: the verses without their references, in order. A file whose name ends in <c>.gz</c> is decompressed.
/// </summary>
public static class VerseText
{
    /// <summary>The verses of the file at <paramref name="path"/>, each without its reference and the space after it.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">A line has no space (so no reference to drop), naming the file and the line;
    /// or the gzip stream is corrupt.</exception>
    public static List<string> ReadVerses(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using Stream file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        return ReadVerses(reader, path);
    }

    /// <summary>The verses <paramref name="reader"/> holds, each without its reference; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">A line has no space, naming <paramref name="sourceName"/> and the line.</exception>
    public static List<string> ReadVerses(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var verses = new List<string>();
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            int space = line.IndexOf(' ');
            if (space < 0)
            {
                string shown = line.Length > 40 ? line[..40] + "..." : line;
                throw new InvalidDataException($"{sourceName}: line {number}: expected a verse reference and a space before the text, found '{shown}'.");
            }
            verses.Add(line[(space + 1)..]);
        }
        return verses;
    }
}
