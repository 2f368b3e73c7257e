using BenchmarkDotNet.Attributes;
using SourceNet.Kernels;

namespace SourceNet.Benchmarks;

/// <summary>
/// The convolution kernels at the reference network's two layers (28x28x1 -> 5x5x32 Same; 14x14x32 -> 5x5x64
/// Same), batch 50 and 100, at 1 and 2 kernel threads: both forward methods side by side, and the two backward calls.
/// </summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private Conv2DGeometry _g;
    private float[] _input = null!, _weight = null!, _bias = null!, _output = null!, _outputGradient = null!;
    private float[] _inputGradient = null!, _weightGradient = null!, _biasGradient = null!, _workspace = null!;

    /// <summary>1: 28x28x1 -> 5x5x32 Same; 2: 14x14x32 -> 5x5x64 Same.</summary>
    [Params(1, 2)]
    public int Layer { get; set; }

    [Params(50, 100)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    public static Conv2DGeometry LayerGeometry(int layer) => layer == 1
        ? Conv2DGeometry.Create(28, 28, 1, 32, 5, 5, 1, 1, samePadding: true)
        : Conv2DGeometry.Create(14, 14, 32, 64, 5, 5, 1, 1, samePadding: true);

    /// <summary>Flops of one pass (forward, dInput or dWeight): 2 per multiply-add.</summary>
    public double Flops => 2.0 * _g.MultiplyAddsPerSample * Batch;

    /// <summary>What <see cref="GflopsColumn"/> divides by: every benchmark here does one pass's flops.</summary>
    public static double FlopsPerCall(BenchmarkDotNet.Parameters.ParameterInstances parameters) =>
        2.0 * LayerGeometry((int)parameters["Layer"]).MultiplyAddsPerSample * (int)parameters["Batch"];

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        _g = LayerGeometry(Layer);
        var random = new System.Random(42);
        float[] Fill(int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
                values[i] = (float)(random.NextDouble() - 0.5);
            return values;
        }
        _input = Fill(Batch * _g.InputElements);
        _weight = Fill(_g.PatchLength * _g.Filters);
        _bias = Fill(_g.Filters);
        _output = new float[Batch * _g.OutputElements];
        _outputGradient = Fill(Batch * _g.OutputElements);
        _inputGradient = new float[Batch * _g.InputElements];
        _weightGradient = new float[_weight.Length];
        _biasGradient = new float[_g.Filters];
        _workspace = new float[Conv2D.WorkspaceLength(_g, Batch)];
    }

    [Benchmark(Description = "Forward direct")]
    public void ForwardDirect() => Conv2D.ForwardAt<ReluActivation>(KernelIsaInfo.Best, Conv2D.Method.Direct, KernelThreads.Count,
        _g, Batch, _input, _weight, _bias, _output, _workspace);

    [Benchmark(Description = "Forward im2col+GEMM")]
    public void ForwardIm2Col() => Conv2D.ForwardAt<ReluActivation>(KernelIsaInfo.Best, Conv2D.Method.Im2Col, KernelThreads.Count,
        _g, Batch, _input, _weight, _bias, _output, _workspace);

    [Benchmark(Description = "BackwardInput direct")]
    public void BackwardInputDirect() => Conv2D.BackwardInputAt(KernelIsaInfo.Best, Conv2D.Method.Direct, KernelThreads.Count,
        _g, Batch, _outputGradient, _weight, _inputGradient, _workspace);

    [Benchmark(Description = "BackwardInput im2col")]
    public void BackwardInputIm2Col() => Conv2D.BackwardInputAt(KernelIsaInfo.Best, Conv2D.Method.Im2Col, KernelThreads.Count,
        _g, Batch, _outputGradient, _weight, _inputGradient, _workspace);

    [Benchmark(Description = "BackwardFilter direct")]
    public void BackwardFilter() => Conv2D.BackwardFilter(_g, Batch, _input, _outputGradient, _weightGradient, _biasGradient, _workspace);

    [Benchmark(Description = "BackwardFilter im2col")]
    public void BackwardFilterIm2Col() => Conv2D.BackwardFilterAt(KernelIsaInfo.Best, Conv2D.Method.Im2Col, KernelThreads.Count,
        _g, Batch, _input, _outputGradient, _weightGradient, _biasGradient, _workspace);
}
