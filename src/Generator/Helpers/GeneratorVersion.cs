using System.Reflection;

namespace SourceNet.Generator.Helpers;

/// <summary>
/// The version generated files name in <c>[GeneratedCode]</c>: the package's, which the build writes into this
/// assembly's informational version (src/Directory.Build.props' <c>VersionPrefix</c>). The build appends the source
/// commit after a '+'; generated code keeps only the version, so it does not change with every commit.
/// </summary>
internal static class GeneratorVersion
{
    /// <summary>The package version, such as <c>0.1.0</c>.</summary>
    public static string Package { get; } = Read();

    /// <summary>The attribute line every generated type carries.</summary>
    public static string GeneratedCodeAttribute { get; } =
        "[global::System.CodeDom.Compiler.GeneratedCode(\"SourceNet.Generator\", \"" + Package + "\")]";

    private static string Read()
    {
        string? informational = typeof(GeneratorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            // Only a build without version attributes gets here; the assembly version is then the best it knows.
            return typeof(GeneratorVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        }
        int plus = informational!.IndexOf('+');
        return plus < 0 ? informational : informational.Substring(0, plus);
    }
}
