using System;
using System.IO;
using System.Numerics.Tensors;

namespace SourceNet.Data;

/// <summary>
/// The MNIST digits, loaded from the four original IDX files: images as floats in [0, 1] (each pixel
/// divided by 255), row-major, <see cref="ImageSize"/> floats per image; labels as class indices 0..9.
/// </summary>
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

    private MnistDataset(float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
    }

    /// <summary>Training images, <see cref="TrainCount"/> x <see cref="ImageSize"/> floats in [0, 1], row-major.</summary>
    public float[] TrainImages { get; }

    /// <summary>Training labels, one class index 0..9 per image.</summary>
    public int[] TrainLabels { get; }

    /// <summary>Test images, <see cref="TestCount"/> x <see cref="ImageSize"/> floats in [0, 1], row-major.</summary>
    public float[] TestImages { get; }

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

        (float[] trainImages, int[] trainLabels) = LoadSplit(folder, TrainImagesName, TrainLabelsName, maxTrain);
        (float[] testImages, int[] testLabels) = LoadSplit(folder, TestImagesName, TestLabelsName, maxTest);
        return new MnistDataset(trainImages, trainLabels, testImages, testLabels);
    }

    private static (float[] Images, int[] Labels) LoadSplit(string folder, string imagesName, string labelsName, int max)
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

        float[] imageValues = new float[kept * ImageSize];
        ReadOnlySpan<byte> pixels = images.Data.AsSpan(0, imageValues.Length);
        TensorPrimitives.ConvertChecked(pixels, imageValues.AsSpan());
        // Divide rather than multiply by 1/255: the result is the correctly rounded pixel/255, and 255 maps to exactly 1.
        TensorPrimitives.Divide(imageValues, 255f, imageValues);
        return (imageValues, labelValues);
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
