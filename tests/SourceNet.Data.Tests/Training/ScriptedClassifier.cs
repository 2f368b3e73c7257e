using SourceNet.Training;

namespace SourceNet.Data.Tests.Training;

/// <summary>
/// A classifier whose validation metrics follow a script, one value per epoch, and whose one parameter counts the
/// training steps taken: after epoch e of one step each it holds e, so the parameters restored name their epoch.
/// </summary>
internal sealed class ScriptedClassifier(double[]? accuracies = null, double[]? losses = null) : IClassifier
{
    private readonly Parameter _steps = new("Steps.Count", 1, 1);
    private int _evaluations, _losses;

    public int InputSize => 1;

    public int OutputSize => 2;

    public int MaxBatchSize => 1;

    public IReadOnlyList<Parameter> Parameters => [_steps];

    public IReadOnlyList<Layer> Layers => [];

    public float StepsTaken => _steps.Value[0];

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer)
    {
        _steps.Value[0]++;
        return 1f;
    }

    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => accuracies is null ? 0.5f : (float)accuracies[_evaluations++];

    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => (float)losses![_losses++];

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => throw new NotSupportedException("The trainer takes whole steps.");

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException("The trainer only evaluates.");

    /// <summary>Fits <paramref name="epochs"/> epochs of one one-sample step with <paramref name="stopping"/>.</summary>
    public TrainingHistory Fit(int epochs, EarlyStopping stopping)
    {
        var data = new LabeledData([0f], [0], [1]);
        var trainer = new Trainer(this, new Sgd(0.1f), new TrainerOptions { Epochs = epochs, BatchSize = 1, BatchesPerEpoch = 1, EarlyStopping = stopping });
        return trainer.Fit(data, new SeededRandom(1), validation: data);
    }
}
