using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SourceNet.Generator.Parsing;

/// <summary>
/// An applied attribute's arguments by name, with the attribute class as the single source of truth for
/// names and defaults: constructor arguments are named by their parameters (optional ones filled in by the
/// compiler), properties by their names, and an unset property takes the class's <c>Default{Name}</c>
/// constant. Also where each argument is written, so a problem is reported on the argument that caused it.
/// </summary>
internal sealed class AttributeArguments
{
    private readonly Dictionary<string, TypedConstant> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Location> _locations = new(StringComparer.OrdinalIgnoreCase);
    private readonly INamedTypeSymbol _attributeClass;

    private AttributeArguments(AttributeData data, AttributeSyntax? syntax, Location fallback)
    {
        _attributeClass = data.AttributeClass!;
        AttributeLocation = syntax?.GetLocation() ?? fallback;
        NameLocation = syntax?.Name.GetLocation() ?? AttributeLocation;
        IMethodSymbol constructor = data.AttributeConstructor!;
        for (int i = 0; i < constructor.Parameters.Length && i < data.ConstructorArguments.Length; i++)
        {
            _values[constructor.Parameters[i].Name] = data.ConstructorArguments[i];
        }
        foreach (KeyValuePair<string, TypedConstant> pair in data.NamedArguments)
        {
            _values[pair.Key] = pair.Value;
        }
        if (syntax?.ArgumentList is { } list)
        {
            int position = 0;
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                string? name = argument.NameEquals?.Name.Identifier.ValueText
                    ?? argument.NameColon?.Name.Identifier.ValueText
                    ?? (position < constructor.Parameters.Length ? constructor.Parameters[position].Name : null);
                bool positional = argument.NameEquals is null && argument.NameColon is null;
                // The elements of a params array each have a location of their own ("inputs[1]"), and the
                // parameter's name spans them all, so a problem with one element points at that element.
                IParameterSymbol? last = constructor.Parameters.Length > 0 ? constructor.Parameters[constructor.Parameters.Length - 1] : null;
                if (positional && last is { IsParams: true } && position >= constructor.Parameters.Length - 1)
                {
                    int element = position - (constructor.Parameters.Length - 1);
                    name = last.Name;
                    _locations[last.Name + "[" + element.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"] = argument.GetLocation();
                    _locations[last.Name] = element == 0
                        ? argument.GetLocation()
                        : Location.Create(argument.SyntaxTree, TextSpan.FromBounds(_locations[last.Name].SourceSpan.Start, argument.Span.End));
                    position++;
                    continue;
                }
                if (positional)
                {
                    position++;
                }
                if (name is not null && !_locations.ContainsKey(name))
                {
                    _locations[name] = argument.GetLocation();
                }
            }
        }
    }

    /// <summary>The arguments, or null while an argument does not bind yet (the compiler reports why).</summary>
    public static AttributeArguments? Read(AttributeData data, Location fallback, CancellationToken cancellationToken)
    {
        if (HasErrors(data))
        {
            return null;
        }
        var syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        return new AttributeArguments(data, syntax, fallback);
    }

    /// <summary>The whole attribute, where problems without an argument of their own are reported.</summary>
    public Location AttributeLocation { get; }

    /// <summary>The attribute's name (<c>Dense</c> in <c>[Dense(10)]</c>).</summary>
    public Location NameLocation { get; }

    /// <summary>
    /// Where the argument <paramref name="name"/> is written; when it is not written, the attribute's name (where
    /// the argument would be added); for no argument (null), the whole attribute.
    /// </summary>
    public Location LocationOf(string? name) =>
        name is null ? AttributeLocation
        : _locations.TryGetValue(name, out Location? location) ? location
        : NameLocation;

    /// <summary>Whether the argument was written or is a constructor parameter of the constructor used.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    public int Int(string name) => Value(name) switch
    {
        int i => i,
        _ => 0,
    };

    public float Float(string name) => Value(name) switch
    {
        float f => f,
        double d => (float)d,
        int i => i,
        _ => 0f,
    };

    public bool Bool(string name) => Value(name) is true;

    public string? String(string name) => Value(name) as string;

    /// <summary>An int array argument; empty when not set.</summary>
    public int[] IntArray(string name)
    {
        if (!_values.TryGetValue(name, out TypedConstant constant) || constant.Kind != TypedConstantKind.Array || constant.IsNull)
        {
            return System.Array.Empty<int>();
        }
        var values = new List<int>();
        foreach (TypedConstant element in constant.Values)
        {
            if (element.Value is int value)
            {
                values.Add(value);
            }
        }
        return values.ToArray();
    }

    /// <summary>A string array argument (a <c>params string[]</c> of <c>nameof</c>s); null entries kept as empty strings.</summary>
    public string[] StringArray(string name)
    {
        if (!_values.TryGetValue(name, out TypedConstant constant) || constant.Kind != TypedConstantKind.Array || constant.IsNull)
        {
            return System.Array.Empty<string>();
        }
        var values = new List<string>();
        foreach (TypedConstant element in constant.Values)
        {
            values.Add(element.Value as string ?? string.Empty);
        }
        return values.ToArray();
    }

    /// <summary>An enum argument as its underlying int, with the enum type (to read its members' metadata).</summary>
    public (int Value, INamedTypeSymbol? Type) Enum(string name)
    {
        if (_values.TryGetValue(name, out TypedConstant constant) && constant.Type is INamedTypeSymbol type)
        {
            return (constant.Value is int value ? value : 0, type);
        }
        // Arguments are named case-insensitively (a constructor's activation, a property's Activation).
        INamedTypeSymbol? propertyType = _attributeClass.GetMembers().OfType<IPropertySymbol>()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Type as INamedTypeSymbol;
        return (Value(name) is int fallback ? fallback : 0, propertyType);
    }

    /// <summary>The written value, else the class's <c>Default{Name}</c> constant, else null.</summary>
    private object? Value(string name)
    {
        if (_values.TryGetValue(name, out TypedConstant constant))
        {
            return constant.Value;
        }
        string defaultName = "Default" + char.ToUpperInvariant(name[0]) + name.Substring(1);
        foreach (ISymbol member in _attributeClass.GetMembers(defaultName))
        {
            if (member is IFieldSymbol { HasConstantValue: true } field)
            {
                return field.ConstantValue;
            }
        }
        return null;
    }

    private static bool HasErrors(AttributeData attribute)
    {
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null)
        {
            return true;
        }
        foreach (TypedConstant argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Value.Kind == TypedConstantKind.Error)
            {
                return true;
            }
        }
        return false;
    }
}
