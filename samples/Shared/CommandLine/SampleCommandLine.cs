using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;

namespace SourceNet.Samples.CommandLine;

/// <summary>
/// Runs a sample's command line the way every sample behaves: <c>--help</c> prints the generated help and
/// exits 0; <c>--version</c> prints the version and exits 0; a bad or unknown option prints one line saying
/// what is wrong, then the usage, on the error writer and exits <see cref="UsageExitCode"/>, without a stack
/// trace; otherwise the sample runs.
/// </summary>
public static class SampleCommandLine
{
    /// <summary>The exit code of a command line that cannot be run (as BSD's EX_USAGE is 64, many tools use 2).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses <paramref name="args"/> against <paramref name="command"/> and runs <paramref name="run"/> on success.</summary>
    /// <param name="command">The sample's command.</param>
    /// <param name="args">The command line.</param>
    /// <param name="output">Help and version go here.</param>
    /// <param name="error">Errors and the usage after them go here.</param>
    /// <param name="version">The line <c>--version</c> prints.</param>
    /// <param name="run">Runs the sample on a parse without errors; returns the exit code.</param>
    /// <returns>The exit code.</returns>
    public static int Run(RootCommand command, string[] args, TextWriter output, TextWriter error, string version, Func<ParseResult, int> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(run);
        ParseResult result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            return Refuse(command, error, result.Errors[0].Message);
        }
        if (result.Action is HelpAction)
        {
            WriteHelp(command, output);
            return 0;
        }
        if (result.Action is not null && result.Action == command.Options.OfType<VersionOption>().FirstOrDefault()?.Action)
        {
            output.WriteLine(version);
            return 0;
        }
        return run(result);
    }

    /// <summary>Refuses a command line that parsed but cannot be run (a path that cannot be written, a batch too large): one line, the usage, <see cref="UsageExitCode"/>.</summary>
    public static int Refuse(RootCommand command, TextWriter error, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine(message);
        error.WriteLine();
        WriteHelp(command, error);
        return UsageExitCode;
    }

    /// <summary>Writes the generated help of <paramref name="command"/>.</summary>
    public static void WriteHelp(RootCommand command, TextWriter writer) =>
        command.Parse("--help").Invoke(new InvocationConfiguration { Output = writer, Error = writer });

    /// <summary>The version line of a sample: its name and informational version, and the SourceNet runtime's.</summary>
    public static string VersionLine(Assembly sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return $"{sample.GetName().Name} {InformationalVersion(sample)} (SourceNet runtime {InformationalVersion(typeof(INetwork).Assembly)})";
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
