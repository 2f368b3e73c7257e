using SourceNet.Kernels;
using SourceNet.Quantization;

namespace SourceNet.Runtime.Tests.Quantization;

/// <summary>Round trips of the quantisation rules, calibration, and the errors of networks and inputs that cannot be quantised.</summary>
public class QuantizationTests
{
    /// <summary>A network of hand-made layers with seeded weights.</summary>
    private sealed class HandNetwork : INetwork
    {
        public HandNetwork(params Layer[] layers)
        {
            Layers = layers;
            var random = new Random(3);
            Parameters = layers.SelectMany(l => l.Parameters).ToArray();
            foreach (Parameter p in Parameters)
            {
                for (int i = 0; i < p.Length; i++)
                    p.Value[i] = (float)(random.NextDouble() - 0.5);
            }
        }

        public int InputSize => Layers[0].InputShape.Elements;
        public int OutputSize => Layers[^1].OutputShape.Elements;
        public int MaxBatchSize => 8;
        public IReadOnlyList<Parameter> Parameters { get; }
        public IReadOnlyList<Layer> Layers { get; }
    }

    private static HandNetwork Mlp() => new(
        new DenseLayer("Hidden", 5, 7, new LayerActivation("ReLU", "Relu")),
        new DenseLayer("Output", 7, 3));

    [Fact]
    public void Tensor_quantisation_round_trips_within_half_a_step_and_keeps_zero_exact()
    {
        TensorQuantization q = TensorQuantization.FromRange(-1.3f, 2.9f);
        Assert.Equal(0f, q.Dequantize(q.Quantize(0f)));
        for (float x = -1.3f; x <= 2.9f; x += 0.0137f)
            Assert.InRange(Math.Abs(q.Dequantize(q.Quantize(x)) - x), 0, q.Scale / 2 + 1e-6);
        // Beyond the range: the nearest end.
        Assert.Equal(0, q.Quantize(-50f));
        Assert.Equal(255, q.Quantize(50f));
        // A range that excludes zero is widened to include it; an empty one still gives a usable scale.
        Assert.Equal(0, TensorQuantization.FromRange(0.5f, 2f).ZeroPoint);
        Assert.Equal(new TensorQuantization(1f, 0), TensorQuantization.FromRange(0f, 0f));
        var error = Assert.Throws<ArgumentException>(() => TensorQuantization.FromRange(float.NaN, 1f));
        Assert.Contains("finite bounds", error.Message);
    }

    [Fact]
    public void Weights_round_trip_within_half_a_step_of_their_column()
    {
        var random = new Random(9);
        const int k = 11, n = 6;
        float[] w = Enumerable.Range(0, k * n).Select(i => (float)(random.NextDouble() - 0.5) * (1 + i % n)).ToArray();
        w[3] = 0; // a zero stays zero
        var scales = new float[n];
        sbyte[] q = WeightQuantization.Quantize("W", w, k, n, scales);
        float[] back = WeightQuantization.Dequantize(q, k, n, scales);
        for (int j = 0; j < n; j++)
        {
            float max = Enumerable.Range(0, k).Max(t => Math.Abs(w[t * n + j]));
            Assert.Equal(max / Int8Gemm.WeightLimit, scales[j], 1e-7);
            Assert.Equal(Int8Gemm.WeightLimit, Enumerable.Range(0, k).Max(t => Math.Abs((int)q[t * n + j])));
            for (int t = 0; t < k; t++)
                Assert.InRange(Math.Abs(back[t * n + j] - w[t * n + j]), 0, scales[j] / 2 + 1e-7);
        }
        Assert.Equal(0, q[3]);
    }

    [Fact]
    public void Percentile_calibration_clips_a_rare_outlier_that_min_max_keeps()
    {
        var observer = new RangeObserver(10_001, keepSample: true);
        float[] values = Enumerable.Range(0, 10_000).Select(i => i / 10_000f).Append(1000f).ToArray();
        Assert.Equal(-1, observer.Observe(values));
        Assert.Equal(1000f, observer.Quantization(CalibrationMethod.MinMax, 99.99).Max, 1e-3);
        Assert.InRange(observer.Quantization(CalibrationMethod.Percentile, 99.9).Max, 0.99f, 1.01f);
    }

    [Fact]
    public void Quantised_mlp_is_close_to_the_float_one()
    {
        HandNetwork network = Mlp();
        var random = new Random(4);
        float[] inputs = Enumerable.Range(0, 40 * 5).Select(_ => (float)random.NextDouble()).ToArray();
        QuantizedNetwork quantized = QuantizedNetwork.Create(network, inputs);
        var actual = new float[40 * 3];
        quantized.Forward(inputs, actual);
        var hidden = new float[7];
        for (int s = 0; s < 40; s++)
        {
            var layers = network.Layers.Cast<DenseLayer>().ToArray();
            for (int j = 0; j < 7; j++)
            {
                float z = layers[0].Bias.Value[j];
                for (int k = 0; k < 5; k++) z += inputs[s * 5 + k] * layers[0].Weight.Value[k * 7 + j];
                hidden[j] = Math.Max(z, 0);
            }
            for (int j = 0; j < 3; j++)
            {
                float z = layers[1].Bias.Value[j];
                for (int k = 0; k < 7; k++) z += hidden[k] * layers[1].Weight.Value[k * 3 + j];
                Assert.True(Math.Abs(z - actual[s * 3 + j]) < 0.02f, $"Sample {s}, output {j}: int8 {actual[s * 3 + j]}, float {z}.");
            }
        }
        Assert.Empty(quantized.Parameters);
        Assert.Same(network.Layers, quantized.Layers);
        Assert.Throws<NotSupportedException>(() => quantized.TrainStep(inputs.AsSpan(0, 5), new[] { 0 }, new Sgd(0.1f)));
    }

