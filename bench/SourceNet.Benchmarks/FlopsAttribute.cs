using System;

namespace SourceNet.Benchmarks;

/// <summary>Floating-point operations one invocation of the benchmark performs (2 per multiply-add).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(long flops) : Attribute
{
    public long Flops { get; } = flops;
}
