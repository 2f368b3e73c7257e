using SourceNet.Integration.Tests.Convolution;
using SourceNet.Kernels;

namespace SourceNet.Integration.Tests.Network;

/// <summary>
/// The optimizer's global step on generated networks: a <c>TrainStep</c> whose optimizer clips or accumulates runs
/// the backward pass without updates and then <see cref="Optimizer.Step"/>. Without clipping or accumulation to
/// do, that path must give the fused path's bits; with them, what the maths says.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class GlobalStepTrainingTests
{
    private static Optimizer Make(string kind, float? maxNorm = null, int accumulation = 1) => kind switch
    {
        "adam" => new Adam(1e-3f) { MaxGradientNorm = maxNorm, AccumulationSteps = accumulation },
        "adamw" => new AdamW(1e-3f, 0.05f) { MaxGradientNorm = maxNorm, AccumulationSteps = accumulation, Schedule = new CosineSchedule(2, 10, 1e-5f) },
        "sgd" => new Sgd(0.05f) { MaxGradientNorm = maxNorm, AccumulationSteps = accumulation },
        _ => new Sgd(0.05f, momentum: 0.9f) { MaxGradientNorm = maxNorm, AccumulationSteps = accumulation, Schedule = new StepDecaySchedule(2, 0.5f) },
    };

    /// <summary>One generated network behind a uniform face: make it, train a step, read its bits.</summary>
    private sealed record Net(object Model, int InputCount, int Classes, Func<float[], int[], Optimizer?, float> Train, IReadOnlyList<Parameter> Parameters);

    private static Net Network(string name, int maxBatch) => name switch
    {
        "mlp" => From(new MnistNetwork(seed: 5, maxBatchSize: maxBatch)),
        "tiny" => From(new TinyClassifier(seed: 5, maxBatchSize: maxBatch)),
        _ => From(new MnistConvNet(seed: 5, maxBatchSize: maxBatch)),
    };

    private static Net From(MnistNetwork m) => new(m, MnistNetwork.InputCount, MnistNetwork.OutputCount, (x, y, o) => o is null ? m.ComputeGradients(x, y) : m.TrainStep(x, y, o), m.Parameters);
    private static Net From(TinyClassifier m) => new(m, TinyClassifier.InputCount, TinyClassifier.OutputCount, (x, y, o) => o is null ? m.ComputeGradients(x, y) : m.TrainStep(x, y, o), m.Parameters);
    private static Net From(MnistConvNet m) => new(m, MnistConvNet.InputCount, MnistConvNet.OutputCount, (x, y, o) => o is null ? m.ComputeGradients(x, y) : m.TrainStep(x, y, o), m.Parameters);

    private static (float[] Inputs, int[] Labels) Batch(Net net, int batch, int seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[batch * net.InputCount];
        random.FillNormal(inputs, 0.2f, 0.3f);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = random.NextInt(net.Classes);
        return (inputs, labels);
    }

    private static int[] Bits(Net net) => [.. net.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits)];

    private static T AtThreads<T>(int threads, Func<T> run)
    {
        int saved = KernelThreads.Count;
        bool adaptive = KernelThreads.Adaptive;
        KernelThreads.Count = threads;
        KernelThreads.Adaptive = false; // split whenever two threads are allowed, not as timings choose
        try
        {
            return run();
        }
        finally
        {
            KernelThreads.Count = saved;
            KernelThreads.Adaptive = adaptive;
        }
    }

    /// <summary>
    /// Plain SGD, momentum, Adam and AdamW: the fused update inside the backward pass, the generated TrainStep's
    /// global branch (forced by a clipping limit no norm reaches) and a hand-written ComputeGradients + Step all
    /// give the same bits, at 1 and 2 kernel threads.
    /// </summary>
    [Theory]
    [InlineData("mlp", "adam", 1)]
    [InlineData("mlp", "adam", 2)]
    [InlineData("mlp", "sgd", 2)]
    [InlineData("mlp", "momentum", 1)]
    [InlineData("mlp", "adamw", 2)]
    [InlineData("tiny", "adam", 1)]
    [InlineData("tiny", "adamw", 1)]
    [InlineData("conv", "adam", 2)]
    [InlineData("conv", "adamw", 1)]
    public void The_global_step_gives_the_fused_bits(string network, string kind, int threads)
    {
        const int batch = 32;
        int[] Run(string path) => AtThreads(threads, () =>
        {
            Net net = Network(network, batch);
            Optimizer optimizer = Make(kind, maxNorm: path == "unreachable clip" ? 1e30f : null);
            Assert.Equal(path == "unreachable clip", optimizer.NeedsGlobalStep);
            for (int step = 0; step < 4; step++)
            {
                var (inputs, labels) = Batch(net, batch, 40 + step);
                if (path == "by hand")
                {
                    net.Train(inputs, labels, null);
                    Assert.True(optimizer.Step(net.Parameters));
                }
                else
                {
                    net.Train(inputs, labels, optimizer);
                }
            }
            Assert.Equal(4, optimizer.StepCount);
            return Bits(net);
        });

        int[] fused = Run("fused");
        Assert.Equal(fused, Run("unreachable clip"));
        Assert.Equal(fused, Run("by hand"));
    }

    /// <summary>k batches of b accumulated, then one update, against one batch of k·b: the same gradient (the mean
    /// over k·b samples) up to float rounding, so the same parameters within float tolerance after three updates.</summary>
    [Theory]
    [InlineData("sgd", 4, 25)]
    [InlineData("adam", 4, 25)]
    [InlineData("momentum", 3, 7)]
    public void Accumulating_k_batches_of_b_equals_one_batch_of_k_times_b(string kind, int k, int b)
    {
        Net accumulated = Network("mlp", b), whole = Network("mlp", k * b);
        Optimizer accumulating = Make(kind, accumulation: k), single = Make(kind);
        Assert.True(accumulating.NeedsGlobalStep);
        for (int update = 0; update < 3; update++)
        {
            var (inputs, labels) = Batch(whole, k * b, 70 + update);
            int size = b * whole.InputCount;
            for (int part = 0; part < k; part++)
                accumulated.Train(inputs[(part * size)..((part + 1) * size)], labels[(part * b)..((part + 1) * b)], accumulating);
            whole.Train(inputs, labels, single);
            Assert.Equal(update + 1, accumulating.StepCount);
        }

        float[] got = [.. accumulated.Parameters.SelectMany(p => p.Value)];
        float[] want = [.. whole.Parameters.SelectMany(p => p.Value)];
        float[] start = [.. Network("mlp", 1).Parameters.SelectMany(p => p.Value)];
        double moved = 0;
        for (int i = 0; i < want.Length; i++)
        {
            moved = Math.Max(moved, Math.Abs(want[i] - start[i]));
            Assert.True(Math.Abs(got[i] - want[i]) <= 2e-6 + 1e-5 * Math.Abs(want[i]), $"{kind}: parameter value {i} is {got[i]:R}, one batch of {k * b} gives {want[i]:R}");
        }
        Assert.True(moved > 1e-3, $"the updates moved the parameters by at most {moved}: the comparison would prove nothing");
    }

    [Fact]
    public void A_clipping_train_step_equals_clipping_by_hand()
    {
        Net clipped = Network("mlp", 50), byHand = Network("mlp", 50);
        Optimizer optimizer = Make("adam", maxNorm: 0.5f), plain = Make("adam");
        int clippedSteps = 0;
        for (int step = 0; step < 5; step++)
        {
            var (inputs, labels) = Batch(clipped, 50, 90 + step);
            clipped.Train(inputs, labels, optimizer);
            byHand.Train(inputs, labels, null);
            float norm = Gradients.ClipByGlobalNorm(byHand.Parameters, 0.5f);
            plain.Step(byHand.Parameters);
            Assert.Equal(norm, optimizer.LastGradientNorm);
            if (norm > 0.5f) clippedSteps++;
        }
        Assert.True(clippedSteps >= 2, $"only {clippedSteps} of 5 steps were clipped");
        Assert.Equal(Bits(byHand), Bits(clipped));
    }

    /// <summary>A hook on the optimizer sees, inside TrainStep, every gradient of the whole backward pass before any
    /// parameter changes: the gradients ComputeGradients gives on an identical network, and the values from before the step.</summary>
    [Fact]
    public void A_BeforeUpdate_hook_sees_every_gradient_before_any_update()
    {
        Net watched = Network("conv", 16), twin = Network("conv", 16);
        float[][]? seenGradients = null, seenValues = null;
        var optimizer = new Adam(1e-3f)
        {
            BeforeUpdate = parameters =>
            {
                seenGradients = [.. parameters.Select(p => (float[])p.Gradient.Clone())];
                seenValues = [.. parameters.Select(p => (float[])p.Value.Clone())];
            },
        };
        var (inputs, labels) = Batch(watched, 16, 140);
        float[][] valuesBefore = [.. twin.Parameters.Select(p => (float[])p.Value.Clone())];

        watched.Train(inputs, labels, optimizer);
        twin.Train(inputs, labels, null);

        Assert.NotNull(seenGradients);
        Assert.Equal(twin.Parameters.Select(p => p.Gradient), seenGradients!);
        Assert.Equal(valuesBefore, seenValues!);
        Assert.NotEqual(valuesBefore, watched.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void Clipped_and_accumulated_training_is_bit_identical_at_one_and_two_threads()
    {
        int[] Train(int threads) => AtThreads(threads, () =>
        {
            Net net = Network("mlp", 40);
            Optimizer optimizer = Make("adamw", maxNorm: 0.3f, accumulation: 2);
            for (int step = 0; step < 6; step++)
            {
                var (inputs, labels) = Batch(net, 40, 120 + step);
                net.Train(inputs, labels, optimizer);
            }
            Assert.Equal(3, optimizer.StepCount);
            return Bits(net);
        });

        Assert.Equal(Train(1), Train(2));
    }

    [Fact]
    public void A_global_training_step_allocates_nothing_after_warm_up()
    {
        var model = new MnistNetwork(seed: 1);
        Optimizer optimizer = Make("adamw", maxNorm: 1f, accumulation: 2);
        var inputs = new float[100 * MnistNetwork.InputCount];
        new SeededRandom(1).FillNormal(inputs, 0.2f, 0.3f);
        var labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();
        for (int i = 0; i < 4; i++)
            model.TrainStep(inputs, labels, optimizer);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 6; i++)
            model.TrainStep(inputs, labels, optimizer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(5, optimizer.StepCount);
    }
}
