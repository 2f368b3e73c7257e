using System;

namespace SourceNet;

/// <summary>
/// A trainable tensor of a network: its values, the gradient of the loss with respect to them,
/// and the state an optimizer keeps for it. Stored row-major as <see cref="Rows"/> x <see cref="Columns"/>
/// (a vector has one row).
/// </summary>
/// <remarks>
/// Backward contract, the same for every generated layer: the backward pass <b>assigns</b> a
/// parameter's <see cref="Gradient"/> (it never accumulates across steps), and <b>accumulates</b>
/// into the gradient flowing to the layer below only where two paths meet.
/// </remarks>
public sealed class Parameter
{
    /// <summary>Creates a zero-filled parameter.</summary>
    public Parameter(string name, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Name = name;
        Rows = rows;
        Columns = columns;
        Value = new float[rows * columns];
        Gradient = new float[rows * columns];
    }

    /// <summary>Qualified name, such as <c>Hidden.Weight</c>.</summary>
    public string Name { get; }

    /// <summary>Number of rows (the layer's inputs for a weight matrix, 1 for a bias).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the layer's units).</summary>
    public int Columns { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>The shape as text, such as <c>[784, 300]</c> or <c>[300]</c>.</summary>
    public string ShapeText => Rows == 1 ? $"[{Columns}]" : $"[{Rows}, {Columns}]";

    /// <summary>The values, row-major.</summary>
    public float[] Value { get; }

    /// <summary>dLoss/dValue from the last backward pass, row-major.</summary>
    public float[] Gradient { get; }

    /// <summary>First optimizer slot (Adam's first moment, SGD's velocity); created by the optimizer on first use.</summary>
    internal float[]? Slot1;

    /// <summary>Second optimizer slot (Adam's second moment); created by the optimizer on first use.</summary>
    internal float[]? Slot2;

    /// <summary>Fills the values from a normal distribution N(0, stdDev²).</summary>
    public void InitializeNormal(SeededRandom random, float stdDev) => random.FillNormal(Value, 0f, stdDev);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
