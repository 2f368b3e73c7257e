using System;

namespace SourceNet;

/// <summary>
/// A trainable tensor of a network: its values and the gradient of the loss with respect to them (the
/// state an optimizer keeps for it lives in the <see cref="Optimizer"/>). Stored row-major as <see cref="Rows"/> x <see cref="Columns"/>
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
        StorageShape = rows == 1 ? new[] { columns } : new[] { rows, columns };
        StateDictAxes = Identity(StorageShape.Length);
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

    /// <summary>
    /// The tensor's name in PyTorch's <c>state_dict</c> for the same layer (<c>hidden.weight</c>), or null when
    /// none was given. Set by the generated network through <see cref="MapToStateDict"/>.
    /// </summary>
    public string? StateDictName { get; private set; }

    /// <summary>
    /// The values' layout as an n-d array, row-major: [rows, columns] by default, or a finer view such as a
    /// convolution's [kernelHeight, kernelWidth, inChannels, filters]. Its product is <see cref="Length"/>.
    /// </summary>
    public int[] StorageShape { get; private set; }

    /// <summary>
    /// For each axis of the <c>state_dict</c> tensor, the axis of <see cref="StorageShape"/> it is: the
    /// <c>state_dict</c> tensor is the storage tensor transposed by this permutation (NumPy's <c>transpose(axes)</c>).
    /// </summary>
    public int[] StateDictAxes { get; private set; }

    /// <summary>The shape of the <c>state_dict</c> tensor: <see cref="StorageShape"/> permuted by <see cref="StateDictAxes"/>.</summary>
    public int[] StateDictShape
    {
        get
        {
            var shape = new int[StateDictAxes.Length];
            for (int i = 0; i < shape.Length; i++)
            {
                shape[i] = StorageShape[StateDictAxes[i]];
            }
            return shape;
        }
    }

    /// <summary>
    /// Names the parameter as PyTorch's <c>state_dict</c> does and says how its layout maps there: the
    /// values viewed as <paramref name="storageShape"/> (row-major), transposed by <paramref name="axes"/>.
    /// Without a shape the parameter keeps its own ([rows, columns], or [columns] for a vector) unpermuted.
    /// </summary>
    public void MapToStateDict(string name, int[]? storageShape = null, int[]? axes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int[] shape = storageShape ?? StorageShape;
        long product = 1;
        foreach (int dimension in shape)
        {
            product *= dimension;
        }
        if (product != Length)
            throw new ArgumentException($"{Name} has {Length} values; the shape [{string.Join(", ", shape)}] holds {product}.", nameof(storageShape));
        int[] permutation = axes ?? Identity(shape.Length);
        if (permutation.Length != shape.Length || !IsPermutation(permutation))
            throw new ArgumentException($"[{string.Join(", ", permutation)}] is not a permutation of the {shape.Length} axes of {Name}.", nameof(axes));
        StateDictName = name;
        StorageShape = shape;
        StateDictAxes = permutation;
    }

    private static int[] Identity(int rank)
    {
        var axes = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            axes[i] = i;
        }
        return axes;
    }

    private static bool IsPermutation(int[] axes)
    {
        var seen = new bool[axes.Length];
        foreach (int axis in axes)
        {
            if ((uint)axis >= (uint)axes.Length || seen[axis])
            {
                return false;
            }
            seen[axis] = true;
        }
        return true;
    }

    /// <summary>Fills the values from a normal distribution N(0, stdDev²).</summary>
    public void InitializeNormal(SeededRandom random, float stdDev) => random.FillNormal(Value, 0f, stdDev);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
