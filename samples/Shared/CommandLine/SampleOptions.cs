using System.CommandLine;
using System.Globalization;

namespace SourceNet.Samples.CommandLine;

/// <summary>
/// Typed options with range checks, so that every sample rejects a bad value the same way: a one-line
/// error naming the option and the value (see <see cref="SampleCommandLine"/>).
/// </summary>
public static class SampleOptions
{
    /// <summary>An integer option that must be at least 1.</summary>
    public static Option<int> PositiveInt(string name, string description, int defaultValue) =>
        Checked(new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue },
            value => value > 0, "a positive integer");

    /// <summary>An integer option that must be at least 0.</summary>
    public static Option<int> NonNegativeInt(string name, string description, int defaultValue) =>
        Checked(new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue },
            value => value >= 0, "a non-negative integer");

    /// <summary>An optional integer option that, when given, must be at least 1.</summary>
    public static Option<int?> OptionalPositiveInt(string name, string description) =>
        Checked(new Option<int?>(name) { Description = description, HelpName = "N" },
            value => value is null or > 0, "a positive integer");

    /// <summary>A floating-point option that must be finite and greater than 0.</summary>
    public static Option<float> PositiveFloat(string name, string description, float defaultValue) =>
        Checked(new Option<float>(name) { Description = description, HelpName = "X", DefaultValueFactory = _ => defaultValue },
            value => value > 0 && float.IsFinite(value), "a positive number");

    private static Option<T> Checked<T>(Option<T> option, Func<T, bool> isValid, string expected)
    {
        option.Validators.Add(result =>
        {
            T? value = result.GetValueOrDefault<T>();
            if (!isValid(value!))
            {
                string given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                result.AddError($"Option {option.Name} needs {expected}; got '{given}'.");
            }
        });
        return option;
    }
}
