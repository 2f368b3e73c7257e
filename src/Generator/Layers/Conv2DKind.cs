using System.Collections.Generic;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Emit;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Model;
using SourceNet.Generator.Parsing;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Layers;

/// <summary>A convolution's arguments, as written in <c>[Conv2D]</c>.</summary>
internal sealed record Conv2DSpec(
    string Name,
    string Accessibility,
    int Filters,
    int KernelHeight,
    int KernelWidth,
    int Stride,
    bool SamePadding,
    ActivationSpec Function,
    float WeightStdDev,
    float BiasStdDev) : LayerSpec(Name, Accessibility)
{
    public override LayerKind Kind => Conv2DKind.Instance;

    public override ActivationSpec? Activation => Function;

    /// <summary>The attribute argument that holds the kernel's size, for messages (square or not).</summary>
    public string KernelArgument { get; init; } = "kernelSize";

    /// <summary><c>StrideY</c> and <c>StrideX</c> as written, 0 when not set (then <see cref="Stride"/> applies).</summary>
    public int DeclaredStrideY { get; init; }

    public int DeclaredStrideX { get; init; }

    /// <summary>The step between output rows and between output columns.</summary>
    public int StrideY => DeclaredStrideY > 0 ? DeclaredStrideY : Stride;

    public int StrideX => DeclaredStrideX > 0 ? DeclaredStrideX : Stride;

    /// <summary>The strides as a summary shows them: <c>2</c>, or <c>2x1</c> when they differ.</summary>
    public string StrideText => StrideY == StrideX ? Text.Of(StrideY) : Text.Of(StrideY) + "x" + Text.Of(StrideX);
}

/// <summary>
/// <c>[Conv2D(filters, kernel, activation)]</c> over a channels-last image: the runtime's
/// <c>SourceNet.Kernels.Conv2D</c> computes it with the bias and activation fused into the epilogue, and its
/// backward pass gives the input's, the kernels' and the biases' gradients.
/// </summary>
internal sealed class Conv2DKind : LayerKind
{
    public static readonly Conv2DKind Instance = new();

    private const string Kernels = "global::SourceNet.Kernels.Conv2D";

    public override string Name => "Conv2D";

    public override string AttributeName => "SourceNet.Conv2DAttribute";

    public override string RuntimeType => "SourceNet.Conv2DLayer";

    public override LayerSpec? Read(LayerReader reader)
    {
        ActivationSpec? activation = reader.ReadActivation();
        bool? same = PaddingReader.Read(reader);
        if (activation is null || same is null)
        {
            return null;
        }
        AttributeArguments a = reader.Arguments;
        bool square = a.Has("kernelSize");
        return new Conv2DSpec(reader.Name, reader.Accessibility, a.Int("filters"),
            square ? a.Int("kernelSize") : a.Int("kernelHeight"),
            square ? a.Int("kernelSize") : a.Int("kernelWidth"),
            a.Int("Stride"), same.Value, activation, a.Float("WeightStdDev"), a.Float("BiasStdDev"))
        {
            KernelArgument = square ? "kernelSize" : "kernelHeight",
            DeclaredStrideY = a.Int("StrideY"),
            DeclaredStrideX = a.Int("StrideX"),
        };
    }

    public override void CheckArguments(LayerSpec layer, ProblemSink problems)
    {
        var conv = (Conv2DSpec)layer;
        Checks.Size(problems, conv.Name, "filters", conv.Filters);
        Checks.Size(problems, conv.Name, conv.KernelArgument, conv.KernelHeight);
        if (conv.KernelArgument == "kernelHeight")
        {
            Checks.Size(problems, conv.Name, "kernelWidth", conv.KernelWidth);
        }
        Checks.Size(problems, conv.Name, "Stride", conv.Stride);
        Checks.Size(problems, conv.Name, "StrideY", conv.DeclaredStrideY, minimum: 0);
        Checks.Size(problems, conv.Name, "StrideX", conv.DeclaredStrideX, minimum: 0);
        Checks.Scale(problems, conv.Name, "WeightStdDev", conv.WeightStdDev);
        Checks.Scale(problems, conv.Name, "BiasStdDev", conv.BiasStdDev);
    }

    public override Shape? InferOutput(LayerSpec layer, Shape input, ProblemSink problems)
    {
        var conv = (Conv2DSpec)layer;
        if (!Checks.Image(problems, conv.Name, Name, input)
            || conv.Filters <= 0 || conv.KernelHeight <= 0 || conv.KernelWidth <= 0 || conv.Stride <= 0
            || conv.DeclaredStrideY < 0 || conv.DeclaredStrideX < 0)
        {
            return null;
        }
        string what = $"a {conv.KernelHeight}x{conv.KernelWidth} kernel";
        int height = Checks.Window(problems, conv.Name, what, input.Height, conv.KernelHeight, conv.StrideY, conv.SamePadding, "height", conv.KernelArgument);
        int width = height == 0 ? 0 : Checks.Window(problems, conv.Name, what, input.Width, conv.KernelWidth, conv.StrideX, conv.SamePadding, "width",
            conv.KernelArgument == "kernelHeight" ? "kernelWidth" : conv.KernelArgument);
        return height > 0 && width > 0 ? Shape.Image(height, width, conv.Filters) : null;
    }

    // Every weight meets the input once per output position.
    public override long MultiplyAdds(LayerSpec layer) => ParameterCount(layer) * layer.Out.Height * layer.Out.Width;

