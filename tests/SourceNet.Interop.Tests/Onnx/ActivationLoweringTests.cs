using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using SourceNet.Kernels;

namespace SourceNet.Interop.Tests.Onnx;

/// <summary>
/// Each built-in activation lowered as the generated code describes it (its <c>[ActivationKernel]</c> operator, or its
/// kernel's own decomposition into opset-17 primitives) and run in ONNX Runtime, against the kernel's forward rule.
/// </summary>
public sealed class ActivationLoweringTests
{
    /// <summary>The activation as the generator builds it from the enum member's attribute and kernel type.</summary>
    private static (LayerActivation Activation, Type Kernel) AsGenerated(FieldInfo member)
    {
        ActivationKernelAttribute attribute = member.GetCustomAttribute<ActivationKernelAttribute>()!;
        Type kernel = typeof(IActivation).Assembly.GetType(attribute.KernelType, throwOnError: true)!;
        if (attribute.IsIdentity)
            return (LayerActivation.None, kernel);
        var activation = new LayerActivation(member.Name, attribute.OnnxOperator);
        if (typeof(ILoweredActivation).IsAssignableFrom(kernel))
            activation = activation with { Lowering = kernel.GetMethod(nameof(GeluActivation.Lower))!.CreateDelegate<ActivationLowering>() };
        return (activation, kernel);
    }

    public static TheoryData<string> Members => new(typeof(Activation).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));

    private static float[] Points()
    {
        // Around 0, through the bends, and far out where exponentials saturate.
        var points = new List<float> { 0f, -0f, 1e-4f, -1e-4f, 5e-3f, -5e-3f, 15f, 30f, -30f, 88f, -88f };
        for (int i = -80; i <= 80; i++)
            points.Add(i / 8f);
        return points.ToArray();
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Every_activation_runs_in_ONNX_Runtime_as_its_kernel_computes_it(string name)
    {
        (LayerActivation activation, Type kernel) = AsGenerated(typeof(Activation).GetField(name)!);
        var graph = new ProtoOpGraph();
        string output = activation.Lower(graph, name, ProtoOpGraph.Input);
        float[] x = Points();
        const int features = 4;
        int count = x.Length / features;
        Assert.Equal(count * features, x.Length);

        float[] actual = Run(graph.Model(output, features), x, count, features);

        MethodInfo forward = typeof(Apply<>).MakeGenericType(kernel).GetMethod(nameof(Apply<ReluActivation>.Forward), [typeof(float)])!;
        for (int i = 0; i < count * features; i++)
        {
            float expected = (float)forward.Invoke(null, [x[i]])!;
            Assert.True(Math.Abs(expected - actual[i]) <= 2e-6f * Math.Max(1, Math.Abs(expected)), $"{name}({x[i]}): SourceNet {expected}, ONNX Runtime {actual[i]}");
        }
    }

    [Fact]
    public void GELU_and_SiLU_are_decomposed_into_primitives()
    {
        var gelu = new ProtoOpGraph();
        AsGenerated(typeof(Activation).GetField(nameof(Activation.GELU))!).Activation.Lower(gelu, "gelu", ProtoOpGraph.Input);
        Assert.Equal(["Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Mul", "Add", "Mul"], gelu.Operators);

        var silu = new ProtoOpGraph();
        AsGenerated(typeof(Activation).GetField(nameof(Activation.SiLU))!).Activation.Lower(silu, "silu", ProtoOpGraph.Input);
        Assert.Equal(["Sigmoid", "Mul"], silu.Operators);
    }

    [Fact]
    public void No_activation_is_the_input_itself()
    {
        var graph = new ProtoOpGraph();
        Assert.Equal(ProtoOpGraph.Input, LayerActivation.None.Lower(graph, "none", ProtoOpGraph.Input));
        Assert.Equal(0, graph.NodeCount);
        Assert.True(LayerActivation.None.IsIdentity);
    }

    [Fact]
    public void An_activation_without_a_lowering_is_refused_never_exported_as_the_identity()
    {
        var builtIn = new LayerActivation("Mystery", null);
        Assert.False(builtIn.IsIdentity);
        var error = Assert.Throws<NotSupportedException>(() => builtIn.Lower(new ProtoOpGraph(), "m", ProtoOpGraph.Input));
        Assert.Contains("'Mystery'", error.Message);

        var custom = new LayerActivation("Swish", null, IsCustom: true);
        error = Assert.Throws<NotSupportedException>(() => custom.Lower(new ProtoOpGraph(), "s", ProtoOpGraph.Input));
        Assert.Contains("'Swish'", error.Message);
        Assert.Contains("custom", error.Message);
    }

    private static float[] Run(byte[] model, float[] inputs, int count, int features)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [count, features]);
        using var runOptions = new RunOptions();
        string output = session.OutputNames[0];
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [ProtoOpGraph.Input], [input], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
