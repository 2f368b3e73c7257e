namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// GELU and SiLU as PyTorch documents them, written here independently of the kernels (which compute GELU as
/// z·σ(2u) and share their sigmoid): the reference the kernels' values are checked against.
/// </summary>
internal static class PyTorchFormulas
{
    /// <summary><c>nn.GELU(approximate='tanh')</c>: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary><c>nn.SiLU</c>: x·σ(x), with σ(x) = 1 / (1 + e^-x).</summary>
    public static double Silu(double x) => x / (1 + Math.Exp(-x));
}
