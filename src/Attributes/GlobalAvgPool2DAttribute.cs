using System;

namespace SourceNet;

/// <summary>
/// The mean of each channel over the whole image: (H, W, C) to the vector (C), as Keras's
/// <c>GlobalAveragePooling2D</c> and PyTorch's <c>AdaptiveAvgPool2d(1)</c> followed by a flatten. Put it on a
/// <c>public partial GlobalAvgPool2DLayer Name { get; }</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : LayerAttribute
{
}
