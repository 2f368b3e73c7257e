using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SourceNet.Generator.Helpers;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Incrementality;

/// <summary>
/// The pipeline must not redo work an edit did not affect: after an edit elsewhere in the project every
/// named step is Cached or Unchanged and nothing is emitted again. The models the steps carry must also be
/// plain data (no symbol, syntax or location), or the cache would compare by reference and never hit.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] NetworkSteps =
    {
        TrackingNames.NetworkParse, TrackingNames.NetworkModel, TrackingNames.NetworkDiagnostics, TrackingNames.NetworkStub,
    };

    private const string Unrelated = """
        namespace Samples;
        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private const string Broken = """
        using SourceNet;
        [Network(Input = 4)]
        public partial class Broken
        {
            [Dense(0)] public partial DenseLayer Out { get; }
        }
        """;

    [Fact]
    public void An_unrelated_edit_reruns_no_step_and_emits_nothing_again()
    {
        (GeneratorRunResult first, GeneratorRunResult second) = RunTwice(
            new[] { Models.Mnist, Broken, Unrelated },
            compilation => Edit(compilation, 2, Unrelated.Replace("2 * x", "x + x")));

        Assert.NotEmpty(first.GeneratedSources);
        foreach (string step in NetworkSteps)
        {
            AssertAllOutputs(second, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }
        AssertSourceOutputs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_cosmetic_edit_of_the_model_file_reparses_but_does_not_emit_again()
    {
        (_, GeneratorRunResult second) = RunTwice(
            new[] { Models.Mnist },
            compilation => Edit(compilation, 0, Models.Mnist.Replace("public sealed partial class MnistMlp", "/// <summary>Now documented.</summary>\npublic sealed partial class MnistMlp")));

        AssertAllOutputs(second, TrackingNames.NetworkParse, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(second, TrackingNames.NetworkModel, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSourceOutputs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Changing_a_layer_size_emits_again()
    {
        (_, GeneratorRunResult second) = RunTwice(
            new[] { Models.Mnist },
            compilation => Edit(compilation, 0, Models.Mnist.Replace("[Dense(300", "[Dense(200")));

        AssertAllOutputs(second, TrackingNames.NetworkModel, IncrementalStepRunReason.Modified);
        Assert.Contains(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Step_outputs_hold_no_symbols_syntax_or_locations()
    {
        (GeneratorRunResult first, _) = RunTwice(new[] { Models.Mnist, Models.Regression, Broken }, c => c);
        int walked = 0;
        foreach (string step in NetworkSteps)
        {
            if (!first.TrackedSteps.TryGetValue(step, out var runs))
            {
                continue;
            }
            foreach (IncrementalGeneratorRunStep run in runs)
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertPlainData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    walked++;
                }
            }
        }
        Assert.True(walked >= 3, $"Only {walked} step outputs were walked.");
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(string[] sources, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        GeneratorRunResult first = NetworkResult(driver);
        driver = driver.RunGenerators(edit(compilation));
        return (first, NetworkResult(driver));
    }

    private static GeneratorRunResult NetworkResult(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(NetworkGenerator));

    private static CSharpCompilation Edit(CSharpCompilation compilation, int index, string text)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }

    private static void AssertAllOutputs(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"Step {step} was not tracked.");
        foreach (IncrementalGeneratorRunStep run in runs!)
        {
            foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
            {
                Assert.True(allowed.Contains(reason), $"Step {step} output was {reason}; expected {string.Join(" or ", allowed)}.");
            }
        }
    }

    private static void AssertSourceOutputs(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach ((string name, var runs) in result.TrackedOutputSteps)
        {
            foreach (IncrementalGeneratorRunStep run in runs)
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(allowed.Contains(reason), $"Output step {name} was {reason}: the emitter ran again.");
                }
            }
        }
    }

    private static void AssertPlainData(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }
        Type type = value.GetType();
        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel or AttributeData
            || type == typeof(SyntaxToken) || type == typeof(SyntaxReference),
            $"{path} holds a {type.FullName}: the pipeline would cache it by reference and keep the compilation alive.");
        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertPlainData(item, $"{path}[{i++}]", seen);
            }
            return;
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", seen);
            }
        }
    }
}
