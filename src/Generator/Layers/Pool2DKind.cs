using System.Collections.Generic;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A pooling layer's arguments, as written in <c>[MaxPool2D]</c> or <c>[AvgPool2D]</c>.</summary>
internal sealed record Pool2DSpec(
    string Name,
    string Accessibility,
    bool IsMax,
    int PoolHeight,
    int PoolWidth,
    int Stride,
    bool SamePadding) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => IsMax ? Pool2DKind.Max : Pool2DKind.Average;

    /// <summary><c>StrideY</c> and <c>StrideX</c> as written, 0 when not set (then <see cref="Stride"/> applies).</summary>
    public int DeclaredStrideY { get; init; }

    public int DeclaredStrideX { get; init; }

    /// <summary>
    /// The step between windows along each axis: <c>StrideY</c>/<c>StrideX</c> when written, else <c>Stride</c>, else
    /// (0) the window's own size along that axis (Keras' default).
    /// </summary>
    public int StrideY => DeclaredStrideY > 0 ? DeclaredStrideY : Stride == 0 ? PoolHeight : Stride;

    public int StrideX => DeclaredStrideX > 0 ? DeclaredStrideX : Stride == 0 ? PoolWidth : Stride;

    /// <summary>The strides as a summary shows them: <c>2</c>, or <c>2x1</c> when they differ.</summary>
    public string StrideText => StrideY == StrideX ? Text.Of(StrideY) : Text.Of(StrideY) + "x" + Text.Of(StrideX);

    /// <summary>The attribute argument that holds the window's size, for messages (square or not).</summary>
    public string SizeArgument { get; init; } = "poolSize";
}

/// <summary>
/// <c>[MaxPool2D(size)]</c> and <c>[AvgPool2D(size)]</c>: the largest value (whose position is kept for the
/// backward pass) or the mean of each window, channel by channel. No parameters.
/// </summary>
internal sealed class Pool2DKind : LayerKind
{
    public static readonly Pool2DKind Max = new(isMax: true);

    public static readonly Pool2DKind Average = new(isMax: false);

    private const string Kernels = "global::SourceNet.Kernels.Pool2D";

    private readonly bool _isMax;

    private Pool2DKind(bool isMax) => _isMax = isMax;

    public override string Name => _isMax ? "MaxPool2D" : "AvgPool2D";

    public override string AttributeName => _isMax ? "SourceNet.MaxPool2DAttribute" : "SourceNet.AvgPool2DAttribute";

    public override string RuntimeType => "SourceNet.Pool2DLayer";

