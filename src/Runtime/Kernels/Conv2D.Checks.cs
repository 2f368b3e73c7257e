using System;

namespace SourceNet.Kernels;

// Argument checks shared by the Conv2D entry points. Shapes are passed as numbers and formatted only on
// failure, so a valid call allocates nothing.
public static partial class Conv2D
{
    private static void CheckBatch(int batch)
    {
        if (batch <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size must be positive.");
    }

    private static void CheckLength(string name, int found, long expected, int batch, int height, int width, int channels)
    {
        if (found < expected)
            throw new ArgumentException($"{name} has {found} values; at least {expected} expected (batch {batch} x {height}x{width}x{channels}).", name);
    }

    private static void CheckExact(string name, int found, int expected, string what)
    {
        if (found != expected)
            throw new ArgumentException($"{name} has {found} values; {expected} expected ({what}).", name);
    }

    private static void CheckWeight(in Conv2DGeometry g, int found, string name)
    {
        if (found != g.PatchLength * g.Filters)
            throw new ArgumentException($"{name} has {found} values; {g.PatchLength * g.Filters} expected ({g.KernelHeight}x{g.KernelWidth}x{g.InputChannels}x{g.Filters}, HWIO).", name);
    }

    private static void CheckWorkspace(in Conv2DGeometry g, in ConvPlan plan, int batch, int found)
    {
        long expected = plan.Length(batch, g.Filters);
        if (found < expected)
            throw new ArgumentException($"workspace has {found} floats; at least {expected} expected for batch {batch} (Conv2D.WorkspaceLength).", "workspace");
    }
}
