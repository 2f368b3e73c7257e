using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace SourceNet.Text;

/// <summary>
/// Learns word vectors by skip-gram with negative sampling (Mikolov et al., 2013): each word's input vector is
/// trained to score the output vectors of the words around it high, and those of a few words drawn at random low.
/// Words that share contexts end with similar input vectors, which <see cref="Vectors"/> returns.
/// </summary>
/// <remarks>
/// <para>Per epoch and sentence: the frequent words are thinned (<see cref="SkipGramOptions.SubsampleThreshold"/>),
/// then every remaining word is a centre, with a window width drawn from 1 to <see cref="SkipGramOptions.Window"/>;
/// each context in the window, with <see cref="SkipGramOptions.Negatives"/> words drawn from the unigram
/// distribution raised to 0.75, makes one SGD step (see docs/word2vec.md for the gradients). The learning rate falls
/// linearly with the words processed, over all epochs. Input vectors start uniform in ±0.5 / dimensions, output
/// vectors at zero.</para>
/// <para>Training runs on one thread, so a seed gives the same vectors on every run on a machine (the vector
/// kernels' summation order depends on the instruction set, so another CPU may differ in the last bits). The updates
/// are sequential by nature; threads updating shared vectors without locks (as the original tool does) would make
/// the result depend on timing. One epoch of the King James Bible takes a few seconds.</para>
/// <para>Steps allocate nothing: the scratch buffers are made once.</para>
/// </remarks>
public sealed class SkipGramTrainer
{
    private readonly WordVocabulary _vocabulary;
    private readonly SkipGramOptions _options;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly float[] _centerGradient;
    private readonly int[] _negatives;
    private readonly double[] _keepProbability;
    private readonly NegativeSampler _sampler;
    private readonly SeededRandom _random;
    private int[] _sentence = new int[64];
    private long _wordsProcessed;

    /// <summary>Creates the vectors of <paramref name="vocabulary"/>'s words with <paramref name="options"/>' settings and seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (<see cref="SkipGramOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">The vocabulary is empty, or its vectors would not fit in one array.</exception>
    public SkipGramTrainer(WordVocabulary vocabulary, SkipGramOptions options)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (vocabulary.Count == 0)
            throw new ArgumentException("The vocabulary has no word: lower the minimum count or give a larger corpus.", nameof(vocabulary));
        long size = (long)vocabulary.Count * options.Dimensions;
        if (size > Array.MaxLength)
            throw new ArgumentException($"{vocabulary.Count:N0} words x {options.Dimensions:N0} dimensions = {size:N0} floats, more than one array holds ({Array.MaxLength:N0}).", nameof(options));
        _vocabulary = vocabulary;
        _options = options;
        _random = new SeededRandom(options.Seed);
        _input = new float[size];
        _output = new float[size];
        float scale = 0.5f / options.Dimensions;
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (2f * _random.NextSingle() - 1f) * scale;
        }
        _centerGradient = new float[options.Dimensions];
        _negatives = new int[options.Negatives];
        _sampler = new NegativeSampler(vocabulary);
        _keepProbability = new double[vocabulary.Count];
        for (int i = 0; i < vocabulary.Count; i++)
        {
            double frequency = (double)vocabulary.CountOf(i) / vocabulary.TotalCount;
            _keepProbability[i] = options.SubsampleThreshold == 0 ? 1 : Math.Min(1, Math.Sqrt(options.SubsampleThreshold / frequency));
        }
    }

    /// <summary>The vocabulary the vectors belong to.</summary>
    public WordVocabulary Vocabulary => _vocabulary;

    /// <summary>The settings.</summary>
    public SkipGramOptions Options => _options;

    /// <summary>Epochs trained so far.</summary>
    public int EpochsDone { get; private set; }

    /// <summary>Trains <see cref="SkipGramOptions.Epochs"/> epochs on <paramref name="corpus"/>, calling <paramref name="onEpoch"/> after each.</summary>
    public IReadOnlyList<SkipGramEpoch> Train(WordCorpus corpus, Action<SkipGramEpoch>? onEpoch = null)
    {
        var epochs = new List<SkipGramEpoch>();
        while (EpochsDone < _options.Epochs)
        {
            SkipGramEpoch epoch = TrainEpoch(corpus);
            epochs.Add(epoch);
            onEpoch?.Invoke(epoch);
        }
        return epochs;
    }

    /// <summary>
    /// One pass over <paramref name="corpus"/> (whose ids must be this trainer's vocabulary's). The learning rate
    /// schedule assumes <see cref="SkipGramOptions.Epochs"/> passes over a corpus of this length; past them it stays at its floor.
    /// </summary>
    /// <exception cref="ArgumentException">The corpus holds an id outside the vocabulary.</exception>
    public SkipGramEpoch TrainEpoch(WordCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ReadOnlySpan<int> tokens = corpus.Tokens;
        ReadOnlySpan<int> starts = corpus.SentenceStarts;
        foreach (int id in tokens)
        {
            if ((uint)id >= (uint)_vocabulary.Count)
                throw new ArgumentException($"The corpus holds word id {id}, outside this vocabulary of {_vocabulary.Count} words.", nameof(corpus));
        }
        var clock = Stopwatch.StartNew();
        int dimensions = _options.Dimensions;
        double plannedWords = (double)_options.Epochs * Math.Max(1, tokens.Length);
        float learningRate = _options.LearningRate;
        long kept = 0, pairs = 0;
        double lossSum = 0;
        for (int s = 0; s < corpus.SentenceCount; s++)
        {
            int first = starts[s], end = starts[s + 1];
            learningRate = _options.LearningRate * (float)Math.Max(1e-4, 1 - _wordsProcessed / plannedWords);
            _wordsProcessed += end - first;
            int length = Subsample(tokens[first..end]);
            kept += length;
            for (int i = 0; i < length; i++)
            {
                int width = 1 + _random.NextInt(_options.Window);
                Span<float> center = _input.AsSpan(_sentence[i] * dimensions, dimensions);
                int from = Math.Max(0, i - width), to = Math.Min(length - 1, i + width);
                for (int j = from; j <= to; j++)
                {
                    if (j == i)
                        continue;
                    int context = _sentence[j];
                    int drawn = 0;
                    for (int k = 0; k < _negatives.Length; k++)
                    {
                        int negative = _sampler.Next(_random);
                        // A draw of the context itself would push it both ways: it is skipped.
                        if (negative != context)
                            _negatives[drawn++] = negative;
                    }
                    lossSum += SkipGramUpdate.Apply(center, _output, context, _negatives.AsSpan(0, drawn), learningRate, _centerGradient);
                    pairs++;
                }
            }
        }
        EpochsDone++;
        return new SkipGramEpoch(EpochsDone, kept, pairs, pairs == 0 ? 0 : lossSum / pairs, learningRate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The input vectors (the word vectors), copied.</summary>
    public WordVectors Vectors() => new(_vocabulary.Words, _input.AsSpan(), _options.Dimensions);

    /// <summary>Copies the sentence's words that survive subsampling into the sentence buffer; returns how many.</summary>
    private int Subsample(ReadOnlySpan<int> sentence)
    {
        if (_sentence.Length < sentence.Length)
            _sentence = new int[Math.Max(sentence.Length, 2 * _sentence.Length)];
        int length = 0;
        foreach (int id in sentence)
        {
            double keep = _keepProbability[id];
            if (keep >= 1 || _random.NextDouble() < keep)
                _sentence[length++] = id;
        }
        return length;
    }
}
