using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The one-pass epilogue of int8 products (<see cref="Int8Epilogue"/>) against the three passes it replaces
/// (dequantise, activate, quantise) and against the formula written out value by value: bytes, so equal means
/// bit for bit. Row lengths that are not multiples of the vector widths, and rows with gaps on both sides.
/// </summary>
public class Int8EpilogueTests
{
    public static TheoryData<string, int, int> ActivationsAndShapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string activation in new[] { "Identity", "ReLU", "LeakyReLU" })
        {
            foreach ((int rows, int n) in new[] { (1, 1), (3, 7), (2, 8), (5, 31), (4, 32), (3, 33), (6, 64), (2, 70), (2, 1024) })
                data.Add(activation, rows, n);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndShapes))]
    public void One_pass_equals_the_three_passes_and_the_formula(string activation, int rows, int n)
    {
        var random = new Random(rows * 1000 + n);
        int ldc = n + 5, outputStride = n + 3;
        var sums = new int[(rows - 1) * ldc + n];
        for (int i = 0; i < sums.Length; i++)
            sums[i] = random.Next(-400_000, 900_000);
        var offsets = Enumerable.Range(0, n).Select(_ => random.Next(-50_000, 50_000)).ToArray();
        var scales = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2e-5 + 1e-6)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        const float inverse = 37.5f; // outputs run past both ends of [0, 255]: the clamps are exercised
        const int zeroPoint = 11;

        const byte gap = 203;
        byte[] vector = Enumerable.Repeat(gap, (rows - 1) * outputStride + n + 2).ToArray();
        byte[] scalar = (byte[])vector.Clone();
        Fused(activation)(rows, sums, ldc, offsets, scales, bias, inverse, zeroPoint, vector, outputStride, true);
        Fused(activation)(rows, sums, ldc, offsets, scales, bias, inverse, zeroPoint, scalar, outputStride, false);
        Assert.Equal(scalar, vector);

        var floats = new float[n];
        var threePasses = new byte[n];
        for (int r = 0; r < rows; r++)
        {
            Int8Requantize.Dequantize(sums.AsSpan(r * ldc, n), offsets, scales, bias, floats);
            InPlaceOf(activation)(floats);
            Int8Requantize.Quantize(floats, inverse, zeroPoint, threePasses);
            Assert.Equal(threePasses, vector.AsSpan(r * outputStride, n).ToArray());
            for (int j = 0; j < n; j++)
            {
                float y = (float)(sums[r * ldc + j] - offsets[j]) * scales[j] + bias[j];
                y = activation switch { "ReLU" => y > 0 ? y : 0f, "LeakyReLU" => y > 0 ? y : 0.01f * y, _ => y };
                double expected = Math.Clamp(Math.Round(y * inverse, MidpointRounding.ToEven) + zeroPoint, 0, 255);
                Assert.Equal(expected, vector[r * outputStride + j]);
            }
            if (r < rows - 1)
            {
                for (int t = n; t < outputStride; t++)
                    Assert.Equal(gap, vector[r * outputStride + t]);
            }
        }
        Assert.Equal(gap, vector[^1]);
    }

    [Fact]
    public void Activations_that_differ_between_widths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Int8Epilogue.SumsToBytes<TanhActivation>(
            1, new int[8], 8, new int[8], new float[8], new float[8], 1f, 0, new byte[8], 8));
        Assert.Contains("TanhActivation", error.Message);
    }

    [Fact]
    public void Short_buffers_are_refused_naming_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => Int8Epilogue.SumsToBytes<ReluActivation>(
            2, new int[10], 8, new int[8], new float[8], new float[8], 1f, 0, new byte[16], 8));
        Assert.Contains("need 16; got 10", error.Message);
    }

    private delegate void Epilogue(int rows, ReadOnlySpan<int> sums, int ldc, ReadOnlySpan<int> offsets, ReadOnlySpan<float> scales,
        ReadOnlySpan<float> bias, float inverseScale, int zeroPoint, Span<byte> output, int outputStride, bool vector);

    private static Epilogue Fused(string activation) => activation switch
    {
        "ReLU" => Int8Epilogue.SumsToBytes<ReluActivation>,
        "LeakyReLU" => Int8Epilogue.SumsToBytes<LeakyReluActivation>,
        _ => Int8Epilogue.SumsToBytes<IdentityActivation>,
    };

    private static Action<float[]> InPlaceOf(string activation) => activation switch
    {
        "ReLU" => v => Activations.ForwardInPlace<ReluActivation>(v),
        "LeakyReLU" => v => Activations.ForwardInPlace<LeakyReluActivation>(v),
        _ => _ => { },
    };
}
