using System;
using System.Diagnostics;
using System.Globalization;
using SourceNet.Kernels;
using SourceNet.Quantization;

namespace SourceNet.Bench.Int8;

/// <summary>
/// <c>--profile</c>: where a quantised network's batch time goes. Runs the test images through the int8 operations
/// chunk by chunk on one thread, timing each operation, beside the float pass of the same operation on the same
/// chunk (the runtime's float kernels that calibration runs, the ones the generated network calls). A product is
/// timed a second time with its zero-group skipping flipped, to show whether skipping pays for that layer. Times are
/// the thread's CPU time (<see cref="ThreadClock"/>), so other processes on a shared machine stretch them less.
/// </summary>
internal static class LayerProfile
{
    public static void Run(string name, QuantizedNetwork network, float[] inputs, int count)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = 1; // the float kernels would otherwise split a chunk's products between the cores
        try
        {
            Profile(name, network, inputs, count);
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    private static void Profile(string name, QuantizedNetwork network, float[] inputs, int count)
    {
        QuantizedGraph graph = network.Graph;
        QuantizedOperation[] operations = graph.Operations;
        int batch = network.MaxBatchSize, values = graph.Elements.Length;
        var bytes = new byte[values][];
        var floats = new float[values][];
        for (int v = 0; v < values; v++)
        {
            bytes[v] = new byte[batch * QuantizedGraph.Stride(graph.Elements[v])];
            floats[v] = new float[batch * graph.Elements[v]];
        }
        var scratch = new QuantizedScratch(network.ScratchNeeded);
        var logits = new float[batch * network.OutputSize];
        var int8Time = new double[operations.Length];
        var flippedTime = new double[operations.Length];
        var floatTime = new double[operations.Length];
        double quantizeTime = 0;
        var zeroBytes = new long[values];
        var allBytes = new long[values];
        var skippable = new long[operations.Length];
        var steps = new long[operations.Length];
        TensorQuantization input = network.QuantizationOf(0);
        for (int pass = 0; pass < 2; pass++)
        {
            bool timed = pass == 1; // the first pass warms the JIT and the caches
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                ReadOnlySpan<float> chunk = inputs.AsSpan(start * network.InputSize, n * network.InputSize);
                long t0 = ThreadClock.Now();
                int stride0 = QuantizedGraph.Stride(network.InputSize);
                for (int b = 0; b < n; b++)
                    Int8Requantize.Quantize(chunk.Slice(b * network.InputSize, network.InputSize), 1f / input.Scale, input.ZeroPoint, bytes[0].AsSpan(b * stride0));
                if (timed)
                    quantizeTime += ThreadClock.Since(t0);
                chunk.CopyTo(floats[0]);
                for (int i = 0; i < operations.Length; i++)
                {
                    QuantizedOperation op = operations[i];
                    int from = graph.InputOf[i];
                    bool last = i == operations.Length - 1 && op.WritesFloats;
                    if (!op.PassesThrough)
                    {
                        double t = TimeInt8(op, n, bytes, from, i, last, logits, scratch, graph);
                        if (timed)
                            int8Time[i] += t;
                        if (op.WritesFloats)
                        {
                            // The same product with the skipping of zero groups flipped, then bound back.
                            bool skips = network.SkipsZeros(i);
                            network.Bind(i, !skips);
                            t = TimeInt8(op, n, bytes, from, i, last, logits, scratch, graph);
                            network.Bind(i, skips);
                            if (timed)
                                flippedTime[i] += t;
                        }
                    }
                    else
                    {
                        Buffer.BlockCopy(bytes[from], 0, bytes[i + 1], 0, Math.Min(bytes[i + 1].Length, bytes[from].Length));
                    }
                    if (timed && !op.PassesThrough)
                    {
                        ReadOnlySpan<byte> x = bytes[from].AsSpan(0, n * QuantizedGraph.Stride(graph.Elements[from]));
                        zeroBytes[from] += x.Count((byte)0);
                        (long sk, long st) = op.CountSkippable(n, bytes[from], QuantizedGraph.Stride(graph.Elements[from]), scratch);
                        skippable[i] += sk;
                        steps[i] += st;
                        allBytes[from] += x.Length;
                    }
                    long f0 = ThreadClock.Now();
                    op.ForwardFloat(n, floats[from], floats[i + 1]);
                    if (timed)
                        floatTime[i] += ThreadClock.Since(f0);
                }
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} profile, {count} images in chunks of {batch}, one thread ({Int8Gemm.Best} products): int8 ms, float ms, float/int8; products also with zero-skipping flipped"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"quantise input",-16} {quantizeTime * 1e3,8:F1}"));
        double int8Total = quantizeTime, floatTotal = 0;
        for (int i = 0; i < operations.Length; i++)
        {
            QuantizedOperation op = operations[i];
            int8Total += int8Time[i];
            floatTotal += floatTime[i];
            int fromValue = graph.InputOf[i];
            string zeros = allBytes[fromValue] > 0 ? string.Create(CultureInfo.InvariantCulture, $"  input {100.0 * zeroBytes[fromValue] / allBytes[fromValue]:F0}% zero bytes") : "";
            string flipped = op.WritesFloats
                ? string.Create(CultureInfo.InvariantCulture, $"  skip {(network.SkipsZeros(i) ? "on" : "off")} ({100.0 * skippable[i] / Math.Max(steps[i], 1):F0}% skippable); flipped {flippedTime[i] * 1e3:F1} ms")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {op.LayerName,-16} {int8Time[i] * 1e3,8:F1} {floatTime[i] * 1e3,8:F1} {floatTime[i] / Math.Max(int8Time[i], 1e-9),6:F2}x  {op.MultiplyAddsPerSample / 1e6:F2} M MAC/sample{zeros}{flipped}"));
        }
        foreach (QuantizedOperation op in operations)
        {
            if (op is QuantizedConvolution conv)
                ConvolutionSteps(conv, network, graph, Math.Min(count, 1000));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"total",-16} {int8Total * 1e3,8:F1} {floatTotal * 1e3,8:F1} {floatTotal / int8Total,6:F2}x"));
    }

    private static double TimeInt8(QuantizedOperation op, int n, byte[][] bytes, int from, int i, bool last, float[] logits, QuantizedScratch scratch, QuantizedGraph graph)
    {
        int stride = QuantizedGraph.Stride(graph.Elements[from]);
        long t0 = ThreadClock.Now();
        if (last)
            op.RunToFloats(n, bytes[from], stride, logits, scratch);
        else
            op.Run(n, bytes[from], stride, bytes[i + 1], QuantizedGraph.Stride(graph.Elements[i + 1]), scratch);
        return ThreadClock.Since(t0);
    }

    /// <summary>A convolution's steps on random bytes of its input's density: patches, product, epilogue.</summary>
    private static void ConvolutionSteps(QuantizedConvolution conv, QuantizedNetwork network, QuantizedGraph graph, int images)
    {
        Conv2DGeometry g = conv.Geometry;
        Int8Product product = conv.Product;
        int ldp = product.Weights.PaddedDepth, ldc = product.Weights.PaddedColumns, positions = g.OutputPositions;
        var image = new byte[g.InputElements];
        var random = new Random(1);
        for (int i = 0; i < image.Length; i++)
            image[i] = random.Next(2) == 0 ? (byte)0 : (byte)random.Next(256);
        var patches = new byte[positions * ldp + Int8Patches.PaddedLength(g)];
        var sums = new int[positions * ldc];
        var floats = new float[positions * g.Filters];
        var output = new byte[g.OutputElements];
        double gather = 0, multiply = 0, epilogue = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int n = 0; n < images; n++)
            {
                long t0 = ThreadClock.Now();
                Int8Patches.GatherFromPadded(g, image, 0, patches.AsSpan(positions * ldp), patches.AsSpan(0, positions * ldp), ldp);
                long t1 = ThreadClock.Now();
                Int8Gemm.Multiply(positions, patches, ldp, product.Weights, sums, ldc, false);
                long t2 = ThreadClock.Now();
                product.ToBytes(positions, sums, ldc, floats, output, g.Filters);
                long t3 = ThreadClock.Now();
                if (pass == 1)
                {
                    gather += ThreadClock.Seconds(t0, t1);
                    multiply += ThreadClock.Seconds(t1, t2);
                    epilogue += ThreadClock.Seconds(t2, t3);
                }
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {conv.LayerName} steps per image: patches {gather / images * 1e6:F1} us, product {multiply / images * 1e6:F1} us ({(double)g.MultiplyAddsPerSample * images / multiply / 1e9:F1} G MAC/s), epilogue {epilogue / images * 1e6:F1} us"));
    }
}