    public override LayerSpec? Read(LayerReader reader)
    {
        bool? same = PaddingReader.Read(reader);
        if (same is null)
        {
            return null;
        }
        AttributeArguments a = reader.Arguments;
        bool square = a.Has("poolSize");
        return new Pool2DSpec(reader.Name, reader.Accessibility, _isMax,
            square ? a.Int("poolSize") : a.Int("poolHeight"),
            square ? a.Int("poolSize") : a.Int("poolWidth"),
            a.Int("Stride"), same.Value)
        {
            SizeArgument = square ? "poolSize" : "poolHeight",
            DeclaredStrideY = a.Int("StrideY"),
            DeclaredStrideX = a.Int("StrideX"),
        };
    }

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var pool = (Pool2DSpec)layer;
        Checks.Size(problems, pool.Name, pool.SizeArgument, pool.PoolHeight);
        if (pool.SizeArgument == "poolHeight")
        {
            Checks.Size(problems, pool.Name, "poolWidth", pool.PoolWidth);
        }
        // 0 means "the window's size"; a negative stride means nothing.
        Checks.Size(problems, pool.Name, "Stride", pool.Stride, minimum: 0);
        Checks.Size(problems, pool.Name, "StrideY", pool.DeclaredStrideY, minimum: 0);
        Checks.Size(problems, pool.Name, "StrideX", pool.DeclaredStrideX, minimum: 0);
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        var pool = (Pool2DSpec)layer;
        if (!Checks.Image(problems, pool.Name, Name, input) || pool.PoolHeight <= 0 || pool.PoolWidth <= 0 || pool.Stride < 0
            || pool.DeclaredStrideY < 0 || pool.DeclaredStrideX < 0)
        {
            return null;
        }
        string what = $"a {pool.PoolHeight}x{pool.PoolWidth} window";
        int height = Checks.Window(problems, pool.Name, what, input.Height, pool.PoolHeight, pool.StrideY, pool.SamePadding, "height", pool.SizeArgument);
        int width = height == 0 ? 0 : Checks.Window(problems, pool.Name, what, input.Width, pool.PoolWidth, pool.StrideX, pool.SamePadding, "width",
            pool.SizeArgument == "poolHeight" ? "poolWidth" : pool.SizeArgument);
        return height > 0 && width > 0 ? Shape.Image(height, width, input.Channels) : null;
    }

    public override IEnumerable<string> ConstantSuffixes => new[] { "Geometry", "Outputs" };

    public override IEnumerable<string> FieldSuffixes => _isMax ? new[] { "Argmax" } : System.Array.Empty<string>();

    public override void WriteDeclarations(LayerContext c)
    {
        var pool = (Pool2DSpec)c.Layer;
        Shape input = pool.In, output = pool.Out;
        int padTop = Checks.PadBefore(input.Height, pool.PoolHeight, pool.StrideY, pool.SamePadding);
        int padLeft = Checks.PadBefore(input.Width, pool.PoolWidth, pool.StrideX, pool.SamePadding);
        c.W.Line($"// {pool.Name}: {input} -> {output}, {pool.PoolHeight}x{pool.PoolWidth} windows, stride {pool.StrideText}, {(pool.SamePadding ? $"same padding (top {padTop}, left {padLeft})" : "valid padding")}");
        c.W.Line($"private static readonly global::SourceNet.Kernels.Pool2DGeometry {c.Constant("Geometry")} = new(" +
            $"InputHeight: {input.Height}, InputWidth: {input.Width}, Channels: {input.Channels}, PoolHeight: {pool.PoolHeight}, PoolWidth: {pool.PoolWidth}, " +
            $"StrideY: {pool.StrideY}, StrideX: {pool.StrideX}, PadTop: {padTop}, PadLeft: {padLeft}, OutputHeight: {output.Height}, OutputWidth: {output.Width});");
        c.W.Line($"private const int {c.Constant("Outputs")} = {Text.Of(output.Elements)};");
        if (_isMax)
        {
            c.W.Line($"private readonly int[] {c.Member("Argmax")};");
        }
    }

    public override void WriteAllocations(LayerContext c)
    {
        if (_isMax)
        {
            c.W.Line($"{c.Member("Argmax")} = new int[maxBatchSize * {c.Constant("Outputs")}];");
        }
    }

    public override string OutputElements(LayerContext c) => c.Constant("Outputs");

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.Pool2DLayer(\"{c.Layer.Name}\", {c.Constant("Geometry")}, global::SourceNet.Pool2DMode.{(_isMax ? "Max" : "Average")})";

    public override void WriteForward(LayerContext c)
    {
        if (_isMax)
        {
            c.W.Line($"// {c.Layer.Name}: the largest value of each window, and where it was for the backward pass");
            c.W.Line($"{Kernels}.MaxForward({c.Constant("Geometry")}, batch, {c.Input}, {c.Output}, {c.Member("Argmax")});");
        }
        else
        {
            c.W.Line($"// {c.Layer.Name}: the mean of each window");
            c.W.Line($"{Kernels}.AverageForward({c.Constant("Geometry")}, batch, {c.Input}, {c.Output});");
        }
    }

    public override void WriteBackward(LayerContext c)
    {
        if (c.InputGradient is not { } dx)
        {
            return;
        }
        if (_isMax)
        {
            c.W.Line($"// {c.Layer.Name}: each window's gradient goes to the position that won it");
            c.W.Line($"{Kernels}.MaxBackward({c.Constant("Geometry")}, batch, {c.OutputGradient}, {c.Member("Argmax")}, {dx});");
        }
        else
        {
            c.W.Line($"// {c.Layer.Name}: each window's gradient is shared equally by its positions");
            c.W.Line($"{Kernels}.AverageBackward({c.Constant("Geometry")}, batch, {c.OutputGradient}, {dx});");
        }
    }

    public override string Describe(LayerSpec layer)
    {
        var pool = (Pool2DSpec)layer;
        return $"{Name} {pool.PoolHeight}x{pool.PoolWidth}, stride {pool.StrideText}, {(pool.SamePadding ? "same" : "valid")}";
    }
}
