using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>
/// Work that <see cref="KernelWorkers"/> runs on several threads: part p of P is a fixed slice (the same
/// output columns every call), cut into chunks so a thread that finishes early can help a late one.
/// </summary>
internal abstract class KernelJob
{
    /// <summary>Number of chunks in part <paramref name="part"/> of <paramref name="parts"/>: 1 to 65535.</summary>
    public abstract int ChunkCount(int part, int parts);

    /// <summary>Runs one chunk. Must give the same result whichever thread runs it.</summary>
    public abstract void RunChunk(int part, int parts, int chunk);

    /// <summary>Runs every chunk of <paramref name="part"/> in order, on this thread.</summary>
    public void Run(int part, int parts)
    {
        int chunks = ChunkCount(part, parts);
        for (int c = 0; c < chunks; c++)
            RunChunk(part, parts, c);
    }
}

/// <summary>
/// Persistent worker threads for the kernels' fork-join. A call publishes its job, runs part 0 itself, and
/// worker w runs part w, so a core keeps the same column slice of every matrix across calls. Workers spin for a
/// bounded time after each job (kernel calls in a training step come microseconds apart), then sleep on an
/// event, so an idle process burns no core.
/// </summary>
/// <remarks>
/// Each part is a range of chunks. Its owner takes chunks from the front; a thread that has finished its own
/// part takes chunks from the back of the others'. When every thread runs, each finishes its own part at about
/// the same time and nothing moves; when a worker is asleep or waiting for a core (a busy machine), the others
/// finish its part instead of waiting for it; only a chunk already begun by a preempted worker is waited for.
/// A chunk computes the same values whoever runs it, so this never changes results. Claims carry the job's
/// generation, so a late worker cannot take a chunk of a newer job.
/// One caller at a time owns the workers (<see cref="TryAcquire"/>); another concurrent caller runs inline.
/// </remarks>
internal static class KernelWorkers
{
    /// <summary>How long a worker spins for the next job before sleeping.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    /// <summary>How long the caller polls for chunks still running elsewhere before blocking.</summary>
    private static readonly long CallerSpinTicks = Stopwatch.Frequency / 20000; // 50 µs

    private static readonly object s_growLock = new();
    private static readonly long[] s_parts = new long[KernelThreads.MaxCount]; // per part: generation | front | back
    private static Worker[] s_workers = Array.Empty<Worker>();
    private static int s_owned;
    private static int s_generation;
    private static KernelJob? s_job;
    private static int s_partCount;
    private static int s_remaining;
    private static Exception? s_error;
    private static int s_callerWaiting;
    // Not ManualResetEventSlim: its first blocking wait makes a lock object, an allocation that could land in any
    // later call (a test of batch inference's steady state saw its 24 bytes). Waiting on this event allocates nothing.
    private static readonly ManualResetEvent s_done = new(false);

    /// <summary>Starts the workers a <paramref name="parts"/>-way split needs, if not yet running. Called where a
    /// product could split, whether or not it does this time, so that the first split (which the split controller
    /// may try only after many single-threaded steps) allocates nothing: the steady state stays allocation-free.</summary>
    public static void Prepare(int parts) => EnsureWorkers(parts - 1);

    /// <summary>Takes exclusive use of the workers; false if another thread is using them.</summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref s_owned, 1, 0) == 0;

    /// <summary>Gives the workers back.</summary>
    public static void Release() => Volatile.Write(ref s_owned, 0);

