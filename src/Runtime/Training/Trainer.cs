using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using SourceNet.Checkpoints;
using SourceNet.Data;

namespace SourceNet.Training;

/// <summary>
/// A training loop for any generated classifier: epochs of batches drawn by a <see cref="BatchSampler"/>,
/// one <see cref="IClassifier{TInput}.TrainStep"/> each, then the accuracy on the validation data. It is the loop one
/// writes by hand, with the bookkeeping of <see cref="TrainingMonitor"/>: its batch buffers are made once, with
/// the trainer, and nothing is allocated per step or per <see cref="Fit(BatchSampler, float[], int[], CancellationToken)"/>
/// call, so a step costs what calling <c>TrainStep</c> directly costs. With <see cref="TrainerOptions.ValidationSplit"/>
/// and <see cref="TrainerOptions.EarlyStopping"/> it holds out validation data and stops when the validation metric
/// stops improving, keeping the best parameters, as Keras' <c>fit</c> does with those callbacks.
/// </summary>
/// <remarks>A trainer, like the network it trains, is used by one thread at a time.</remarks>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new Adam(1e-3f), new TrainerOptions { Epochs = 10 })
/// {
///     EpochCompleted = new EpochPrinter(), // your IProgress&lt;EpochResult&gt;; Progress&lt;T&gt; would post its lines later, on the thread pool
/// };
/// trainer.Fit(new BatchSampler(trainImages, trainLabels, 784, new SeededRandom(2)), testImages, testLabels);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly IClassifier _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;

    // One batch: made with the trainer, not per Fit (100 MNIST images are 313,600 bytes, a large-object-heap block).
    private readonly float[] _batchFeatures;
    private readonly int[] _batchLabels;

    // The best epoch's parameters under early stopping; made on first use, then reused.
    private float[][]? _best;

    /// <summary>Creates a trainer of <paramref name="network"/> with <paramref name="optimizer"/>.</summary>
    public Trainer(IClassifier network, Optimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new TrainerOptions();
        options.Validate();
        if (options.BatchSize > network.MaxBatchSize)
        {
            throw new ArgumentException(
                $"Batches of {options.BatchSize} do not fit the network's buffers ({network.MaxBatchSize} samples): create it with maxBatchSize: {options.BatchSize}.",
                nameof(options));
        }
        _network = network;
        _optimizer = optimizer;
        _options = options;
        _batchFeatures = new float[(long)options.BatchSize * network.InputSize];
        _batchLabels = new int[options.BatchSize];
    }

    /// <summary>Receives progress within each epoch, at most once per <see cref="TrainerOptions.ProgressInterval"/>.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Receives each epoch's result, after its evaluation.</summary>
    public IProgress<EpochResult>? EpochCompleted { get; init; }

    /// <summary>
    /// Trains on <paramref name="train"/>, validating on <paramref name="validation"/> or, with
    /// <see cref="TrainerOptions.ValidationSplit"/>, on a seeded random part of <paramref name="train"/> held out
    /// from training (Keras' <c>validation_data</c> and <c>validation_split</c>).
    /// </summary>
    /// <param name="train">The training samples (a CSV's, an image folder's, or yours).</param>
    /// <param name="random">Draws the batches.</param>
    /// <param name="validation">Validation samples; null for none, or for <see cref="TrainerOptions.ValidationSplit"/>'s.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>One result per epoch run, and what early stopping decided.</returns>
    /// <exception cref="ArgumentException">Both <paramref name="validation"/> and a validation split are given, or the
    /// samples' size is not the network's input size.</exception>
    public TrainingHistory Fit(LabeledData train, SeededRandom random, LabeledData? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(random);
        if (_options.ValidationSplit > 0)
        {
            if (validation is not null)
            {
                throw new ArgumentException("Give validation data or a ValidationSplit, not both.", nameof(validation));
            }
            (train, validation) = train.Split(_options.ValidationSplit, _options.ValidationSeed);
        }
        if (validation is not null && validation.FeatureSize != _network.InputSize)
        {
            throw new ArgumentException($"The validation samples have {validation.FeatureSize} features; the network takes {_network.InputSize}.", nameof(validation));
        }
        return Run(train.CreateSampler(random), validation?.Features, validation?.Labels, cancellationToken);
    }

    /// <summary>Trains for <see cref="TrainerOptions.Epochs"/> epochs, fewer if <see cref="TrainerOptions.EarlyStopping"/> stops it.</summary>
    /// <param name="train">Draws the training batches; its features must be <see cref="INetwork.InputSize"/> wide.</param>
    /// <param name="testFeatures">Validation features, evaluated after each epoch; null for none.</param>
    /// <param name="testLabels">Validation labels; null for none.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>One result per epoch run, and what early stopping decided.</returns>
    /// <exception cref="InvalidOperationException"><see cref="TrainerOptions.ValidationSplit"/> is set: a sampler cannot be split;
    /// use <see cref="Fit(LabeledData, SeededRandom, LabeledData?, CancellationToken)"/>.</exception>
    public TrainingHistory Fit(BatchSampler train, float[]? testFeatures = null, int[]? testLabels = null, CancellationToken cancellationToken = default)
    {
        if (_options.ValidationSplit > 0)
        {
            throw new InvalidOperationException(
                "ValidationSplit holds out samples before batches are drawn, which a BatchSampler cannot do: call Fit(LabeledData, SeededRandom) instead, or give the validation data here.");
        }
        return Run(train, testFeatures, testLabels, cancellationToken);
    }

    private TrainingHistory Run(BatchSampler train, float[]? testFeatures, int[]? testLabels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.FeatureSize != _network.InputSize)
        {
            throw new ArgumentException($"The sampler's samples have {train.FeatureSize} features; the network takes {_network.InputSize}.", nameof(train));
        }
        if ((testFeatures is null) != (testLabels is null))
        {
            throw new ArgumentException("Give both validation features and labels, or neither.", nameof(testLabels));
        }
        EarlyStopping? stopping = _options.EarlyStopping;
        if (stopping is not null && testFeatures is null)
        {
            throw new ArgumentException("Early stopping watches a validation metric: give validation data or set ValidationSplit.", nameof(testFeatures));
        }

        int batchSize = _options.BatchSize;
        bool shuffled = _options.Sampling == BatchSampling.ShuffledEpochs;
        int steps = shuffled
            ? (train.Count + batchSize - 1) / batchSize
            : _options.BatchesPerEpoch ?? Math.Max(1, train.Count / batchSize);
        float[] features = _batchFeatures;
        int[] labels = _batchLabels;
        var monitor = new TrainingMonitor(_options.Epochs, Progress, _options.ProgressInterval);
        var results = new List<EpochResult>(Math.Min(_options.Epochs, 256));
        var best = new BestEpoch(stopping);

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            if (shuffled)
            {
                train.BeginEpoch();
            }
            monitor.BeginEpoch(epoch, steps);
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = batchSize;
                if (shuffled)
                {
                    count = train.NextShuffledBatch(features, labels);
                }
                else
                {
                    train.NextRandomBatch(features, labels);
                }
                monitor.Step(_network.TrainStep(features.AsSpan(0, count * train.FeatureSize), labels.AsSpan(0, count), _optimizer));
            }
            double accuracy = testFeatures is null ? double.NaN : _network.Evaluate(testFeatures, testLabels);
            EpochResult result = monitor.EndEpoch(accuracy);
            if (stopping?.Metric == ValidationMetric.Loss)
            {
                result = result with { ValidationLoss = _network.ComputeLoss(testFeatures, testLabels) };
            }
            results.Add(result);
            EpochCompleted?.Report(result);
            if (stopping is not null && best.EndEpoch(this, result))
            {
                break;
            }
        }

        bool restore = stopping is { RestoreBestParameters: true } && best.Epoch > 0 && best.Epoch != results.Count;
        if (restore)
        {
            RestoreBest();
        }
        return new TrainingHistory(results, best.Epoch, results.Count < _options.Epochs, restore);
    }

    private void SaveBest(int epoch, EarlyStopping stopping, double value)
    {
        IReadOnlyList<Parameter> parameters = _network.Parameters;
        if (stopping.RestoreBestParameters)
        {
            if (_best is null || _best.Length != parameters.Count)
            {
                _best = new float[parameters.Count][];
                for (int i = 0; i < _best.Length; i++)
                {
                    _best[i] = new float[parameters[i].Length];
                }
            }
            for (int i = 0; i < _best.Length; i++)
            {
                parameters[i].Value.CopyTo(_best[i], 0);
            }
        }
        if (stopping.CheckpointPath is string path)
        {
            var metadata = new CheckpointMetadata();
            metadata.Set("epoch", epoch);
            metadata.Set("metric", stopping.Metric == ValidationMetric.Loss ? "val_loss" : "val_accuracy");
            metadata.Set("value", value.ToString("R", CultureInfo.InvariantCulture));
            Checkpoint.Save(path, _network, _optimizer, metadata);
        }
    }

    private void RestoreBest()
    {
        IReadOnlyList<Parameter> parameters = _network.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            _best![i].CopyTo(parameters[i].Value, 0);
        }
    }

    /// <summary>Early stopping's state within one run: the best metric, its epoch, the epochs since.</summary>
    private struct BestEpoch(EarlyStopping? stopping)
    {
        private double _value = stopping?.Worst ?? double.NaN;
        private int _wait;

        public int Epoch { get; private set; }

        /// <summary>Records the epoch's metric; true when the run should stop.</summary>
        public bool EndEpoch(Trainer trainer, in EpochResult result)
        {
            double current = stopping!.Metric == ValidationMetric.Loss ? result.ValidationLoss : result.TestAccuracy;
            if (stopping.IsImprovement(current, _value))
            {
                _value = current;
                Epoch = result.Epoch;
                _wait = 0;
                trainer.SaveBest(result.Epoch, stopping, current);
                return false;
            }
            return ++_wait >= Math.Max(1, stopping.Patience);
        }
    }
}
