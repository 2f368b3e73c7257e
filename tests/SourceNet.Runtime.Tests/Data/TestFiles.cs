using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace SourceNet.Runtime.Tests.Data;

/// <summary>Locates the repository's data and builds IDX files for tests.</summary>
internal static class TestFiles
{
    /// <summary>The folder holding the genuine gzipped MNIST files, found by walking up to the directory holding SourceNet.sln.</summary>
    public static string MnistFolder { get; } = Path.Combine(FindRepositoryRoot(), "data", "mnist");

    /// <summary>The folder holding SourceNet.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SourceNet.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No SourceNet.sln above '{AppContext.BaseDirectory}'.");
    }

    /// <summary>An IDX file's bytes: magic <c>00 00 type rank</c>, big-endian sizes, then <paramref name="data"/>.</summary>
    public static byte[] Idx(int[] dimensions, byte[] data, byte type = 0x08)
    {
        byte[] bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>A valid IDX image file of <paramref name="count"/> x <paramref name="rows"/> x <paramref name="columns"/> with a recognisable pixel pattern.</summary>
    public static byte[] Images(int count, int rows = 28, int columns = 28) =>
        Idx([count, rows, columns], Pattern(count * rows * columns));

    /// <summary>A valid IDX label file holding <paramref name="labels"/>.</summary>
    public static byte[] Labels(params byte[] labels) => Idx([labels.Length], labels);

    /// <summary>Labels 0, 1, ..., 9, 0, 1, ... of the given count.</summary>
    public static byte[] CyclicLabels(int count)
    {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
        }
        return labels;
    }

    /// <summary>Pixel i is (i * 7) mod 256: covers 0 and 255 and every value in between.</summary>
    public static byte[] Pattern(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 7);
        }
        return data;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Writes the four MNIST files into <paramref name="folder"/> (gzipped or raw), with synthetic content;
    /// each argument left null gets a valid file.
    /// </summary>
    public static void WriteMnist(
        string folder,
        int trainCount,
        int testCount,
        bool gzip,
        byte[]? trainImages = null,
        byte[]? trainLabels = null,
        byte[]? testImages = null,
        byte[]? testLabels = null)
    {
        Write("train-images-idx3-ubyte", trainImages ?? Images(trainCount));
        Write("train-labels-idx1-ubyte", trainLabels ?? Labels(CyclicLabels(trainCount)));
        Write("t10k-images-idx3-ubyte", testImages ?? Images(testCount));
        Write("t10k-labels-idx1-ubyte", testLabels ?? Labels(CyclicLabels(testCount)));

        void Write(string name, byte[] raw)
        {
            if (gzip)
            {
                File.WriteAllBytes(Path.Combine(folder, name + ".gz"), Gzip(raw));
            }
            else
            {
                File.WriteAllBytes(Path.Combine(folder, name), raw);
            }
        }
    }
}
