using System;
using System.Threading;

namespace SourceNet.Kernels;

/// <summary>
/// The switch for timing choices at run time (<see cref="Enabled"/>), product keys, and a per-shape chooser
/// between two ways of computing the same bits. Whether products split is decided once for the whole process
/// (<see cref="SplitController"/>); the per-shape <see cref="Shape"/> times Gemm's sparse-or-dense choice.
/// </summary>
/// <remarks>
/// Per shape: the first <see cref="ExploreCalls"/> calls alternate between the two ways and time them; then the
/// cheaper on average (mean, not median: a stall every few calls is a real cost) is used, and every
/// <see cref="ExploitCalls"/> calls another short alternating window refreshes both estimates (each the mean of
/// its last two windows), so a change in load is followed within a few hundred calls. While the second way ("split")
/// keeps losing, windows come less often (up to 32x) and stop trying it after one stall.
/// State is updated without locks; concurrent callers of one shape may blur its statistics, never results.
/// <c>SOURCENET_ADAPTIVE_SPLIT=0</c> turns all run-time choices off (always split, sparse where sparse enough),
/// for A/B measurements.
/// </remarks>
internal static class AdaptiveSplit
{
    /// <summary>The environment variable read at start-up; "0" turns adaptation off.</summary>
    public const string EnvironmentVariable = "SOURCENET_ADAPTIVE_SPLIT";

    /// <summary>Calls per exploration window (half split, half not).</summary>
    internal const int ExploreCalls = 16;

    /// <summary>Calls between exploration windows.</summary>
    internal const int ExploitCalls = 240;

    private const int MaxShapes = 64;

    private static readonly object s_addLock = new();
    private static readonly Shape?[] s_shapes = new Shape?[MaxShapes];
    private static int s_count;

    /// <summary>Whether products choose at run time between split and single-threaded (and sparse and dense).</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is not "0";

    /// <summary>A key for a product: its layout (1..4) and sizes; distinct for sizes below 2^20. Gemm derives two
    /// more keys from it: +4 in the layout bits for its sparse-or-dense choice (where "split" means sparse), and
    /// bit 63 for the split choice of the sparse kernel.</summary>
    public static long Key(int layout, int m, int n, int k) =>
        ((long)layout << 60) | ((long)Math.Min(m, 0xFFFFF) << 40) | ((long)Math.Min(n, 0xFFFFF) << 20) | (uint)Math.Min(k, 0xFFFFF);

    /// <summary>The statistics of <paramref name="key"/>'s shape, created on first use; null once
    /// <see cref="MaxShapes"/> shapes are known (those then always split).</summary>
    public static Shape? For(long key)
    {
        int count = Volatile.Read(ref s_count);
        for (int i = 0; i < count; i++)
        {
            Shape? s = s_shapes[i];
            if (s!.Key == key)
                return s;
        }
        lock (s_addLock)
        {
            for (int i = 0; i < s_count; i++)
            {
                if (s_shapes[i]!.Key == key)
                    return s_shapes[i];
            }
            if (s_count == MaxShapes)
                return null;
            var shape = new Shape(key);
            s_shapes[s_count] = shape;
            Volatile.Write(ref s_count, s_count + 1);
            return shape;
        }
    }

    /// <summary>One shape's timings.</summary>
    internal sealed class Shape
    {
        public readonly long Key;
        private int _untilWindow;          // exploiting calls left before the next exploration window
        private int _exploit = ExploitCalls; // length of the next exploiting stretch
        private int _windowCall;           // calls made in the current window
        private bool _splitAborted;        // a split in this window stalled: no more splits in it
        private long _windowSplitTicks, _windowSingleTicks;
        private int _windowSplitCount, _windowSingleCount;
        private double _split = double.NaN, _single = double.NaN; // mean ticks per call
        private bool _preferSplit = true;

        public Shape(long key) => Key = key;

        /// <summary>The current estimates in stopwatch ticks per call (NaN before the first window), for benchmarks.</summary>
        public (double Split, double Single, bool PreferSplit) Estimates => (_split, _single, _preferSplit);

        /// <summary>Whether the next call should split.</summary>
        public bool NextSplit() => _untilWindow > 0 ? _preferSplit : (_windowCall & 1) == 0 && !_splitAborted;

        /// <summary>Records the call <see cref="NextSplit"/> chose and its time.</summary>
        public void Record(bool split, long ticks)
        {
            if (_untilWindow > 0)
            {
                _untilWindow--;
                return;
            }
            if (split)
            {
                _windowSplitTicks += ticks;
                _windowSplitCount++;
                // A split that took over twice a single-threaded call stalled (the worker was descheduled):
                // counting it is enough, more of them would only cost time.
                if (ticks > 2 * _single)
                    _splitAborted = true;
            }
            else
            {
                _windowSingleTicks += ticks;
                _windowSingleCount++;
            }
            if (++_windowCall < ExploreCalls)
                return;
            _split = Blend(_split, _windowSplitTicks, _windowSplitCount);
            _single = Blend(_single, _windowSingleTicks, _windowSingleCount);
            _preferSplit = !(_single < _split);
            // While splitting keeps losing, look again less and less often (each look costs stalls), up to
            // 32 stretches; a win brings the normal rhythm back.
            _exploit = _preferSplit ? ExploitCalls : Math.Min(2 * _exploit, 32 * ExploitCalls);
            _untilWindow = _exploit;
            _windowCall = 0;
            _splitAborted = false;
            _windowSplitTicks = _windowSingleTicks = 0;
            _windowSplitCount = _windowSingleCount = 0;
        }

        private static double Blend(double previous, long ticks, int count)
        {
            if (count == 0)
                return previous;
            double mean = (double)ticks / count;
            return double.IsNaN(previous) ? mean : 0.5 * (previous + mean);
        }
    }
}
