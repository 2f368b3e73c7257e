using SourceNet.Text;

namespace SourceNet.Runtime.Tests.Text;

/// <summary>Skip-gram with negative sampling: one step against central differences, the negative draws against their
/// distribution, and whole training runs (determinism, learning, no allocation, subsampling, the learning rate).</summary>
public class SkipGramTests
{
    /// <summary>The loss of one (centre, context, negatives) example, in double, written from the definition.</summary>
    private static double ReferenceLoss(double[] center, double[][] outputs, int context, int[] negatives)
    {
        static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
        static double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));
        double loss = -LogSigmoid(Dot(outputs[context], center));
        foreach (int n in negatives)
            loss -= LogSigmoid(-Dot(outputs[n], center));
        return loss;
    }

    [Theory]
    [InlineData(7, 0.5f)]
    [InlineData(19, 0.05f)]
    public void One_step_moves_every_vector_by_its_gradient_against_central_differences(int dimensions, float learningRate)
    {
        const int words = 6, context = 2;
        int[] negatives = [0, 4, 5];
        var random = new SeededRandom(dimensions);
        float[] center = Enumerable.Range(0, dimensions).Select(_ => random.NextNormal(0, 0.6f)).ToArray();
        float[] outputs = Enumerable.Range(0, words * dimensions).Select(_ => random.NextNormal(0, 0.6f)).ToArray();
        double[] c0 = center.Select(x => (double)x).ToArray();
        double[][] o0 = Enumerable.Range(0, words).Select(w => outputs.Skip(w * dimensions).Take(dimensions).Select(x => (double)x).ToArray()).ToArray();

        float[] newCenter = (float[])center.Clone(), newOutputs = (float[])outputs.Clone();
        float loss = SkipGramUpdate.Apply(newCenter, newOutputs, context, negatives, learningRate, new float[dimensions]);

        double expectedLoss = ReferenceLoss(c0, o0, context, negatives);
        Assert.True(Math.Abs(loss - expectedLoss) < 1e-5 * Math.Max(1, expectedLoss), $"loss {loss} vs {expectedLoss}");
        const double h = 1e-5;
        for (int d = 0; d < dimensions; d++)
        {
            double numeric = Central(x => { var c = (double[])c0.Clone(); c[d] = x; return ReferenceLoss(c, o0, context, negatives); }, c0[d], h);
            AssertStep(center[d], newCenter[d], learningRate, numeric, $"centre[{d}]");
        }
        for (int w = 0; w < words; w++)
        {
            for (int d = 0; d < dimensions; d++)
            {
                int word = w, dim = d;
                double numeric = Central(x =>
                {
                    double[][] o = o0.Select(row => (double[])row.Clone()).ToArray();
                    o[word][dim] = x;
                    return ReferenceLoss(c0, o, context, negatives);
                }, o0[w][d], h);
                // Words 1 and 3 take no part: their gradient is 0 and they must not move at all.
                AssertStep(outputs[w * dimensions + d], newOutputs[w * dimensions + d], learningRate, numeric, $"output[{w}][{d}]");
            }
        }
    }

    private static double Central(Func<double, double> f, double x, double h) => (f(x + h) - f(x - h)) / (2 * h);

    private static void AssertStep(float before, float after, float learningRate, double gradient, string what)
    {
        double step = (before - (double)after) / learningRate;
        double tolerance = 2e-4 + 1e-3 * Math.Abs(gradient) + 4e-7 * Math.Abs(before) / learningRate;
        Assert.True(Math.Abs(step - gradient) <= tolerance, $"{what}: moved by {step} / lr, the gradient is {gradient}");
    }

    [Fact]
    public void Negatives_are_drawn_in_proportion_to_count_to_the_three_quarters()
    {
        List<string>[] sentences = [[.. Enumerable.Repeat("a", 1000), .. Enumerable.Repeat("b", 100), .. Enumerable.Repeat("c", 10), "d"]];
        var vocabulary = WordVocabulary.Build(sentences, 1);
        var sampler = new NegativeSampler(vocabulary);
        var random = new SeededRandom(3);
        const int draws = 400_000;
        var seen = new int[vocabulary.Count];
        for (int i = 0; i < draws; i++)
            seen[sampler.Next(random)]++;

        double total = new[] { 1000, 100, 10, 1 }.Sum(c => Math.Pow(c, 0.75));
        for (int id = 0; id < vocabulary.Count; id++)
        {
            double p = Math.Pow(vocabulary.CountOf(id), 0.75) / total;
            Assert.Equal(p, sampler.Probability(id), 12);
            double sigma = Math.Sqrt(draws * p * (1 - p));
            Assert.True(Math.Abs(seen[id] - draws * p) < 5 * sigma, $"{vocabulary[id]}: {seen[id]} draws, expected {draws * p:F0} ± {sigma:F0}");
        }
    }

    /// <summary>Two families of words that never share a sentence: sentences of a* words and of b* words, each word once
    /// in a while next to any other of its family.</summary>
    private static List<List<string>> TwoFamilies(int sentences, int seed)
    {
        var random = new SeededRandom(seed);
        var result = new List<List<string>>();
        for (int s = 0; s < sentences; s++)
        {
            string family = s % 2 == 0 ? "a" : "b";
            result.Add(Enumerable.Range(0, 8).Select(_ => family + random.NextInt(6)).ToList());
        }
        return result;
    }

    private static (WordVocabulary, WordCorpus) Prepare(List<List<string>> sentences)
    {
        var vocabulary = WordVocabulary.Build(sentences, 1);
        return (vocabulary, WordCorpus.Create(sentences, vocabulary));
    }

    [Fact]
    public void Words_that_share_contexts_end_nearest_to_each_other()
    {
        (WordVocabulary vocabulary, WordCorpus corpus) = Prepare(TwoFamilies(600, 1));
        var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 16, Epochs = 5, Window = 3, SubsampleThreshold = 0 });
        IReadOnlyList<SkipGramEpoch> epochs = trainer.Train(corpus);
        WordVectors vectors = trainer.Vectors();

        foreach (string word in vectors.Words)
        {
            IReadOnlyList<WordSimilarity> nearest = vectors.Nearest(word, 5);
            Assert.All(nearest, n => Assert.True(n.Word[0] == word[0], $"{word}'s neighbours: {string.Join(", ", nearest)}"));
        }
        Assert.True(epochs[^1].MeanLoss < epochs[0].MeanLoss, $"loss {epochs[0].MeanLoss} then {epochs[^1].MeanLoss}");
    }

    [Fact]
    public void A_seed_gives_the_same_vectors_and_another_seed_others()
    {
        (WordVocabulary vocabulary, WordCorpus corpus) = Prepare(TwoFamilies(200, 2));
        float[] Train(int seed)
        {
            var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 9, Epochs = 2, Seed = seed, SubsampleThreshold = 1e-2 });
            trainer.Train(corpus);
            WordVectors v = trainer.Vectors();
            return Enumerable.Range(0, v.Count).SelectMany(i => v[i].ToArray()).ToArray();
        }
        float[] first = Train(5);
        Assert.Equal(first, Train(5));
        Assert.NotEqual(first, Train(6));
    }

    [Fact]
    public void An_epoch_allocates_nothing_per_pair()
    {
        (WordVocabulary vocabulary, WordCorpus corpus) = Prepare(TwoFamilies(400, 3));
        var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 32, Epochs = 3, SubsampleThreshold = 0 });
        trainer.TrainEpoch(corpus); // grows the sentence buffer, compiles
        long before = GC.GetAllocatedBytesForCurrentThread();
        SkipGramEpoch epoch = trainer.TrainEpoch(corpus);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(epoch.Pairs > 5_000, $"{epoch.Pairs} pairs");
        // The epoch's record and its stopwatch: a few hundred bytes, whatever the number of pairs.
        Assert.True(allocated < 1_024, $"{allocated} bytes for {epoch.Pairs} pairs");
    }

    [Fact]
    public void Subsampling_keeps_a_frequent_word_with_probability_sqrt_t_over_f()
    {
        // "the" is 1/2 of the words, each other word 1/200: with t = 1e-3, "the" is kept with probability
        // sqrt(1e-3 / 0.5) = 0.0447 and the others with sqrt(0.2) = 0.447.
        var sentences = new List<List<string>>();
        for (int s = 0; s < 400; s++)
            sentences.Add(Enumerable.Range(0, 10).SelectMany(i => new[] { "the", "w" + ((s * 10 + i) % 100) }).ToList());
        (WordVocabulary vocabulary, WordCorpus corpus) = Prepare(sentences);
        var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 4, Epochs = 1, SubsampleThreshold = 1e-3 });
        SkipGramEpoch epoch = trainer.TrainEpoch(corpus);

        double expected = 4000 * Math.Sqrt(1e-3 / 0.5) + 4000 * Math.Sqrt(1e-3 / 0.005);
        double sigma = Math.Sqrt(4000 * 0.0447 * (1 - 0.0447) + 4000 * 0.447 * (1 - 0.447));
        Assert.True(Math.Abs(epoch.WordsKept - expected) < 5 * sigma, $"kept {epoch.WordsKept}, expected {expected:F0} ± {sigma:F0}");
    }

    [Fact]
    public void The_learning_rate_falls_linearly_over_all_epochs()
    {
        (WordVocabulary vocabulary, WordCorpus corpus) = Prepare(TwoFamilies(100, 4));
        var trainer = new SkipGramTrainer(vocabulary, new SkipGramOptions { Dimensions = 4, Epochs = 4, LearningRate = 0.1f });
        float[] rates = trainer.Train(corpus).Select(e => e.LearningRate).ToArray();

        // The rate of an epoch's last sentence: 1 - (words before it) / (4 x the corpus), for sentences of 8 words.
        int words = corpus.Tokens.Length;
        for (int e = 0; e < 4; e++)
            Assert.Equal(0.1 * (1 - ((e + 1) * words - 8) / (4.0 * words)), rates[e], 5);
    }

    [Fact]
    public void Bad_settings_and_an_empty_vocabulary_are_refused_by_name()
    {
        (WordVocabulary vocabulary, _) = Prepare(TwoFamilies(4, 5));
        Assert.Equal("Window", Assert.Throws<ArgumentOutOfRangeException>(() => new SkipGramTrainer(vocabulary, new SkipGramOptions { Window = 0 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SkipGramTrainer(vocabulary, new SkipGramOptions { LearningRate = float.NaN })).ParamName);
        Assert.Equal("SubsampleThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new SkipGramTrainer(vocabulary, new SkipGramOptions { SubsampleThreshold = -1 })).ParamName);
        WordVocabulary empty = WordVocabulary.Build([["a"]], minCount: 2);
        Assert.Contains("no word", Assert.Throws<ArgumentException>(() => new SkipGramTrainer(empty, new SkipGramOptions())).Message, StringComparison.Ordinal);
    }
}
