using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>The conversions around int8 products: vector loops against scalar ones bit for bit, and against the definitions.</summary>
public class Int8RequantizeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(100)]
    [InlineData(1027)]
    public void Quantize_vector_equals_scalar_and_the_definition(int length)
    {
        var random = new Random(length);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Ties (x.5 steps) and values past both ends of the range included.
            values[i] = i % 7 == 0 ? (random.Next(-40, 600) + 0.5f) * 0.01f : (float)(random.NextDouble() * 7 - 2);
        }
        const float inverse = 100f;
        const int zeroPoint = 37;
        var vector = new byte[length];
        var scalar = new byte[length];
        Int8Requantize.Quantize(values, inverse, zeroPoint, vector, vector: true);
        Int8Requantize.Quantize(values, inverse, zeroPoint, scalar, vector: false);
        Assert.Equal(scalar, vector);
        for (int i = 0; i < length; i++)
        {
            double expected = Math.Clamp(Math.Round(values[i] * inverse, MidpointRounding.ToEven) + zeroPoint, 0, 255);
            Assert.Equal(expected, vector[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(19)]
    [InlineData(300)]
    public void Dequantize_vector_equals_scalar(int length)
    {
        var random = new Random(length);
        int[] sums = Enumerable.Range(0, length).Select(_ => random.Next(-2_000_000, 2_000_000)).ToArray();
        int[] offsets = Enumerable.Range(0, length).Select(_ => random.Next(-50_000, 50_000)).ToArray();
        float[] scales = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() * 1e-4f).ToArray();
        float[] bias = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var vector = new float[length];
        var scalar = new float[length];
        Int8Requantize.Dequantize(sums, offsets, scales, bias, vector, vector: true);
        Int8Requantize.Dequantize(sums, offsets, scales, bias, scalar, vector: false);
        Assert.Equal(scalar, vector);
        for (int i = 0; i < length; i++)
            Assert.Equal((sums[i] - offsets[i]) * (double)scales[i] + bias[i], vector[i], 1e-5);
    }
}
