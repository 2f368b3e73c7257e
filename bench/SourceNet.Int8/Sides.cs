using System.Collections.Generic;
using SourceNet.Bench.Peers;

namespace SourceNet.Bench.Int8;

/// <summary>
/// The float and int8 times of a benchmark: within a round, each side's calls (the round's figure is each side's
/// median); across rounds, each round's medians and ratios.
/// </summary>
internal sealed class Sides
{
    private readonly List<double> _floatWall = new(), _int8Wall = new(), _floatCpu = new(), _int8Cpu = new();

    /// <summary>Each round's float median, wall-clock seconds.</summary>
    public List<double> FloatWalls { get; } = new();

    /// <summary>Each round's int8 median, wall-clock seconds.</summary>
    public List<double> Int8Walls { get; } = new();

    /// <summary>Each round's float/int8 ratio of wall-clock medians.</summary>
    public List<double> WallRatios { get; } = new();

    /// <summary>Each round's float/int8 ratio of CPU-time medians.</summary>
    public List<double> CpuRatios { get; } = new();

    /// <summary>The median float call, wall-clock seconds (per item when calls were divided).</summary>
    public double FloatWall => Measure.Median(_floatWall);

    /// <summary>The median int8 call, wall-clock seconds.</summary>
    public double Int8Wall => Measure.Median(_int8Wall);

    /// <summary>Float over int8, wall-clock medians.</summary>
    public double WallRatio => FloatWall / Int8Wall;

    /// <summary>Float over int8, CPU-time medians.</summary>
    public double CpuRatio => Measure.Median(_floatCpu) / Measure.Median(_int8Cpu);

    /// <summary>One float call, its times divided by <paramref name="items"/>.</summary>
    public void AddFloat((double Wall, double Cpu) time, int items = 1)
    {
        _floatWall.Add(time.Wall / items);
        _floatCpu.Add(time.Cpu / items);
    }

    /// <summary>One int8 call, its times divided by <paramref name="items"/>.</summary>
    public void AddInt8((double Wall, double Cpu) time, int items = 1)
    {
        _int8Wall.Add(time.Wall / items);
        _int8Cpu.Add(time.Cpu / items);
    }

    /// <summary>A finished round's medians.</summary>
    public void AddRound(Sides round)
    {
        FloatWalls.Add(round.FloatWall);
        Int8Walls.Add(round.Int8Wall);
        WallRatios.Add(round.WallRatio);
        CpuRatios.Add(round.CpuRatio);
    }
}
