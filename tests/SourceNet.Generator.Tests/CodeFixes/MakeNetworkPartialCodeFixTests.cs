using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SourceNet.CodeFixes;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.CodeFixes;

/// <summary>
/// Applies the SN0001 fix in a workspace, as the IDE does, then checks the resulting text and that the
/// generator, run again on it, reports nothing and produces code that compiles.
/// </summary>
public class MakeNetworkPartialCodeFixTests
{
    [Fact]
    public async Task Adds_partial_after_the_other_modifiers()
    {
        string after = await ApplyFix("""
            using SourceNet;

            namespace Samples;

            /// <summary>A classifier.</summary>
            [Network(Input = 4)]
            public sealed class Net
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """);
        Assert.Equal("""
            using SourceNet;

            namespace Samples;

            /// <summary>A classifier.</summary>
            [Network(Input = 4)]
            public sealed partial class Net
            {
                [Dense(3)] public partial DenseLayer Out { get; }
            }
            """, after);
        GeneratorHarness.RunClean(after);
    }

    [Fact]
    public async Task Adds_partial_to_a_class_without_modifiers_keeping_its_trivia()
    {
        string after = await ApplyFix("""
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
                class Net
            {
                [Dense(2)] internal partial DenseLayer Out { get; }
            }
            """);
        Assert.Equal("""
            using SourceNet;
            [Network(Input = 4, Loss = Loss.MeanSquaredError)]
                partial class Net
            {
                [Dense(2)] internal partial DenseLayer Out { get; }
            }
            """, after);
        GeneratorHarness.RunClean(after);
    }

    [Fact]
    public void Fixes_exactly_SN0001()
    {
        Assert.Equal(new[] { "SN0001" }, new MakeNetworkPartialCodeFixProvider().FixableDiagnosticIds);
    }

    private static Task<string> ApplyFix(string source) =>
        CodeFixRunner.ApplySingleFix(new MakeNetworkPartialCodeFixProvider(), source, "SN0001", MakeNetworkPartialCodeFixProvider.Title);
}
