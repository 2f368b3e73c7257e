using System;

namespace SourceNet;

/// <summary>The element type of a <see cref="StateBuffer"/>, as it is stored in checkpoints and safetensors files.</summary>
public enum BufferElementType
{
    /// <summary>32-bit floats (safetensors <c>F32</c>): running statistics.</summary>
    Float32,

    /// <summary>64-bit integers (safetensors <c>I64</c>): counters such as <c>num_batches_tracked</c>.</summary>
    Int64,
}

/// <summary>
/// A non-trainable tensor that a layer keeps between steps and that a checkpoint or a <c>state_dict</c> must save:
/// BatchNorm's running mean and variance and its batch counter. PyTorch calls these buffers (<c>register_buffer</c>).
/// The optimizer never sees them; the generated network updates them in its training step.
/// </summary>
public sealed class StateBuffer
{
    private readonly Parameter? _namedAfter;
    private readonly string? _suffix;
    private string? _stateDictName;

    private StateBuffer(string name, BufferElementType elementType, int[] shape, Parameter? namedAfter, string? suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long length = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
            length *= dimension;
        }
        if (length > Array.MaxLength)
            throw new ArgumentException($"The buffer '{name}' of shape [{string.Join(", ", shape)}] holds more than {Array.MaxLength} values.", nameof(shape));
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Length = (int)length;
        Singles = elementType == BufferElementType.Float32 ? new float[length] : Array.Empty<float>();
        Int64s = elementType == BufferElementType.Int64 ? new long[length] : Array.Empty<long>();
        _namedAfter = namedAfter;
        _suffix = suffix;
    }

    /// <summary>A float32 buffer of <paramref name="shape"/>, zero-filled.</summary>
    /// <param name="name">Qualified name, such as <c>Norm.RunningMean</c>.</param>
    /// <param name="shape">The tensor's shape; empty for a scalar.</param>
    /// <param name="namedAfter">A parameter of the same layer whose <c>state_dict</c> prefix this buffer shares (see <see cref="StateDictName"/>).</param>
    /// <param name="suffix">The buffer's last <c>state_dict</c> name component, such as <c>running_mean</c>.</param>
    public static StateBuffer Float32(string name, int[] shape, Parameter? namedAfter = null, string? suffix = null) =>
        new(name, BufferElementType.Float32, shape ?? throw new ArgumentNullException(nameof(shape)), namedAfter, suffix);

    /// <summary>An int64 buffer of <paramref name="shape"/> (empty for a scalar), zero-filled; the other arguments as in <see cref="Float32"/>.</summary>
    public static StateBuffer Int64(string name, int[] shape, Parameter? namedAfter = null, string? suffix = null) =>
        new(name, BufferElementType.Int64, shape ?? throw new ArgumentNullException(nameof(shape)), namedAfter, suffix);

    /// <summary>Qualified name, such as <c>Norm.RunningMean</c>; a checkpoint stores the buffer under it.</summary>
    public string Name { get; }

    /// <summary>Float32 or int64.</summary>
    public BufferElementType ElementType { get; }

    /// <summary>Bytes per element: 4 or 8.</summary>
    public int ElementSize => ElementType == BufferElementType.Int64 ? 8 : 4;

    /// <summary>The tensor's shape, in SourceNet and in the <c>state_dict</c> alike (buffers are never permuted); empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Length { get; }

    /// <summary>The values of a float32 buffer; empty for an int64 one.</summary>
    public float[] Singles { get; }

    /// <summary>The values of an int64 buffer; empty for a float32 one.</summary>
    public long[] Int64s { get; }

    /// <summary>
    /// The tensor's name in PyTorch's <c>state_dict</c>: the name given to <see cref="MapToStateDict"/>; else, for a
    /// buffer created with a sibling parameter and a suffix, the parameter's <c>state_dict</c> prefix and the suffix
    /// (<c>bn.weight</c> gives <c>bn.running_mean</c>), so that one mapping of the layer's parameters names its buffers
    /// too; else null (safetensors then stores it under <see cref="Name"/>).
    /// </summary>
    public string? StateDictName
    {
        get
        {
            if (_stateDictName is not null || _suffix is null || _namedAfter?.StateDictName is not string sibling)
                return _stateDictName;
            int dot = sibling.LastIndexOf('.');
            return dot < 0 ? _suffix : sibling[..(dot + 1)] + _suffix;
        }
    }

    /// <summary>Names the buffer as PyTorch's <c>state_dict</c> does.</summary>
    public void MapToStateDict(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _stateDictName = name;
    }

    /// <summary>Sets every float32 value to <paramref name="value"/> (running variance starts at 1).</summary>
    public void Fill(float value)
    {
        if (ElementType != BufferElementType.Float32)
            throw new InvalidOperationException($"The buffer '{Name}' holds int64 values, not float32.");
        Singles.AsSpan().Fill(value);
    }

    /// <summary>The shape as text, such as <c>[16]</c>, or <c>[]</c> for a scalar.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText} {ElementType}";
}
