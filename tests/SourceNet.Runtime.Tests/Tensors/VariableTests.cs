using System.Numerics.Tensors;
using SourceNet.Tensors;

namespace SourceNet.Runtime.Tests.Tensors;

public class VariableTests
{
    [Fact]
    public void Scalars_print_like_tf_variables()
    {
        var constant = Variable.Scalar(2f, "const");
        Assert.Equal("<Variable 'const' shape=() dtype=float32, values=2.0>", constant.ToString());
        Assert.Equal("9.0", ((Variable.Scalar(2f) + 1f) * 3f).FormatValues());
        Assert.Equal("0.1", Variable.Scalar(0.1f).FormatValues());
        Assert.Equal("<Variable 'n' shape=() dtype=int32, values=7>", Variable.Scalar(7, "n").ToString());
        Assert.Equal("<Variable 'x' shape=() dtype=float64, values=-2.5>", Variable.Scalar(-2.5, "x").ToString());
    }

    [Fact]
    public void Arange_prints_shape_dtype_and_values()
    {
        Variable<int> b = Variable.Arange(0, 10, "b");
        Assert.Equal("<Variable 'b' shape=(10,) dtype=int32, values=[0 1 2 3 4 5 6 7 8 9]>", b.ToString());
        Assert.Equal([10], b.Shape.ToArray());
        Assert.Equal("int32", b.DType);
    }

    [Fact]
    public void Tutorial_expression_is_element_wise_with_scalar_broadcast()
    {
        Variable<int> b = Variable.Arange(0, 10, "b");
        var c = Variable.Scalar(1f, "c");
        Variable<float> a = (b.Cast<float>() + c) * (c + 2f);
        Assert.Equal("[3 6 9 12 15 18 21 24 27 30]", a.FormatValues());
        Assert.Equal("float32", a.DType);
    }

    [Fact]
    public void Element_and_slice_assignment_write_through()
    {
        Variable<int> b = Variable.Arange(0, 10, "b");
        b[1] = 10;
        Assert.Equal("[0 10 2 3 4 5 6 7 8 9]", b.FormatValues());
        b[6..9] = 10;
        Assert.Equal("[0 10 2 3 4 5 10 10 10 9]", b.FormatValues());
        b[^2..] = new[] { -1, -2 };
        Assert.Equal("[0 10 2 3 4 5 10 10 -1 -2]", b.FormatValues());
        Assert.Throws<ArgumentException>(() => b[0..3] = new[] { 1, 2 });
        // The Tensor<T> view shares the same storage.
        Assert.Equal(10, b.Tensor[[1]]);
        b.Tensor[[0]] = 42;
        Assert.Equal(42, b[0]);
    }

    [Fact]
    public void Slicing_makes_a_new_tensor()
    {
        Variable<int> b = Variable.Arange(0, 10, "b");
        Variable<int> f = b[2..5];
        Assert.Equal("<Variable 'b[2:5]' shape=(3,) dtype=int32, values=[2 3 4]>", f.ToString());
        f[0] = 100;
        Assert.Equal(2, b[2]);
    }

    [Fact]
    public void Cast_converts_and_checks()
    {
        Variable<float> x = new Variable<float>([1.5f, -2f, 3e9f]);
        Assert.Throws<OverflowException>(() => x.Cast<int>());
        Assert.Equal("[1 2 3]", new Variable<int>([1, 2, 3]).Cast<double>().FormatValues());
    }

    [Fact]
    public void Arithmetic_checks_shapes_and_broadcasts_either_side()
    {
        var x = new Variable<float>([1f, 2f, 4f]);
        Assert.Equal("[0 1 3]", (x - 1f).FormatValues());
        Assert.Equal("[9 8 6]", (10f - x).FormatValues());
        Assert.Equal("[4 2 1]", (4f / x).FormatValues());
        Assert.Equal("[0.5 1 2]", (x / 2f).FormatValues());
        Assert.Equal("[-1 -2 -4]", (-x).FormatValues());
        Assert.Equal("[2 4 8]", (x + x).FormatValues());
        Assert.Throws<ArgumentException>(() => x + new Variable<float>([1f, 2f]));
        Assert.Equal(7f, TensorPrimitives.Sum<float>(x.Values));
    }

    [Fact]
    public void Long_arrays_are_summarised_like_numpy()
    {
        Assert.Equal("[0 1 2 ... 97 98 99]", Variable.Arange(0, 100).FormatValues());
        Assert.Equal("[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19]", Variable.Arange(0, 20).FormatValues());
        Assert.Equal("[0 1 2 ... 18 19 20]", Variable.Arange(0, 21).FormatValues());
        Assert.Equal("[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20]", Variable.Arange(0, 21).FormatValues(threshold: 1000));
    }

    [Fact]
    public void Matrices_print_nested_rows()
    {
        var m = new Variable<int>(Tensor.Create(new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]), "m");
        Assert.Equal("<Variable 'm' shape=(2, 3) dtype=int32, values=[[1 2 3]\n [4 5 6]]>", m.ToString());
        var big = new Variable<int>(Tensor.Create(Enumerable.Range(0, 100).ToArray(), [10, 10]));
        string text = big.FormatValues();
        Assert.StartsWith("[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n [70 71 72", text);
        Assert.Throws<InvalidOperationException>(() => big[0]);
    }

    [Fact]
    public void Special_values_print_like_numpy()
    {
        var x = new Variable<float>([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-7f]);
        Assert.Equal("[nan inf -inf 1E-07]", x.FormatValues());
        Assert.Equal("nan", Variable.Scalar(double.NaN).FormatValues());
    }
}
