using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>
/// Where a sample shows its training: on a terminal, a progress bar within each epoch with the epoch lines
/// above it (<see cref="TerminalTrainingConsole"/>); when the output is redirected (CI logs, files, tests),
/// only the plain epoch lines (<see cref="PlainTrainingConsole"/>), so the output stays exactly the README's.
/// </summary>
public abstract class TrainingConsole : IProgress<TrainingProgress>, IProgress<EpochResult>
{
    /// <summary>The console for <paramref name="output"/>: a progress bar if <paramref name="interactive"/>, else plain lines.</summary>
    public static TrainingConsole Create(TextWriter output, bool interactive) =>
        interactive ? new TerminalTrainingConsole() : new PlainTrainingConsole(output);

    /// <summary>Whether this process writes to a terminal that can show a progress bar.</summary>
    public static bool IsTerminal => !System.Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="training"/>, showing the progress it reports.</summary>
    public abstract T Run<T>(Func<T> training);

    /// <summary>Shows progress within an epoch; the reporter already limits how often this is called.</summary>
    public abstract void Report(TrainingProgress value);

    /// <summary>Writes a line (an epoch's result) that stays in the output.</summary>
    public abstract void WriteLine(string line);

    /// <summary>Writes the epoch's line (<see cref="EpochLine"/>).</summary>
    public void Report(EpochResult value) => WriteLine(EpochLine.Format(value));
}
