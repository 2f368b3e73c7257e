using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SourceNet.Generator.Tests.Harness;

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    GeneratorDriver Driver)
{
    /// <summary>Errors and warnings of compiling the user's code together with the generated code.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public string Source(string hintNameSuffix) =>
        GeneratedSources.Single(s => s.HintName.EndsWith(hintNameSuffix, StringComparison.Ordinal)).SourceText.ToString();
}

/// <summary>
/// Runs SourceNet's generators over C# text in memory, against the .NET 10 reference assemblies plus
/// SourceNet's attributes and runtime — the same inputs a user's build gives them.
/// </summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly ImmutableArray<MetadataReference> s_references = BuildReferences();

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToList();
        foreach (Assembly assembly in new[]
                 {
                     typeof(NetworkAttribute).Assembly,
                     typeof(DenseLayer).Assembly,
                     typeof(System.Numerics.Tensors.TensorPrimitives).Assembly,
                 })
        {
            if (!references.OfType<PortableExecutableReference>().Any(r => string.Equals(Path.GetFileName(r.FilePath), Path.GetFileName(assembly.Location), StringComparison.OrdinalIgnoreCase)))
            {
                references.Add(MetadataReference.CreateFromFile(assembly.Location));
            }
        }
        return references.ToImmutableArray();
    }

    /// <summary>The generators under test, as a user's build loads them.</summary>
    public static IIncrementalGenerator[] Generators() =>
        typeof(NetworkGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(t => (IIncrementalGenerator)Activator.CreateInstance(t)!)
            .ToArray();

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/Model{i}.cs")),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            Generators().Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources), CreateDriver());

    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver driver)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        ImmutableArray<GeneratedSourceResult> sources = result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();
        foreach (GeneratorRunResult generatorResult in result.Results)
        {
            if (generatorResult.Exception is not null)
            {
                throw new InvalidOperationException($"Generator {generatorResult.Generator.GetGeneratorType().Name} threw.", generatorResult.Exception);
            }
        }
        return new GeneratorRun(compilation, output, diagnostics, sources, driver);
    }

    /// <summary>Runs the generators and asserts the result compiles cleanly with no generator diagnostic.</summary>
    public static GeneratorRun RunClean(params string[] sources)
    {
        GeneratorRun run = Run(sources);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, "Unexpected generator diagnostics:\n" + string.Join("\n", run.GeneratorDiagnostics));
        IReadOnlyList<Diagnostic> problems = run.CompilationProblems;
        Assert.True(problems.Count == 0, "Generated code does not compile cleanly:\n" + string.Join("\n", problems));
        return run;
    }
}
