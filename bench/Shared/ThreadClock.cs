using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SourceNet.Bench;

/// <summary>
/// The calling thread's CPU time in nanoseconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): time the thread spent
/// waiting for a core while other processes ran is not counted, which wall-clock time on a loaded machine is full
/// of. Elsewhere it falls back to the wall clock.
/// </summary>
internal static partial class ThreadClock
{
    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    private static readonly bool Available = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>Whether the times are CPU times (else wall-clock).</summary>
    public static bool IsCpuTime => Available;

    /// <summary>Now, in nanoseconds of this thread's CPU time (or of the wall clock).</summary>
    public static long Now()
    {
        if (Available && TryRead(out long ns))
            return ns;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    /// <summary>Seconds between two readings.</summary>
    public static double Seconds(long start, long end) => (end - start) * 1e-9;

    /// <summary>Seconds since <paramref name="start"/>.</summary>
    public static double Since(long start) => Seconds(start, Now());

    private static bool TryRead(out long nanoseconds)
    {
        nanoseconds = 0;
        try
        {
            if (clock_gettime(ThreadCpuTime, out TimeSpec t) != 0)
                return false;
            nanoseconds = t.Seconds * 1_000_000_000 + t.Nanoseconds;
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clock, out TimeSpec time);
}
