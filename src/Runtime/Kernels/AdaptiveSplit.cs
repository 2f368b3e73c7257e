using System;

namespace SourceNet.Kernels;

/// <summary>
/// The switch for the run-time split choice (<see cref="Enabled"/>) and the keys that tell products apart. Whether
/// products split is decided once for the whole process by <see cref="SplitController"/>.
/// <c>SOURCENET_ADAPTIVE_SPLIT=0</c> turns the choice off (always split), for A/B measurements.
/// </summary>
internal static class AdaptiveSplit
{
    /// <summary>The environment variable read at start-up; "0" turns adaptation off.</summary>
    public const string EnvironmentVariable = "SOURCENET_ADAPTIVE_SPLIT";

    /// <summary>Whether products choose at run time between split and single-threaded.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is not "0";

    /// <summary>Set on the calling thread while a training step split by products runs its sample chunks: the step's
    /// own controller (<see cref="TrainingSplitController"/>) has chosen to split, so the products do not ask the
    /// process-wide one.</summary>
    [ThreadStatic]
    internal static bool t_stepChoseProducts;

    /// <summary>A key for a product: its layout (1..4) and sizes; distinct for sizes below 2^20. Sparse and listed
    /// calls of a shape share its key (a new key late in training would make the controller allocate).</summary>
    public static long Key(int layout, int m, int n, int k) =>
        ((long)layout << 60) | ((long)Math.Min(m, 0xFFFFF) << 40) | ((long)Math.Min(n, 0xFFFFF) << 20) | (uint)Math.Min(k, 0xFFFFF);
}
