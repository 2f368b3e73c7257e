using System;
using System.Numerics.Tensors;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SourceNet.Kernels;
using SourceNet.Training;

namespace SourceNet.Quantization;

/// <summary>
/// A trained network quantised for inference (post-training quantisation): weights int8 per output channel,
/// activations unsigned bytes per tensor with a scale and zero point calibrated on a few hundred samples, products
/// summed exactly in int32 on the machine's int8 dot-product instructions (<c>vpdpbusd</c> where the CPU has AVX-VNNI,
/// <c>vpmaddubsw</c> on AVX2, scalar code elsewhere; every path gives the same sums). It answers like the float network
/// (<see cref="Forward"/>, <see cref="Predict(ReadOnlySpan{float})"/>, <see cref="Evaluate"/>) and does not train.
/// </summary>
/// <remarks>
/// Made by <see cref="Create"/>, which asks each layer for its <see cref="Layer.Quantize"/> and walks
/// <see cref="Layer.Inputs"/>; the float network is only read, and later changes to it do not reach the quantised
/// copy. Batch inference is cut into chunks of <see cref="MaxBatchSize"/> samples and runs on the kernel threads
/// like the generated networks'. Instances are not thread-safe.
/// </remarks>
public sealed class QuantizedNetwork : IClassifier, ISampleChunks
{
    private readonly QuantizedGraph _graph;
    private readonly TensorQuantization[] _quantization;
    private readonly IReadOnlyList<Layer> _layers;
    private readonly ScratchSize _scratchSize;
    private readonly long _multiplyAdds;
    private readonly bool _lastWritesFloats;
    private readonly bool[] _skipsZeros;
    private Workspace[] _workspaces;

    private QuantizedNetwork(INetwork source, QuantizedGraph graph, TensorQuantization[] quantization, bool[] sparse, int maxBatchSize)
    {
        _graph = graph;
        _quantization = quantization;
        _skipsZeros = new bool[graph.Operations.Length];
        _layers = source.Layers;
        SourceName = source.GetType().Name;
        InputSize = source.InputSize;
        OutputSize = source.OutputSize;
        MaxBatchSize = maxBatchSize;
        QuantizedOperation[] operations = graph.Operations;
        _lastWritesFloats = operations[^1].WritesFloats;
        ScratchSize scratch = default;
        for (int i = 0; i < operations.Length; i++)
        {
            Bind(i, sparse[graph.InputOf[i]]);
            scratch = scratch.Max(operations[i].Scratch(maxBatchSize));
            _multiplyAdds += operations[i].MultiplyAddsPerSample;
        }
        _scratchSize = scratch;
        _workspaces = [new Workspace(this)];
    }

    /// <summary>
    /// Quantises <paramref name="network"/>: each layer quantises its weights, and the activations' ranges are
    /// calibrated on <paramref name="calibrationInputs"/> (a few hundred training samples, <see cref="InputSize"/>
    /// values each, are enough).
    /// </summary>
    /// <exception cref="ArgumentException">No calibration samples, a partial sample, a value that is not finite, or
    /// weights that are not finite; the message says which and where.</exception>
    /// <exception cref="NotSupportedException">A layer has no int8 form (its kind does not override
    /// <see cref="Layer.Quantize"/>), reads several values, or applies a custom activation.</exception>
    public static QuantizedNetwork Create(INetwork network, ReadOnlySpan<float> calibrationInputs, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new QuantizationOptions();
        options.Validate();
        QuantizedGraph graph = QuantizedGraph.From(network);
        (TensorQuantization[] quantization, bool[] sparse) = Calibrator.Calibrate(graph, calibrationInputs, options);
        var quantized = new QuantizedNetwork(network, graph, quantization, sparse, options.MaxBatchSize > 0 ? options.MaxBatchSize : network.MaxBatchSize);
        quantized.ChooseZeroSkipping(calibrationInputs);
        return quantized;
    }

    /// <summary>Calibration samples (at most) that <see cref="ChooseZeroSkipping"/> runs.</summary>
    private const int SkipSurveySamples = 200;

    /// <summary>The fraction of its steps a product must be able to skip for skipping to pay. Below it the test per
    /// step and the branches it mispredicts cost more than the skipped steps save (measured on the MNIST CNN: its
    /// second convolution and hidden layer, with inputs over half zero bytes, ran faster without skipping).</summary>
    private const double SkipFraction = 0.5;

