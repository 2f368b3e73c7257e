// What the .NET peers of bench/compare.sh share: their command line, an MNIST IDX reader, the
// statistics and the peak-memory probe. Each peer reads the data itself, on purpose: the peers
// must not depend on SourceNet.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace SourceNet.Bench.Peers;

/// <summary>The command line every peer takes (same names as bench/peers/pytorch_mnist.py).</summary>
internal sealed record PeerOptions(string Data, int Threads, int Epochs, int Steps, int Batch, int SingleCalls, int Seed, string? Model)
{
    public static PeerOptions Parse(string[] args)
    {
        var o = new PeerOptions("data/mnist", 1, 10, 600, 100, 5000, 1, null);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException("Option " + args[i] + " needs a value.");
            }
            string value = args[i + 1];
            o = args[i] switch
            {
                "--data" => o with { Data = value },
                "--threads" => o with { Threads = ParseInt(value) },
                "--epochs" => o with { Epochs = ParseInt(value) },
                "--steps" => o with { Steps = ParseInt(value) },
                "--batch" => o with { Batch = ParseInt(value) },
                "--single-calls" => o with { SingleCalls = ParseInt(value) },
                "--seed" => o with { Seed = ParseInt(value) },
                "--model" => o with { Model = value },
                _ => throw new ArgumentException("Unknown option " + args[i]),
            };
        }
        return o;
    }

    private static int ParseInt(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}

/// <summary>MNIST as the peers read it: pixels scaled by 1/255, labels as integers.</summary>
internal static class MnistIdx
{
    public const int ImageSize = 28 * 28;

    public static float[] ReadImages(string folder, string name)
    {
        byte[] pixels = ReadPayload(Path.Combine(folder, name), headerBytes: 16);
        var scaled = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            scaled[i] = pixels[i] / 255f;
        }
        return scaled;
    }

    public static long[] ReadLabels(string folder, string name)
    {
        byte[] raw = ReadPayload(Path.Combine(folder, name), headerBytes: 8);
        var labels = new long[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            labels[i] = raw[i];
        }
        return labels;
    }

    // The gzipped IDX file minus its header (magic and dimensions, big-endian int32 each).
    private static byte[] ReadPayload(string path, int headerBytes)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray()[headerBytes..];
    }
}
