using System;
using System.Collections.Generic;
using System.Threading;
using SourceNet.Data;

namespace SourceNet.Training;

/// <summary>
/// A training loop for any generated classifier: epochs of batches drawn by a <see cref="BatchSampler"/>,
/// one <see cref="IClassifier.TrainStep"/> each, then the accuracy on the validation data. It is the loop one
/// writes by hand, with the bookkeeping of <see cref="TrainingMonitor"/>: it allocates its batch buffers once
/// and nothing per step, so a step costs what calling <c>TrainStep</c> directly costs.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new Adam(1e-3f), new TrainerOptions { Epochs = 10 })
/// {
///     EpochCompleted = new Progress&lt;EpochResult&gt;(r => Console.WriteLine(r)),
/// };
/// trainer.Fit(new BatchSampler(trainImages, trainLabels, 784, new SeededRandom(2)), testImages, testLabels);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly IClassifier _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;

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
    }

    /// <summary>Receives progress within each epoch, at most once per <see cref="TrainerOptions.ProgressInterval"/>.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Receives each epoch's result, after its evaluation.</summary>
    public IProgress<EpochResult>? EpochCompleted { get; init; }

    /// <summary>Trains for <see cref="TrainerOptions.Epochs"/> epochs.</summary>
    /// <param name="train">Draws the training batches; its features must be <see cref="INetwork.InputSize"/> wide.</param>
    /// <param name="testFeatures">Validation features, evaluated after each epoch; null for none.</param>
    /// <param name="testLabels">Validation labels; null for none.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>One result per epoch.</returns>
    public IReadOnlyList<EpochResult> Fit(BatchSampler train, float[]? testFeatures = null, int[]? testLabels = null, CancellationToken cancellationToken = default)
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

        int batchSize = _options.BatchSize;
        bool shuffled = _options.Sampling == BatchSampling.ShuffledEpochs;
        int steps = shuffled
            ? (train.Count + batchSize - 1) / batchSize
            : _options.BatchesPerEpoch ?? Math.Max(1, train.Count / batchSize);
        var features = new float[batchSize * train.FeatureSize];
        var labels = new int[batchSize];
        var monitor = new TrainingMonitor(_options.Epochs, Progress, _options.ProgressInterval);
        var results = new List<EpochResult>(_options.Epochs);

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
            results.Add(result);
            EpochCompleted?.Report(result);
        }
        return results;
    }
}
