using System.Globalization;
using Spectre.Console;
using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>
/// A terminal: a Spectre.Console progress bar for the current epoch (step, running loss, steps/s, time
/// left), redrawn at most ten times a second, and the epoch lines printed above it. The bar is removed
/// when training ends, leaving the same lines as redirected output.
/// </summary>
public sealed class TerminalTrainingConsole : TrainingConsole
{
    private ProgressTask? _task;

    /// <inheritdoc/>
    public override T Run<T>(Func<T> training)
    {
        Spectre.Console.Progress progress = AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn());
        // Redraw at most ten times a second, whatever the step rate.
        progress.RefreshRate = TimeSpan.FromMilliseconds(100);
        return progress.Start(context =>
            {
                _task = context.AddTask("Starting", autoStart: true, maxValue: 1);
                try
                {
                    return training();
                }
                finally
                {
                    _task = null;
                }
            });
    }

    /// <inheritdoc/>
    public override void Report(TrainingProgress value)
    {
        if (_task is null)
        {
            return;
        }
        _task.MaxValue = value.StepsPerEpoch;
        _task.Value = value.Step;
        _task.Description = Describe(value);
    }

    /// <inheritdoc/>
    public override void WriteLine(string line) => AnsiConsole.WriteLine(line);

    /// <summary>The text beside the bar: <c>Epoch 3/10  step 420/600  loss 0.091  1,310 steps/s  ETA 0:04</c>.</summary>
    public static string Describe(TrainingProgress value)
    {
        TimeSpan eta = value.Remaining;
        return string.Create(CultureInfo.InvariantCulture,
            $"Epoch {value.Epoch}/{value.Epochs}  step {value.Step}/{value.StepsPerEpoch}  loss {value.RunningLoss:F3}  {value.StepsPerSecond:N0} steps/s  ETA {(int)eta.TotalMinutes}:{eta.Seconds:D2}");
    }
}