    /// <summary>
    /// Products whose input calibration found mostly zero bytes skip the zero groups of their tiles only if, on the
    /// calibration samples' own bytes, at least <see cref="SkipFraction"/> of their steps would be skipped: many zero
    /// bytes do not make many all-zero groups of four inputs in four rows. The sums, so the outputs, are the same
    /// either way; only the time differs.
    /// </summary>
    private void ChooseZeroSkipping(ReadOnlySpan<float> samples)
    {
        QuantizedOperation[] operations = _graph.Operations;
        if (!Array.Exists(_skipsZeros, skip => skip))
            return;
        int count = Math.Min(samples.Length / InputSize, SkipSurveySamples);
        var skippable = new long[operations.Length];
        var steps = new long[operations.Length];
        Workspace workspace = _workspaces[0];
        for (int start = 0; start < count; start += MaxBatchSize)
        {
            int batch = Math.Min(MaxBatchSize, count - start);
            RunBatch(workspace, samples.Slice(start * InputSize, batch * InputSize), batch, workspace.Logits, skippable, steps);
        }
        for (int i = 0; i < operations.Length; i++)
        {
            if (_skipsZeros[i])
                Bind(i, steps[i] > 0 && skippable[i] >= SkipFraction * steps[i]);
        }
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <summary>The type name of the float network this was made from (the exported graph's name).</summary>
    internal string SourceName { get; }

    /// <summary>The operations and the values they connect (the ONNX exporter walks them beside the layers).</summary>
    internal QuantizedGraph Graph => _graph;

    /// <summary>How value <paramref name="value"/> of <see cref="Graph"/> maps to bytes (0: the network's input).</summary>
    internal TensorQuantization QuantizationOf(int value) => _quantization[value];

    /// <summary>Whether operation <paramref name="operation"/> (a product) skips the groups of zero input bytes.</summary>
    internal bool SkipsZeros(int operation) => _skipsZeros[operation];

    /// <summary>Binds operation <paramref name="operation"/> to its input's and output's quantisation, skipping zero
    /// input groups or not (the benchmark's profile times both; the sums are the same).</summary>
    internal void Bind(int operation, bool skipZeros)
    {
        bool floatsOut = operation == _graph.Operations.Length - 1 && _lastWritesFloats;
        _graph.Operations[operation].Bind(_quantization[_graph.InputOf[operation]], floatsOut ? null : _quantization[operation + 1], skipZeros);
        _skipsZeros[operation] = skipZeros;
    }

    /// <summary>The scratch one thread's operations need for a batch of <see cref="MaxBatchSize"/> (the benchmark's profile).</summary>
    internal ScratchSize ScratchNeeded => _scratchSize;

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <inheritdoc/>
    public int MaxBatchSize { get; }

    /// <summary>None: a quantised network does not train.</summary>
    public IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <summary>The float network's layers, for their names and shapes (their parameters are the float ones it was made from).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The quantisation of the network's input.</summary>
    public TensorQuantization InputQuantization => _quantization[0];

    /// <summary>The quantisation of each layer's output, in layer order (the last layer's is unused when it writes floats).</summary>
    public IReadOnlyList<TensorQuantization> OutputQuantizations => _quantization.AsSpan(1).ToArray();

    /// <summary>The operations, one per layer, in layer order.</summary>
    public IReadOnlyList<QuantizedOperation> Operations => _graph.Operations;

    /// <summary>A table of the layers and their output quantisation.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Int8 network, {Int8Gemm.Best} products; input {InputQuantization}\n");
        for (int i = 0; i < _graph.Operations.Length; i++)
        {
            QuantizedOperation operation = _graph.Operations[i];
            string output = i == _graph.Operations.Length - 1 && _lastWritesFloats ? "floats" : _quantization[i + 1].ToString();
            text.Append(CultureInfo.InvariantCulture, $"{operation.LayerName,-16} {operation.OutputShape,-16} {output}\n");
        }
        return text.ToString();
    }

    /// <summary>Computes the outputs (logits) of any number of samples.</summary>
    /// <param name="inputs"><see cref="InputSize"/> values per sample, row-major.</param>
    /// <param name="outputs">Receives <see cref="OutputSize"/> values per sample.</param>
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int count = NetworkGuards.CountSamples(inputs.Length, InputSize, outputs.Length, OutputSize, nameof(outputs));
        CheckFinite(inputs, nameof(inputs));
        SampleChunks.Run(this, Operation.Forward, count, MaxBatchSize, _multiplyAdds, inputs, default, default, outputs, default);
    }

