using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>A slice of work that <see cref="KernelWorkers"/> runs on several threads: part p of P.</summary>
internal abstract class KernelJob
{
    /// <summary>Runs slice <paramref name="part"/> of <paramref name="parts"/>. Must not depend on which thread runs it.</summary>
    public abstract void Run(int part, int parts);
}

/// <summary>
/// Persistent worker threads for the kernels' fork-join. A call posts its job to the workers, runs part 0
/// itself, then waits for the others. Workers spin for a bounded time after each job (kernel calls in a
/// training step come microseconds apart) and then sleep on an event, so an idle process burns no core.
/// </summary>
/// <remarks>
/// One caller at a time owns the workers (<see cref="TryAcquire"/>); a second concurrent caller runs its parts
/// sequentially on its own thread, which gives the same results because the partition is fixed.
/// Worker <c>w</c> always runs part <c>w</c>, so a core keeps the same column slice of every matrix.
/// </remarks>
internal static class KernelWorkers
{
    /// <summary>How long a worker spins for the next job before sleeping.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    private static readonly object s_growLock = new();
    private static Worker[] s_workers = Array.Empty<Worker>();
    private static int s_owned;

    /// <summary>Takes exclusive use of the workers; false if another thread is using them.</summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref s_owned, 1, 0) == 0;

    /// <summary>Gives the workers back.</summary>
    public static void Release() => Volatile.Write(ref s_owned, 0);

    /// <summary>Runs <paramref name="job"/> in <paramref name="parts"/> slices, part 0 on this thread. Call between
    /// <see cref="TryAcquire"/> and <see cref="Release"/>.</summary>
    /// <remarks>
    /// Each part is claimed exactly once, by its worker or by this thread: when this thread finishes part 0 it
    /// runs any part whose worker has not started yet (asleep, or descheduled on a busy machine), so a late
    /// worker costs at most the single-threaded time instead of a scheduler quantum. A part computes the same
    /// values whoever runs it, so stealing never changes results.
    /// </remarks>
    public static void Run(KernelJob job, int parts)
    {
        Worker[] workers = EnsureWorkers(parts - 1);
        for (int w = 1; w < parts; w++)
            workers[w - 1].Post(job, w, parts);
        Exception? first = null;
        try
        {
            job.Run(0, parts);
        }
        catch (Exception e)
        {
            first = e;
        }
        ulong stolen = 0; // parts <= KernelThreads.MaxCount = 64
        for (int w = 1; w < parts; w++)
        {
            if (!workers[w - 1].TryClaim())
                continue;
            stolen |= 1UL << w;
            try
            {
                job.Run(w, parts);
            }
            catch (Exception e)
            {
                first ??= e;
            }
        }
        // Always wait for the parts the workers claimed: the job points at memory pinned by the caller.
        for (int w = 1; w < parts; w++)
        {
            if ((stolen & (1UL << w)) != 0)
                continue;
            Exception? error = workers[w - 1].WaitForCompletion();
            first ??= error;
        }
        if (first is not null)
            ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>Runs every part on this thread, in order (what a busy pool or one thread does).</summary>
    public static void RunInline(KernelJob job, int parts)
    {
        for (int p = 0; p < parts; p++)
            job.Run(p, parts);
    }

    /// <summary>Runs <paramref name="job"/> on the workers when free, else inline; same results either way.</summary>
    public static void RunShared(KernelJob job, int parts)
    {
        if (parts > 1 && TryAcquire())
        {
            try
            {
                Run(job, parts);
            }
            finally
            {
                Release();
            }
        }
        else
        {
            RunInline(job, parts);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        Worker[] workers = s_workers;
        if (workers.Length >= count)
            return workers;
        lock (s_growLock)
        {
            workers = s_workers;
            if (workers.Length < count)
            {
                var grown = new Worker[count];
                Array.Copy(workers, grown, workers.Length);
                for (int i = workers.Length; i < count; i++)
                    grown[i] = new Worker(i + 1);
                s_workers = workers = grown;
            }
        }
        return workers;
    }

    private sealed class Worker
    {
        private readonly AutoResetEvent _wake = new(false);
        private KernelJob? _job;
        private int _part;
        private int _parts;
        private Exception? _error;
        private int _posted;     // generation of the last job posted
        private int _claimed;    // generation of the last job claimed, by this worker or by the poster
        private int _completed;  // generation of the last job this worker finished
        private int _sleeping;   // 1 while the worker is (about to be) blocked on _wake

        public Worker(int index)
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"SourceNet kernel worker {index}",
            };
            thread.Start();
        }

        public void Post(KernelJob job, int part, int parts)
        {
            _job = job;
            _part = part;
            _parts = parts;
            _error = null;
            // Full fence: publishes the fields above, and orders this write before the read of _sleeping
            // (the worker does the mirror image), so either it sees the job or we see it asleep.
            Interlocked.Increment(ref _posted);
            if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
                _wake.Set();
        }

        /// <summary>Claims the posted job for the calling thread; false if the worker already took it.</summary>
        public bool TryClaim() => Claim(Volatile.Read(ref _posted));

        /// <summary>Waits until the job the worker claimed is done; returns its exception, if any.</summary>
        public Exception? WaitForCompletion()
        {
            int target = Volatile.Read(ref _posted);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) != target)
                spinner.SpinOnce(sleep1Threshold: -1);
            Exception? error = _error;
            _job = null;
            return error;
        }

        /// <summary>Generation g is claimed once, by moving <see cref="_claimed"/> from g - 1 to g. Every generation
        /// is claimed before the poster returns, so a worker that saw g late cannot take it after g + 1 is posted.</summary>
        private bool Claim(int generation) =>
            Interlocked.CompareExchange(ref _claimed, generation, generation - 1) == generation - 1;

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                int spins = 0;
                while (Volatile.Read(ref _posted) == seen)
                {
                    Thread.SpinWait(4);
                    if ((++spins & 63) != 0 || Stopwatch.GetTimestamp() < deadline)
                        continue;
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _posted) == seen)
                        _wake.WaitOne();
                    // A wake-up may be stale (the job was seen before blocking); the loop re-checks.
                    Interlocked.Exchange(ref _sleeping, 0);
                    deadline = Stopwatch.GetTimestamp() + SpinTicks;
                }
                seen = Volatile.Read(ref _posted);
                if (!Claim(seen))
                    continue; // the poster ran it already
                try
                {
                    _job!.Run(_part, _parts);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                Volatile.Write(ref _completed, seen);
            }
        }
    }
}
