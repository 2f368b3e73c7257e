using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

/// <summary>
/// Turns each <c>[Differentiable]</c> method into a <c>{Name}WithGradient</c> companion that returns the
/// value and the gradient with respect to every input, derived by reverse-mode differentiation at compile time.
/// This file is the pipeline only: <c>.Parser.cs</c> turns syntax into IR, <see cref="ReverseMode"/>
/// differentiates it, <c>.Emitter.cs</c> writes C#.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>Metadata name of the attribute that marks a method.</summary>
    public const string AttributeName = "SourceNet.DifferentiableAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.DifferentiableParse);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = parsed
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.DifferentiableDiagnostics);

        // One file per type: gather the methods, then group them by their type.
        IncrementalValuesProvider<DifferentiableTypeSpec> types = parsed
            .Where(static result => result.Method is not null)
            .Collect()
            .SelectMany(static (results, ct) => GroupByType(results, ct))
            .WithTrackingName(TrackingNames.DifferentiableModel);

        // The help links point at the pages the package carries, where its build props say they are.
        IncrementalValueProvider<string?> helpFolder = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DiagnosticDescriptors.HelpFolder(options));
        context.RegisterSourceOutput(diagnostics.Combine(helpFolder), static (spc, pair) => spc.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));
        context.RegisterSourceOutput(types, static (spc, type) => spc.AddSource(type.HintName, Emitter.Emit(type, spc.CancellationToken)));
    }

    private static ImmutableArray<DifferentiableTypeSpec> GroupByType(ImmutableArray<ParseResult> results, System.Threading.CancellationToken cancellationToken)
    {
        var order = new List<string>();
        var byType = new Dictionary<string, (ParseResult First, List<DifferentiableMethodSpec> Methods)>();
        foreach (ParseResult result in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!byType.TryGetValue(result.HintName, out var group))
            {
                group = (result, []);
                byType.Add(result.HintName, group);
                order.Add(result.HintName);
            }
            group.Methods.Add(result.Method!);
        }

        ImmutableArray<DifferentiableTypeSpec>.Builder types = ImmutableArray.CreateBuilder<DifferentiableTypeSpec>(order.Count);
        foreach (string hintName in order)
        {
            var (first, methods) = byType[hintName];
            types.Add(new DifferentiableTypeSpec(hintName, first.Namespace, first.TypeHeaders, methods.ToEquatableArray()));
        }
        return types.MoveToImmutable();
    }

    /// <summary>What the parser makes of one method: the model (when it can be differentiated) and diagnostics.</summary>
    internal sealed record ParseResult(
        string HintName,
        string Namespace,
        EquatableArray<string> TypeHeaders,
        DifferentiableMethodSpec? Method,
        EquatableArray<DiagnosticInfo> Diagnostics);
}
