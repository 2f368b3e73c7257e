namespace SourceNet.Interop.Tests.StateDictNames;

/// <summary>
/// A network whose layers carry the names of a PyTorch module's (<c>self.fc1 = nn.Linear(4, 3)</c>): the property
/// names alone would give <c>fC1.weight</c>.
/// </summary>
[Network(Input = 4, Loss = Loss.SoftmaxCrossEntropy)]
public sealed partial class PyTorchNamedMlp
{
    [Dense(3, Activation.ReLU, Name = "fc1")] public partial DenseLayer FC1 { get; }
    [Dense(2, Name = "fc2")] public partial DenseLayer FC2 { get; }
}
