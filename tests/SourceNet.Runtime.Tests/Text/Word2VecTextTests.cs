using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SourceNet.Text;

namespace SourceNet.Runtime.Tests.Text;

/// <summary>The word2vec text format: round trips bit for bit, files that an independent strict reader (and Python, where
/// present) accepts, and every malformed file refused with its line and byte offset.</summary>
public class Word2VecTextTests
{
    private static readonly float[] s_awkward = [0.1f, -0f, 1e-45f, float.MaxValue, -3.4028235e38f, 123456.79f, 1f / 3, -2.5e-8f];

    private static WordVectors Sample() =>
        new(["the", "lord's", "ångström", "x"], s_awkward, 2);

    private static string Text(WordVectors vectors)
    {
        using var stream = new MemoryStream();
        Word2VecText.Write(vectors, stream);
        return new UTF8Encoding(false, true).GetString(stream.ToArray());
    }

    private static WordVectors Parse(string text) => Word2VecText.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "v.txt");

    [Fact]
    public void A_save_and_a_load_give_the_same_words_and_bits()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sourcenet-w2v-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "vectors.txt");
            Word2VecText.Save(Sample(), path);
            WordVectors loaded = Word2VecText.Load(path);

            Assert.Equal(Sample().Words, loaded.Words);
            Assert.Equal(2, loaded.Dimensions);
            for (int i = 0; i < loaded.Count; i++)
                Assert.Equal(Sample()[i].ToArray().Select(BitConverter.SingleToInt32Bits), loaded[i].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A reader written from the format's definition alone: a header of two positive integers, then exactly
    /// that many lines of a word and that many numbers, single spaces, no BOM, invariant numbers.</summary>
    [Fact]
    public void The_file_is_what_a_strict_independent_reader_expects()
    {
        string text = Text(Sample());
        Assert.False(text.StartsWith('\uFEFF'));
        string[] lines = text.Split('\n');
        Assert.Equal("", lines[^1]); // every line ends with \n, the last too
        Assert.Equal("4 2", lines[0]);
        var number = new Regex(@"^-?(\d+(\.\d+)?([eE][+-]?\d+)?)$", RegexOptions.CultureInvariant);
        for (int i = 0; i < 4; i++)
        {
            string[] fields = lines[i + 1].Split(' ');
            Assert.Equal(3, fields.Length);
            Assert.Equal(Sample().Words[i], fields[0]);
            for (int d = 0; d < 2; d++)
            {
                Assert.Matches(number, fields[1 + d]);
                Assert.Equal(BitConverter.SingleToInt32Bits(s_awkward[2 * i + d]), BitConverter.SingleToInt32Bits((float)double.Parse(fields[1 + d], CultureInfo.InvariantCulture)));
            }
        }
        Assert.Equal(6, lines.Length);
    }

    /// <summary>Python's own float parser and str.split read the file as gensim's loader does (words, then float32 values).</summary>
    [SkippableFact]
    public void Python_reads_the_same_words_and_values()
    {
        const string python = "/usr/bin/python3";
        Skip.IfNot(File.Exists(python), $"{python} is not installed");
        string path = Path.Combine(Path.GetTempPath(), "sourcenet-w2v-py-" + Guid.NewGuid().ToString("N")[..8] + ".txt");
        try
        {
            Word2VecText.Save(Sample(), path);
            const string script = """
                import struct, sys
                with open(sys.argv[1], encoding="utf-8") as f:
                    count, dims = map(int, f.readline().split())
                    for _ in range(count):
                        parts = f.readline().rstrip("\n").split(" ")
                        assert len(parts) == dims + 1, parts
                        bits = [struct.unpack("<i", struct.pack("<f", float(v)))[0] for v in parts[1:]]
                        print(parts[0], *bits)
                    assert f.read() == ""
                """;
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(path);
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);

            string expected = string.Concat(Sample().Words.Select((w, i) =>
                w + " " + string.Join(' ', s_awkward.Skip(2 * i).Take(2).Select(BitConverter.SingleToInt32Bits)) + "\n"));
            Assert.Equal(expected, output.Replace("\r\n", "\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Other_writers_line_ends_and_trailing_spaces_are_read()
    {
        WordVectors v = Parse("2 3\r\nking 1 2 3 \r\nqueen -1.5e-1 0 4\r\n\r\n");
        Assert.Equal(["king", "queen"], v.Words);
        Assert.Equal([-0.15f, 0f, 4f], v["queen"].ToArray());
    }

    [Theory]
    [InlineData("", 1, 0, "empty file")]
    [InlineData("2\nа 1\n", 1, 0, "'2'")]
    [InlineData("2 0\n", 1, 0, "'2 0'")]
    [InlineData("x 2\n", 1, 0, "'x 2'")]
    [InlineData("1 2\na 1\n", 2, 7, "1")]
    [InlineData("1 2\na 1 2 3\n", 2, 10, "more: '3'")]
    [InlineData("1 2\na 1  2\n", 2, 8, "empty field")]
    [InlineData("1 2\na 1 two\n", 2, 8, "'two'")]
    [InlineData("1 2\na 1 NaN\n", 2, 8, "'NaN'")]
    [InlineData("1 2\na 1 1e39\n", 2, 8, "'1e39'")]
    [InlineData("1 2\na\n", 2, 4, "'a'")]
    [InlineData("1 2\n 1 2\n", 2, 4, "' 1 2'")]
    [InlineData("2 1\na 1\na 2\n", 3, 8, "'a' again (first on line 2)")]
    [InlineData("3 1\na 1\nb 2\n", 3, 8, "the end of the file after 2")]
    [InlineData("1 1\na 1\nb 2\n", 3, 8, "'b 2'")]
    [InlineData("1 1\nb 1,5\n", 2, 6, "'1,5'")]
    public void A_malformed_file_names_its_line_offset_and_what_was_found(string text, int line, long offset, string found)
    {
        var e = Assert.Throws<WordVectorsFormatException>(() => Parse(text));
        Assert.Equal(line, e.Line);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(found, e.Found, StringComparison.Ordinal);
        Assert.StartsWith("v.txt: at byte ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_at_their_offset()
    {
        byte[] bytes = [.. "1 1\nab"u8, 0xFF, .. " 1\n"u8];
        var e = Assert.Throws<WordVectorsFormatException>(() => Word2VecText.Read(new MemoryStream(bytes), "v.txt"));
        Assert.Equal(2, e.Line);
        Assert.Equal(6, e.Offset);
    }
}
