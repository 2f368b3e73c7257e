using SourceNet.Data;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>
/// A small linear classifier trained with the runtime's own kernels (the fused weight-gradient-and-update path
/// included) on random data drawn by a <see cref="BatchSampler"/>: everything a resumed run has to restore.
/// </summary>
internal sealed class LinearTrainer
{
    public const int Inputs = 37, Classes = 5, Samples = 230, Batch = 16;

    private readonly float[] _x = new float[Batch * Inputs];
    private readonly int[] _labels = new int[Batch];
    private readonly float[] _z = new float[Batch * Classes];

    public LinearTrainer(Func<Optimizer> optimizer, long seed)
    {
        var data = new SeededRandom(1234);
        var features = new float[Samples * Inputs];
        data.FillNormal(features, 0f, 1f);
        var labels = new int[Samples];
        for (int i = 0; i < Samples; i++)
        {
            labels[i] = data.NextInt(Classes);
        }
        Network = new TestNetwork(("Linear.Weight", Inputs, Classes), ("Linear.Bias", 1, Classes)).Randomize(seed);
        Optimizer = optimizer();
        Random = new SeededRandom(seed + 1);
        Sampler = new BatchSampler(features, labels, Inputs, Random);
        Sampler.BeginEpoch();
    }

    public TestNetwork Network { get; }

    public Optimizer Optimizer { get; }

    public SeededRandom Random { get; }

    public BatchSampler Sampler { get; }

    /// <summary>Trains <paramref name="steps"/> steps: shuffled epochs, a new epoch whenever the last one runs out.</summary>
    public void Train(int steps)
    {
        Parameter weight = Network.Parameters[0], bias = Network.Parameters[1];
        for (int step = 0; step < steps; step++)
        {
            int count = Sampler.NextShuffledBatch(_x, _labels);
            if (count == 0)
            {
                Sampler.BeginEpoch();
                count = Sampler.NextShuffledBatch(_x, _labels);
            }
            // z = xW + b; loss = mean squared error against one-hot labels, so dz = 2(z - y) / count.
            Gemm.MatMulBias<IdentityActivation>(count, Classes, Inputs, _x, weight.Value, bias.Value, _z);
            for (int i = 0; i < count; i++)
            {
                for (int c = 0; c < Classes; c++)
                {
                    _z[i * Classes + c] = 2f * (_z[i * Classes + c] - (c == _labels[i] ? 1f : 0f)) / count;
                }
            }
            Optimizer.BeginStep();
            Gemm.ColumnSums(count, Classes, _z, bias.Gradient);
            Optimizer.Update(bias);
            Gemm.WeightGradient(Inputs, Classes, count, _x, _z, weight, Optimizer);
        }
    }
}
