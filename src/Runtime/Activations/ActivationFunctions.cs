using SourceNet.Kernels;

namespace SourceNet;

/// <summary>
/// The built-in activations as plain scalar functions, for <c>[Differentiable]</c> methods, named as the members of
/// <c>SourceNet.Activation</c> are. Each is its kernel's one
/// rule, and its <see cref="Kernels.ActivationFunctionAttribute"/> names that kernel: the <c>[Differentiable]</c> generator reads
/// the attribute, and the generated companions call the kernel's forward rule and derivative. Adding a function
/// here is all the generator needs; it keeps no list of them.
/// </summary>
public static class ActivationFunctions
{
    /// <summary><c>max(0, x)</c>.</summary>
    [ActivationFunction(typeof(ReluActivation))]
    public static float ReLU(float x) => Apply<ReluActivation>.Forward(x);

    /// <summary><c>max(0, x)</c>.</summary>
    [ActivationFunction(typeof(ReluActivation))]
    public static double ReLU(double x) => Apply<ReluActivation>.Forward(x);

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    [ActivationFunction(typeof(SigmoidActivation))]
    public static float Sigmoid(float x) => Apply<SigmoidActivation>.Forward(x);

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    [ActivationFunction(typeof(SigmoidActivation))]
    public static double Sigmoid(double x) => Apply<SigmoidActivation>.Forward(x);

    /// <summary><c>x</c> where x &gt; 0, else <c>0.01·x</c>.</summary>
    [ActivationFunction(typeof(LeakyReluActivation))]
    public static float LeakyReLU(float x) => Apply<LeakyReluActivation>.Forward(x);

    /// <summary><c>x</c> where x &gt; 0, else <c>0.01·x</c>.</summary>
    [ActivationFunction(typeof(LeakyReluActivation))]
    public static double LeakyReLU(double x) => Apply<LeakyReluActivation>.Forward(x);

    /// <summary>GELU, tanh form (PyTorch's <c>approximate='tanh'</c>): <c>½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    [ActivationFunction(typeof(GeluActivation))]
    public static float GELU(float x) => Apply<GeluActivation>.Forward(x);

    /// <summary>GELU, tanh form (PyTorch's <c>approximate='tanh'</c>): <c>½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    [ActivationFunction(typeof(GeluActivation))]
    public static double GELU(double x) => Apply<GeluActivation>.Forward(x);

    /// <summary>SiLU: <c>x·σ(x)</c>.</summary>
    [ActivationFunction(typeof(SiluActivation))]
    public static float SiLU(float x) => Apply<SiluActivation>.Forward(x);

    /// <summary>SiLU: <c>x·σ(x)</c>.</summary>
    [ActivationFunction(typeof(SiluActivation))]
    public static double SiLU(double x) => Apply<SiluActivation>.Forward(x);
}
