using System.Threading;
using System.Threading.Tasks;

namespace SourceNet.Integration.Tests.Network;

/// <summary>A layer wide enough that a large maxBatchSize times its units wraps around in 32-bit arithmetic.</summary>
[Network(Input = 8, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class WideNetwork
{
    [Dense(4096)] public partial DenseLayer Wide { get; }
    [Dense(3)] public partial DenseLayer Logits { get; }
}

/// <summary>
/// What a generated network refuses (issue 19): batch sizes its buffers cannot hold, a second thread in
/// TrainStep, wrong-sized output spans (named as such), bad labels in Evaluate, NaN logits, and a diverging
/// loss blamed on the right cause.
/// </summary>
public class GeneratedGuardsTests
{
    [Fact]
    public void Constructor_refuses_a_batch_whose_buffers_overflow_and_states_the_limit()
    {
        // Before: OverflowException from `maxBatchSize * 784`.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MnistNetwork(maxBatchSize: int.MaxValue));
        Assert.Equal("maxBatchSize", e.ParamName);
        Assert.Contains($"at most {Array.MaxLength / 784:N0}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_refuses_a_product_that_would_wrap_to_a_small_buffer()
    {
        // 4096 x 2^20 = 2^32, which wraps to 0 in int arithmetic: before, the network built with empty buffers.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WideNetwork(maxBatchSize: 1 << 20));
        Assert.Contains($"at most {Array.MaxLength / 4096:N0}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_capacity_check_accepts_the_limit_and_refuses_one_more()
    {
        long perSample = 4096;
        int limit = (int)(Array.MaxLength / perSample);
        NetworkGuards.CheckBatchCapacity(limit, perSample);
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkGuards.CheckBatchCapacity(limit + 1, perSample));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkGuards.CheckBatchCapacity(0, perSample));
    }

    [Fact]
    public async Task A_second_thread_in_TrainStep_is_refused_and_the_first_completes()
    {
        var model = new TinyClassifier(seed: 1, maxBatchSize: 4);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingOptimizer(inside, release);
        float[] inputs = Enumerable.Range(0, 4 * 5).Select(i => i * 0.1f).ToArray();
        int[] labels = [0, 1, 2, 3];

        Task<float> first = Task.Run(() => model.TrainStep(inputs, labels, blocking));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "The first step never reached the optimizer.");
        // The first call is inside TrainStep now, deterministically: the second must be refused, not mixed in.
        var e = Assert.Throws<InvalidOperationException>(() => model.TrainStep(inputs, labels, new Sgd(0.1f)));
        Assert.Contains("TrainStep", e.Message, StringComparison.Ordinal);
        release.Set();
        Assert.True(float.IsFinite(await first));
        // And the guard is released: the next call on this thread runs.
        Assert.True(float.IsFinite(model.TrainStep(inputs, labels, new Sgd(0.1f))));
    }

    [Fact]
    public void Forward_names_the_output_span_when_it_is_the_wrong_size()
    {
        var model = new TinyClassifier(seed: 1);
        float[] inputs = new float[3 * 5];
        // Before: "2 samples of 5 values need 10 input values; got 15" against `inputs`.
        var e = Assert.Throws<ArgumentException>(() => model.Forward(inputs, new float[2 * 4]));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("3 samples need 12", e.Message, StringComparison.Ordinal);
        var p = Assert.Throws<ArgumentException>(() => model.Predict(inputs, new int[2]));
        Assert.Equal("predictions", p.ParamName);
        var q = Assert.Throws<ArgumentException>(() => model.Evaluate(inputs, new int[4]));
        Assert.Equal("labels", q.ParamName);
        // Inputs that are not whole samples are still the inputs' fault.
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => model.Forward(new float[7], new float[4])).ParamName);
    }

    [Fact]
    public void Evaluate_checks_labels_as_TrainStep_does()
    {
        var model = new TinyClassifier(seed: 1);
        float[] inputs = new float[2 * 5];
        // Before: a label of 9 for 4 classes was silently counted as a wrong prediction.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(inputs, [1, 9]));
        Assert.Contains("sample 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Evaluate(inputs, [-1, 0]));
    }

    [Fact]
    public void NaN_logits_never_predict_class_0()
    {
        var model = new TinyClassifier(seed: 1);
        Array.Fill(model.Logits.Weight.Value, float.NaN);
        float[] input = new float[5];

        // Before: IndexOfMax answered the first NaN's index, class 0, and Evaluate counted label 0 as right.
        Assert.Throws<InvalidOperationException>(() => model.Predict(input));
        Assert.Throws<InvalidOperationException>(() => model.Predict(new float[3 * 5], new int[3]));
        Assert.Equal(0f, model.Evaluate(new float[3 * 5], [0, 0, 0]));
        Assert.Equal(-1, NetworkGuards.ArgMaxOrMinusOne([1f, float.NaN, 3f]));
        Assert.Equal(2, NetworkGuards.ArgMaxOrMinusOne([1f, 2f, 3f, 3f]));
    }

    [Fact]
    public void A_non_finite_loss_on_huge_inputs_blames_the_inputs_not_the_learning_rate()
    {
        var model = new MnistNetwork(seed: 1, maxBatchSize: 2);
        float[] inputs = Enumerable.Repeat(3e38f, 2 * 784).ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => model.TrainStep(inputs, [0, 1], new Adam(1e-3f)));
        Assert.Contains("inputs reach", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("learning rate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_loss_on_ordinary_inputs_still_suggests_the_learning_rate()
    {
        var model = new MnistNetwork(seed: 1, maxBatchSize: 2);
        Array.Fill(model.Output.Weight.Value, 3e38f);
        Array.Fill(model.Hidden.Bias.Value, 1f);
        float[] inputs = Enumerable.Repeat(0.5f, 2 * 784).ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => model.TrainStep(inputs, [0, 1], new Adam(1e-3f)));
        Assert.Contains("learning rate too high?", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Holds the first update until released, so a test knows a step is in progress.</summary>
    private sealed class BlockingOptimizer(ManualResetEventSlim inside, ManualResetEventSlim release) : Optimizer
    {
        public override IReadOnlyList<string> SlotNames => [];

        public override float LearningRate => 0f;

        protected override IReadOnlyList<KeyValuePair<string, float>> RuleHyperParameters => [];

        public override void Update(Parameter parameter)
        {
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }
    }
}
