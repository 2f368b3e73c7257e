using System.Threading.Tasks;
using SourceNet.CodeFixes;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.CodeFixes;

/// <summary>The SN0017/SN0018 fixes: add Flatten = true where the input is an image, remove it where it is a vector.</summary>
public class FlattenCodeFixTests
{
    [Fact]
    public async Task Adds_flatten_to_a_dense_layer_over_an_image()
    {
        string after = await CodeFixRunner.ApplySingleFix(new FlattenCodeFixProvider(), """
            using SourceNet;
            [Network(InputShape = new[] { 28, 28 })]
            public partial class Net
            {
                [Dense(300, Activation.ReLU)] public partial DenseLayer Hidden { get; }
                [Dense(10)] public partial DenseLayer Output { get; }
            }
            """, "SN0017", FlattenCodeFixProvider.AddTitle);
        Assert.Contains("[Dense(300, Activation.ReLU, Flatten = true)]", after);
        Assert.Contains("public const int InputCount = 784;", GeneratorHarness.RunClean(after).Source("Net.g.cs"));
    }

    [Fact]
    public async Task Turns_flatten_false_into_true()
    {
        string after = await CodeFixRunner.ApplySingleFix(new FlattenCodeFixProvider(), """
            using SourceNet;
            [Network(InputShape = new[] { 4, 4 }, Loss = Loss.MeanSquaredError)]
            public partial class Net
            {
                [Dense(2, Flatten = false)] public partial DenseLayer Out { get; }
            }
            """, "SN0017", FlattenCodeFixProvider.AddTitle);
        Assert.Contains("[Dense(2, Flatten = true)]", after);
        GeneratorHarness.RunClean(after);
    }

    [Fact]
    public async Task Removes_flatten_from_a_layer_over_a_vector()
    {
        string after = await CodeFixRunner.ApplySingleFix(new FlattenCodeFixProvider(), """
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
            public partial class Net
            {
                [Dense(2, Flatten = true, WeightStdDev = 0.1f)] public partial DenseLayer Out { get; }
            }
            """, "SN0018", FlattenCodeFixProvider.RemoveTitle);
        Assert.Contains("[Dense(2, WeightStdDev = 0.1f)]", after);
        GeneratorHarness.RunClean(after);
    }
}
