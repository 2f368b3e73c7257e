using System;
using System.Globalization;

namespace SourceNet.Quantization;

/// <summary>
/// Calibration: runs the float computation of every operation over the calibration samples, watches the values of the
/// input and of every product's output, and answers each value's <see cref="TensorQuantization"/>. Values that an
/// operation passes through or pools keep their input's.
/// </summary>
internal static class Calibrator
{
    /// <summary>Samples per float batch during calibration.</summary>
    private const int ChunkSize = 50;

    public static TensorQuantization[] Calibrate(QuantizedGraph graph, ReadOnlySpan<float> samples, QuantizationOptions options)
    {
        int inputSize = graph.Elements[0];
        if (samples.IsEmpty)
            throw new ArgumentException("Calibration needs at least one sample; got none.", nameof(samples));
        if (samples.Length % inputSize != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Calibration samples have {inputSize} values each; {samples.Length} values are not a whole number of samples."), nameof(samples));
        int count = samples.Length / inputSize;
        int values = graph.Operations.Length + 1;
        bool keep = options.Method == CalibrationMethod.Percentile;

        var observers = new RangeObserver?[values];
        observers[0] = new RangeObserver((long)count * inputSize, keep);
        for (int i = 0; i < graph.Operations.Length; i++)
        {
            if (graph.Operations[i].NeedsCalibration)
                observers[i + 1] = new RangeObserver((long)count * graph.Elements[i + 1], keep);
        }

        var buffers = new float[graph.BufferCount][];
        for (int v = 0; v < values; v++)
        {
            int length = ChunkSize * graph.Elements[v];
            int b = graph.BufferOf[v];
            if (buffers[b] is null || buffers[b].Length < length)
                buffers[b] = new float[length];
        }

        for (int start = 0; start < count; start += ChunkSize)
        {
            int batch = Math.Min(ChunkSize, count - start);
            ReadOnlySpan<float> chunk = samples.Slice(start * inputSize, batch * inputSize);
            int bad = observers[0]!.Observe(chunk);
            if (bad >= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Calibration sample {start + bad / inputSize} has {chunk[bad]} at position {bad % inputSize}: calibrate on finite inputs."), nameof(samples));
            }
            chunk.CopyTo(buffers[graph.BufferOf[0]]);
            for (int i = 0; i < graph.Operations.Length; i++)
            {
                QuantizedOperation operation = graph.Operations[i];
                if (operation.PassesThrough)
                    continue;
                float[] output = buffers[graph.BufferOf[i + 1]];
                operation.ForwardFloat(batch, buffers[graph.BufferOf[graph.InputOf[i]]], output);
                int elements = graph.Elements[i + 1];
                int wrong = observers[i + 1]?.Observe(output.AsSpan(0, batch * elements)) ?? -1;
                if (wrong >= 0)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Layer '{operation.LayerName}' gave {output[wrong]} for calibration sample {start + wrong / elements}: the network's parameters are not finite."));
                }
            }
        }

        var quantization = new TensorQuantization[values];
        quantization[0] = observers[0]!.Quantization(options.Method, options.Percentile);
        for (int i = 0; i < graph.Operations.Length; i++)
        {
            quantization[i + 1] = observers[i + 1] is { } observer
                ? observer.Quantization(options.Method, options.Percentile)
                : quantization[graph.InputOf[i]];
        }
        return quantization;
    }
}
