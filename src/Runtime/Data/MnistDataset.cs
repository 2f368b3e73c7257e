using System;
using System.IO;
using System.Numerics.Tensors;
using System.Threading;

namespace SourceNet.Data;

/// <summary>
/// The MNIST digits, loaded from the four original IDX files: images as floats in [0, 1] (each pixel
/// divided by 255), row-major, <see cref="ImageSize"/> floats per image; labels as class indices 0..9.
/// </summary>
/// <remarks>
/// The pixels are kept as the files' bytes (<see cref="TrainPixels"/>, 47 MB for the training set); the float
/// images (188 MB) are made from them on first use. A <see cref="BatchSampler"/> over the bytes
/// (<see cref="BatchSampler(byte[], int[], int, SeededRandom, float)"/>) gathers four times fewer bytes per batch
/// and gives bit-identical batches, so a training loop need not make the float training set at all.
/// </remarks>
public sealed class MnistDataset
{
    /// <summary>Rows of an image.</summary>
    public const int ImageHeight = 28;

    /// <summary>Columns of an image.</summary>
    public const int ImageWidth = 28;

    /// <summary>Floats per image (28 x 28).</summary>
    public const int ImageSize = ImageHeight * ImageWidth;

    /// <summary>Number of classes (the digits 0..9).</summary>
    public const int ClassCount = 10;

    private const string TrainImagesName = "train-images-idx3-ubyte";
    private const string TrainLabelsName = "train-labels-idx1-ubyte";
    private const string TestImagesName = "t10k-images-idx3-ubyte";
    private const string TestLabelsName = "t10k-labels-idx1-ubyte";

    /// <summary>What a pixel byte is divided by to give its float value.</summary>
    public const float PixelScale = 255f;

    private float[]? _trainImages;
    private float[]? _testImages;

    private MnistDataset(byte[] trainPixels, int[] trainLabels, byte[] testPixels, int[] testLabels)
    {
        TrainPixels = trainPixels;
        TrainLabels = trainLabels;
        TestPixels = testPixels;
        TestLabels = testLabels;
    }

    /// <summary>Training images as the files' bytes 0..255, <see cref="TrainCount"/> x <see cref="ImageSize"/>, row-major.</summary>
    public byte[] TrainPixels { get; }

    /// <summary>Test images as the files' bytes 0..255, <see cref="TestCount"/> x <see cref="ImageSize"/>, row-major.</summary>
    public byte[] TestPixels { get; }

    /// <summary>Training images, <see cref="TrainCount"/> x <see cref="ImageSize"/> floats in [0, 1], row-major
    /// (made from <see cref="TrainPixels"/> on first use, then kept).</summary>
    public float[] TrainImages => _trainImages ?? Interlocked.CompareExchange(ref _trainImages, ToFloats(TrainPixels), null) ?? _trainImages;

    /// <summary>Training labels, one class index 0..9 per image.</summary>
    public int[] TrainLabels { get; }

    /// <summary>Test images, <see cref="TestCount"/> x <see cref="ImageSize"/> floats in [0, 1], row-major
    /// (made from <see cref="TestPixels"/> on first use, then kept).</summary>
    public float[] TestImages => _testImages ?? Interlocked.CompareExchange(ref _testImages, ToFloats(TestPixels), null) ?? _testImages;

    /// <summary>pixel / 255 for every pixel: the correctly rounded quotient, so 255 maps to exactly 1.</summary>
    public static float[] ToFloats(ReadOnlySpan<byte> pixels)
    {
        float[] values = new float[pixels.Length];
        TensorPrimitives.ConvertChecked(pixels, values.AsSpan());
        // Divide rather than multiply by 1/255: the result is the correctly rounded pixel/255, and 255 maps to exactly 1.
        TensorPrimitives.Divide(values, PixelScale, values);
        return values;
    }

    /// <summary>Test labels, one class index 0..9 per image.</summary>
    public int[] TestLabels { get; }

    /// <summary>Number of training samples loaded.</summary>
    public int TrainCount => TrainLabels.Length;

    /// <summary>Number of test samples loaded.</summary>
    public int TestCount => TestLabels.Length;

    /// <summary>
    /// Loads all of MNIST from <paramref name="folder"/>, which holds <c>train-images-idx3-ubyte</c>,
    /// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>,
    /// each raw or gzipped (as the name itself or the name with <c>.gz</c>; raw is preferred when both exist).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the folder and the names looked for.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, images are not N x 28 x 28, labels not N,
    /// image and label counts differ, or a label is outside 0..9.</exception>
    public static MnistDataset Load(string folder) => Load(folder, int.MaxValue, int.MaxValue);

    /// <summary>
    /// Loads MNIST as <see cref="Load(string)"/> does, keeping only the first <paramref name="maxTrain"/>
    /// training and <paramref name="maxTest"/> test samples. The files are still read and validated whole.
    /// </summary>
    public static MnistDataset Load(string folder, int maxTrain, int maxTest)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTrain);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTest);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The MNIST folder '{Path.GetFullPath(folder)}' does not exist.");
        }

        (byte[] trainPixels, int[] trainLabels) = LoadSplit(folder, TrainImagesName, TrainLabelsName, maxTrain);
        (byte[] testPixels, int[] testLabels) = LoadSplit(folder, TestImagesName, TestLabelsName, maxTest);
        return new MnistDataset(trainPixels, trainLabels, testPixels, testLabels);
    }

    private static (byte[] Pixels, int[] Labels) LoadSplit(string folder, string imagesName, string labelsName, int max)
    {
        // Resolve both names first, so a missing label file is reported before any decompression.
        string imagesPath = Locate(folder, imagesName);
        string labelsPath = Locate(folder, labelsName);
        IdxFile images = IdxReader.Read(imagesPath, [IdxReader.AnySize, ImageHeight, ImageWidth]);
        IdxFile labels = IdxReader.Read(labelsPath, [IdxReader.AnySize]);

        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw new IdxFormatException(
                labelsPath,
                4,
                $"{count} labels, one per image in {Path.GetFileName(imagesPath)}",
                $"{labels.Dimensions[0]} labels");
        }

        byte[] labelBytes = labels.Data;
        for (int i = 0; i < labelBytes.Length; i++)
        {
            if (labelBytes[i] >= ClassCount)
            {
                throw new IdxFormatException(labelsPath, labels.HeaderLength + i, $"a label in 0..{ClassCount - 1} (label {i})", labelBytes[i].ToString());
            }
        }

        int kept = Math.Min(count, max);
        int[] labelValues = new int[kept];
        for (int i = 0; i < kept; i++)
        {
            labelValues[i] = labelBytes[i];
        }

        byte[] pixels = images.Data.Length == kept * ImageSize ? images.Data : images.Data.AsSpan(0, kept * ImageSize).ToArray();
        return (pixels, labelValues);
    }

    private static string Locate(string folder, string name)
    {
        string raw = Path.Combine(folder, name);
        if (File.Exists(raw))
        {
            return raw;
        }
        string gz = raw + ".gz";
        if (File.Exists(gz))
        {
            return gz;
        }
        throw new FileNotFoundException($"MNIST file missing in '{Path.GetFullPath(folder)}': looked for '{name}' and '{name}.gz'.", gz);
    }
}
