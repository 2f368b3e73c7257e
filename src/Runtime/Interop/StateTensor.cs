using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace SourceNet.Interop;

/// <summary>
/// One tensor of a network's <c>state_dict</c> as a file holds it: a trainable <see cref="Parameter"/> (float32, in
/// <c>state_dict</c> layout) or a <see cref="StateBuffer"/> (float32 or int64, as stored). Built from the layers'
/// declarations only, so file formats know no layer kind.
/// </summary>
internal sealed class StateTensor
{
    private StateTensor(string name, string owner, string dtype, int[] shape, int length, Parameter? parameter, StateBuffer? buffer)
    {
        Name = name;
        Owner = owner;
        DType = dtype;
        Shape = shape;
        Length = length;
        Parameter = parameter;
        Buffer = buffer;
    }

    /// <summary>The network's parameters (in <see cref="INetwork.Parameters"/> order), then its layers' buffers (in layer order).</summary>
    public static StateTensor[] Of(INetwork network)
    {
        var tensors = new List<StateTensor>();
        IReadOnlyList<Parameter> parameters = network.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i] ?? throw new ArgumentException($"The network's parameter {i} is null.", nameof(network));
            tensors.Add(new StateTensor(StateDictLayout.NameOf(parameter), parameter.Name, "F32", parameter.StateDictShape, parameter.Length, parameter, null));
        }
        foreach (StateBuffer buffer in NetworkState.Buffers(network))
        {
            string dtype = buffer.ElementType == BufferElementType.Int64 ? "I64" : "F32";
            tensors.Add(new StateTensor(StateDictLayout.NameOf(buffer), buffer.Name, dtype, buffer.Shape, buffer.Length, null, buffer));
        }
        return tensors.ToArray();
    }

    /// <summary>The <c>state_dict</c> name (the SourceNet name when none is mapped).</summary>
    public string Name { get; }

    /// <summary>The SourceNet name, for messages.</summary>
    public string Owner { get; }

    /// <summary>The safetensors dtype: <c>F32</c> or <c>I64</c>.</summary>
    public string DType { get; }

    /// <summary>The shape in the file.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize => DType == "I64" ? 8 : 4;

    /// <summary>Bytes in the file.</summary>
    public long ByteLength => (long)ElementSize * Length;

    private Parameter? Parameter { get; }

    private StateBuffer? Buffer { get; }

    /// <summary>The first non-finite float, if any: such a file would not load.</summary>
    public (int Index, float Value)? FirstNonFinite()
    {
        ReadOnlySpan<float> values = Parameter?.Value ?? Buffer!.Singles;
        for (int k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
                return (k, values[k]);
        }
        return null;
    }

    /// <summary>Writes the values little-endian, in <c>state_dict</c> layout.</summary>
    public void Write(Stream stream)
    {
        if (Buffer is { ElementType: BufferElementType.Int64 } counters)
        {
            var bytes = new byte[8 * counters.Length];
            for (int k = 0; k < counters.Length; k++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * k), counters.Int64s[k]);
            }
            stream.Write(bytes);
            return;
        }
        var values = new float[Length];
        if (Parameter is not null)
            StateDictLayout.ToStateDict(Parameter, values);
        else
            Buffer!.Singles.CopyTo(values, 0);
        var data = new byte[4 * values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * k), values[k]);
        }
        stream.Write(data);
    }

    /// <summary>
    /// The file's little-endian bytes as values in SourceNet's layout, to be given to <see cref="Commit"/>; every float
    /// is checked finite first. <paramref name="fileOffset"/> locates a bad value in the error.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">A float is NaN or infinite.</exception>
    public Array Stage(ReadOnlySpan<byte> raw, string path, long fileOffset)
    {
        if (DType == "I64")
        {
            var counters = new long[Length];
            for (int k = 0; k < counters.Length; k++)
            {
                counters[k] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(8 * k, 8));
            }
            return counters;
        }
        var values = new float[Length];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * k, 4));
            if (!float.IsFinite(values[k]))
                throw new SafeTensorsFormatException(path, fileOffset + 4L * k, $"finite values in '{Name}'", $"{values[k]} at index {k}");
        }
        if (Parameter is null)
            return values;
        var storage = new float[Length];
        StateDictLayout.FromStateDict(Parameter, values, storage);
        return storage;
    }

    /// <summary>Copies staged values into the parameter or buffer; cannot fail.</summary>
    public void Commit(Array staged)
    {
        if (Parameter is not null)
            ((float[])staged).CopyTo(Parameter.Value, 0);
        else if (Buffer!.ElementType == BufferElementType.Int64)
            ((long[])staged).CopyTo(Buffer.Int64s, 0);
        else
            ((float[])staged).CopyTo(Buffer.Singles, 0);
    }
}
