using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Differentiable;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// Reads a layer's activation: a member of <c>SourceNet.Activation</c>, described by its own
/// <c>[ActivationKernel]</c> attribute (so the generator holds no list of activations), or a custom
/// <c>[Differentiable]</c> method named by <c>CustomActivation</c>.
/// </summary>
internal static class ActivationReader
{
    private const string KernelAttribute = Model.KnownTypes.ActivationKernelAttribute;

    /// <summary>The activation, or null when it is reported or not readable yet.</summary>
    public static ActivationSpec? Read(LayerReader reader, INamedTypeSymbol network, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        string? custom = reader.Arguments.String("CustomActivation");
        if (!string.IsNullOrEmpty(custom))
        {
            return ReadCustom(reader, network, custom!, semanticModel, cancellationToken);
        }

        (int value, INamedTypeSymbol? enumType) = reader.Arguments.Enum("activation");
        IFieldSymbol? member = enumType?.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && f.ConstantValue is int v && v == value);
        if (member is null)
        {
            reader.Report(DiagnosticDescriptors.UndefinedEnumValue, "activation",
                $"The activation of layer '{reader.Name}'", $"(Activation){value.ToString(CultureInfo.InvariantCulture)}", "Activation");
            return null;
        }
        AttributeData? kernel = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KernelAttribute);
        if (kernel is null || kernel.ConstructorArguments.Length != 1 || kernel.ConstructorArguments[0].Value is not string kernelType || kernelType.Length == 0)
        {
            reader.Report(DiagnosticDescriptors.ActivationWithoutKernel, "activation", member.Name, reader.Name);
            return null;
        }
        string? onnx = null;
        bool identity = false;
        foreach (KeyValuePair<string, TypedConstant> pair in kernel.NamedArguments)
        {
            if (pair.Key == "OnnxOperator")
            {
                onnx = pair.Value.Value as string;
            }
            else if (pair.Key == "IsIdentity")
            {
                identity = pair.Value.Value is true;
            }
        }
        // The kernel's interfaces say what its derivative reads and whether it lowers itself to ONNX. A kernel the
        // compilation cannot see (no runtime reference yet) is taken as output-derived; the generated code then
        // fails to compile on the missing type itself, which says more than a guess would.
        INamedTypeSymbol? kernelSymbol = semanticModel.Compilation.GetTypeByMetadataName(kernelType);
        bool fromPreActivation = Implements(kernelSymbol, ActivationSpec.PreActivationDerivativeInterface);
        bool lowersItself = Implements(kernelSymbol, ActivationSpec.LoweredInterface);
        return new ActivationSpec(member.Name, "global::" + kernelType, onnx, identity, null, fromPreActivation, lowersItself);
    }

    /// <summary>Whether <paramref name="type"/> implements the interface named <paramref name="metadataName"/>.</summary>
    internal static bool Implements(ITypeSymbol? type, string metadataName) =>
        type is not null && type.AllInterfaces.Any(i => i.ToDisplayString() == metadataName);

    private static ActivationSpec? ReadCustom(LayerReader reader, INamedTypeSymbol network, string custom, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        string? problem = DescribeProblem(network, custom, semanticModel.Compilation, out IMethodSymbol? method);
        if (problem is null && IsHalfTyped(network, custom, semanticModel, cancellationToken))
        {
            return null;
        }
        if (problem is null)
        {
            // The [Differentiable] generator's own analysis: a body it rejects (SN0100-SN0105) gets no
            // companion, and the generated backward pass would call a missing '{Name}WithGradient'.
            DifferentiableGenerator.CompanionVerdict verdict = new DifferentiableGenerator.Companions(semanticModel.Compilation).Check(method!, cancellationToken);
            if (!verdict.HasCompanion)
            {
                if (verdict.Reason is null)
                {
                    return null;
                }
                problem = $"'{custom}' cannot be differentiated ({verdict.Explanation})";
            }
        }
        if (problem is not null)
        {
            reader.Report(DiagnosticDescriptors.UnknownCustomActivation, "CustomActivation", reader.Name, custom, problem);
            return null;
        }
        return ActivationSpec.Custom(custom);
    }

    private static string? DescribeProblem(INamedTypeSymbol type, string name, Compilation compilation, out IMethodSymbol? match)
    {
        match = null;
        string wanted = $"'[Differentiable] static float {name}(float x)'";
        IMethodSymbol[] candidates = type.GetMembers(name).OfType<IMethodSymbol>().ToArray();
        if (candidates.Length == 0)
        {
            // Said where it was found, if anywhere: a custom activation is looked up in the network class only.
            IMethodSymbol? elsewhere = compilation.GetSymbolsWithName(name, SymbolFilter.Member).OfType<IMethodSymbol>()
                .FirstOrDefault(m => m.MethodKind == MethodKind.Ordinary);
            return elsewhere is null
                ? $"'{type.Name}' has no method named '{name}'; declare {wanted} in '{type.Name}'"
                : $"'{type.Name}' has no method named '{name}' (found '{elsewhere.ContainingType.Name}.{name}', but a custom activation is a method of the network class); "
                    + $"declare {wanted} in '{type.Name}', which may return {elsewhere.ContainingType.Name}.{name}(x) if that is [Differentiable]";
        }
        match = candidates.FirstOrDefault(m =>
            m.IsStatic && m.Parameters.Length == 1 &&
            m.Parameters[0].RefKind == RefKind.None &&
            m.Parameters[0].Type.SpecialType == SpecialType.System_Single &&
            m.ReturnType.SpecialType == SpecialType.System_Single);
        if (match is null)
        {
            IMethodSymbol found = candidates[0];
            return $"'{name}' is declared as '{Signature(found)}'{(found.IsStatic ? string.Empty : ", an instance method")}; a custom activation is {wanted}";
        }
        if (!match.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Model.KnownTypes.DifferentiableAttribute))
        {
            return $"'{name}' is not marked [Differentiable], so its derivative is unknown; add [Differentiable] to it";
        }
        return null;
    }

    /// <summary>A method's signature as C# declares it: <c>static double Swish(double x)</c>.</summary>
    private static string Signature(IMethodSymbol method) => method.ToDisplayString(new SymbolDisplayFormat(
        memberOptions: SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes));

    /// <summary>
    /// Whether the custom activation does not compile yet. The [Differentiable] generator then emits no
    /// '{Name}WithGradient', so a network calling it would fail inside generated code; the compiler already
    /// reports the activation's own errors.
    /// </summary>
    private static bool IsHalfTyped(INamedTypeSymbol type, string name, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        foreach (IMethodSymbol method in type.GetMembers(name).OfType<IMethodSymbol>())
        {
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                SyntaxNode syntax = reference.GetSyntax(cancellationToken);
                if (syntax.ContainsDiagnostics)
                {
                    return true;
                }
                SemanticModel model = syntax.SyntaxTree == semanticModel.SyntaxTree
                    ? semanticModel
                    : semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
                if (model.GetDiagnostics(syntax.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
