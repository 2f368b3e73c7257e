using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Model;

/// <summary>
/// What to emit for a network that has errors: only an implementation of each layer property, which
/// throws. C# requires every partial property to be implemented (CS9248), so without these the SN error
/// would be buried under one compiler error per layer.
/// </summary>
/// <param name="Namespace">The containing namespace, keywords escaped, or empty for the global namespace.</param>
/// <param name="ClassName">The class's simple name.</param>
/// <param name="TypeHeaders">Outermost first, the headers of the partial type declarations to reopen:
/// <c>partial class Outer</c>, ..., <c>partial class Net&lt;T&gt;</c>.</param>
/// <param name="MetadataName">Fully qualified metadata name, used for the hint name.</param>
/// <param name="Properties">The layer properties to implement.</param>
internal sealed record NetworkStubSpec(
    string Namespace,
    string ClassName,
    EquatableArray<string> TypeHeaders,
    string MetadataName,
    EquatableArray<StubPropertySpec> Properties);

/// <summary>A partial property the stub implements, as its definition declares it (so the two parts match).</summary>
/// <param name="Modifiers">The definition's modifiers as written (<c>public static partial</c>).</param>
/// <param name="Type">The property type, fully qualified.</param>
/// <param name="Name">The property name, '@'-escaped if it is a keyword.</param>
/// <param name="Accessors">The accessor keywords with their own modifiers (<c>get</c>, <c>private set</c>, <c>init</c>).</param>
internal sealed record StubPropertySpec(string Modifiers, string Type, string Name, EquatableArray<string> Accessors);