    /// <summary>The most likely class of one sample.</summary>
    public int Predict(ReadOnlySpan<float> input)
    {
        if (input.Length != InputSize)
            throw new ArgumentException($"One sample has {InputSize} values; got {input.Length}.", nameof(input));
        CheckFinite(input, nameof(input));
        Workspace workspace = _workspaces[0];
        RunBatch(workspace, input, 1, workspace.Logits);
        return NetworkGuards.PredictClass(workspace.Logits.AsSpan(0, OutputSize), 0);
    }

    /// <summary>The most likely class of each sample.</summary>
    public void Predict(ReadOnlySpan<float> inputs, Span<int> predictions)
    {
        int count = NetworkGuards.CountSamples(inputs.Length, InputSize, predictions.Length, 1, nameof(predictions));
        CheckFinite(inputs, nameof(inputs));
        SampleChunks.Run(this, Operation.Predict, count, MaxBatchSize, _multiplyAdds, inputs, default, default, default, predictions);
    }

    /// <summary>The fraction of samples whose most likely class is their label, in [0, 1].</summary>
    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int count = NetworkGuards.CountSamples(inputs.Length, InputSize, labels.Length, 1, nameof(labels));
        if (count == 0)
            throw new ArgumentException("Evaluate needs at least one sample.", nameof(inputs));
        CheckFinite(inputs, nameof(inputs));
        int correct = (int)SampleChunks.Run(this, Operation.Evaluate, count, MaxBatchSize, _multiplyAdds, inputs, labels, default, default, default);
        return (float)correct / count;
    }

    /// <summary>Not available: a quantised network is for inference. Train the float network and quantise it again.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Optimizer optimizer) =>
        throw new NotSupportedException("A quantised network is for inference; train the float network and quantise it again.");

    /// <summary>Not available: a quantised network has no gradients. Compute them on the float network.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) =>
        throw new NotSupportedException("A quantised network is for inference and has no gradients; compute them on the float network.");

    /// <summary>The mean softmax cross-entropy of the int8 logits over any number of samples.</summary>
    /// <exception cref="ArgumentException">The sizes disagree, an input is not finite, or a label is out of range.</exception>
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int count = NetworkGuards.CountSamples(inputs.Length, InputSize, labels.Length, 1, nameof(labels));
        if (count == 0)
            throw new ArgumentException("ComputeLoss needs at least one sample.", nameof(inputs));
        var logits = new float[(long)count * OutputSize];
        Forward(inputs, logits);
        double total = 0;
        for (int sample = 0; sample < count; sample++)
        {
            int label = labels[sample];
            if ((uint)label >= (uint)OutputSize)
                throw new ArgumentException($"Label {label} of sample {sample} is outside 0 to {OutputSize - 1}.", nameof(labels));
            ReadOnlySpan<float> row = logits.AsSpan(sample * OutputSize, OutputSize);
            float max = TensorPrimitives.Max(row);
            double sum = 0;
            foreach (float z in row)
                sum += Math.Exp(z - max);
            total += Math.Log(sum) - (row[label] - max);
        }
        return (float)(total / count);
    }

    void ISampleChunks.PrepareThreads(int threads)
    {
        if (_workspaces.Length >= threads)
            return;
        var workspaces = new Workspace[threads];
        for (int t = 0; t < threads; t++)
            workspaces[t] = t < _workspaces.Length ? _workspaces[t] : new Workspace(this);
        _workspaces = workspaces;
    }

    double ISampleChunks.RunChunk(int operation, int thread, int start, int count,
        ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> outputs, Span<int> predictions)
    {
        Workspace workspace = _workspaces[thread];
        ReadOnlySpan<float> chunk = inputs.Slice(start * InputSize, count * InputSize);
        if (operation == Operation.Forward)
        {
            RunBatch(workspace, chunk, count, outputs.Slice(start * OutputSize, count * OutputSize));
            return 0;
        }
        RunBatch(workspace, chunk, count, workspace.Logits);
        int correct = 0;
        for (int row = 0; row < count; row++)
        {
            ReadOnlySpan<float> logits = workspace.Logits.AsSpan(row * OutputSize, OutputSize);
            if (operation == Operation.Predict)
                predictions[start + row] = NetworkGuards.PredictClass(logits, start + row);
            else if (NetworkGuards.ArgMaxOrMinusOne(logits) == labels[start + row])
                correct++;
        }
        return correct;
    }

    /// <summary>Quantises the inputs, runs every operation on its buffers, and writes the floats of the last value;
    /// given <paramref name="skippable"/> and <paramref name="steps"/>, adds what each zero-skipping product's tiles
    /// would skip and take (<see cref="ChooseZeroSkipping"/>).</summary>
    private void RunBatch(Workspace workspace, ReadOnlySpan<float> inputs, int batch, Span<float> outputs, long[]? skippable = null, long[]? steps = null)
    {
        QuantizedOperation[] operations = _graph.Operations;
        QuantizeInputs(inputs, batch, workspace.Buffers[_graph.BufferOf[0]]);
        for (int i = 0; i < operations.Length; i++)
        {
            QuantizedOperation operation = operations[i];
            if (operation.PassesThrough)
                continue;
            int input = _graph.InputOf[i];
            byte[] source = workspace.Buffers[_graph.BufferOf[input]];
            int stride = QuantizedGraph.Stride(_graph.Elements[input]);
            if (skippable is not null && steps is not null && _skipsZeros[i])
            {
                (long s, long t) = operation.CountSkippable(batch, source, stride, workspace.Scratch);
                skippable[i] += s;
                steps[i] += t;
            }
            if (i == operations.Length - 1 && _lastWritesFloats)
                operation.RunToFloats(batch, source, stride, outputs, workspace.Scratch);
            else
                operation.Run(batch, source, stride, workspace.Buffers[_graph.BufferOf[i + 1]], QuantizedGraph.Stride(_graph.Elements[i + 1]), workspace.Scratch);
        }
        if (!_lastWritesFloats)
        {
            // The last layer keeps bytes (pooling, or a pass-through): its floats are what they stand for.
            int last = _graph.OutputValue, stride = QuantizedGraph.Stride(OutputSize);
            TensorQuantization q = _quantization[last];
            byte[] bytes = workspace.Buffers[_graph.BufferOf[last]];
            for (int b = 0; b < batch; b++)
                Int8Requantize.ToFloats(bytes.AsSpan(b * stride, OutputSize), q.Scale, q.ZeroPoint, outputs.Slice(b * OutputSize, OutputSize));
        }
    }

    private void QuantizeInputs(ReadOnlySpan<float> inputs, int batch, byte[] buffer)
    {
        TensorQuantization q = _quantization[0];
        float inverse = 1f / q.Scale;
        int stride = QuantizedGraph.Stride(InputSize);
        if (stride == InputSize)
        {
            Int8Requantize.Quantize(inputs[..(batch * InputSize)], inverse, q.ZeroPoint, buffer);
            return;
        }
        for (int b = 0; b < batch; b++)
            Int8Requantize.Quantize(inputs.Slice(b * InputSize, InputSize), inverse, q.ZeroPoint, buffer.AsSpan(b * stride, InputSize));
    }

    /// <summary>Refuses inputs that are not finite before any chunk runs, naming the first.</summary>
    private void CheckFinite(ReadOnlySpan<float> inputs, string name)
    {
        int bad = FiniteCheck.IndexOfNonFinite(inputs);
        if (bad >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Input value {bad % InputSize} of sample {bad / InputSize} is {inputs[bad]}: the network takes finite inputs."), name);
        }
    }

    /// <summary>The operations <see cref="ISampleChunks.RunChunk"/> runs.</summary>
    private static class Operation
    {
        public const int Forward = 0;
        public const int Predict = 1;
        public const int Evaluate = 2;
    }

    /// <summary>One thread's buffers: a byte buffer per value (shared by values passed through), scratch, logits.</summary>
    private sealed class Workspace
    {
        public Workspace(QuantizedNetwork network)
        {
            QuantizedGraph graph = network._graph;
            Buffers = new byte[graph.BufferCount][];
            for (int v = 0; v < graph.Elements.Length; v++)
            {
                int b = graph.BufferOf[v];
                int length = network.MaxBatchSize * QuantizedGraph.Stride(graph.Elements[v]);
                if (Buffers[b] is null || Buffers[b].Length < length)
                    Buffers[b] = new byte[length];
            }
            Scratch = new QuantizedScratch(network._scratchSize);
            Logits = new float[network.MaxBatchSize * network.OutputSize];
        }

        public byte[][] Buffers { get; }

        public QuantizedScratch Scratch { get; }

        public float[] Logits { get; }
    }
}
