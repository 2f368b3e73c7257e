using System.Diagnostics;
using SourceNet.Text;

namespace SourceNet.Runtime.Tests.Text;

/// <summary>
/// A real run on the shipped King James Bible with small settings: words of a known relation end nearer each other
/// than nearly all the vocabulary. The pairs were checked on the sample's default run (docs/word2vec.md).
/// </summary>
public class KjvQualityTests
{
    [Fact]
    public void Related_words_are_nearer_than_almost_every_other_word()
    {
        var clock = Stopwatch.StartNew();
        List<IReadOnlyList<string>> sentences = VerseText.ReadVerses(KjvCorpus.Path).Select(v => (IReadOnlyList<string>)WordTokenizer.Tokenize(v)).ToList();
        WordVocabulary vocabulary = WordVocabulary.Build(sentences, minCount: 5);
        WordCorpus corpus = WordCorpus.Create(sentences, vocabulary);
        var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 50, Epochs = 3 });
        trainer.Train(corpus);
        WordVectors vectors = trainer.Vectors();

        var failures = new List<string>();
        foreach ((string word, string related) in new[] { ("father", "mother"), ("husband", "wife"), ("brother", "sister"), ("sons", "daughters") })
        {
            float similarity = vectors.Similarity(word, related);
            // How many of the other words are nearer to `word` than `related` is: a random word would be beaten by half.
            int nearer = vectors.Words.Count(w => w != word && w != related && vectors.Similarity(word, w) > similarity);
            double fraction = (double)nearer / (vectors.Count - 2);
            if (fraction > 0.01)
                failures.Add($"{word} - {related}: cosine {similarity:F3}, {nearer} of {vectors.Count - 2} words nearer ({fraction:P1})");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures) + $"\n({clock.Elapsed.TotalSeconds:F1} s)");
    }
}
