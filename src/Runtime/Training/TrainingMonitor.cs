using System;
using System.Diagnostics;

namespace SourceNet.Training;

/// <summary>
/// The bookkeeping of a training loop, shared by <see cref="Trainer"/> and hand-written loops: per-epoch
/// loss and time, and throttled progress. Call <see cref="BeginEpoch"/>, then <see cref="Step"/> with each
/// step's loss, then <see cref="EndEpoch"/> with the accuracy measured after the epoch.
/// </summary>
/// <remarks>
/// <see cref="Step"/> allocates nothing and costs one timestamp read: it reports a <see cref="TrainingProgress"/>
/// (a struct) only when the progress interval has passed, and after the last step of an epoch, so a
/// progress display redraws at most about ten times a second whatever the step rate.
/// </remarks>
public sealed class TrainingMonitor
{
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly long _interval;
    private int _epoch;
    private int _stepsPerEpoch;
    private int _step;
    private double _lossSum;
    private long _epochStart;
    private long _lastStep;
    private long _lastReport;

    /// <summary>Creates a monitor for <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">Number of epochs in the run, for the remaining-time estimate.</param>
    /// <param name="progress">Receives progress within each epoch; null for none.</param>
    /// <param name="interval">The least time between two reports within an epoch; null: 100 ms.</param>
    public TrainingMonitor(int epochs, IProgress<TrainingProgress>? progress, TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        Epochs = epochs;
        _progress = progress;
        _interval = (long)((interval ?? TimeSpan.FromMilliseconds(100)).TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Number of epochs in the run.</summary>
    public int Epochs { get; }

    /// <summary>Starts epoch <paramref name="epoch"/> (from 1) of <paramref name="stepsPerEpoch"/> steps; its clock starts now.</summary>
    public void BeginEpoch(int epoch, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        _epoch = epoch;
        _stepsPerEpoch = stepsPerEpoch;
        _step = 0;
        _lossSum = 0;
        _epochStart = _lastStep = _lastReport = Stopwatch.GetTimestamp();
    }

    /// <summary>Records one step's loss; reports progress if the interval has passed or the epoch's last step is done.</summary>
    public void Step(float loss)
    {
        _step++;
        _lossSum += loss;
        _lastStep = Stopwatch.GetTimestamp();
        if (_progress is not null && (_lastStep - _lastReport >= _interval || _step == _stepsPerEpoch))
        {
            _lastReport = _lastStep;
            _progress.Report(Current);
        }
    }

    /// <summary>Progress as of the last <see cref="Step"/>.</summary>
    public TrainingProgress Current
    {
        get
        {
            double seconds = Stopwatch.GetElapsedTime(_epochStart, _lastStep).TotalSeconds;
            double rate = seconds > 0 ? _step / seconds : 0;
            long left = (long)_stepsPerEpoch * (Epochs - _epoch) + (_stepsPerEpoch - _step);
            TimeSpan remaining = rate > 0 ? TimeSpan.FromSeconds(left / rate) : TimeSpan.Zero;
            return new TrainingProgress(_epoch, Epochs, _step, _stepsPerEpoch, _step > 0 ? _lossSum / _step : double.NaN, rate, remaining);
        }
    }

    /// <summary>
    /// Ends the epoch. Its time runs from <see cref="BeginEpoch"/> to the last <see cref="Step"/>, so an
    /// evaluation done before this call is not counted.
    /// </summary>
    /// <param name="testAccuracy">Accuracy measured after the epoch, in [0, 1]; NaN if none.</param>
    public EpochResult EndEpoch(double testAccuracy)
    {
        return new EpochResult(_epoch, _step > 0 ? _lossSum / _step : double.NaN, testAccuracy,
            Stopwatch.GetElapsedTime(_epochStart, _lastStep), _step);
    }
}
