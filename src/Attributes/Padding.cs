namespace SourceNet;

/// <summary>How a convolution or pooling window treats the image border, as in Keras and TensorFlow.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the image, so the output shrinks by the window size - 1.</summary>
    Valid = 0,

    /// <summary>Zero padding so that the output has ceil(input / stride) positions per axis; the smaller half of
    /// the padding goes before (top, left).</summary>
    Same = 1,
}
