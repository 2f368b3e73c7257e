using System.CommandLine;
using System.CommandLine.Help;

namespace SourceNet.Samples.CommandLine;

/// <summary>
/// Runs a sample's command line the way every sample behaves: <c>--help</c> prints the generated help and
/// exits 0; a bad or unknown option prints one line saying what is wrong, then the usage, on the error
/// writer and exits <see cref="UsageExitCode"/>, without a stack trace; otherwise the sample runs.
/// </summary>
public static class SampleCommandLine
{
    /// <summary>The exit code of a command line that cannot be run (as BSD's EX_USAGE is 64, many tools use 2).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses <paramref name="args"/> against <paramref name="command"/> and runs <paramref name="run"/> on success.</summary>
    /// <returns>The exit code.</returns>
    public static int Run(RootCommand command, string[] args, TextWriter output, TextWriter error, Func<ParseResult, int> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        ParseResult result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            error.WriteLine(result.Errors[0].Message);
            error.WriteLine();
            WriteHelp(command, error);
            return UsageExitCode;
        }
        if (result.Action is HelpAction)
        {
            WriteHelp(command, output);
            return 0;
        }
        return run(result);
    }

    /// <summary>Writes the generated help of <paramref name="command"/>.</summary>
    public static void WriteHelp(RootCommand command, TextWriter writer) =>
        command.Parse("--help").Invoke(new InvocationConfiguration { Output = writer, Error = writer });
}
