using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace SourceNet.Tensors;

/// <summary>
/// A named, mutable tensor, like TensorFlow's <c>tf.Variable</c>: a <see cref="Tensor{T}"/> that shares one
/// row-major array with <see cref="Values"/>, plus a name for printing. Arithmetic is element-wise (with a
/// scalar broadcast to any shape) through <see cref="TensorPrimitives"/>.
/// </summary>
/// <typeparam name="T">The element type (<c>int</c> for int32, <c>float</c> for float32…).</typeparam>
/// <example>
/// <code>
/// var b = Variable.Arange(0, 10, "b");        // &lt;Variable 'b' shape=(10,) dtype=int32, values=[0 1 2 3 4 5 6 7 8 9]&gt;
/// var d = b.Cast&lt;float&gt;() + c;             // int32 -&gt; float32, then c broadcast
/// b[1] = 10;                                  // element assignment
/// b[6..9] = 10;                               // slice assignment (b[6:9] in Python)
/// Variable&lt;int&gt; f = b[2..5];                 // a new tensor holding a copy of the slice
/// </code>
/// </example>
public sealed class Variable<T>
    where T : unmanaged, INumber<T>
{
    private readonly T[] _data;
    private readonly nint[] _shape;

    /// <summary>A scalar (shape <c>()</c>).</summary>
    public Variable(T value, string? name = null)
        : this([value], [], name)
    {
    }

    /// <summary>A vector holding <paramref name="values"/> (the array is copied).</summary>
    public Variable(ReadOnlySpan<T> values, string? name = null)
        : this(values.ToArray(), [values.Length], name)
    {
    }

    /// <summary>A variable holding a copy of <paramref name="tensor"/>.</summary>
    public Variable(Tensor<T> tensor, string? name = null)
        : this(Flatten(tensor), tensor.Lengths.ToArray(), name)
    {
    }

    /// <summary>Wraps <paramref name="data"/> without copying; the caller gives up the array.</summary>
    internal Variable(T[] data, nint[] shape, string? name)
    {
        _data = data;
        _shape = shape;
        Name = name ?? "Variable";
        // A rank-0 Tensor<T> cannot hold a value, so a scalar is a one-element vector underneath.
        Tensor = System.Numerics.Tensors.Tensor.Create(_data, shape.Length == 0 ? [1] : shape);
    }

    private static T[] Flatten(Tensor<T> tensor)
    {
        var data = new T[tensor.FlattenedLength];
        tensor.FlattenTo(data);
        return data;
    }

    /// <summary>The name it prints with.</summary>
    public string Name { get; }

    /// <summary>The shape: empty for a scalar, <c>[10]</c> for a vector of ten.</summary>
    public ReadOnlySpan<nint> Shape => _shape;

    /// <summary>numpy's name for the element type (<c>int32</c>, <c>float32</c>).</summary>
    public string DType => TensorFormat.DType<T>();

    /// <summary>Whether this is a scalar (shape <c>()</c>).</summary>
    public bool IsScalar => _shape.Length == 0;

    /// <summary>Number of elements.</summary>
    public int Length => _data.Length;

    /// <summary>The elements, row-major; writes go to the variable. Use it with <see cref="TensorPrimitives"/>.</summary>
    public Span<T> Values => _data;

    /// <summary>The same data as a <see cref="Tensor{T}"/> (shape <c>[1]</c> for a scalar); writes go to the variable.</summary>
    public Tensor<T> Tensor { get; }

    /// <summary>The value of a scalar.</summary>
    public T Scalar => IsScalar ? _data[0] : throw new InvalidOperationException($"Variable '{Name}' has shape {TensorFormat.Shape(_shape)}, not ().");

    /// <summary>Element <paramref name="index"/> of a vector (element assignment: <c>b[1] = 10</c>).</summary>
    public T this[int index]
    {
        get => _data[VectorIndex(index)];
        set => _data[VectorIndex(index)] = value;
    }

    /// <summary>
    /// Reading gives a new variable holding a copy of the slice (<c>f = b[2:5]</c>, named <c>b[2:5]</c>); assigning writes into
    /// this one, from a scalar broadcast to the slice (<c>b[6:9] = 10</c>) or from as many values
    /// (<c>b[6:9] = [10, 10, 10]</c>).
    /// </summary>
    public Variable<T> this[Range range]
    {
        get
        {
            NRange slice = VectorRange(range);
            Tensor<T> view = Tensor.Slice([slice]);
            (nint offset, nint length) = slice.GetOffsetAndLength(_data.Length);
            return new Variable<T>(view, $"{Name}[{offset}:{offset + length}]");
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            NRange slice = VectorRange(range);
            if (value.IsScalar)
            {
                Tensor.Slice([slice]).Fill(value._data[0]);
                return;
            }
            if (value.Length != slice.GetOffsetAndLength(_data.Length).Length)
            {
                throw new ArgumentException($"Cannot assign {value.Length} values to a slice of {slice.GetOffsetAndLength(_data.Length).Length}.", nameof(value));
            }
            System.Numerics.Tensors.Tensor.SetSlice(Tensor, value.Tensor, [slice]);
        }
    }

    /// <summary>Overwrites every element with <paramref name="value"/>.</summary>
    public void Assign(T value) => _data.AsSpan().Fill(value);

    /// <summary>Overwrites the elements with <paramref name="values"/>, which must be as many.</summary>
    public void Assign(ReadOnlySpan<T> values)
    {
        if (values.Length != _data.Length)
        {
            throw new ArgumentException($"Cannot assign {values.Length} values to a variable of {_data.Length}.", nameof(values));
        }
        values.CopyTo(_data);
    }

    /// <summary>A copy converted element by element (<c>tf.cast</c>); throws if a value does not fit.</summary>
    public Variable<TTo> Cast<TTo>()
        where TTo : unmanaged, INumber<TTo>
    {
        var data = new TTo[_data.Length];
        TensorPrimitives.ConvertChecked<T, TTo>(_data, data);
        return new Variable<TTo>(data, _shape, Name);
    }

    /// <summary>A scalar variable, so <c>b[6..9] = 10</c> and <c>d + 2</c> read naturally.</summary>
    public static implicit operator Variable<T>(T value) => new(value);

    /// <summary>A vector variable holding a copy of <paramref name="values"/>.</summary>
    public static implicit operator Variable<T>(T[] values) => new(values.AsSpan());

    /// <summary>Element-wise sum; a scalar operand is broadcast.</summary>
    public static Variable<T> operator +(Variable<T> left, Variable<T> right) =>
        Apply(left, right, TensorPrimitives.Add, TensorPrimitives.Add, static (x, y, d) => TensorPrimitives.Add(y, x, d));

    /// <summary>Element-wise difference; a scalar operand is broadcast.</summary>
    public static Variable<T> operator -(Variable<T> left, Variable<T> right) =>
        Apply(left, right, TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract);

    /// <summary>Element-wise product; a scalar operand is broadcast.</summary>
    public static Variable<T> operator *(Variable<T> left, Variable<T> right) =>
        Apply(left, right, TensorPrimitives.Multiply, TensorPrimitives.Multiply, static (x, y, d) => TensorPrimitives.Multiply(y, x, d));

    /// <summary>Element-wise quotient; a scalar operand is broadcast.</summary>
    public static Variable<T> operator /(Variable<T> left, Variable<T> right) =>
        Apply(left, right, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide);

    /// <summary>Element-wise negation.</summary>
    public static Variable<T> operator -(Variable<T> operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        var data = new T[operand._data.Length];
        TensorPrimitives.Negate<T>(operand._data, data);
        return new Variable<T>(data, operand._shape, null);
    }

    private delegate void SpanSpan(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    private delegate void SpanScalar(ReadOnlySpan<T> x, T y, Span<T> destination);

    private delegate void ScalarSpan(T x, ReadOnlySpan<T> y, Span<T> destination);

    private static Variable<T> Apply(Variable<T> left, Variable<T> right, SpanSpan both, SpanScalar rightScalar, ScalarSpan leftScalar)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.IsScalar && right.IsScalar)
        {
            var scalar = new T[1];
            both(left._data, right._data, scalar);
            return new Variable<T>(scalar, [], null);
        }
        if (right.IsScalar)
        {
            var data = new T[left._data.Length];
            rightScalar(left._data, right._data[0], data);
            return new Variable<T>(data, left._shape, null);
        }
        if (left.IsScalar)
        {
            var data = new T[right._data.Length];
            leftScalar(left._data[0], right._data, data);
            return new Variable<T>(data, right._shape, null);
        }
        if (!left._shape.AsSpan().SequenceEqual(right._shape))
        {
            throw new ArgumentException($"Shapes {TensorFormat.Shape(left._shape)} and {TensorFormat.Shape(right._shape)} differ; only equal shapes or a scalar broadcast are supported.");
        }
        var result = new T[left._data.Length];
        both(left._data, right._data, result);
        return new Variable<T>(result, left._shape, null);
    }

    private int VectorIndex(int index)
    {
        if (_shape.Length != 1)
        {
            throw new InvalidOperationException($"Variable '{Name}' has shape {TensorFormat.Shape(_shape)}; index it through Tensor.");
        }
        return index;
    }

    private NRange VectorRange(Range range)
    {
        VectorIndex(0);
        (int offset, int length) = range.GetOffsetAndLength(_data.Length);
        return new NRange(offset, offset + length);
    }

    /// <summary>The values alone, as numpy prints them (<c>9.0</c>, <c>[3 6 9]</c>), summarised per <see cref="TensorFormat"/>.</summary>
    public string FormatValues(int threshold = TensorFormat.DefaultThreshold, int edgeItems = TensorFormat.DefaultEdgeItems) =>
        TensorFormat.Format<T>(_data, _shape, threshold, edgeItems);

    /// <summary><c>&lt;Variable 'b' shape=(10,) dtype=int32, values=[0 1 2 3 4 5 6 7 8 9]&gt;</c>.</summary>
    public override string ToString() => $"<Variable '{Name}' shape={TensorFormat.Shape(_shape)} dtype={DType}, values={FormatValues()}>";
}

/// <summary>Factories for <see cref="Variable{T}"/>, like numpy's.</summary>
public static class Variable
{
    /// <summary>The integers <c>start, start + 1, …, stop - 1</c>, like <c>np.arange(start, stop)</c>.</summary>
    public static Variable<int> Arange(int start, int stop, string? name = null)
    {
        var values = new int[Math.Max(0, stop - start)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = start + i;
        }
        return new Variable<int>(values, [values.Length], name);
    }

    /// <summary>A named scalar, like <c>tf.Variable(2.0, name="b")</c>.</summary>
    public static Variable<T> Scalar<T>(T value, string? name = null)
        where T : unmanaged, INumber<T> => new(value, name);
}
