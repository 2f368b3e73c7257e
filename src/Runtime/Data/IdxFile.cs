using System;

namespace SourceNet.Data;

/// <summary>
/// The content of one unsigned-byte IDX file (type code <c>0x08</c>): its shape and its bytes, row-major.
/// </summary>
public sealed class IdxFile
{
    /// <summary>The IDX type code of unsigned bytes, the only element type this reader supports.</summary>
    public const byte UnsignedByteTypeCode = 0x08;

    /// <summary>Creates an IDX file's content; <paramref name="data"/> must hold exactly the product of <paramref name="dimensions"/> bytes.</summary>
    public IdxFile(string path, int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int dimension in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(dimensions));
            count *= dimension;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, (long)Array.MaxLength, nameof(dimensions));
        }
        if (dimensions.Length == 0 || count != data.Length)
        {
            throw new ArgumentException($"The data holds {data.Length} bytes but the dimensions [{string.Join(", ", dimensions)}] need {count}.", nameof(data));
        }
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The file (or stream name) it was read from.</summary>
    public string Path { get; }

    /// <summary>The size of each dimension, outermost first (for MNIST images: count, rows, columns).</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements, row-major.</summary>
    public byte[] Data { get; }

    /// <summary>Number of bytes before the data in the file: the 4-byte magic and 4 bytes per dimension.</summary>
    public int HeaderLength => 4 + 4 * Dimensions.Length;

    /// <summary>The shape as text, such as <c>60000 x 28 x 28</c>.</summary>
    public string ShapeText => string.Join(" x ", Dimensions);

    /// <inheritdoc/>
    public override string ToString() => $"{Path} [{ShapeText}]";
}
