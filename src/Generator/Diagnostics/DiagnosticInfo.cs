using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Diagnostics;

/// <summary>
/// A diagnostic as plain, equatable data: the pipeline carries this instead of a <see cref="Diagnostic"/>
/// (whose <see cref="Location"/> holds a syntax tree) so cached results stay comparable.
/// </summary>
internal sealed record DiagnosticInfo(
    string DescriptorId,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        location ??= Location.None;
        FileLinePositionSpan lineSpan = location.GetLineSpan();
        return new DiagnosticInfo(
            descriptor.Id,
            location.SourceTree?.FilePath ?? lineSpan.Path ?? string.Empty,
            location.SourceSpan,
            lineSpan.Span,
            new EquatableArray<string>(arguments));
    }

    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(DescriptorId);
        Location location = FilePath.Length == 0
            ? Location.None
            : Location.Create(FilePath, Span, LineSpan);
        object[] args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i];
        }
        return Diagnostic.Create(descriptor, location, args);
    }
}
