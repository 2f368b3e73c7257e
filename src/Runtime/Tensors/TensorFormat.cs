using System;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace SourceNet.Tensors;

/// <summary>
/// Prints tensors the way numpy does, without numpy's column padding: <c>[0 1 2 3]</c>, nested brackets for
/// higher ranks, and summarisation of large arrays.
/// </summary>
/// <remarks>
/// Elision rule: when a tensor has more than <see cref="DefaultThreshold"/> elements, every axis longer than
/// 2 × <see cref="DefaultEdgeItems"/> shows only its first and last <see cref="DefaultEdgeItems"/> entries
/// around <c>...</c> (<c>[0 1 2 ... 97 98 99]</c>). numpy's threshold is 1000; ours is lower because console
/// lines are short. Scalars print as numpy prints them: a whole float keeps a <c>.0</c> (<c>9.0</c>);
/// elements of arrays print in their shortest round-trip form (<c>[3 6 9]</c>).
/// </remarks>
public static class TensorFormat
{
    /// <summary>Tensors with more elements than this are summarised.</summary>
    public const int DefaultThreshold = 20;

    /// <summary>How many entries a summarised axis keeps at each end.</summary>
    public const int DefaultEdgeItems = 3;

    /// <summary>Formats <paramref name="values"/>, laid out row-major with the given <paramref name="shape"/> (empty for a scalar).</summary>
    public static string Format<T>(ReadOnlySpan<T> values, ReadOnlySpan<nint> shape, int threshold = DefaultThreshold, int edgeItems = DefaultEdgeItems)
        where T : INumberBase<T>
    {
        if (shape.IsEmpty)
        {
            return Scalar(values[0]);
        }
        bool summarise = values.Length > threshold;
        var text = new StringBuilder();
        Append(text, values, shape, 0, 0, summarise, edgeItems);
        return text.ToString();
    }

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(10,)</c>, <c>(2, 3)</c>.</summary>
    public static string Shape(ReadOnlySpan<nint> shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape.ToArray()) + ")",
    };

    /// <summary>numpy's name for an element type: <c>int32</c>, <c>float32</c>, <c>float64</c>…</summary>
    public static string DType<T>() => typeof(T) switch
    {
        var t when t == typeof(float) => "float32",
        var t when t == typeof(double) => "float64",
        var t when t == typeof(Half) => "float16",
        var t when t == typeof(int) => "int32",
        var t when t == typeof(long) => "int64",
        var t when t == typeof(short) => "int16",
        var t when t == typeof(sbyte) => "int8",
        var t when t == typeof(uint) => "uint32",
        var t when t == typeof(ulong) => "uint64",
        var t when t == typeof(ushort) => "uint16",
        var t when t == typeof(byte) => "uint8",
        var t when t == typeof(bool) => "bool",
        var t => t.Name.ToLowerInvariant(),
    };

    /// <summary>One number as numpy prints a scalar: integers plainly, whole floats with <c>.0</c>.</summary>
    public static string Scalar<T>(T value) where T : INumberBase<T>
    {
        string text = Element(value);
        bool floating = typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
        return floating && T.IsFinite(value) && T.IsInteger(value) && text.IndexOf('E') < 0 ? text + ".0" : text;
    }

    private static string Element<T>(T value) where T : INumberBase<T>
    {
        if (T.IsNaN(value))
        {
            return "nan";
        }
        if (T.IsInfinity(value))
        {
            return T.IsNegative(value) ? "-inf" : "inf";
        }
        return value is IFormattable formattable ? formattable.ToString("R", CultureInfo.InvariantCulture) : value.ToString() ?? string.Empty;
    }

    private static void Append<T>(StringBuilder text, ReadOnlySpan<T> values, ReadOnlySpan<nint> shape, int axis, int offset, bool summarise, int edgeItems)
        where T : INumberBase<T>
    {
        int length = (int)shape[axis];
        int stride = 1;
        for (int a = axis + 1; a < shape.Length; a++)
        {
            stride *= (int)shape[a];
        }
        bool last = axis == shape.Length - 1;
        string separator = last ? " " : "\n" + new string(' ', axis + 1);

        text.Append('[');
        for (int i = 0; i < length; i++)
        {
            if (summarise && length > 2 * edgeItems && i == edgeItems)
            {
                text.Append("...").Append(separator);
                i = length - edgeItems - 1;
                continue;
            }
            if (last)
            {
                text.Append(Element(values[offset + i]));
            }
            else
            {
                Append(text, values, shape, axis + 1, offset + i * stride, summarise, edgeItems);
            }
            if (i < length - 1)
            {
                text.Append(separator);
            }
        }
        text.Append(']');
    }
}
