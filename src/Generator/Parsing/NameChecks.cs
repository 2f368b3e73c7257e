using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Shapes;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// Names the generated code would declare twice: between two layers (SN0015), with a member written by hand
/// (SN0008), or a constructor written by hand with the generated constructor's parameters (SN0028).
/// </summary>
internal static class NameChecks
{
    /// <summary>Two layers whose generated members would collide (SN0015), e.g. 'Hidden' and 'hidden' both make '_hidden'.</summary>
    public static void CheckLayers(IReadOnlyList<ParsedLayer> layers, List<DiagnosticInfo> diagnostics)
    {
        var owners = new Dictionary<string, ParsedLayer>();
        foreach (ParsedLayer layer in layers)
        {
            if (!layer.Spec.HasProperty)
            {
                continue;
            }
            string name = layer.Spec.Name;
            foreach (string generated in new[] { name }.Concat(GeneratedNames.ForLayer(name, layer.Spec.Kind)))
            {
                if (owners.TryGetValue(generated, out ParsedLayer? owner) && owner != layer)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layer.PropertyLocation, owner.Spec.Name, name, generated));
                    break;
                }
                owners[generated] = layer;
            }
        }
    }

    /// <summary>
    /// The <c>state_dict</c> names of the layers (the <c>Name</c> argument, or the property name lower-cased): each one
    /// usable (SN0054: non-empty, no whitespace, quote or backslash) and used once (SN0055), as a file names each tensor once.
    /// </summary>
    public static void CheckStateDictNames(IReadOnlyList<ParsedLayer> layers, List<DiagnosticInfo> diagnostics)
    {
        var owners = new Dictionary<string, ParsedLayer>(System.StringComparer.Ordinal);
        foreach (ParsedLayer layer in layers)
        {
            if (!layer.Spec.HasProperty)
            {
                continue;
            }
            string? declared = layer.Spec.DeclaredStateDictName;
            Location where = declared is null ? layer.PropertyLocation : layer.Arguments.LocationOf("Name");
            if (declared is not null && !IsUsableStateDictName(declared))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStateDictName, where, layer.Spec.Name, declared));
                continue;
            }
            string prefix = layer.Spec.StateDictPrefix;
            if (owners.TryGetValue(prefix, out ParsedLayer? owner))
            {
                // Two names both taken from their properties ('Hidden', 'hidden') are SN0015's already.
                if (declared is not null || owner.Spec.DeclaredStateDictName is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateStateDictName, where, owner.Spec.Name, layer.Spec.Name, prefix));
                }
                continue;
            }
            owners[prefix] = layer;
        }
    }

    private static bool IsUsableStateDictName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '"' || c == '\\')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A member written by hand whose name the emitter also declares (SN0008), reported on that member.</summary>
    public static void CheckMembers(INamedTypeSymbol type, IReadOnlyList<ParsedLayer> layers, HashSet<ISymbol> layerProperties, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var generated = new Dictionary<string, string?>();
        foreach (string name in GeneratedNames.Network)
        {
            generated[name] = null;
        }
        foreach (ParsedLayer layer in layers)
        {
            if (layer.Spec.HasProperty)
            {
                foreach (string name in GeneratedNames.ForLayer(layer.Spec.Name, layer.Spec.Kind))
                {
                    generated[name] = layer.Spec.Name;
                }
            }
        }
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: false } constructor
                && GeneratedConstructor(constructor) is { } signature)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, constructor.Locations.FirstOrDefault() ?? Location.None,
                    $"{type.Name}({string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)))})",
                    type.Name, signature));
                continue;
            }
            if (member.IsImplicitlyDeclared || layerProperties.Contains(member) || member is INamedTypeSymbol
                || !generated.TryGetValue(member.Name, out string? layerName))
            {
                continue;
            }
            string owner = layerName is null ? type.Name : $"{type.Name}' for layer '{layerName}";
            Location location = member.Locations.FirstOrDefault() ?? Location.None;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNameConflict, location,
                $"Member '{member.Name}'", member.Name, owner, "the member"));
        }
    }

    /// <summary>
    /// The generated constructor that <paramref name="constructor"/> would duplicate (same parameter types, as
    /// C# compares signatures), as the generated code declares it; null when it duplicates none.
    /// </summary>
    private static string? GeneratedConstructor(IMethodSymbol constructor)
    {
        var parameters = constructor.Parameters;
        if (parameters.Length == 2 && parameters.All(p => p.RefKind == RefKind.None && p.Type.SpecialType == SpecialType.System_Int32))
        {
            return $"{constructor.ContainingType.Name}(int seed = 0, int maxBatchSize = 100)";
        }
        if (parameters.Length == 1 && parameters[0].RefKind == RefKind.None
            && parameters[0].Type is INamedTypeSymbol { Name: "ReplicaOf", Arity: 1 } replica
            && replica.ContainingNamespace.ToDisplayString() == "SourceNet.Kernels")
        {
            return $"private {constructor.ContainingType.Name}(ReplicaOf<{constructor.ContainingType.Name}> replica), used for batch inference";
        }
        return null;
    }
}
