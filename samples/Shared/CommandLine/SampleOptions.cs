using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SourceNet.Samples.CommandLine;

/// <summary>
/// Typed options that parse their own values, so that every sample rejects a bad value the same way: a
/// one-line error naming the option and the value (see <see cref="SampleCommandLine"/>). A value that does
/// not parse (<c>abc</c>, <c>1.5</c> for an integer, <c>1e-3x</c>, a number beyond the type's range) is such
/// an error too: the options never ask System.CommandLine for a value that failed to convert.
/// </summary>
public static class SampleOptions
{
    /// <summary>An integer option that must be at least 1.</summary>
    public static Option<int> PositiveInt(string name, string description, int defaultValue) =>
        Parsed(new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue },
            TryParseInt, value => value > 0, "a positive integer");

    /// <summary>An optional integer option that, when given, must be at least 1.</summary>
    public static Option<int?> OptionalPositiveInt(string name, string description) =>
        Parsed(new Option<int?>(name) { Description = description, HelpName = "N" },
            (string text, out int? value) => { bool ok = TryParseInt(text, out int parsed); value = parsed; return ok; },
            value => value is null or > 0, "a positive integer");

    /// <summary>A floating-point option that must be finite and greater than 0.</summary>
    public static Option<float> PositiveFloat(string name, string description, float defaultValue) =>
        Parsed(new Option<float>(name) { Description = description, HelpName = "X", DefaultValueFactory = _ => defaultValue },
            (string text, out float value) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            value => value > 0 && float.IsFinite(value), "a positive number");

    private delegate bool TryParse<T>(string text, out T value);

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static Option<T> Parsed<T>(Option<T> option, TryParse<T> tryParse, Func<T, bool> isValid, string expected)
    {
        Func<ArgumentResult, T>? defaultValue = option.DefaultValueFactory;
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue is null ? default! : defaultValue(result);
            }
            string given = result.Tokens[^1].Value;
            if (!tryParse(given, out T value) || !isValid(value))
            {
                result.AddError($"Option {option.Name} needs {expected}; got '{given}'.");
                return default!;
            }
            return value;
        };
        return option;
    }
}
