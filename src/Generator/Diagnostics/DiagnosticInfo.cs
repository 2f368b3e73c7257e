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

    /// <param name="helpFolder">
    /// The folder of the diagnostics pages on this machine (the package's <c>docs/diagnostics</c>, passed by its
    /// build props), made the help link as a <c>file:</c> URI; null keeps the descriptor's repository-relative link.
    /// </param>
    public Diagnostic ToDiagnostic(string? helpFolder = null)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.WithHelpFolder(DiagnosticDescriptors.ById(DescriptorId), helpFolder);
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
