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

    /// <summary>
    /// GELU, tanh form: <c>½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>, as PyTorch's <c>nn.GELU(approximate='tanh')</c>
    /// (not the exact erf form, PyTorch's default). Its derivative needs the pre-activation, which the layer keeps.
    /// Exported to ONNX as Mul, Add and Tanh.
    /// </summary>
    [ActivationKernel("SourceNet.Kernels.GeluActivation")]
    GELU = 5,

    /// <summary>
    /// SiLU (swish): <c>x·σ(x)</c>, as PyTorch's <c>nn.SiLU</c>. Its derivative needs the pre-activation, which the
    /// layer keeps. Exported to ONNX as Sigmoid and Mul.
    /// </summary>
    [ActivationKernel("SourceNet.Kernels.SiluActivation")]
    SiLU = 6,
}
