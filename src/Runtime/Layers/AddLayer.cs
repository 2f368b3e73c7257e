using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// The element-wise sum of two or more values of one shape: the merge of a residual (skip) connection. It has no
/// parameters; <see cref="Layer.Inputs"/> names the values it adds.
/// </summary>
public sealed class AddLayer : Layer
{
    private readonly LayerShape[] _inputShapes;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="shape">The shape of every input and of the output.</param>
    /// <param name="inputCount">How many values it adds, at least 2.</param>
    public AddLayer(string name, LayerShape shape, int inputCount)
        : base(name, shape, shape)
    {
        if (inputCount < 2)
            throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, $"Add '{name}' merges at least 2 values.");
        InputCount = inputCount;
        _inputShapes = new LayerShape[inputCount];
        Array.Fill(_inputShapes, shape);
    }

    /// <summary>How many values it adds.</summary>
    public int InputCount { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<LayerShape> InputShapes => _inputShapes;

    /// <summary>The activation applied after the layer's own computation (ReLU after a residual sum); the generator sets it.</summary>
    public LayerActivation Activation { get; init; } = LayerActivation.None;

    /// <summary>A chain of <c>Add</c>s, every input brought to one layout first (NCHW when an image input already is, else [N, features]).</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != InputCount)
            throw new ArgumentException($"Add '{Name}' adds {InputCount} values; it was given {inputs.Count}.", nameof(inputs));
        bool nchw = false;
        foreach (OpValue input in inputs)
        {
            nchw |= input.Layout == OpLayout.Nchw;
        }
        nchw &= OutputShape.IsImage;
        string sum = Bring(graph, inputs[0], nchw).Name;
        for (int i = 1; i < inputs.Count; i++)
        {
            sum = graph.Node("Add", Name, new[] { sum, Bring(graph, inputs[i], nchw).Name });
        }
        sum = Activation.Lower(graph, Name + "_" + Activation.Name, sum);
        return new OpValue(sum, nchw ? OpLayout.Nchw : OpLayout.Features, OutputShape);
    }

    private OpValue Bring(IOpGraph graph, OpValue value, bool nchw) => nchw ? graph.ToNchw(Name, value) : graph.ToFeatures(Name, value);
}
