using System.CommandLine;
using System.Globalization;
using SourceNet.Samples.CommandLine;
using SourceNet.Text;

namespace SourceNet.Samples.Word2Vec;

/// <summary>
/// The sample: reads the verses, builds the vocabulary, checks the words asked about and the output path (so a run
/// is never lost to either), trains with one line per epoch, prints the nearest neighbours and saves the vectors.
/// </summary>
/// <remarks>Exit codes: 0 done; 1 the corpus could not be read or the vectors could not be written; 2 the command line
/// cannot be run (a bad value, a path that cannot be written, a word not in the vocabulary).</remarks>
public static class Word2VecApp
{
    /// <summary>Runs the sample with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new Word2VecOptions();
        RootCommand command = options.CreateCommand();
        return SampleCommandLine.Run(command, args, output, error, SampleCommandLine.VersionLine(typeof(Word2VecApp).Assembly),
            result => Train(command, options.Read(result), output, error));
    }

    private static int Train(RootCommand command, Word2VecSettings settings, TextWriter output, TextWriter error)
    {
        if (settings.Output is { } path && OutputPaths.CheckFile("--output", path) is { } unwritable)
        {
            return SampleCommandLine.Refuse(command, error, unwritable);
        }
        List<string> verses;
        try
        {
            verses = VerseText.ReadVerses(settings.Corpus);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"Cannot read the corpus '{settings.Corpus}': {e.Message}");
            return 1;
        }

        List<IReadOnlyList<string>> sentences = verses.Select(v => (IReadOnlyList<string>)WordTokenizer.Tokenize(v)).ToList();
        WordVocabulary vocabulary = WordVocabulary.Build(sentences, settings.MinCount);
        string corpusName = Path.GetFileName(settings.Corpus);
        if (vocabulary.Count == 0)
        {
            return SampleCommandLine.Refuse(command, error, $"No word of {corpusName} is seen {settings.MinCount:N0} times: lower --min-count.");
        }
        string[] unknown = settings.Words.Where(w => !vocabulary.TryGetId(w, out _)).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            return SampleCommandLine.Refuse(command, error, string.Create(CultureInfo.InvariantCulture,
                $"Not in the vocabulary: {string.Join(", ", unknown.Select(w => $"'{w}'"))} (it holds the {vocabulary.Count:N0} words seen at least {settings.MinCount} times in {corpusName}; words are lower case)."));
        }
        SkipGramOptions training = settings.Training;
        if ((long)vocabulary.Count * training.Dimensions > Array.MaxLength)
        {
            return SampleCommandLine.Refuse(command, error, string.Create(CultureInfo.InvariantCulture,
                $"--dimensions {training.Dimensions}: {vocabulary.Count:N0} words x {training.Dimensions:N0} dimensions do not fit in one array; at most {Array.MaxLength / vocabulary.Count:N0}."));
        }

        WordCorpus corpus = WordCorpus.Create(sentences, vocabulary);
        long words = sentences.Sum(s => (long)s.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{corpusName}: {verses.Count:N0} verses, {words:N0} words; vocabulary: {vocabulary.Count:N0} words seen at least {settings.MinCount} times ({corpus.Tokens.Length:N0} of the words)."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Skip-gram with negative sampling: {training.Dimensions} dimensions, window {training.Window}, {training.Negatives} negatives, subsampling {training.SubsampleThreshold}, {training.Epochs} epochs, learning rate {training.LearningRate} falling linearly, seed {training.Seed}, 1 thread."));
        output.WriteLine();

        var trainer = new SkipGramTrainer(vocabulary, training);
        trainer.Train(corpus, epoch => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Epoch: {epoch.Epoch}, loss={epoch.MeanLoss:F4}, words={epoch.WordsKept:N0}, pairs={epoch.Pairs:N0}, learning rate={epoch.LearningRate:G3}, {epoch.Seconds:F1} s")));
        WordVectors vectors = trainer.Vectors();

        output.WriteLine();
        output.WriteLine("Nearest words by cosine similarity:");
        int width = settings.Words.Max(w => w.Length);
        foreach (string word in settings.Words)
        {
            IEnumerable<string> neighbours = vectors.Nearest(word, settings.Neighbours)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Word} {n.Similarity:F3}"));
            output.WriteLine($"  {word.PadRight(width)}  {string.Join(", ", neighbours)}");
        }

        if (settings.Output is { } file)
        {
            try
            {
                Word2VecText.Save(vectors, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"Cannot write the vectors to '{file}': {e.Message}");
                return 1;
            }
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Saved {vectors.Count:N0} vectors of {vectors.Dimensions} dimensions to {file} (word2vec text format)."));
        }
        return 0;
    }
}
