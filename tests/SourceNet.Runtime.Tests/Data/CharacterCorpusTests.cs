using System.IO;
using System.IO.Compression;
using System.Text;
using SourceNet.Data.Text;

namespace SourceNet.Runtime.Tests.Data;

/// <summary>The character corpus reader and window sampler of samples/CharLm, against the specification it shares with the PyTorch twin.</summary>
public class CharacterCorpusTests
{
    private const string Verses = "Ge1:1 In the beginning.\nGe1:2 And the earth!\nRe22:21 Amen.\n";

    [Fact]
    public void Each_line_loses_its_reference_and_keeps_its_newline_plain_or_gzipped()
    {
        using var temp = new TempDirectory();
        string plain = temp.File("verses.txt");
        File.WriteAllText(plain, Verses);
        string gzipped = temp.File("verses.txt.gz");
        using (var gzip = new GZipStream(File.Create(gzipped), CompressionLevel.Optimal))
            gzip.Write(Encoding.UTF8.GetBytes(Verses));

        Assert.Equal("In the beginning.\nAnd the earth!\nAmen.\n", CharacterCorpus.ReadVerses(plain));
        Assert.Equal(CharacterCorpus.ReadVerses(plain), CharacterCorpus.ReadVerses(gzipped));
    }

    [Fact]
    public void The_vocabulary_is_the_distinct_characters_in_ordinal_order_and_every_nth_line_validates()
    {
        var corpus = new CharacterCorpus("baAb a\n!b", validationEvery: 2);
        Assert.Equal("\n !Aab", new string(corpus.Vocabulary.Characters.ToArray()));
        Assert.Equal(new[] { 5, 4, 3, 5, 1, 4, 0, 2, 5 }, corpus.Ids.ToArray());
        Assert.Equal(7, corpus.TrainLength); // line 1, "baAb a\n"
        Assert.Equal(new[] { 2, 5 }, corpus.Validation.ToArray()); // line 2, "!b"
        var three = new CharacterCorpus("a\nb\nc\nd\ne\nf\n", validationEvery: 3);
        Assert.Equal("a\nb\nd\ne\n", three.Vocabulary.Decode(three.Train.Span));
        Assert.Equal("c\nf\n", three.Vocabulary.Decode(three.Validation.Span));
        Assert.Throws<ArgumentException>(() => new CharacterCorpus("one line\n", validationEvery: 2));
        Assert.Equal("baAb", corpus.Vocabulary.Decode(corpus.Ids.Span[..4]));
        var unknown = Assert.Throws<ArgumentException>(() => corpus.Vocabulary.Encode("ab~"));
        Assert.Contains("Character 2 of the text, '~' (U+007E), is not in the vocabulary of 6 characters.", unknown.Message);
    }

    [Fact]
    public void A_line_without_a_reference_names_the_file_its_offset_and_line()
    {
        using var temp = new TempDirectory();
        string path = temp.File("bad.txt");
        File.WriteAllText(path, "Ge1:1 In the beginning.\nNoSpaceHere\n");
        var e = Assert.Throws<TextCorpusFormatException>(() => CharacterCorpus.LoadVerses(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(24, e.Offset);
        Assert.Equal($"{path}: at byte 24, expected line 2 to be a verse reference, a space and the verse, found 'NoSpaceHere' with no space", e.Message);

        File.WriteAllBytes(path, Array.Empty<byte>());
        Assert.Equal($"{path}: at byte 0, expected at least one verse line, found an empty text", Assert.Throws<TextCorpusFormatException>(() => CharacterCorpus.LoadVerses(path)).Message);
    }

    [Fact]
    public void SplitMix64_gives_the_published_first_output()
    {
        // Vigna's reference splitmix64.c, state 0: the first output is 0xE220A8397B1DCDAF.
        var sampler = new CharacterWindowSampler(new int[10], 2, seed: 0);
        Assert.Equal(0xE220A8397B1DCDAFUL, sampler.NextUInt64());
    }

    [Fact]
    public void The_King_James_corpus_and_its_first_windows_are_the_specifications()
    {
        CharacterCorpus corpus = CharacterCorpus.LoadVerses(Path.Combine(TestFiles.RepositoryRoot, "data", "kjv", "kjv.txt.gz"));
        // Counted by the specification in Python: 4,137,850 characters, 63 distinct, 3,721,257 train, 416,593 validation.
        Assert.Equal(4_137_850, corpus.Text.Length);
        Assert.Equal(63, corpus.Vocabulary.Count);
        Assert.Equal(3_721_257, corpus.TrainLength);
        Assert.Equal(416_593, corpus.Validation.Length);
        Assert.StartsWith("And God called the dry land Earth;", corpus.Vocabulary.Decode(corpus.Validation.Span[..40]));
        Assert.StartsWith("In the beginning God created the heaven and the earth.\nAnd the earth", corpus.Text);

        // SplitMix64 from 42, start = z % (3,721,257 - 64): 2,565,260, 664,886, 2,437,386 (the same Python).
        var sampler = new CharacterWindowSampler(corpus.Train, 64, seed: 42);
        var inputs = new int[3 * 64];
        var targets = new int[3 * 64];
        sampler.NextBatch(inputs, targets);
        int[] starts = { 2_565_260, 664_886, 2_437_386 };
        for (int w = 0; w < 3; w++)
        {
            Assert.Equal(corpus.Train.Span.Slice(starts[w], 64).ToArray(), inputs.AsSpan(w * 64, 64).ToArray());
            Assert.Equal(corpus.Train.Span.Slice(starts[w] + 1, 64).ToArray(), targets.AsSpan(w * 64, 64).ToArray());
        }
    }

    [Fact]
    public void Validation_windows_are_consecutive_and_the_remainder_is_dropped()
    {
        int[] ids = Enumerable.Range(0, 10).ToArray();
        (int[] inputs, int[] targets) = CharacterWindowSampler.ConsecutiveWindows(ids, 3);
        // (10 - 1) / 3 = 3 windows: 0..2 -> 1..3, 3..5 -> 4..6, 6..8 -> 7..9.
        Assert.Equal(Enumerable.Range(0, 9), inputs);
        Assert.Equal(Enumerable.Range(1, 9), targets);
        Assert.Equal(3, CharacterWindowSampler.ConsecutiveWindows(ids, 3, maxWindows: 1).Inputs.Length);
        Assert.Throws<ArgumentException>(() => CharacterWindowSampler.ConsecutiveWindows(ids.AsSpan(0, 3), 3));
    }

    [Fact]
    public void Every_window_and_its_targets_lie_inside_the_text()
    {
        int[] ids = Enumerable.Range(0, 70).ToArray();
        var sampler = new CharacterWindowSampler(ids, 64, seed: 7);
        var inputs = new int[50 * 64];
        var targets = new int[50 * 64];
        sampler.NextBatch(inputs, targets);
        for (int w = 0; w < 50; w++)
        {
            int start = inputs[w * 64];
            Assert.InRange(start, 0, 70 - 64 - 1);
            Assert.Equal(Enumerable.Range(start, 64), inputs.AsSpan(w * 64, 64).ToArray());
            Assert.Equal(Enumerable.Range(start + 1, 64), targets.AsSpan(w * 64, 64).ToArray());
        }
    }
}
