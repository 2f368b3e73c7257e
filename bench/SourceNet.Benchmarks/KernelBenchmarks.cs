using System;
using BenchmarkDotNet.Attributes;
using SourceNet.Kernels;
using SourceNet.Data;

namespace SourceNet.Benchmarks;

/// <summary>
/// The kernels at the tutorial's shapes: a 784-300-10 MLP, batch 100, plus single-image inference and the
/// Adam update of the largest weight. Each runs at 1 and 2 kernel threads.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Batch = 100, Inputs = 784, Hidden = 300, Outputs = 10;

    private float[] _x = null!, _w1 = null!, _b1 = null!, _h = null!, _w2 = null!, _b2 = null!, _y = null!;
    private float[] _dz1 = null!, _dz2 = null!, _dw1 = null!, _dw2 = null!, _dh = null!, _db1 = null!, _dx = null!;
    private float[] _image = null!, _hidden1 = null!;
    private float[] _xSparse = null!, _imageSparse = null!;
    private Parameter _adamWeight = null!;
    private Adam _adam = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Where the sparse benchmarks' images come from (override with SOURCENET_MNIST).</summary>
    internal static readonly string MnistFolder = System.Environment.GetEnvironmentVariable("SOURCENET_MNIST") ?? "data/mnist";

    /// <summary>"MNIST" or "random 19%": what the sparse rows measured.</summary>
    public static string SparseSource { get; private set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Count = Threads;
        // Measure the split as asked, not the adaptive choice between split and single.
        KernelThreads.Adaptive = false;
        var random = new System.Random(42);
        float[] Fill(int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
                values[i] = (float)(random.NextDouble() - 0.5);
            return values;
        }
        _x = Fill(Batch * Inputs);
        _w1 = Fill(Inputs * Hidden);
        _b1 = Fill(Hidden);
        _h = Fill(Batch * Hidden);
        _w2 = Fill(Hidden * Outputs);
        _b2 = Fill(Outputs);
        _y = new float[Batch * Outputs];
        _dz1 = Fill(Batch * Hidden);
        _dz2 = Fill(Batch * Outputs);
        _dw1 = new float[Inputs * Hidden];
        _dw2 = new float[Hidden * Outputs];
        _dh = new float[Batch * Hidden];
        _db1 = new float[Hidden];
        _dx = new float[Batch * Inputs];
        _image = Fill(Inputs);
        // The sparse inputs are real MNIST images when the data is there (run from the repository root): where their
        // nonzeros sit decides what the listed tiles skip, and independent random zeros would need far more steps.
        // Otherwise MNIST-like random inputs, 19 % nonzero (the training set's fraction).
        float[] Sparse(int length)
        {
            var values = Fill(length);
            for (int i = 0; i < length; i++)
                values[i] = random.NextDouble() < 0.19 ? values[i] + 0.5f : 0f;
            return values;
        }
        if (System.IO.File.Exists(System.IO.Path.Combine(MnistFolder, "train-images-idx3-ubyte.gz")))
        {
            var mnist = MnistDataset.Load(MnistFolder, maxTrain: 10_000, maxTest: 1);
            _xSparse = new float[Batch * Inputs];
            for (int row = 0; row < Batch; row++)
                MnistDataset.ToFloats(mnist.TrainPixels.AsSpan(random.Next(mnist.TrainCount) * Inputs, Inputs)).CopyTo(_xSparse, row * Inputs);
            _imageSparse = MnistDataset.ToFloats(mnist.TestPixels.AsSpan(0, Inputs));
            SparseSource = "MNIST";
        }
        else
        {
            _xSparse = Sparse(Batch * Inputs);
            _imageSparse = Sparse(Inputs);
            SparseSource = "random 19%";
        }
        _hidden1 = new float[Hidden];
        _adamWeight = new Parameter("W1", Inputs, Hidden);
        Fill(Inputs * Hidden).CopyTo(_adamWeight.Value, 0);
        Fill(Inputs * Hidden).CopyTo(_adamWeight.Gradient, 0);
        _adam = new Adam();
        _adam.BeginStep();
    }

    [Benchmark(Description = "Fwd1 A·B+b relu 100x784 · 784x300")]
    [Flops(2L * Batch * Inputs * Hidden)]
    public void Forward1() => Gemm.MatMulBias<ReluActivation>(Batch, Hidden, Inputs, _x, _w1, _b1, _h);

    /// <summary>Fwd1 on MNIST-like input (19 % nonzero): the sparse-A kernel when <see cref="Gemm.SparseInputs"/>.</summary>
    [Benchmark(Description = "Fwd1 sparse X (MNIST) 100x784 · 784x300")]
    [Flops(2L * Batch * Inputs * Hidden)]
    public void Forward1Sparse() => Gemm.MatMulBias<ReluActivation>(Batch, Hidden, Inputs, _xSparse, _w1, _b1, _h);

    [Benchmark(Description = "Fwd2 A·B+b 100x300 · 300x10")]
    [Flops(2L * Batch * Hidden * Outputs)]
    public void Forward2() => Gemm.MatMulBias<IdentityActivation>(Batch, Outputs, Hidden, _h, _w2, _b2, _y);

    [Benchmark(Description = "dW1 Aᵀ·B 784x100 · 100x300")]
    [Flops(2L * Inputs * Hidden * Batch)]
    public void WeightGradient1() => Gemm.MatMulTransposeA(Inputs, Hidden, Batch, _x, _dz1, _dw1);

    [Benchmark(Description = "dW1 sparse Xᵀ (MNIST) 784x100 · 100x300")]
    [Flops(2L * Inputs * Hidden * Batch)]
    public void WeightGradient1Sparse() => Gemm.MatMulTransposeA(Inputs, Hidden, Batch, _xSparse, _dz1, _dw1);

    [Benchmark(Description = "dW2 Aᵀ·B 300x100 · 100x10")]
    [Flops(2L * Hidden * Outputs * Batch)]
    public void WeightGradient2() => Gemm.MatMulTransposeA(Hidden, Outputs, Batch, _h, _dz2, _dw2);

    [Benchmark(Description = "dH A·Bᵀ 100x10 · (300x10)ᵀ")]
    [Flops(2L * Batch * Hidden * Outputs)]
    public void InputGradient() => Gemm.MatMulTransposeB(Batch, Hidden, Outputs, _dz2, _w2, _dh);

    /// <summary>The input gradient of the first layer, dX = dZ1·W1ᵀ: not needed by the tutorial (X is data), but
    /// the shape a deeper network's hidden layer has, so the packed-Bᵀ path is measured at a large k.</summary>
    [Benchmark(Description = "dX A·Bᵀ 100x300 · (784x300)ᵀ")]
    [Flops(2L * Batch * Inputs * Hidden)]
    public void InputGradientLarge() => Gemm.MatMulTransposeB(Batch, Inputs, Hidden, _dz1, _w1, _dx);

    [Benchmark(Description = "Infer m=1 relu 1x784 · 784x300")]
    [Flops(2L * Inputs * Hidden)]
    public void MatVec() => Gemm.MatMulBias<ReluActivation>(1, Hidden, Inputs, _image, _w1, _b1, _hidden1);

    [Benchmark(Description = "Infer m=1 sparse image (MNIST)")]
    [Flops(2L * Inputs * Hidden)]
    public void MatVecSparse() => Gemm.MatMulBias<ReluActivation>(1, Hidden, Inputs, _imageSparse, _w1, _b1, _hidden1);

    [Benchmark(Description = "db1 ColumnSums 100x300")]
    [Flops(1L * Batch * Hidden)]
    public void BiasGradient() => Gemm.ColumnSums(Batch, Hidden, _dz1, _db1);

    [Benchmark(Description = "Adam update 784x300")]
    public void AdamUpdate() => _adam.Update(_adamWeight);

    /// <summary>Every kernel call of one training step of the tutorial MLP, in the order a generated
    /// TrainStep makes them (the loss and the element-wise passes are not kernels and are left out).</summary>
    [Benchmark(Description = "Train step kernels (sum of above)")]
    [Flops(2L * (2L * Batch * Inputs * Hidden + 3L * Batch * Hidden * Outputs))]
    public void TrainStepKernels()
    {
        Forward1();
        Forward2();
        WeightGradient2();
        InputGradient();
        Activations.BackwardInPlace<ReluActivation>(_h, _dh);
        WeightGradient1();
        BiasGradient();
        _adam.Update(_adamWeight);
    }
}
