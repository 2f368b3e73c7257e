using SourceNet.Data;

namespace SourceNet.Interop.Tests.Networks;

internal static class TestData
{
    /// <summary>The repository root: the first folder above the test binaries that holds SourceNet.sln.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SourceNet.sln")))
                    return dir.FullName;
            }
            throw new InvalidOperationException("Cannot find SourceNet.sln above " + AppContext.BaseDirectory);
        }
    }

    private static readonly Lazy<MnistDataset> s_mnist = new(() => MnistDataset.Load(Path.Combine(Root, "data", "mnist"), 0, int.MaxValue));

    /// <summary>The 10,000 MNIST test images, scaled to [0, 1], and their labels.</summary>
    public static MnistDataset Mnist => s_mnist.Value;

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A network that only holds named tensors, unpermuted: the way to read raw tensors (fixture logits,
    /// a PyTorch state_dict as PyTorch lays it out) with the public API.</summary>
    public sealed class Tensors : INetwork
    {
        private readonly Parameter[] _parameters;

        public Tensors(params (string Name, int Rows, int Columns)[] tensors)
        {
            _parameters = [.. tensors.Select(t => new Parameter(t.Name, t.Rows, t.Columns))];
            foreach (Parameter parameter in _parameters)
            {
                parameter.MapToStateDict(parameter.Name);
            }
        }

        public float[] this[int index] => _parameters[index].Value;

        public int InputSize => _parameters[0].Rows;

        public int OutputSize => _parameters[^1].Columns;

        public int MaxBatchSize => 1;

        public IReadOnlyList<Parameter> Parameters => _parameters;

        // Tensors only: this double stands for a network's parameters, not its layers.
        public IReadOnlyList<Layer> Layers => [];
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}
