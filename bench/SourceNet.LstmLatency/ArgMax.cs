using System;

namespace SourceNet.Bench.LstmLatency;

/// <summary>The index of the largest logit (the first on a tie), the same for both systems.</summary>
internal static class ArgMax
{
    public static int Of(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
