using SourceNet.Generator.Model;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests;

public class NetworkGenerationTests
{
    [Fact]
    public void Known_type_names_match_the_attribute_assembly()
    {
        Assert.Equal(KnownTypes.NetworkAttribute, typeof(NetworkAttribute).FullName);
        Assert.Equal(KnownTypes.DenseAttribute, typeof(DenseAttribute).FullName);
        Assert.Equal(KnownTypes.DenseLayer, typeof(DenseLayer).FullName);
    }

    [Fact]
    public void Enum_mirrors_match_the_attribute_assembly()
    {
        foreach (Activation a in Enum.GetValues<Activation>())
            Assert.Equal(a.ToString(), ((ActivationKind)(int)a).ToString());
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
    public void Regression_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.Regression).Source("Regressor.g.cs"), "Regressor");

    [Fact]
    public void Custom_activation_model_snapshot() =>
        Snapshot.Match(GeneratorHarness.RunClean(Models.CustomActivation).Source("Samples.SwishNet.g.cs"), "SwishNet");
}
