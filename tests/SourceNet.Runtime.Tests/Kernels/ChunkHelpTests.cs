using System;
using System.Collections.Generic;
using System.Threading;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="ChunkHelp"/>: a chunk's offered blocks run exactly once each, some on the thread whose chunk is done; the
/// owner returns only when every block is done and rethrows a helper's exception; a helper stops once the chunks that
/// started have finished, and does not wait for chunks not yet started; an offer is made only while a helper waits.
/// And <see cref="RecurrentWeightGradient"/>'s offered pass gives the bits of the whole product, and
/// <see cref="LstmStep"/>'s offered steps the bits of the steps on one thread.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class ChunkHelpTests
{
    [Fact]
    public void Every_offered_block_runs_once_and_the_waiting_thread_takes_some()
    {
        var work = new RecordingWork(blocks: 12, sleepMs: 3);
        bool allDoneOnReturn = false;
        List<int> helperThreads = WithHelper(() =>
        {
            ChunkHelp.RunOffered(work);
            allDoneOnReturn = Array.TrueForAll(work.Finished, f => Volatile.Read(ref f) == 1);
        });
        Assert.True(allDoneOnReturn, "the owner returned before a helper's block was done");
        for (int b = 0; b < work.Blocks; b++)
            Assert.Equal(1, work.Runs[b]);
        // Twelve blocks of 3 ms: the helper, already waiting, takes some of them.
        Assert.Contains(work.Threads, id => helperThreads.Contains(id));
        Assert.Contains(work.Threads, id => id == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void A_helpers_exception_reaches_the_owner_after_every_block()
    {
        // Every block the helper runs fails (it takes some: see above); the owner's own blocks do not.
        var work = new RecordingWork(blocks: 8, sleepMs: 3) { ThrowingOffThread = Environment.CurrentManagedThreadId };
        var error = Assert.Throws<InvalidOperationException>(() => WithHelper(() => ChunkHelp.RunOffered(work)));
        Assert.Contains("failed on a helper", error.Message);
        for (int b = 0; b < work.Blocks; b++)
            Assert.Equal(1, work.Runs[b]);
    }

    [Fact]
    public void A_helper_returns_when_the_started_chunks_are_done_or_some_have_not_started()
    {
        int started = 1, finished = 0;
        // One of two chunks not started: KernelWorkers will hand it to this thread, so no waiting here.
        ChunkHelp.HelpWhileOthersRun(ref started, ref finished, chunks: 2);
        started = 2;
        finished = 1;
        var helper = new Thread(() => ChunkHelp.HelpWhileOthersRun(ref started, ref finished, chunks: 2));
        helper.Start();
        Assert.False(helper.Join(50)); // the other chunk still runs
        Interlocked.Increment(ref finished);
        Assert.True(helper.Join(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Nothing_is_offered_outside_a_chunk_or_without_a_waiting_helper()
    {
        Assert.False(ChunkHelp.CanOffer);
        // The workers held, as a training step holds them: no other step's thread can be waiting to help.
        SpinWait.SpinUntil(KernelWorkers.TryAcquire);
        int saved = ChunkHelp.Enter(0);
        try
        {
            Assert.False(ChunkHelp.CanOffer); // in a chunk, but no thread is waiting to help
        }
        finally
        {
            ChunkHelp.Restore(saved);
            KernelWorkers.Release();
        }
    }

    [Theory]
    [InlineData(28, 128, 512, 1400)] // sequential MNIST's chunk: inputs read in place, hidden states packed
    [InlineData(5, 70, 100, 300)]    // partial panels and tiles
    public void The_offered_gradient_pass_has_the_bits_of_the_whole_product(int inputs, int units, int n, int rows)
    {
        var random = new SeededRandom(inputs + units);
        var x = new float[rows * inputs];
        var h = new float[rows * units];
        var dz = new float[rows * n];
        random.FillNormal(x, 0f, 1f);
        random.FillNormal(h, 0f, 1f);
        random.FillNormal(dz, 0f, 1f);
        var expectedIh = new Parameter("ih", inputs, n);
        var expectedHh = new Parameter("hh", units, n);
        var expectedBias = new float[n];
        RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, expectedIh, expectedHh, expectedBias, optimizer: null);
        var ih = new Parameter("ih", inputs, n);
        var hh = new Parameter("hh", units, n);
        var bias = new float[n];
        WithHelper(() => RecurrentWeightGradient.ComputeBothSides(inputs, units, n, rows, x, h, dz, ih, hh, bias, optimizer: null));
        Assert.Equal(expectedIh.Gradient, ih.Gradient);
        Assert.Equal(expectedHh.Gradient, hh.Gradient);
        Assert.Equal(expectedBias, bias);
    }

    [Theory]
    [InlineData(50, 128, 28, 6)] // sequential MNIST's chunk (fewer steps): two blocks of 25 rows a step
    [InlineData(13, 9, 5, 4)]    // partial blocks of units, blocks of 7 and 6 rows
    public void The_offered_LSTM_steps_have_the_bits_of_the_steps_on_one_thread(int batch, int units, int inputs, int steps)
    {
        // Each step's rows in two blocks, one of which the waiting thread may take; blank first inputs for some
        // samples, so the forward's copies run in the blocks too.
        int width = 4 * units;
        var random = new SeededRandom(batch + units + inputs);
        var weightIh = new float[inputs * width];
        var biasIh = new float[width];
        var weightHh = new float[units * width];
        var biasHh = new float[width];
        var stepInputs = new float[steps * batch * inputs];
        var lastHidden = new float[batch * units];
        random.FillNormal(weightIh, 0f, 0.5f);
        random.FillNormal(biasIh, 0f, 0.5f);
        random.FillNormal(weightHh, 0f, 0.3f);
        random.FillNormal(biasHh, 0f, 0.5f);
        random.FillNormal(stepInputs, 0f, 1f);
        random.FillNormal(lastHidden, 0f, 0.1f);
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                if (t < b % 4)
                    Array.Clear(stepInputs, (t * batch + b) * inputs, inputs);
            }
        }
        var forwardWeights = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
        var backwardWeights = new float[LstmStep.BackwardWeightsLength(units)];
        LstmStep.PackForwardFromInputsWeights(units, inputs, weightIh, biasIh, weightHh, forwardWeights);
        LstmStep.PackBackwardWeights(units, weightHh, backwardWeights);
        float[][] Run()
        {
            var gates = new float[steps * batch * width];
            var cells = new float[(steps + 1) * batch * units];
            var cellTanh = new float[steps * batch * units];
            var hidden = new float[(steps + 1) * batch * units];
            var sequence = new float[batch * steps * units];
            for (int t = 0; t < steps; t++)
                LstmStep.ForwardFromInputs(batch, units, inputs, steps, t, stepInputs, forwardWeights, biasHh, gates, cells, cellTanh, hidden, sequence);
            float[] forwardGates = (float[])gates.Clone();
            var cellGradient = new float[batch * units];
            for (int t = steps - 1; t >= 0; t--)
                LstmStep.Backward(batch, units, steps, t, backwardWeights, gates, cells, cellTanh, lastHidden, sequence, cellGradient, gates);
            return [forwardGates, cells, cellTanh, hidden, sequence, gates, cellGradient];
        }
        float[][] alone = Run();
        float[][] helped = [];
        WithHelper(() => helped = Run());
        string[] names = ["gates", "cell states", "tanh c", "hidden states", "sequence", "dZ", "dLoss/dc of the first state"];
        for (int i = 0; i < alone.Length; i++)
            RecurrentAssert.SameBits(alone[i], helped[i], $"{names[i]} with a helper");
    }

    [Fact]
    public void An_offered_step_allocates_nothing_once_its_chunk_has_run_a_step()
    {
        // The holder an offer hands to the helper is made on the chunk's first steps, offered or not: the first offer,
        // whenever a helper first waits, must not allocate (0 bytes a training step).
        const int batch = 24, units = 16, inputs = 5, steps = 2, width = 4 * units;
        var random = new SeededRandom(5);
        var weightIh = new float[inputs * width];
        var biasIh = new float[width];
        var weightHh = new float[units * width];
        var biasHh = new float[width];
        var stepInputs = new float[steps * batch * inputs];
        random.FillNormal(weightIh, 0f, 0.5f);
        random.FillNormal(weightHh, 0f, 0.3f);
        random.FillNormal(stepInputs, 0f, 1f);
        var forwardWeights = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
        var backwardWeights = new float[LstmStep.BackwardWeightsLength(units)];
        LstmStep.PackForwardFromInputsWeights(units, inputs, weightIh, biasIh, weightHh, forwardWeights);
        LstmStep.PackBackwardWeights(units, weightHh, backwardWeights);
        var gates = new float[steps * batch * width];
        var cells = new float[(steps + 1) * batch * units];
        var cellTanh = new float[steps * batch * units];
        var hidden = new float[(steps + 1) * batch * units];
        var lastHidden = new float[batch * units];
        var cellGradient = new float[batch * units];
        void Steps()
        {
            for (int t = 0; t < steps; t++)
                LstmStep.ForwardFromInputs(batch, units, inputs, steps, t, stepInputs, forwardWeights, biasHh, gates, cells, cellTanh, hidden, default);
            for (int t = steps - 1; t >= 0; t--)
                LstmStep.Backward(batch, units, steps, t, backwardWeights, gates, cells, cellTanh, lastHidden, default, cellGradient, gates);
        }
        // The chunk's first steps, with no helper waiting: nothing is offered.
        SpinWait.SpinUntil(KernelWorkers.TryAcquire);
        int saved = ChunkHelp.Enter(0);
        try
        {
            Steps();
        }
        finally
        {
            ChunkHelp.Restore(saved);
            KernelWorkers.Release();
        }
        // Then a helper waits, and every step is offered for the first time.
        long allocated = -1;
        WithHelper(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Steps();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(0, allocated);
    }

    /// <summary>Runs <paramref name="owner"/> as chunk 0 of two while another thread, its own chunk done, helps (the
    /// workers held, as a training step holds them); returns the helper's thread id.</summary>
    private static List<int> WithHelper(Action owner)
    {
        SpinWait.SpinUntil(KernelWorkers.TryAcquire);
        int started = 2, finished = 1;
        var helperThreads = new List<int>();
        var helper = new Thread(() =>
        {
            lock (helperThreads)
                helperThreads.Add(Environment.CurrentManagedThreadId);
            ChunkHelp.HelpWhileOthersRun(ref started, ref finished, chunks: 2);
        });
        int saved = ChunkHelp.Enter(0);
        try
        {
            helper.Start();
            Assert.True(SpinWait.SpinUntil(() => ChunkHelp.CanOffer, TimeSpan.FromSeconds(10)), "the helper never started waiting");
            owner();
        }
        finally
        {
            ChunkHelp.Restore(saved);
            Interlocked.Increment(ref finished);
            helper.Join();
            KernelWorkers.Release();
        }
        return helperThreads;
    }

    private sealed class RecordingWork(int blocks, int sleepMs) : IBlockWork
    {
        public int Blocks { get; } = blocks;
        public int[] Runs { get; } = new int[blocks];
        public int[] Finished { get; } = new int[blocks];
        public int[] Threads { get; } = new int[blocks];
        /// <summary>A thread id: blocks run on any other thread throw (after their work), or −1 for none.</summary>
        public int ThrowingOffThread { get; init; } = -1;

        public void RunBlock(int block)
        {
            Interlocked.Increment(ref Runs[block]);
            Threads[block] = Environment.CurrentManagedThreadId;
            Thread.Sleep(sleepMs);
            Volatile.Write(ref Finished[block], 1);
            if (ThrowingOffThread >= 0 && Environment.CurrentManagedThreadId != ThrowingOffThread)
                throw new InvalidOperationException($"block {block} failed on a helper");
        }
    }
}
