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
    private int? _stateDictRank;
    private int[]? _fileShape;

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
    public float[] Value { get; private set; }

    /// <summary>dLoss/dValue from the last backward pass, row-major.</summary>
    public float[] Gradient { get; private set; }

    /// <summary>
    /// The tensor's name in PyTorch's <c>state_dict</c> for the same layer (<c>hidden.weight</c>), or null when
    /// none was given. Set by the generated network through <see cref="MapToStateDict(string, int[], int[])"/>.
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

    /// <summary>
    /// <see cref="StorageShape"/> permuted by <see cref="StateDictAxes"/>: the tensor the transposition gives, before
    /// any reshape to <see cref="StateDictShape"/>. Its values are row-major in <c>state_dict</c> order.
    /// </summary>
    public int[] TransposedShape
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
    /// The rank the <c>state_dict</c> tensor has when no file shape was given: a finer <see cref="TransposedShape"/>
    /// has its trailing axes merged into the last one (<c>nn.Linear</c> holds [units, C·H·W] where the transposition
    /// gives [units, C, H, W]). Null (the default) keeps the transposed shape as it is. Set by the layer that owns the
    /// parameter, as it knows its PyTorch counterpart.
    /// </summary>
    public int? StateDictRank
    {
        get => _stateDictRank;
        init
        {
            if (value is int rank)
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank, nameof(StateDictRank));
            _stateDictRank = value;
        }
    }

    /// <summary>
    /// The shape of the tensor in a <c>state_dict</c> or safetensors file: the file shape given to
    /// <see cref="MapToStateDict(string, int[], int[], int[])"/>; else <see cref="TransposedShape"/>, its trailing axes
    /// merged down to <see cref="StateDictRank"/> when set. Same values, same order as the transposed tensor (a reshape).
    /// </summary>
    public int[] StateDictShape
    {
        get
        {
            if (_fileShape is not null)
                return (int[])_fileShape.Clone();
            int[] transposed = TransposedShape;
            if (_stateDictRank is not int rank || transposed.Length <= rank)
                return transposed;
            var merged = new int[rank];
            transposed.AsSpan(0, rank).CopyTo(merged);
            for (int i = rank; i < transposed.Length; i++)
            {
                merged[rank - 1] *= transposed[i];
            }
            return merged;
        }
    }

    /// <summary>
    /// Names the parameter as PyTorch's <c>state_dict</c> does and says how its layout maps there: the
    /// values viewed as <paramref name="storageShape"/> (row-major), transposed by <paramref name="axes"/>.
    /// Without a shape the parameter keeps its own ([rows, columns], or [columns] for a vector) unpermuted.
    /// The file shape is <see cref="TransposedShape"/> (merged to <see cref="StateDictRank"/> when set).
    /// </summary>
    public void MapToStateDict(string name, int[]? storageShape = null, int[]? axes = null) =>
        Map(name, storageShape, axes, fileShape: null);

    /// <summary>
    /// <see cref="MapToStateDict(string, int[], int[])"/>, and the tensor's shape in the file:
    /// <paramref name="fileShape"/>, a reshape of the transposed tensor (same values, same order), such as a dense
    /// weight after a flatten, transposed to [units, C, H, W] and held as [units, C·H·W].
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not hold <see cref="Length"/> values, or the axes are not a permutation.</exception>
    public void MapToStateDict(string name, int[] storageShape, int[] axes, int[] fileShape)
    {
        ArgumentNullException.ThrowIfNull(storageShape);
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(fileShape);
        Map(name, storageShape, axes, fileShape);
    }

    private void Map(string name, int[]? storageShape, int[]? axes, int[]? fileShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int[] shape = storageShape ?? StorageShape;
        CheckHolds(shape, nameof(storageShape));
        int[] permutation = axes ?? Identity(shape.Length);
        if (permutation.Length != shape.Length || !IsPermutation(permutation))
            throw new ArgumentException($"[{string.Join(", ", permutation)}] is not a permutation of the {shape.Length} axes of {Name}.", nameof(axes));
        if (fileShape is not null)
            CheckHolds(fileShape, nameof(fileShape));
        StateDictName = name;
        StorageShape = (int[])shape.Clone();
        StateDictAxes = (int[])permutation.Clone();
        _fileShape = fileShape is null ? null : (int[])fileShape.Clone();
    }

    private void CheckHolds(int[] shape, string argument)
    {
        long product = 1;
        foreach (int dimension in shape)
        {
            if (dimension <= 0)
                throw new ArgumentException($"{Name}: the shape [{string.Join(", ", shape)}] has an axis that is not positive.", argument);
            product *= dimension;
        }
        if (product != Length)
            throw new ArgumentException($"{Name} has {Length} values; the shape [{string.Join(", ", shape)}] holds {product}.", argument);
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

    /// <summary>Makes this parameter read and write <paramref name="source"/>'s values, keeping its own gradient: the
    /// parameters of a training step's sample-chunk replica (<see cref="Kernels.SampleChunks"/>).</summary>
    /// <remarks>With <paramref name="ownGradient"/> false the gradient array is dropped (left empty): a replica's
    /// deferred weight, whose gradient the sum-and-update pass computes by rows (<see cref="Kernels.ITrainingChunk.DeferredWeight"/>).</remarks>
    internal void ShareValues(Parameter source, bool ownGradient = true)
    {
        if (source.Length != Length)
            throw new ArgumentException($"{Name} has {Length} values; {source.Name} has {source.Length}.", nameof(source));
        Value = source.Value;
        if (!ownGradient)
            Gradient = Array.Empty<float>();
    }

    /// <summary>Sets every value to <paramref name="value"/> (BatchNorm's scale starts at 1).</summary>
    public void Fill(float value) => Value.AsSpan().Fill(value);

    /// <summary>Fills the values from a normal distribution N(0, stdDev²).</summary>
    public void InitializeNormal(SeededRandom random, float stdDev) => random.FillNormal(Value, 0f, stdDev);

    /// <summary>Fills the values from the uniform distribution U(−bound, bound), one draw per value in order (PyTorch's recurrent layers' initialisation).</summary>
    public void InitializeUniform(SeededRandom random, float bound)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < Value.Length; i++)
        {
            Value[i] = (2f * random.NextSingle() - 1f) * bound;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