    [Fact]
    public void Skipping_zero_groups_or_not_gives_the_same_outputs()
    {
        // A convolution (runs of 3 bytes: patches gathered from the padded image), a dense layer, and inputs two
        // thirds zeros, so that some groups are skippable in every product.
        Conv2DGeometry g = Conv2DGeometry.Create(6, 6, 1, 4, 3, 3, 1, 1, samePadding: true);
        var network = new HandNetwork(
            new Conv2DLayer("Conv", g, new LayerActivation("ReLU", "Relu")),
            new FlattenLayer("Flat", LayerShape.Image(6, 6, 4)),
            new DenseLayer("Output", 6 * 6 * 4, 5));
        var random = new Random(6);
        float[] inputs = Enumerable.Range(0, 21 * 36).Select(_ => random.Next(3) == 0 ? (float)random.NextDouble() : 0f).ToArray();
        QuantizedNetwork quantized = QuantizedNetwork.Create(network, inputs);
        var outputs = new float[2][];
        for (int skip = 0; skip < 2; skip++)
        {
            for (int i = 0; i < quantized.Operations.Count; i++)
            {
                if (quantized.Operations[i].WritesFloats)
                    quantized.Bind(i, skip == 1);
            }
            outputs[skip] = new float[21 * 5];
            quantized.Forward(inputs, outputs[skip]);
        }
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Contains(outputs[0], v => v != 0);
    }

    [Fact]
    public void Calibration_on_bad_input_says_what_is_wrong()
    {
        HandNetwork network = Mlp();
        var error = Assert.Throws<ArgumentException>(() => QuantizedNetwork.Create(network, ReadOnlySpan<float>.Empty));
        Assert.Contains("at least one sample; got none", error.Message);

        error = Assert.Throws<ArgumentException>(() => QuantizedNetwork.Create(network, new float[12]));
        Assert.Contains("5 values each; 12 values are not a whole number of samples", error.Message);

        var inputs = new float[15];
        inputs[8] = float.NaN;
        error = Assert.Throws<ArgumentException>(() => QuantizedNetwork.Create(network, inputs));
        Assert.Contains("Calibration sample 1 has NaN at position 3", error.Message);

        var bad = Mlp();
        bad.Layers[1].Parameters[0].Value[4] = float.PositiveInfinity;
        error = Assert.Throws<ArgumentException>(() => QuantizedNetwork.Create(bad, new float[15]));
        Assert.Contains("Output.Weight[1, 1] is Infinity: a network with weights that are not finite", error.Message);

        error = Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedNetwork.Create(network, new float[5], new QuantizationOptions { Method = CalibrationMethod.Percentile, Percentile = 20 }));
        Assert.Contains("(50, 100]", error.Message);
    }

    [Fact]
    public void Inputs_that_are_not_finite_are_refused_after_quantisation_too()
    {
        QuantizedNetwork quantized = QuantizedNetwork.Create(Mlp(), new float[] { 0, 0.5f, 1, 0.2f, 0.1f });
        var error = Assert.Throws<ArgumentException>(() => quantized.Predict(new float[] { 0, float.NaN, 0, 0, 0 }));
        Assert.Contains("Input value 1 of sample 0 is NaN", error.Message);
        var batch = new float[15];
        batch[13] = float.NegativeInfinity;
        error = Assert.Throws<ArgumentException>(() => quantized.Forward(batch, new float[9]));
        Assert.Contains("Input value 3 of sample 2 is -Infinity", error.Message);
        Assert.Throws<ArgumentException>(() => quantized.Predict(new float[4]));
    }

    [Fact]
    public void A_kind_without_an_int8_form_or_a_merge_is_named_in_the_error()
    {
        var norm = new BatchNormLayer("Norm", LayerShape.Features(5), 0.1f, 1e-5f);
        var unsupported = new HandNetwork(norm, new DenseLayer("Output", 5, 3) { Inputs = ["Norm"] });
        var error = Assert.Throws<NotSupportedException>(() => QuantizedNetwork.Create(unsupported, new float[5]));
        Assert.Contains("Layer 'Norm'", error.Message);
        Assert.Contains("BatchNormLayer", error.Message);

        var first = new DenseLayer("A", 4, 4);
        var merge = new AddLayer("Sum", LayerShape.Features(4), 2) { Inputs = [Layer.NetworkInput, "A"] };
        error = Assert.Throws<NotSupportedException>(() => QuantizedNetwork.Create(new HandNetwork(first, merge), new float[4]));
        Assert.Contains("Layer 'Sum'", error.Message);
        Assert.Contains("reads 2 values", error.Message);
    }

    [Fact]
    public void A_custom_activation_is_refused_by_name()
    {
        var network = new HandNetwork(new DenseLayer("Odd", 3, 2, new LayerActivation("Squash", null, IsCustom: true)));
        var error = Assert.Throws<NotSupportedException>(() => QuantizedNetwork.Create(network, new float[3]));
        Assert.Contains("custom activation 'Squash'", error.Message);
    }
}
