using System;

namespace SourceNet;

/// <summary>
/// Reshapes an image (H, W, C) into the vector (H·W·C) that a dense layer takes, like Keras' <c>Flatten</c>.
/// Samples are stored channels-last and row-major, so it moves no data. Put it on a
/// <c>public partial FlattenLayer Name { get; }</c> property (or write <c>Flatten = true</c> on the dense layer).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}
