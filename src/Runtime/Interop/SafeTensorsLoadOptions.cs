namespace SourceNet.Interop;

/// <summary>
/// How strictly <see cref="SafeTensors.Load(string, INetwork, SafeTensorsLoadOptions)"/> matches a file against the
/// network. The defaults are strict: the file must hold exactly the network's tensors. Setting both is PyTorch's
/// <c>load_state_dict(strict=False)</c>.
/// </summary>
public sealed record SafeTensorsLoadOptions
{
    /// <summary>
    /// Skip the file's tensors the network has no tensor for (a classifier head the network replaces, an optimizer's
    /// state saved beside the weights), listing them in <see cref="SafeTensorsLoadReport.Skipped"/>. Default false: an
    /// extra tensor is an error.
    /// </summary>
    public bool SkipUnexpected { get; init; }

    /// <summary>
    /// Leave the network's tensors the file lacks as they are (their initial values), listing them in
    /// <see cref="SafeTensorsLoadReport.Missing"/>. Default false: a missing tensor is an error, since a network
    /// half loaded from a file usually means the wrong file or the wrong names (see the layer attributes' <c>Name</c>).
    /// </summary>
    public bool AllowMissing { get; init; }
}
