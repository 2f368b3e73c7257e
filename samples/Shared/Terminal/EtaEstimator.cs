using SourceNet.Training;

namespace SourceNet.Samples.Terminal;

/// <summary>
/// The time left in the epoch a progress bar shows, and in the whole run, from the step rate of the last few
/// seconds rather than since the epoch began: the first steps pay for JIT compilation and cold caches, and an
/// average that includes them predicts minutes for a seconds-long epoch. Until two reports of the epoch have
/// been seen there is no rate, and no estimate.
/// </summary>
public sealed class EtaEstimator
{
    /// <summary>How far back the rate looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly Queue<(int Step, TimeSpan At)> _recent = new();
    private int _epoch;

    /// <summary>Records <paramref name="progress"/>, seen at <paramref name="now"/> (any monotonic clock), and estimates.</summary>
    /// <returns>The time left in this epoch and in the run, or null while there is no rate yet.</returns>
    public (TimeSpan Epoch, TimeSpan Run, double StepsPerSecond)? Observe(TrainingProgress progress, TimeSpan now)
    {
        if (progress.Epoch != _epoch || (_recent.Count > 0 && progress.Step < _recent.Peek().Step))
        {
            _recent.Clear();
            _epoch = progress.Epoch;
        }
        _recent.Enqueue((progress.Step, now));
        while (_recent.Count > 2 && now - _recent.Peek().At > Window)
        {
            _recent.Dequeue();
        }
        int stepsLeft = progress.StepsPerEpoch - progress.Step;
        long laterSteps = (long)progress.StepsPerEpoch * (progress.Epochs - progress.Epoch);
        (int firstStep, TimeSpan firstAt) = _recent.Peek();
        double seconds = (now - firstAt).TotalSeconds;
        if (stepsLeft <= 0 && laterSteps == 0)
        {
            return (TimeSpan.Zero, TimeSpan.Zero, seconds > 0 ? (progress.Step - firstStep) / seconds : 0);
        }
        if (_recent.Count < 2 || seconds <= 0 || progress.Step <= firstStep)
        {
            return null;
        }
        double rate = (progress.Step - firstStep) / seconds;
        TimeSpan epoch = TimeSpan.FromSeconds(Math.Max(0, stepsLeft) / rate);
        return (epoch, epoch + TimeSpan.FromSeconds(laterSteps / rate), rate);
    }
}
