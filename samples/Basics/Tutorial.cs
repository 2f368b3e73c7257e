using System;
using System.IO;
using SourceNet.Tensors;

namespace SourceNet.Samples.Basics;

/// <summary>Section 2 of the tutorial, "A Simple TensorFlow example", in C#.</summary>
public static class Tutorial
{
    /// <summary>Runs the section, writing what the tutorial prints to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // const = tf.Variable(2.0, name="const"); b = tf.Variable(2.0, name='b'); c = tf.Variable(1.0, name='c')
        var constant = Variable.Scalar(2f, "const");
        var b = Variable.Scalar(2f, "b");
        var c = Variable.Scalar(1f, "c");
        output.WriteLine(constant);

        // d = b + c; e = c + 2; a = d * e
        Variable<float> d = b + c;
        Variable<float> e = c + constant;
        Variable<float> a = d * e;
        output.WriteLine($"Variable a is {a.FormatValues()}");

        // The same graph, differentiated at compile time: da/db = e = 3, da/dc = e + d = 6.
        float value = Graph.AWithGradient(b.Scalar, c.Scalar, out float dB, out float dC);
        output.WriteLine($"Gradients (generated at compile time): a = {TensorFormat.Scalar(value)}, da/db = {TensorFormat.Scalar(dB)}, da/dc = {TensorFormat.Scalar(dC)}");
        output.WriteLine();

        // b = tf.Variable(np.arange(0, 10), name='b')
        Variable<int> bArray = Variable.Arange(0, 10, "b");
        output.WriteLine(bArray);

        // d = tf.cast(b, tf.float32) + c
        Variable<float> Evaluate() => (bArray.Cast<float>() + c) * (c + 2f);
        output.WriteLine($"Variable a is {Evaluate().FormatValues()}");
        WriteGradients(output, bArray, c.Scalar);

        // b[1].assign(10)
        bArray[1] = 10;
        output.WriteLine($"b[1] = 10: b is {bArray.FormatValues()}");
        output.WriteLine($"Variable a is {Evaluate().FormatValues()}");

        // b[6:9].assign([10, 10, 10])
        bArray[6..9] = 10;
        output.WriteLine($"b[6:9] = 10: b is {bArray.FormatValues()}");
        output.WriteLine($"Variable a is {Evaluate().FormatValues()}");
        WriteGradients(output, bArray, c.Scalar);

        // f = b[2:5]: a new tensor; changing it leaves b alone.
        Variable<int> f = bArray[2..5];
        output.WriteLine($"f = b[2:5] is {f}");
        f[0] = -1;
        output.WriteLine($"f[0] = -1: f is {f.FormatValues()}, b is still {bArray.FormatValues()}");
    }

    /// <summary>Element-wise gradients of a = (b + c)(c + 2) through the generated span companion.</summary>
    private static void WriteGradients(TextWriter output, Variable<int> b, float c)
    {
        Variable<float> bFloat = b.Cast<float>();
        var cs = new float[b.Length];
        Array.Fill(cs, c);
        var values = new Variable<float>(new float[b.Length]);
        var dB = new Variable<float>(new float[b.Length]);
        var dC = new Variable<float>(new float[b.Length]);
        Graph.AWithGradient(bFloat.Values, cs, values.Values, dB.Values, dC.Values);
        float dCTotal = System.Numerics.Tensors.TensorPrimitives.Sum<float>(dC.Values);
        output.WriteLine($"Element-wise gradients: da/db = {dB.FormatValues()}, da/dc = {dC.FormatValues()} (summed over the broadcast c: {TensorFormat.Scalar(dCTotal)})");
    }
}
