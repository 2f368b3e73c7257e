using System.Reflection;
using SourceNet.Generator.Model;
using SourceNet.Generator.Tests.Harness;
using SourceNet.Kernels;

namespace SourceNet.Generator.Tests;

/// <summary>
/// What the generator reads off an activation's kernel type: whether its derivative needs the pre-activations
/// (GELU, SiLU: kept in a buffer, one pass after the product) and how it exports to ONNX.
/// </summary>
public class PreActivationKernelTests
{
    private const string Model = """
        using SourceNet;

        namespace Samples;

        [Network(InputShape = new[] { 6, 6, 2 }, Loss = Loss.SoftmaxCrossEntropy)]
        public sealed partial class Gated
        {
            [Conv2D(3, 3, Activation.SiLU)] public partial Conv2DLayer Conv { get; }
            [Flatten] public partial FlattenLayer Flat { get; }
            [Dense(5, Activation.GELU)] public partial DenseLayer Hidden { get; }
            [Dense(4, Activation.Tanh)] public partial DenseLayer Squash { get; }
            [Dense(3)] public partial DenseLayer Output { get; }
        }
        """;

    [Fact]
    public void Kernel_interface_names_match_the_runtime()
    {
        Assert.Equal(ActivationSpec.OutputDerivativeInterface, typeof(IOutputDerivative).FullName);
        Assert.Equal(ActivationSpec.PreActivationDerivativeInterface, typeof(IPreActivationDerivative).FullName);
        Assert.Equal(ActivationSpec.LoweredInterface, typeof(ILoweredActivation).FullName);
        Assert.Equal(ActivationSpec.FunctionAttribute, typeof(SourceNet.Kernels.ActivationFunctionAttribute).FullName);
    }

    [Fact]
    public void Every_activation_has_one_derivative_and_an_ONNX_form()
    {
        foreach (FieldInfo field in typeof(Activation).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            ActivationKernelAttribute kernel = field.GetCustomAttribute<ActivationKernelAttribute>()!;
            Type type = typeof(Layer).Assembly.GetType(kernel.KernelType)!;
            bool fromOutput = typeof(IOutputDerivative).IsAssignableFrom(type), fromZ = typeof(IPreActivationDerivative).IsAssignableFrom(type);
            Assert.True(fromOutput != fromZ, $"{type.Name} must offer exactly one derivative");
            bool lowered = typeof(ILoweredActivation).IsAssignableFrom(type);
            Assert.True(kernel.IsIdentity || (kernel.OnnxOperator is null) == lowered, $"Activation.{field.Name}: one ONNX form, the operator or the kernel's own lowering");
        }
    }

    [Fact]
    public void Every_function_names_a_kernel_with_its_rule()
    {
        foreach (MethodInfo function in typeof(SourceNet.ActivationFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            var attribute = function.GetCustomAttribute<SourceNet.Kernels.ActivationFunctionAttribute>();
            Assert.True(attribute is not null, $"Functions.{function.Name} names no kernel: the [Differentiable] generator cannot differentiate it");
            Type apply = typeof(Apply<>).MakeGenericType(attribute!.Kernel);
            Type scalar = function.ReturnType;
            foreach (double x in new[] { -2.5, -0.5, 0.25, 3 })
            {
                object argument = scalar == typeof(float) ? (object)(float)x : x;
                Assert.Equal(apply.GetMethod("Forward", [scalar])!.Invoke(null, [argument]), function.Invoke(null, [argument]));
            }
        }
    }

    [Fact]
    public void GELU_and_SiLU_keep_their_pre_activations_and_run_after_the_product()
    {
        string source = GeneratorHarness.RunClean(Model).Source("Samples.Gated.g.cs");
        // The product writes z with no activation in its epilogue, then one pass writes f(z) beside it.
        Assert.Contains("private readonly float[] _hiddenPreActivations;", source);
        Assert.Contains("private readonly float[] _convPreActivations;", source);
        Assert.Matches(@"MatMulBias<global::SourceNet\.Kernels\.IdentityActivation>\(batch, HiddenUnits, HiddenInputs, \w+, _hidden\.Weight\.Value, _hidden\.Bias\.Value, _hiddenPreActivations\);", source);
        Assert.Matches(@"Conv2D\.Forward<global::SourceNet\.Kernels\.IdentityActivation>\(ConvGeometry, .*, _convPreActivations, ", source);
        Assert.Contains("global::SourceNet.Kernels.Activations.Forward<global::SourceNet.Kernels.GeluActivation>(", source);
        Assert.Contains("global::SourceNet.Kernels.Activations.Forward<global::SourceNet.Kernels.SiluActivation>(", source);
        Assert.Contains("global::SourceNet.Kernels.Activations.BackwardFromPreActivationsInPlace<global::SourceNet.Kernels.GeluActivation>(new global::System.ReadOnlySpan<float>(_hiddenPreActivations", source);
        Assert.Contains("global::SourceNet.Kernels.Activations.BackwardFromPreActivationsInPlace<global::SourceNet.Kernels.SiluActivation>(new global::System.ReadOnlySpan<float>(_convPreActivations", source);
        // Tanh's derivative reads its output: fused into the epilogue, no buffer.
        Assert.Contains("MatMulBias<global::SourceNet.Kernels.TanhActivation>", source);
        Assert.DoesNotContain("_squashPreActivations", source);
        Assert.Contains("new global::SourceNet.LayerActivation(\"GELU\", null) { Lowering = global::SourceNet.Kernels.GeluActivation.Lower }", source);
        Assert.Contains("new global::SourceNet.LayerActivation(\"Tanh\", \"Tanh\")", source);
    }
}
