namespace SourceNet;

/// <summary>Built-in element-wise activations a layer can apply to its output.</summary>
public enum Activation
{
    /// <summary>No activation: the layer outputs its pre-activations (logits for the last layer).</summary>
    None = 0,

    /// <summary><c>max(0, x)</c>.</summary>
    ReLU = 1,

    /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
    Sigmoid = 2,

    /// <summary><c>tanh(x)</c>.</summary>
    Tanh = 3,
}
