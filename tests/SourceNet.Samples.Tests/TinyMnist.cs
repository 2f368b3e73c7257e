using System.Buffers.Binary;

namespace SourceNet.Samples.Tests;

/// <summary>
/// A small MNIST folder (256 training and 64 test images of noise, cyclic labels) in the IDX format, so that
/// tests that run a sample for its command line, resume or save take a fraction of a second to load data.
/// </summary>
internal static class TinyMnist
{
    private static readonly Lazy<string> s_folder = new(Write);

    public static string Folder => s_folder.Value;

    private static string Write()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-tiny-mnist");
        var random = new Random(19);
        WriteSplit(folder, "train", 256, random);
        WriteSplit(folder, "t10k", 64, random);
        return folder;
    }

    private static void WriteSplit(string folder, string prefix, int count, Random random)
    {
        byte[] pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), Idx([count, 28, 28], pixels));
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), Idx([count], [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]));
    }

    private static byte[] Idx(int[] dimensions, byte[] data)
    {
        byte[] bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }
}
