using System;
using System.Collections.Generic;

namespace SourceNet.Kernels;

/// <summary>
/// A generated network's side of a training step split by samples (<see cref="TrainingChunks"/>): forward, loss and
/// backward of one chunk of the batch on the network's own buffers, and the replicas that give every other chunk
/// buffers of its own.
/// </summary>
/// <remarks>Implemented by generated networks whose layers keep samples apart (no batch statistics); not meant to be
/// called by user code.</remarks>
public interface ITrainingChunk : INetwork
{
    /// <summary>A network that shares this one's parameter values and has everything else of its own: activations,
    /// gradients (its <see cref="INetwork.Parameters"/> have their own <see cref="Parameter.Gradient"/>), scratch
    /// buffers and random generators. It holds chunks of up to <paramref name="maxBatchSize"/> samples.</summary>
    ITrainingChunk CreateTrainingReplica(int maxBatchSize);

    /// <summary>
    /// Forward pass (training mode), loss and backward pass over samples [<paramref name="start"/>,
    /// <paramref name="start"/> + <paramref name="count"/>) of a batch of <paramref name="batch"/>, without any
    /// update: assigns this network's parameter gradients, their share of the batch's mean loss (the loss gradient
    /// is divided by <paramref name="batch"/>, not by <paramref name="count"/>). Returns the chunk's summed loss.
    /// </summary>
    double TrainChunk(int start, int count, int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets);

    /// <summary>
    /// The weight whose gradient <see cref="TrainChunk"/> leaves unassigned, or null (the default): the largest dense
    /// layer's (the tutorial MLP's first layer, the deep MNIST CNN's 3136x1024 hidden layer). <see cref="TrainingChunks"/> assigns it
    /// afterwards with <see cref="WeightGradientRows"/>, block of rows by block of rows on every thread, each block
    /// summed over the chunks and updated at once, so the gradient never leaves the core's cache.
    /// </summary>
    Parameter? DeferredWeight => null;

    /// <summary>
    /// Writes rows [<paramref name="firstRow"/>, firstRow + <paramref name="rowCount"/>) of
    /// <see cref="DeferredWeight"/>'s gradient into <paramref name="gradientRows"/> (rowCount x columns), from the
    /// operands that the last <see cref="TrainChunk"/> (samples [<paramref name="start"/>, start +
    /// <paramref name="count"/>) of <paramref name="inputs"/>) left: the inputs themselves or its layer's input
    /// activations, and its dZ, in this network's buffers. Gives the bits the whole product would.
    /// </summary>
    /// <exception cref="NotSupportedException">The network defers no weight gradient.</exception>
    void WeightGradientRows(int firstRow, int rowCount, int start, int count, ReadOnlySpan<float> inputs, Span<float> gradientRows) =>
        throw new NotSupportedException($"{GetType().Name} defers no weight gradient ({nameof(DeferredWeight)} is null).");
}

/// <summary>What a generated network's training-replica constructor takes: the network whose parameter values the
/// replica shares, and the chunk size its buffers hold. A type of its own, so the constructor cannot clash with one
/// the user's class declares.</summary>
/// <param name="Source">The network to replicate.</param>
/// <param name="MaxBatchSize">The most samples a chunk holds.</param>
public readonly record struct TrainingReplicaOf<TNetwork>(TNetwork Source, int MaxBatchSize)
    where TNetwork : class
{
    /// <summary>Makes each of <paramref name="replica"/>'s parameters read and write the values of the parameter at
    /// the same position in <paramref name="source"/> (its gradient stays its own). Called by the generated replica
    /// constructor.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or a pair in size.</exception>
    public static void ShareValues(IReadOnlyList<Parameter> replica, IReadOnlyList<Parameter> source) =>
        ShareValues(replica, source, deferred: null);

    /// <summary>As <see cref="ShareValues(IReadOnlyList{Parameter}, IReadOnlyList{Parameter})"/>, and drops the
    /// gradient array of <paramref name="deferred"/> (one of <paramref name="replica"/>'s parameters, or null): the
    /// replica's <see cref="ITrainingChunk.DeferredWeight"/>, whose gradient <see cref="TrainingChunks"/> computes by
    /// rows and never reads from the replica (12.8 MB in the deep MNIST CNN, 940 KB in the tutorial's MLP).</summary>
    /// <exception cref="ArgumentException">The lists differ in length or a pair in size, or <paramref name="deferred"/>
    /// is not one of <paramref name="replica"/>'s parameters.</exception>
    public static void ShareValues(IReadOnlyList<Parameter> replica, IReadOnlyList<Parameter> source, Parameter? deferred)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(source);
        if (replica.Count != source.Count)
            throw new ArgumentException($"The replica has {replica.Count} parameters; its source has {source.Count}.", nameof(replica));
        bool found = deferred is null;
        for (int i = 0; i < replica.Count; i++)
            found |= ReferenceEquals(replica[i], deferred);
        if (!found)
            throw new ArgumentException($"The deferred weight {deferred!.Name} is not one of the replica's {replica.Count} parameters.", nameof(deferred));
        for (int i = 0; i < replica.Count; i++)
            replica[i].ShareValues(source[i], ownGradient: !ReferenceEquals(replica[i], deferred));
    }
}
