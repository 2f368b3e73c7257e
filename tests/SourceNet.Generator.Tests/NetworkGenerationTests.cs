using System.Reflection;
using SourceNet.Generator.Model;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests;

public class NetworkGenerationTests
{
    [Fact]
    public void Known_type_names_match_the_attribute_assembly()
    {
        Assert.Equal(KnownTypes.NetworkAttribute, typeof(NetworkAttribute).FullName);
        Assert.Equal(KnownTypes.DifferentiableAttribute, typeof(DifferentiableAttribute).FullName);
        Assert.Equal(KnownTypes.ActivationKernelAttribute, typeof(ActivationKernelAttribute).FullName);
    }

    [Fact]
    public void Every_kind_names_a_real_attribute_and_runtime_layer_type()
    {
        Assembly attributes = typeof(NetworkAttribute).Assembly;
        Assembly runtime = typeof(Layer).Assembly;
        foreach (Layers.LayerKind kind in Layers.LayerKinds.All)
        {
            Assert.NotNull(attributes.GetType(kind.AttributeName));
            Type? layerType = runtime.GetType(kind.RuntimeType);
            Assert.NotNull(layerType);
            Assert.True(layerType!.IsSubclassOf(typeof(Layer)), $"{kind.RuntimeType} is not a Layer");
        }
    }

    [Fact]
    public void Every_activation_names_a_kernel_that_exists()
    {
        foreach (FieldInfo field in typeof(Activation).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            ActivationKernelAttribute? kernel = field.GetCustomAttribute<ActivationKernelAttribute>();
            Assert.True(kernel is not null, $"Activation.{field.Name} has no [ActivationKernel]");
            Type? type = typeof(Layer).Assembly.GetType(kernel!.KernelType);
            Assert.True(type is not null, $"Activation.{field.Name} names {kernel.KernelType}, which does not exist");
            Assert.Contains(typeof(SourceNet.Kernels.IActivation), type!.GetInterfaces());
        }
    }

    [Fact]
    public void Loss_mirror_matches_the_attribute_assembly()
    {
        foreach (Loss l in Enum.GetValues<Loss>())
            Assert.Equal(l.ToString(), ((LossKind)(int)l).ToString());
    }

    [Fact]
    public void Mnist_model_generates_code_that_compiles()
    {
        GeneratorRun run = GeneratorHarness.RunClean(Models.Mnist);
        string source = run.Source("Samples.MnistMlp.g.cs");
        Assert.Contains("public const int InputCount = 784;", source);
        Assert.Contains("private const int HiddenUnits = 300;", source);
        Assert.Contains("MatMulBias<global::SourceNet.Kernels.ReluActivation>", source);
    }

    [Fact]
    public void Mnist_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.Mnist).Source("Samples.MnistMlp.g.cs"), "MnistMlp");

    [Fact]
    public void Cnn_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.Cnn).Source("Samples.MnistCnn.g.cs"), "MnistCnn");

    [Fact]
    public void Regression_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.Regression).Source("Regressor.g.cs"), "Regressor");

    [Fact]
    public void Residual_network_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.ResNet).Source("Samples.MnistResNet.g.cs"), "MnistResNet");

    [Fact]
    public void Character_language_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.CharLm).Source("Samples.CharLmNetwork.g.cs"), "CharLm");

    [Fact]
    public void Custom_activation_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.CustomActivation).Source("Samples.SwishNet.g.cs"), "SwishNet");
}
