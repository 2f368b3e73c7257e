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
    [InlineData(50, 128, 28, 6, false)] // sequential MNIST's chunk (fewer steps): two blocks of 25 rows a step
    [InlineData(13, 9, 5, 4, false)]    // partial blocks of units, blocks of 7 and 6 rows
    [InlineData(50, 128, 28, 6, true)]  // backward from the last state, the rows of shared first steps carried once
    public void The_offered_LSTM_steps_have_the_bits_of_the_steps_on_one_thread(int batch, int units, int inputs, int steps, bool shareSteps)
    {
        // Each step's rows in two blocks, one of which the waiting thread may take; blank first inputs for some
        // samples, so the forward's copies (and the backward's shared rows) run in the blocks too.
        var lstm = new LstmSteps(batch, units, inputs, steps, seed: batch + units + inputs, shareSteps);
        float[][] alone = lstm.Run();
        float[][] helped = [];
        WithHelper(() => helped = lstm.Run());
        string[] names = ["gates", "cell states", "tanh c", "hidden states", "sequence", "dZ", "dLoss/dc of the first state"];
        for (int i = 0; i < alone.Length; i++)
            RecurrentAssert.SameBits(alone[i], helped[i], $"{names[i]} with a helper");
    }

    [Fact]
    public void An_offered_step_allocates_nothing_once_its_chunk_has_run_a_step()
    {
        // The holder an offer hands to the helper is made on the chunk's first steps, offered or not: the first offer,
        // whenever a helper first waits, must not allocate (0 bytes a training step).
        var lstm = new LstmSteps(batch: 24, units: 16, inputs: 5, steps: 2, seed: 5);
        // The chunk's first steps, with no helper waiting: nothing is offered.
        SpinWait.SpinUntil(KernelWorkers.TryAcquire);
        int saved = ChunkHelp.Enter(0);
        try
        {
            lstm.Run();
        }
        finally
        {
            ChunkHelp.Restore(saved);
            KernelWorkers.Release();
        }
        // Then a helper waits, and every step is offered for the first time.
        long allocated = -1;
        WithHelper(() => allocated = lstm.StepAllocations());
        Assert.Equal(0, allocated);
    }

    /// <summary>An LSTM's forward and backward steps (<see cref="LstmStep"/>) on its own buffers: sample b's first b mod
    /// 4 inputs blank, the rest drawn.</summary>
    private sealed class LstmSteps
    {
        private readonly int _batch, _units, _inputs, _steps;
        private readonly float[] _stepInputs, _biasHh, _lastHidden, _forwardWeights, _backwardWeights;
        private readonly float[] _gates, _cells, _cellTanh, _hidden, _sequence, _cellGradient;
        /// <summary>Backward from the last state alone, carrying shared rows once (see
        /// <see cref="LstmStep.FindSharedSteps"/>), or null: backward from every step's output (the sequence).</summary>
        private readonly int[]? _sharedSteps;

        public LstmSteps(int batch, int units, int inputs, int steps, int seed, bool shareSteps = false)
        {
            (_batch, _units, _inputs, _steps) = (batch, units, inputs, steps);
            _sharedSteps = shareSteps ? new int[batch] : null;
            int width = 4 * units;
            var random = new SeededRandom(seed);
            var weightIh = new float[inputs * width];
            var biasIh = new float[width];
            var weightHh = new float[units * width];
            _biasHh = new float[width];
            _stepInputs = new float[steps * batch * inputs];
            _lastHidden = new float[batch * units];
            random.FillNormal(weightIh, 0f, 0.5f);
            random.FillNormal(biasIh, 0f, 0.5f);
            random.FillNormal(weightHh, 0f, 0.3f);
            random.FillNormal(_biasHh, 0f, 0.5f);
            random.FillNormal(_stepInputs, 0f, 1f);
            random.FillNormal(_lastHidden, 0f, 0.1f);
            for (int t = 0; t < steps; t++)
            {
                for (int b = 0; b < batch; b++)
                {
                    if (t < b % 4)
                        Array.Clear(_stepInputs, (t * batch + b) * inputs, inputs);
                }
            }
            _forwardWeights = new float[LstmStep.ForwardFromInputsWeightsLength(units, inputs)];
            _backwardWeights = new float[LstmStep.BackwardWeightsLength(units)];
            LstmStep.PackForwardFromInputsWeights(units, inputs, weightIh, biasIh, weightHh, _forwardWeights);
            LstmStep.PackBackwardWeights(units, weightHh, _backwardWeights);
            _gates = new float[steps * batch * width];
            _cells = new float[(steps + 1) * batch * units];
            _cellTanh = new float[steps * batch * units];
            _hidden = new float[(steps + 1) * batch * units];
            _sequence = new float[batch * steps * units];
            _cellGradient = new float[batch * units];
        }

        /// <summary>Every step forward, then backward (dZ over the gates), from the zero state; returns copies of the
        /// gates after the forward, the cells, tanh c, h, the sequence, dZ and the last dLoss/dc.</summary>
        public float[][] Run()
        {
            Steps(out float[] forwardGates);
            return [forwardGates, Copy(_cells), Copy(_cellTanh), Copy(_hidden), Copy(_sequence), Copy(_gates), Copy(_cellGradient)];
        }

        /// <summary>Managed bytes this thread allocates in the steps themselves.</summary>
        public long StepAllocations()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Steps(out _, keepGates: false);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private void Steps(out float[] forwardGates, bool keepGates = true)
        {
            Array.Clear(_cells);
            Array.Clear(_hidden);
            Array.Clear(_cellGradient);
            for (int t = 0; t < _steps; t++)
                LstmStep.ForwardFromInputs(_batch, _units, _inputs, _steps, t, _stepInputs, _forwardWeights, _biasHh, _gates, _cells, _cellTanh, _hidden, _sequence);
            forwardGates = keepGates ? Copy(_gates) : [];
            if (_sharedSteps is not null)
                LstmStep.FindSharedSteps(_batch, _units, _inputs, _steps, _stepInputs, _hidden, _cells, _sharedSteps);
            for (int t = _steps - 1; t >= 0; t--)
            {
                LstmStep.Backward(_batch, _units, _steps, t, _backwardWeights, _gates, _cells, _cellTanh, _lastHidden,
                    _sharedSteps is null ? _sequence : default, _cellGradient, _gates, _sharedSteps);
            }
        }

        private static float[] Copy(float[] values) => (float[])values.Clone();
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
