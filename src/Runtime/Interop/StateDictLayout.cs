using System;

namespace SourceNet.Interop;

/// <summary>
/// Moves a parameter's values between SourceNet's layout (<see cref="Parameter.StorageShape"/>, row-major) and
/// PyTorch's <c>state_dict</c> layout (the storage tensor transposed by <see cref="Parameter.StateDictAxes"/>).
/// </summary>
internal static class StateDictLayout
{
    /// <summary>The parameter's values in <c>state_dict</c> layout.</summary>
    public static void ToStateDict(Parameter parameter, Span<float> destination) =>
        Transpose(parameter.Value, parameter.StorageShape, parameter.StateDictAxes, destination);

    /// <summary>Values in <c>state_dict</c> layout written into the parameter's storage layout.</summary>
    public static void FromStateDict(Parameter parameter, ReadOnlySpan<float> source, Span<float> destination) =>
        Transpose(source, parameter.TransposedShape, Inverse(parameter.StateDictAxes), destination);

    /// <summary>
    /// <paramref name="destination"/> = <paramref name="source"/> (shape <paramref name="shape"/>, row-major)
    /// transposed by <paramref name="axes"/>: destination axis i is source axis axes[i], as NumPy's
    /// <c>transpose(axes)</c>. Walks the destination in order, stepping through the source by its strides.
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> source, int[] shape, int[] axes, Span<float> destination)
    {
        int rank = shape.Length;
        if (IsIdentity(axes))
        {
            source.CopyTo(destination);
            return;
        }
        Span<int> sourceStrides = stackalloc int[rank];
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            sourceStrides[axis] = stride;
            stride *= shape[axis];
        }
        Span<int> size = stackalloc int[rank];
        Span<int> step = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            size[i] = shape[axes[i]];
            step[i] = sourceStrides[axes[i]];
        }
        Span<int> index = stackalloc int[rank];
        int offset = 0;
        for (int d = 0; d < destination.Length; d++)
        {
            destination[d] = source[offset];
            // Odometer over the destination's axes, last axis fastest.
            for (int i = rank - 1; i >= 0; i--)
            {
                offset += step[i];
                if (++index[i] < size[i])
                    break;
                offset -= step[i] * size[i];
                index[i] = 0;
            }
        }
    }

    public static int[] Inverse(int[] axes)
    {
        var inverse = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            inverse[axes[i]] = i;
        }
        return inverse;
    }

    private static bool IsIdentity(int[] axes)
    {
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] != i)
                return false;
        }
        return true;
    }

    /// <summary>The name a parameter has in a <c>state_dict</c>: its mapped name, else its own.</summary>
    public static string NameOf(Parameter parameter) => parameter.StateDictName ?? parameter.Name;

    /// <summary>The name a buffer has in a <c>state_dict</c>: its mapped name, else its own.</summary>
    public static string NameOf(StateBuffer buffer) => buffer.StateDictName ?? buffer.Name;

    public static string ShapeText(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static string ShapeText(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
