namespace SourceNet;

/// <summary>
/// Built-in element-wise activations a layer can apply to its output. Each member names its kernel with
/// <see cref="ActivationKernelAttribute"/>; the generator reads nothing else.
/// </summary>
public enum Activation
{
    /// <summary>No activation: the layer outputs its pre-activations (logits for the last layer).</summary>
    [ActivationKernel("SourceNet.Kernels.IdentityActivation", IsIdentity = true)]
    None = 0,

    /// <summary><c>max(0, x)</c>.</summary>
    [ActivationKernel("SourceNet.Kernels.ReluActivation", OnnxOperator = "Relu")]
    ReLU = 1,

    /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
    [ActivationKernel("SourceNet.Kernels.SigmoidActivation", OnnxOperator = "Sigmoid")]
    Sigmoid = 2,

    /// <summary><c>tanh(x)</c>.</summary>
    [ActivationKernel("SourceNet.Kernels.TanhActivation", OnnxOperator = "Tanh")]
    Tanh = 3,

    /// <summary><c>x</c> where x &gt; 0, else <c>0.01·x</c>: ReLU that keeps a small gradient for negative inputs.</summary>
    [ActivationKernel("SourceNet.Kernels.LeakyReluActivation", OnnxOperator = "LeakyRelu")]
    LeakyReLU = 4,
}
