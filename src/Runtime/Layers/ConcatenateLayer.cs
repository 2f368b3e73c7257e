using System;
using System.Collections.Generic;
using SourceNet.Export;

namespace SourceNet;

/// <summary>
/// Joins two or more values along the channel axis: the C of channels-last images of one height and width, or the
/// features of vectors. It has no parameters; <see cref="Layer.Inputs"/> names the values, in order.
/// </summary>
public sealed class ConcatenateLayer : Layer
{
    private readonly LayerShape[] _inputShapes;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="inputShapes">The shape of each input, in order: all images of one height and width, or all vectors.</param>
    /// <param name="outputShape">The joined shape: the channels (or features) summed.</param>
    /// <exception cref="ArgumentException">Fewer than two inputs, or shapes that cannot be joined into <paramref name="outputShape"/>.</exception>
    public ConcatenateLayer(string name, LayerShape[] inputShapes, LayerShape outputShape)
        : base(name, First(name, inputShapes), outputShape)
    {
        int channels = 0;
        foreach (LayerShape shape in inputShapes)
        {
            bool joins = shape.Kind == outputShape.Kind && shape.Kind is (ShapeKind.Image or ShapeKind.Vector)
                && shape.Height == outputShape.Height && shape.Width == outputShape.Width;
            if (!joins)
                throw new ArgumentException($"Concatenate '{name}' joins images of one height and width, or vectors, into {outputShape}; an input is {shape}.", nameof(inputShapes));
            channels += shape.Channels;
        }
        if (channels != outputShape.Channels)
            throw new ArgumentException($"Concatenate '{name}': the inputs' {channels} channels do not make the output {outputShape}.", nameof(outputShape));
        _inputShapes = (LayerShape[])inputShapes.Clone();
    }

    /// <inheritdoc/>
    public override IReadOnlyList<LayerShape> InputShapes => _inputShapes;

    /// <summary><c>Concat</c> on axis 1: the channels of NCHW images, or the features of [N, F] vectors.</summary>
    public override OpValue Lower(IOpGraph graph, IReadOnlyList<OpValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != _inputShapes.Length)
            throw new ArgumentException($"Concatenate '{Name}' joins {_inputShapes.Length} values; it was given {inputs.Count}.", nameof(inputs));
        var names = new string[inputs.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = (OutputShape.IsImage ? graph.ToNchw(Name, inputs[i]) : graph.ToFeatures(Name, inputs[i])).Name;
        }
        string output = graph.Node("Concat", Name, names, OpAttribute.Integer("axis", 1));
        return new OpValue(output, OutputShape.IsImage ? OpLayout.Nchw : OpLayout.Features, OutputShape);
    }

    private static LayerShape First(string name, LayerShape[] inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Length < 2)
            throw new ArgumentException($"Concatenate '{name}' joins at least 2 values; it was given {inputShapes.Length}.", nameof(inputShapes));
        return inputShapes[0];
    }
}
