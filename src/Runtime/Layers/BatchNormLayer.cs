using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// Batch normalisation per channel (the C of an image (H, W, C), each feature of a vector): while training the
/// generated network normalises with the batch's statistics and folds them into the running ones; at inference it
/// uses <see cref="RunningMean"/> and <see cref="RunningVariance"/>: <c>y = Weight · (x - mean) / sqrt(var + Epsilon) + Bias</c>.
/// The state matches PyTorch's <c>nn.BatchNorm2d</c>/<c>nn.BatchNorm1d</c>: parameters <c>weight</c>, <c>bias</c>,
/// buffers <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
/// <remarks>
/// The buffers' <c>state_dict</c> names follow the weight's: once <c>Weight.MapToStateDict("bn.weight")</c> has run (as the
/// generated network does for every parameter), they are <c>bn.running_mean</c>, <c>bn.running_var</c> and
/// <c>bn.num_batches_tracked</c>. <see cref="MapToStateDict(string)"/> names all five at once.
/// </remarks>
public sealed class BatchNormLayer : Layer
{
    private readonly Parameter[] _parameters;
    private readonly StateBuffer[] _buffers;

    /// <summary>Creates the layer in PyTorch's initial state: weight 1, bias 0, running mean 0, running variance 1, no batches tracked.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="shape">The shape of one sample, in and out: an image (normalised per channel) or a vector (per feature).</param>
    /// <param name="momentum">PyTorch's momentum: <c>running = (1 - momentum) · running + momentum · batch</c>; PyTorch's default
    /// is 0.1, and Keras's <c>momentum=0.99</c> is 0.01 here.</param>
    /// <param name="epsilon">Added to the variance before the square root; PyTorch's default is 1e-5.</param>
    public BatchNormLayer(string name, LayerShape shape, float momentum, float epsilon)
        : base(name, shape, shape)
    {
        if (shape.Kind is not (ShapeKind.Image or ShapeKind.Vector))
            throw new ArgumentException($"BatchNorm '{name}' normalises an image or a vector, not {shape}.", nameof(shape));
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNorm '{name}': a momentum is in [0, 1] (PyTorch's default 0.1).");
        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNorm '{name}': epsilon is positive and finite (PyTorch's default 1e-5).");
        Momentum = momentum;
        Epsilon = epsilon;
        Channels = shape.Channels;
        Weight = new Parameter(name + ".Weight", 1, Channels);
        Weight.Fill(1f);
        Bias = new Parameter(name + ".Bias", 1, Channels);
        RunningMean = StateBuffer.Float32(name + ".RunningMean", new[] { Channels }, Weight, "running_mean");
        RunningVariance = StateBuffer.Float32(name + ".RunningVariance", new[] { Channels }, Weight, "running_var");
        RunningVariance.Fill(1f);
        BatchesTracked = StateBuffer.Int64(name + ".BatchesTracked", Array.Empty<int>(), Weight, "num_batches_tracked");
        _parameters = new[] { Weight, Bias };
        _buffers = new[] { RunningMean, RunningVariance, BatchesTracked };
    }

    /// <summary>Channels normalised: C of an image, the length of a vector.</summary>
    public int Channels { get; }

    /// <summary>PyTorch's momentum of the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>The scale (gamma), one per channel.</summary>
    public Parameter Weight { get; }

    /// <summary>The shift (beta), one per channel.</summary>
    public Parameter Bias { get; }

    /// <summary>The running mean, one per channel, float32; starts at 0.</summary>
    public StateBuffer RunningMean { get; }

    /// <summary>The running (unbiased) variance, one per channel, float32; starts at 1.</summary>
    public StateBuffer RunningVariance { get; }

    /// <summary>The number of training batches seen, an int64 scalar.</summary>
    public StateBuffer BatchesTracked { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<StateBuffer> Buffers => _buffers;

    /// <summary>Names the parameters and buffers as PyTorch's <c>state_dict</c> does: <c>{prefix}.weight</c>, <c>.bias</c>,
    /// <c>.running_mean</c>, <c>.running_var</c>, <c>.num_batches_tracked</c>.</summary>
    public void MapToStateDict(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Weight.MapToStateDict(prefix + ".weight");
        Bias.MapToStateDict(prefix + ".bias");
        RunningMean.MapToStateDict(prefix + ".running_mean");
        RunningVariance.MapToStateDict(prefix + ".running_var");
        BatchesTracked.MapToStateDict(prefix + ".num_batches_tracked");
    }

    /// <summary>The activation applied after the layer's own computation (ReLU after a residual sum); the generator sets it.</summary>
    public LayerActivation Activation { get; init; } = LayerActivation.None;

    /// <summary><c>BatchNormalization</c> in inference mode (the running statistics), on NCHW for images and on [N, C] for vectors.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        OpValue input = SingleInput(inputs);
        input = InputShape.IsImage ? graph.ToNchw(Name, input) : graph.ToFeatures(Name, input);
        // By their state_dict names (bn.weight, bn.running_mean), as the safetensors file holds them.
        string scale = graph.StateTensor(Weight);
        string bias = graph.StateTensor(Bias);
        string mean = graph.StateTensor(RunningMean);
        string variance = graph.StateTensor(RunningVariance);
        string output = graph.Node("BatchNormalization", Name, new[] { input.Name, scale, bias, mean, variance },
            OpAttribute.Real("epsilon", Epsilon));
        output = Activation.Lower(graph, Name + "_" + Activation.Name, output);
        return new OpValue(output, input.Layout, OutputShape);
    }
}
