using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SourceNet.Samples.CommandLine;
using SourceNet.Text;

namespace SourceNet.Samples.Word2Vec;

/// <summary>What one run of the sample is told.</summary>
/// <param name="Corpus">The verse file to train on.</param>
/// <param name="MinCount">Words seen fewer times are left out.</param>
/// <param name="Training">The skip-gram settings.</param>
/// <param name="Words">The words whose neighbours are printed, lower-cased.</param>
/// <param name="Neighbours">Neighbours printed per word.</param>
/// <param name="Output">Where the vectors are saved; null for nowhere.</param>
public sealed record Word2VecSettings(string Corpus, int MinCount, SkipGramOptions Training, IReadOnlyList<string> Words, int Neighbours, string? Output);

/// <summary>The sample's command line: the training settings with <see cref="SkipGramOptions"/>' defaults, the words to look up, the output file.</summary>
public sealed class Word2VecOptions
{
    /// <summary>The words looked up when none are given.</summary>
    public static IReadOnlyList<string> DefaultWords { get; } = ["god", "king", "water", "jesus"];

    private static readonly SkipGramOptions s_defaults = new();

    private readonly Argument<string[]> _words = new("words")
    {
        Description = $"Words whose nearest neighbours are printed [default: {string.Join(' ', DefaultWords)}]",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<string?> _corpus = new("--corpus") { Description = "A text of one verse a line, each starting with its reference, raw or .gz [default: the repo's data/kjv/kjv.txt.gz]", HelpName = "FILE" };
    private readonly Option<string?> _output = new("--output") { Description = "Save the vectors in the word2vec text format to FILE [default: vectors.txt]; 'none' saves nothing", HelpName = "FILE" };
    private readonly Option<int> _dimensions = SampleOptions.PositiveInt("--dimensions", "Length of each word vector", s_defaults.Dimensions);
    private readonly Option<int> _window = SampleOptions.PositiveInt("--window", "Widest context: up to N words either side of the centre word", s_defaults.Window);
    private readonly Option<int> _negatives = SampleOptions.PositiveInt("--negatives", "Negative words drawn per (centre, context) pair", s_defaults.Negatives);
    private readonly Option<int> _minCount = SampleOptions.PositiveInt("--min-count", "Leave out words seen fewer than N times", 5);
    private readonly Option<int> _epochs = SampleOptions.PositiveInt("--epochs", "Passes over the corpus", s_defaults.Epochs);
    private readonly Option<float> _learningRate = SampleOptions.PositiveFloat("--learning-rate", "Starting learning rate, falling linearly to 1e-4 of it", s_defaults.LearningRate);
    private readonly Option<double> _subsample = NonNegative("--subsample", "Subsampling threshold t: a word of frequency f is kept with probability sqrt(t / f); 0 keeps all", s_defaults.SubsampleThreshold);
    private readonly Option<int> _neighbours = SampleOptions.PositiveInt("--neighbours", "Nearest neighbours printed per word", 8);
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the initial vectors, the window widths, the subsampling and the negative draws", HelpName = "N", DefaultValueFactory = _ => 1 };

    /// <summary>A root command with every option.</summary>
    public RootCommand CreateCommand()
    {
        var command = new RootCommand("Learns word vectors from the King James Bible by skip-gram with negative sampling "
            + "(single-threaded, the same vectors for the same seed), prints the nearest words of a few words by cosine "
            + "similarity, and saves the vectors in the word2vec text format.");
        command.Arguments.Add(_words);
        foreach (Option option in new Option[] { _corpus, _output, _dimensions, _window, _negatives, _minCount, _epochs, _learningRate, _subsample, _neighbours, _seed })
        {
            command.Options.Add(option);
        }
        return command;
    }

    /// <summary>The settings of a parse without errors.</summary>
    public Word2VecSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string[] words = result.GetValue(_words) ?? [];
        string? output = result.GetValue(_output) ?? "vectors.txt";
        return new Word2VecSettings(
            Corpus: result.GetValue(_corpus) ?? CorpusFiles.FindDefault(),
            MinCount: result.GetValue(_minCount),
            Training: new SkipGramOptions
            {
                Dimensions = result.GetValue(_dimensions),
                Window = result.GetValue(_window),
                Negatives = result.GetValue(_negatives),
                Epochs = result.GetValue(_epochs),
                LearningRate = result.GetValue(_learningRate),
                SubsampleThreshold = result.GetValue(_subsample),
                Seed = result.GetValue(_seed),
            },
            Words: words.Length == 0 ? DefaultWords : words.Select(w => w.ToLowerInvariant()).ToArray(),
            Neighbours: result.GetValue(_neighbours),
            Output: output == "none" ? null : output);
    }

    private static Option<double> NonNegative(string name, string description, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, HelpName = "X", DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }
            string given = result.Tokens[^1].Value;
            if (!double.TryParse(given, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= 0) || !double.IsFinite(value))
            {
                result.AddError($"Option {name} needs 0 or a positive number; got '{given}'.");
                return 0;
            }
            return value;
        };
        return option;
    }
}
