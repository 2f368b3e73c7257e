using System.Globalization;
using Spectre.Console;
using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>
/// A terminal: a Spectre.Console progress bar for the current epoch (step, running loss, steps/s, time
/// left in the epoch and in the run, see <see cref="EtaEstimator"/>), redrawn at most ten times a second, and the epoch lines printed above it. The bar is removed
/// when training ends, leaving the same lines as redirected output.
/// </summary>
public sealed class TerminalTrainingConsole : TrainingConsole
{
    private readonly EtaEstimator _eta = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
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
        _task.Description = Describe(value, _eta.Observe(value, _clock.Elapsed));
    }

    /// <inheritdoc/>
    public override void WriteLine(string line) => AnsiConsole.WriteLine(line);

    /// <summary>
    /// The text beside the bar: <c>Epoch 3/10  step 420/600  loss 0.091  1,310 steps/s  ETA 0:04  run 0:42</c>:
    /// the time left in this epoch, then in the run (evaluation not included); dashes until there is a rate.
    /// </summary>
    public static string Describe(TrainingProgress value, (TimeSpan Epoch, TimeSpan Run, double StepsPerSecond)? eta)
    {
        double rate = eta?.StepsPerSecond ?? value.StepsPerSecond;
        string left = eta is { } e ? $"ETA {Clock(e.Epoch)}  run {Clock(e.Run)}" : "ETA -:--  run -:--";
        return string.Create(CultureInfo.InvariantCulture,
            $"Epoch {value.Epoch}/{value.Epochs}  step {value.Step}/{value.StepsPerEpoch}  loss {value.RunningLoss:F3}  {rate:N0} steps/s  {left}");
    }

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:D2}:{time.Seconds:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:D2}");
}
