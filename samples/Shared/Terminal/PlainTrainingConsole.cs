using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>Redirected output: the lines only, no progress, no escape codes.</summary>
public sealed class PlainTrainingConsole(TextWriter output) : TrainingConsole
{
    /// <inheritdoc/>
    public override T Run<T>(Func<T> training) => training();

    /// <inheritdoc/>
    public override void Report(TrainingProgress value)
    {
    }

    /// <inheritdoc/>
    public override void WriteLine(string line) => output.WriteLine(line);
}