    public override IReadOnlyList<ParameterSpec> Parameters(LayerSpec layer)
    {
        var conv = (Conv2DSpec)layer;
        int channels = conv.In.Channels;
        string prefix = conv.StateDictPrefix;
        // Stored HWIO ([kh, kw, in, out], the right-hand matrix of an im2col product); PyTorch keeps OIHW.
        return new[]
        {
            new ParameterSpec("Weight", conv.KernelHeight * conv.KernelWidth * channels, conv.Filters, conv.WeightStdDev, prefix + ".weight",
                new[] { conv.KernelHeight, conv.KernelWidth, channels, conv.Filters }.ToEquatableArray(),
                new[] { 3, 2, 0, 1 }.ToEquatableArray()),
            new ParameterSpec("Bias", 1, conv.Filters, conv.BiasStdDev, prefix + ".bias", EquatableArray<int>.Empty, EquatableArray<int>.Empty),
        };
    }

    public override IEnumerable<string> ConstantSuffixes => new[] { "Geometry", "Outputs" };

    public override IEnumerable<string> FieldSuffixes => new[] { "Workspace" };

    public override void WriteDeclarations(LayerContext c)
    {
        var conv = (Conv2DSpec)c.Layer;
        Shape input = conv.In, output = conv.Out;
        int padTop = Checks.PadBefore(input.Height, conv.KernelHeight, conv.StrideY, conv.SamePadding);
        int padLeft = Checks.PadBefore(input.Width, conv.KernelWidth, conv.StrideX, conv.SamePadding);
        c.W.Line($"// {conv.Name}: {input} -> {output}, {conv.KernelHeight}x{conv.KernelWidth} kernels, stride {conv.StrideText}, {(conv.SamePadding ? $"same padding (top {padTop}, left {padLeft})" : "valid padding")}");
        c.W.Line($"private static readonly global::SourceNet.Kernels.Conv2DGeometry {c.Constant("Geometry")} = new(" +
            $"InputHeight: {input.Height}, InputWidth: {input.Width}, InputChannels: {input.Channels}, Filters: {conv.Filters}, " +
            $"KernelHeight: {conv.KernelHeight}, KernelWidth: {conv.KernelWidth}, StrideY: {conv.StrideY}, StrideX: {conv.StrideX}, " +
            $"PadTop: {padTop}, PadLeft: {padLeft}, OutputHeight: {output.Height}, OutputWidth: {output.Width});");
        c.W.Line($"private const int {c.Constant("Outputs")} = {Text.Of(output.Elements)};");
        c.W.Line($"private readonly float[] {c.Member("Workspace")};");
    }

    public override void WriteAllocations(LayerContext c) =>
        c.W.Line($"{c.Member("Workspace")} = new float[{Kernels}.WorkspaceLength({c.Constant("Geometry")}, maxBatchSize)];");

    // A replica only runs forward passes: the backward passes' scratch space is left out.
    public override void WriteReplicaAllocations(LayerContext c) =>
        c.W.Line($"{c.Member("Workspace")} = new float[{Kernels}.ForwardWorkspaceLength({c.Constant("Geometry")}, maxBatchSize)];");

    public override string OutputElements(LayerContext c) => c.Constant("Outputs");

    public override string Construction(LayerContext c) =>
        $"new global::SourceNet.Conv2DLayer(\"{c.Layer.Name}\", {c.Constant("Geometry")}, {c.Layer.Activation!.RuntimeExpression})";

    public override void WriteForward(LayerContext c)
    {
        var conv = (Conv2DSpec)c.Layer;
        c.W.Line(conv.Function.IsIdentity || conv.Function.KeepsPreActivations
            ? $"// {conv.Name}: convolution {conv.In} -> {conv.Out}, bias added in the epilogue"
            : $"// {conv.Name}: convolution {conv.In} -> {conv.Out}, bias and {conv.Function.Name} fused into the epilogue");
        c.W.Line($"{Kernels}.Forward<{ActivationEmitter.EpilogueType(c)}>({c.Constant("Geometry")}, batch, {c.Input}, {c.Field}.Weight.Value, {c.Field}.Bias.Value, {c.ProductTarget}, {c.Member("Workspace")});");
        ActivationEmitter.WriteForwardTail(c);
    }

    public override void WriteBackward(LayerContext c)
    {
        string dz = c.OutputGradient;
        if (c.InputGradient is { } dx)
        {
            c.W.Line($"// {c.Layer.Name}: input gradient (the transposed convolution of dZ), taken before the kernels change");
            c.W.Line($"{Kernels}.BackwardInput({c.Constant("Geometry")}, batch, {dz}, {c.Field}.Weight.Value, {dx}, {c.Member("Workspace")});");
        }
        c.W.Line($"// {c.Layer.Name}: dW = patches^T x dZ, db = column sums of dZ; then the update");
        c.W.Line($"{Kernels}.BackwardFilter({c.Constant("Geometry")}, batch, {c.Input}, {dz}, {c.Field}.Weight.Gradient, {c.Field}.Bias.Gradient, {c.Member("Workspace")});");
        c.W.Line($"optimizer?.Update({c.Field}.Weight);");
        c.W.Line($"optimizer?.Update({c.Field}.Bias);");
    }

    public override string Describe(LayerSpec layer)
    {
        var conv = (Conv2DSpec)layer;
        string text = $"Conv2D {conv.KernelHeight}x{conv.KernelWidth}, stride {conv.StrideText}, {(conv.SamePadding ? "same" : "valid")}";
        return conv.Function.IsIdentity ? text : text + ", " + conv.Function.Name;
    }
}
