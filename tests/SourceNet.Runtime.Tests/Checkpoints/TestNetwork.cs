using System.Collections;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>A hand-written <see cref="INetwork"/> that only holds parameters: all a checkpoint needs.</summary>
internal sealed class TestNetwork : INetwork
{
    private readonly Parameter[] _parameters;

    public TestNetwork(params (string Name, int Rows, int Columns)[] shapes)
    {
        _parameters = [.. shapes.Select(shape => new Parameter(shape.Name, shape.Rows, shape.Columns))];
    }

    /// <summary>The usual two-layer shape, small: Hidden 4 -> 3, Output 3 -> 2.</summary>
    public static TestNetwork Small() => new(("Hidden.Weight", 4, 3), ("Hidden.Bias", 1, 3), ("Output.Weight", 3, 2), ("Output.Bias", 1, 2));

    public int InputSize => _parameters.Length == 0 ? 0 : _parameters[0].Rows;

    public int OutputSize => _parameters.Length == 0 ? 0 : _parameters[^1].Columns;

    public int MaxBatchSize => 1;

    /// <summary>When set, reading <see cref="Parameters"/> gives a list whose indexer throws at this index.</summary>
    public int? ThrowAtIndex { get; set; }

    public IReadOnlyList<Parameter> Parameters => ThrowAtIndex is int index ? new ThrowingList(_parameters, index) : _parameters;

    /// <summary>None: a checkpoint of this double holds parameters only.</summary>
    public IReadOnlyList<Layer> Layers => [];

    /// <summary>Fills every value from a seeded normal distribution.</summary>
    public TestNetwork Randomize(long seed)
    {
        var random = new SeededRandom(seed);
        foreach (Parameter parameter in _parameters)
        {
            parameter.InitializeNormal(random, 1f);
        }
        return this;
    }

    /// <summary>The bit patterns of every value, for exact comparisons (NaN and -0 included).</summary>
    public int[][] Bits() => [.. _parameters.Select(p => p.Value.Select(BitConverter.SingleToInt32Bits).ToArray())];

    private sealed class ThrowingList(Parameter[] parameters, int throwAt) : IReadOnlyList<Parameter>
    {
        public Parameter this[int index] => index == throwAt ? throw new InvalidOperationException("parameter read failed") : parameters[index];

        public int Count => parameters.Length;

        public IEnumerator<Parameter> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