    /// <summary>Runs <paramref name="job"/> in <paramref name="parts"/> parts, part 0 on this thread. Call between
    /// <see cref="TryAcquire"/> and <see cref="Release"/>.</summary>
    public static void Run(KernelJob job, int parts)
    {
        Worker[] workers = EnsureWorkers(parts - 1);
        int generation = s_generation + 1;
        int total = 0;
        for (int p = 0; p < parts; p++)
        {
            int chunks = job.ChunkCount(p, parts);
            s_parts[p] = Pack(generation, 0, chunks);
            total += chunks;
        }
        s_job = job;
        s_partCount = parts;
        s_error = null;
        s_remaining = total;
        // Full fence: publishes everything above before the generation, and orders it before the reads of
        // the workers' sleeping flags (each worker does the mirror image), so a worker either sees the job or
        // is seen asleep and woken.
        Interlocked.Exchange(ref s_generation, generation);
        for (int w = 1; w < parts; w++)
            workers[w - 1].WakeIfSleeping();

        Work(job, generation, parts, 0);
        if (Volatile.Read(ref s_remaining) != 0)
            WaitForChunksInFlight();
        s_job = null;
        Exception? error = s_error;
        if (error is not null)
        {
            s_error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>
    /// Waits for chunks other threads are still running: spins briefly (they normally end within microseconds),
    /// then blocks, so that a worker sharing this core on a busy machine gets to finish instead of being starved
    /// by our spinning.
    /// </summary>
    private static void WaitForChunksInFlight()
    {
        // Poll finely first: the other thread's last chunk normally ends within a few microseconds.
        long deadline = Stopwatch.GetTimestamp() + CallerSpinTicks;
        for (int i = 1; Volatile.Read(ref s_remaining) != 0; i++)
        {
            Thread.SpinWait(1);
            if ((i & 255) == 0 && Stopwatch.GetTimestamp() > deadline)
                break;
        }
        if (Volatile.Read(ref s_remaining) == 0)
            return;
        while (true)
        {
            s_done.Reset();
            // Full fence, mirrored in RunChunk: either the last chunk sees us waiting and sets the event after
            // our reset, or we see it done. A late Set left over from an earlier job only costs a loop.
            Interlocked.Exchange(ref s_callerWaiting, 1);
            if (Volatile.Read(ref s_remaining) == 0)
                break;
            s_done.WaitOne();
        }
        Volatile.Write(ref s_callerWaiting, 0);
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

    /// <summary>Which thread of a split is running on this one: 0 for the caller, w for worker w. A chunk taken
    /// over from another part still runs on this thread, so per-thread state (a network's buffers) goes by this,
    /// not by the chunk's part.</summary>
    [ThreadStatic]
    private static int t_current;

    /// <summary>See <see cref="t_current"/>.</summary>
    public static int CurrentThread => t_current;

    /// <summary>Own part from the front, then the others' from the back.</summary>
    private static void Work(KernelJob job, int generation, int parts, int own)
    {
        t_current = own;
        int chunk;
        while ((chunk = Claim(own, generation, fromFront: true)) >= 0)
            RunChunk(job, own, parts, chunk);
        for (int i = 1; i < parts; i++)
        {
            int part = (own + i) % parts;
            while ((chunk = Claim(part, generation, fromFront: false)) >= 0)
                RunChunk(job, part, parts, chunk);
        }
    }

    private static void RunChunk(KernelJob job, int part, int parts, int chunk)
    {
        try
        {
            job.RunChunk(part, parts, chunk);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, e, null);
        }
        if (Interlocked.Decrement(ref s_remaining) == 0 && Volatile.Read(ref s_callerWaiting) != 0)
            s_done.Set();
    }

    private static long Pack(int generation, int front, int back) =>
        ((long)(uint)generation << 32) | ((long)(ushort)front << 16) | (ushort)back;

    /// <summary>Takes the next chunk of <paramref name="part"/> for job <paramref name="generation"/>; -1 if none is left.</summary>
    private static int Claim(int part, int generation, bool fromFront)
    {
        ref long slot = ref s_parts[part];
        while (true)
        {
            long state = Volatile.Read(ref slot);
            int front = (int)((state >> 16) & 0xFFFF), back = (int)(state & 0xFFFF);
            if ((int)(state >> 32) != generation || front >= back)
                return -1;
            long next = fromFront ? Pack(generation, front + 1, back) : Pack(generation, front, back - 1);
            if (Interlocked.CompareExchange(ref slot, next, state) == state)
                return fromFront ? front : back - 1;
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
        private readonly int _part;
        private int _sleeping; // 1 while the worker is (about to be) blocked on _wake

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"SourceNet kernel worker {part}",
            };
            thread.Start();
        }

        public void WakeIfSleeping()
        {
            if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
                _wake.Set();
        }

        private void Loop()
        {
            int seen = Volatile.Read(ref s_generation);
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                int spins = 0;
                while (Volatile.Read(ref s_generation) == seen)
                {
                    Thread.SpinWait(1);
                    if ((++spins & 255) != 0)
                        continue;
                    // Let a thread that shares this core run (a busy machine); returns at once otherwise.
                    Thread.Yield();
                    if (Stopwatch.GetTimestamp() < deadline)
                        continue;
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref s_generation) == seen)
                        _wake.WaitOne();
                    // A wake-up may be stale (the job was seen before blocking); the loop re-checks.
                    Interlocked.Exchange(ref _sleeping, 0);
                    deadline = Stopwatch.GetTimestamp() + SpinTicks;
                }
                seen = Volatile.Read(ref s_generation);
                // These may already belong to a newer job; then every claim tagged 'seen' fails harmlessly.
                KernelJob? job = Volatile.Read(ref s_job);
                int parts = Volatile.Read(ref s_partCount);
                if (job is not null && _part < parts)
                    Work(job, seen, parts, _part);
            }
        }
    }
}
