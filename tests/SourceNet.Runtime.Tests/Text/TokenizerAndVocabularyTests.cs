using System.IO.Compression;
using System.Text;
using SourceNet.Text;

namespace SourceNet.Runtime.Tests.Text;

/// <summary>The word tokenizer, the verse reader, the vocabulary and the corpus of ids, on small texts.</summary>
public class TokenizerAndVocabularyTests
{
    [Theory]
    [InlineData("And God said, Let there be light: and there was light.", "and god said let there be light and there was light")]
    [InlineData("the LORD's house", "the lord's house")]
    [InlineData("'Hear,' said the fathers' sons", "hear said the fathers sons")]
    [InlineData("well-favoured 12 a1b ''", "well favoured a b")]
    [InlineData("Ångström ÉTÉ", "ångström été")]
    [InlineData("  \t\n", "")]
    public void Words_are_lower_case_runs_of_letters_and_inner_apostrophes(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', WordTokenizer.Tokenize(text)));
    }

    [Fact]
    public void Verses_lose_their_reference_and_a_line_without_one_is_named()
    {
        List<string> verses = VerseText.ReadVerses(new StringReader("Ge1:1 In the beginning\nRe22:21 The grace  be\n"), "t.txt");
        Assert.Equal(["In the beginning", "The grace  be"], verses);

        var e = Assert.Throws<InvalidDataException>(() => VerseText.ReadVerses(new StringReader("Ge1:1 a\nnospace\n"), "t.txt"));
        Assert.Contains("t.txt: line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("'nospace'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzipped_verse_file_reads_like_the_plain_one()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sourcenet-verses-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            const string text = "Ge1:1 In the beginning God\nGe1:2 And the earth\n";
            string plain = Path.Combine(folder, "v.txt"), zipped = Path.Combine(folder, "v.txt.gz");
            File.WriteAllText(plain, text);
            using (var gz = new GZipStream(File.Create(zipped), CompressionLevel.Optimal))
            {
                gz.Write(Encoding.ASCII.GetBytes(text));
            }
            Assert.Equal(VerseText.ReadVerses(plain), VerseText.ReadVerses(zipped));
            Assert.Equal(2, VerseText.ReadVerses(zipped).Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_corpus_has_every_verse_of_its_readme()
    {
        List<string> verses = VerseText.ReadVerses(KjvCorpus.Path);
        // data/kjv/README.md: 31,102 verses; the first is Genesis 1:1, the last Revelation 22:21.
        Assert.Equal(31_102, verses.Count);
        Assert.Equal("In the beginning God created the heaven and the earth.", verses[0]);
        Assert.EndsWith("Amen.", verses[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_vocabulary_keeps_words_seen_min_count_times_most_frequent_first()
    {
        List<string>[] sentences = [WordTokenizer.Tokenize("b a c a b a"), WordTokenizer.Tokenize("d c x"), WordTokenizer.Tokenize("y")];
        WordVocabulary vocabulary = WordVocabulary.Build(sentences, minCount: 2);

        // a x3, b x2, c x2 (b before c: ties in ordinal order); d, x, y once.
        Assert.Equal(["a", "b", "c"], vocabulary.Words);
        Assert.Equal([3L, 2L, 2L], Enumerable.Range(0, 3).Select(vocabulary.CountOf));
        Assert.Equal(7, vocabulary.TotalCount);
        Assert.True(vocabulary.TryGetId("c", out int c));
        Assert.Equal(2, c);
        Assert.False(vocabulary.TryGetId("d", out _));
        Assert.Equal(6, WordVocabulary.Build(sentences, minCount: 1).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => WordVocabulary.Build(sentences, minCount: 0));
    }

    [Fact]
    public void The_corpus_drops_unknown_words_and_sentences_left_empty()
    {
        List<string>[] sentences = [["a", "zz", "b"], ["q"], ["b", "b", "a"]];
        WordVocabulary vocabulary = WordVocabulary.Build(sentences, minCount: 2);
        WordCorpus corpus = WordCorpus.Create(sentences, vocabulary);

        int a = Id(vocabulary, "a"), b = Id(vocabulary, "b");
        Assert.Equal([a, b, b, b, a], corpus.Tokens.ToArray());
        Assert.Equal([0, 2, 5], corpus.SentenceStarts.ToArray());
        Assert.Equal(2, corpus.SentenceCount);
    }

    private static int Id(WordVocabulary vocabulary, string word) => vocabulary.TryGetId(word, out int id) ? id : throw new KeyNotFoundException(word);
}
