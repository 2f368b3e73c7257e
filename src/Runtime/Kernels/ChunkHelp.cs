using System;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>
/// Lets the threads of a training step split by samples (<see cref="TrainingChunks"/>) help each other at the end of
/// their chunks. While a thread whose own chunks are done waits, a chunk offers its recurrent steps (<see cref="LstmStep"/>:
/// each step's rows in two blocks; within a step a sample's row is independent of the others', and the rows that share
/// their first steps are handed over between steps, by the owner, once the step's blocks are done) and its
/// weight-gradient pass (<see cref="RecurrentWeightGradient"/>: blocks of output columns, about a third of an LSTM
/// chunk's work), and the waiting thread takes blocks of them until every chunk of the step is done. On a shared
/// machine one core is often slower than the other for seconds at a time; with the samples split in halves, the step
/// used to wait for the slow one's whole chunk.
/// A block computes the same values whichever thread runs it, so this changes no bit.
/// </summary>
/// <remarks>
/// One offer per chunk slot at a time. An offer's state is its generation (high 32 bits) and its next unclaimed block;
/// a block is claimed by a compare-and-swap on that state, so a helper that read an offer before the owner closed it
/// and opened the next cannot take a block of the newer one. The owner claims blocks the same way, then waits for the
/// blocks helpers took before it closes the offer and returns (its buffers stay pinned until then).
/// </remarks>
internal static class ChunkHelp
{
    private sealed class Offer
    {
        public long State;            // generation << 32 | next unclaimed block; 0 when closed
        public int Blocks;
        public int Done;
        public IBlockWork? Work;
        public Exception? Error;
    }

    private static readonly Offer[] s_offers = NewOffers();
    private static int s_generation;

    /// <summary>1 + the slot of the chunk this thread runs in a step split by samples over several threads, else 0:
    /// only then are passes offered.</summary>
    [ThreadStatic]
    private static int t_slot;

    private static Offer[] NewOffers()
    {
        var offers = new Offer[SampleChunks.MaxTrainingChunks];
        for (int i = 0; i < offers.Length; i++)
            offers[i] = new Offer();
        return offers;
    }

    /// <summary>Whether work this thread runs now is worth offering: it runs a chunk that other threads could help, and
    /// one of them is already waiting to (cutting a pass into blocks costs each block a pass over A; when both cores
    /// run at the same speed, neither is idle when the other's pass starts).</summary>
    public static bool CanOffer => t_slot != 0 && Volatile.Read(ref s_helpers) > 0;

    /// <summary>
    /// <see cref="CanOffer"/> for work of type TWork, which <see cref="RunOffered{TWork}(in TWork)"/> would then run. In a
    /// chunk it makes this thread's holder for TWork first, offered or not: on the chunk's first steps (a warm-up),
    /// not on the first offer, which comes whenever a helper first waits (a step that allocated would break the 0
    /// bytes a step).
    /// </summary>
    public static bool CanOfferWork<TWork>()
        where TWork : struct, IBlockWork
    {
        if (t_slot == 0)
            return false;
        _ = OfferedWork<TWork>.ForThisThread;
        return Volatile.Read(ref s_helpers) > 0;
    }

    /// <summary>Threads in <see cref="HelpWhileOthersRun"/>.</summary>
    private static int s_helpers;

    /// <summary>Marks this thread as running chunk <paramref name="chunk"/> of a step whose chunks other threads run too
    /// (−1: none), and returns the previous mark for <see cref="Restore"/>.</summary>
    public static int Enter(int chunk)
    {
        int saved = t_slot;
        t_slot = chunk < 0 ? 0 : chunk % s_offers.Length + 1;
        return saved;
    }

    /// <summary>Restores the mark <see cref="Enter"/> returned.</summary>
    public static void Restore(int saved) => t_slot = saved;

    /// <summary>
    /// Runs every block of <paramref name="work"/>, offering them to helpers meanwhile; returns once every block is done,
    /// wherever it ran. Call only where <see cref="CanOffer"/>.
    /// </summary>
    public static void RunOffered(IBlockWork work)
    {
        int blocks = work.Blocks;
        Offer offer = s_offers[t_slot - 1];
        int generation = Interlocked.Increment(ref s_generation) & int.MaxValue;
        if (generation == 0)
            generation = 1; // 0 would read as closed
        offer.Work = work;
        offer.Blocks = blocks;
        offer.Done = 0;
        offer.Error = null;
        Volatile.Write(ref offer.State, (long)generation << 32);
        while (TryClaim(offer, out int block))
            RunClaimed(offer, block);
        var wait = new SpinWait();
        while (Volatile.Read(ref offer.Done) < blocks)
            wait.SpinOnce(sleep1Threshold: -1);
        Volatile.Write(ref offer.State, 0);
        offer.Work = null;
        Exception? error = offer.Error;
        if (error is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    /// <summary>
    /// <see cref="RunOffered(IBlockWork)"/> for work held in a struct: it is copied into this thread's holder for
    /// TWork (made once per thread and type, so an offer allocates nothing), which helpers read it from.
    /// </summary>
    public static void RunOffered<TWork>(in TWork work)
        where TWork : struct, IBlockWork
    {
        OfferedWork<TWork> holder = OfferedWork<TWork>.ForThisThread;
        holder.Work = work;
        try
        {
            RunOffered(holder);
        }
        finally
        {
            holder.Work = default;
        }
    }

    /// <summary>A struct's work in a class, so another thread can run its blocks.</summary>
    private sealed class OfferedWork<TWork> : IBlockWork
        where TWork : struct, IBlockWork
    {
        [ThreadStatic]
        private static OfferedWork<TWork>? t_holder;

        public static OfferedWork<TWork> ForThisThread => t_holder ??= new OfferedWork<TWork>();

        public TWork Work;

        public int Blocks => Work.Blocks;

        public void RunBlock(int block) => Work.RunBlock(block);
    }

    /// <summary>
    /// Takes blocks of the other chunks' offers while they run: returns once every chunk that started has finished
    /// (<paramref name="finished"/> reaches <paramref name="started"/>), or at once while some of the step's
    /// <paramref name="chunks"/> have not started, which <see cref="KernelWorkers"/> then hands to this thread (a worker
    /// slow to wake).
    /// </summary>
    public static void HelpWhileOthersRun(ref int started, ref int finished, int chunks)
    {
        Interlocked.Increment(ref s_helpers);
        try
        {
            Help(ref started, ref finished, chunks);
        }
        finally
        {
            Interlocked.Decrement(ref s_helpers);
        }
    }

    private static void Help(ref int started, ref int finished, int chunks)
    {
        var wait = new SpinWait();
        while (true)
        {
            int running = Volatile.Read(ref started);
            if (running < chunks || Volatile.Read(ref finished) >= running)
                return;
            bool helped = false;
            foreach (Offer offer in s_offers)
            {
                while (TryClaim(offer, out int block))
                {
                    RunClaimed(offer, block);
                    helped = true;
                }
            }
            if (helped)
                wait.Reset();
            else
                wait.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Claims the next block of <paramref name="offer"/> if it is open and has one left.</summary>
    private static bool TryClaim(Offer offer, out int block)
    {
        while (true)
        {
            long state = Volatile.Read(ref offer.State);
            block = (int)state;
            // Blocks is read after the state (an acquire), so it is the state's generation's, or a later one's, in
            // which case the swap below fails.
            if (state == 0 || block >= Volatile.Read(ref offer.Blocks))
                return false;
            if (Interlocked.CompareExchange(ref offer.State, state + 1, state) == state)
                return true;
        }
    }

    private static void RunClaimed(Offer offer, int block)
    {
        try
        {
            // Read after the claim: the offer cannot close (and take another work) until this block is done.
            offer.Work!.RunBlock(block);
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref offer.Error, error, null);
        }
        finally
        {
            Interlocked.Increment(ref offer.Done);
        }
    }
}
