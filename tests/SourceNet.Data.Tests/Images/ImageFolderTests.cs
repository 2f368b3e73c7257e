using SourceNet.Images;
using SourceNet.Training;

namespace SourceNet.Data.Tests.Images;

/// <summary>ImageFolder on folders of PNGs written here: pixels round-trip, classes and files in ordinal order, every refusal.</summary>
public class ImageFolderTests
{
    [Fact]
    public void Rgb_pngs_load_as_channels_last_bytes_over_255_with_classes_in_ordinal_order()
    {
        using var folder = new TempFolder();
        var random = new SeededRandom(3);
        // Ordinal order: "Zebra" < "ant" < "bee" (upper case first); within a class "10.png" < "2.png".
        var written = new Dictionary<string, byte[]>();
        foreach (string file in new[] { "bee/2.png", "bee/10.png", "ant/1.png", "Zebra/x.png" })
        {
            written[file] = PngWriter.RandomRgba(random, 3 * 5);
            PngWriter.Rgba(Path.Combine(folder.Path, file), 3, 5, written[file]);
        }

        LabeledData data = ImageFolder.Load(folder.Path);

        Assert.Equal(["Zebra", "ant", "bee"], data.ClassNames);
        Assert.Equal([3, 5, 3], data.SampleShape);
        Assert.Equal([0, 1, 2, 2], data.Labels);
        string[] order = ["Zebra/x.png", "ant/1.png", "bee/10.png", "bee/2.png"];
        var expected = new List<float>();
        foreach (string file in order)
        {
            byte[] rgba = written[file];
            for (int i = 0; i < rgba.Length; i++)
            {
                if (i % 4 != 3)
                {
                    expected.Add(rgba[i] / 255f);
                }
            }
        }
        Assert.Equal(expected, data.Features);
    }

    [Fact]
    public void A_gray_png_loads_its_own_values_and_an_rgb_png_its_luma()
    {
        using var folder = new TempFolder();
        byte[] gray = [0, 1, 127, 128, 200, 255];
        PngWriter.Gray(Path.Combine(folder.Path, "a", "gray.png"), 2, 3, gray);
        byte[] rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 200, 30, 255, 90, 90, 90, 255, 1, 2, 3, 255];
        PngWriter.Rgba(Path.Combine(folder.Path, "b", "color.png"), 2, 3, rgba);

        LabeledData data = ImageFolder.Load(folder.Path, new ImageFolderOptions { Color = ImageColor.Grayscale });

        Assert.Equal([2, 3, 1], data.SampleShape);
        var expected = gray.Select(g => g / 255f).ToList();
        for (int p = 0; p < 6; p++)
        {
            // The BT.601 weights in double precision, rounded half away from zero: an independent reference.
            double luma = 0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2];
            expected.Add((byte)Math.Round(luma, MidpointRounding.AwayFromZero) / 255f);
        }
        Assert.Equal(expected, data.Features);
    }

    [Fact]
    public void Alpha_is_dropped_and_the_colour_kept()
    {
        using var folder = new TempFolder();
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "half.png"), 1, 2, [200, 100, 50, 128, 10, 20, 30, 255]);

        LabeledData data = ImageFolder.Load(folder.Path);

        Assert.Equal([200 / 255f, 100 / 255f, 50 / 255f, 10 / 255f, 20 / 255f, 30 / 255f], data.Features);
    }

    [Fact]
    public void Images_of_another_size_are_refused_naming_both_files()
    {
        using var folder = new TempFolder();
        var random = new SeededRandom(1);
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "1.png"), 4, 4, PngWriter.RandomRgba(random, 16));
        PngWriter.Rgba(Path.Combine(folder.Path, "b", "2.png"), 5, 4, PngWriter.RandomRgba(random, 20));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));

        Assert.Equal(
            $"'{Path.Combine(folder.Path, "b", "2.png")}' is 5x4 (height x width), but '{Path.Combine(folder.Path, "a", "1.png")}' is 4x4: " +
            "give ImageFolderOptions.Height and Width to resize every image to one size.", error.Message);
    }

    [Fact]
    public void Resizing_gives_every_image_the_size_asked_and_keeps_a_uniform_colour()
    {
        using var folder = new TempFolder();
        byte[] Uniform(int pixels) => Enumerable.Range(0, pixels).SelectMany(_ => new byte[] { 40, 120, 220, 255 }).ToArray();
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "big.png"), 12, 9, Uniform(12 * 9));
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "small.png"), 2, 3, Uniform(2 * 3));
        var exact = PngWriter.RandomRgba(new SeededRandom(4), 4 * 4);
        PngWriter.Rgba(Path.Combine(folder.Path, "b", "same.png"), 4, 4, exact);

        LabeledData data = ImageFolder.Load(folder.Path, new ImageFolderOptions { Height = 4, Width = 4 });

        Assert.Equal([4, 4, 3], data.SampleShape);
        Assert.Equal(3 * 48, data.Features.Length);
        for (int i = 0; i < 2 * 48; i++)
        {
            float want = new[] { 40, 120, 220 }[i % 3] / 255f;
            Assert.True(Math.Abs(data.Features[i] - want) <= 1 / 255f + 1e-6f, $"Float {i} is {data.Features[i] * 255} / 255, not {want * 255} / 255.");
        }
        // An image already at the size asked is not resampled: its bytes come through exactly.
        float[] same = exact.Where((_, i) => i % 4 != 3).Select(b => b / 255f).ToArray();
        Assert.Equal(same, data.Features.AsSpan(2 * 48, 48).ToArray());
    }

    [Fact]
    public void Other_files_and_hidden_entries_are_skipped()
    {
        using var folder = new TempFolder();
        var random = new SeededRandom(2);
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "1.PNG"), 2, 2, PngWriter.RandomRgba(random, 4));
        PngWriter.Rgba(Path.Combine(folder.Path, "a", ".hidden.png"), 2, 2, PngWriter.RandomRgba(random, 4));
        PngWriter.Rgba(Path.Combine(folder.Path, ".cache", "1.png"), 2, 2, PngWriter.RandomRgba(random, 4));
        folder.Write("a/readme.txt", "not an image");
        folder.Write("notes.txt", "beside the classes");

        LabeledData data = ImageFolder.Load(folder.Path);

        Assert.Equal(["a"], data.ClassNames);
        Assert.Equal(1, data.Count);
    }

    [Fact]
    public void A_file_that_does_not_decode_is_named()
    {
        using var folder = new TempFolder();
        PngWriter.Rgba(Path.Combine(folder.Path, "a", "good.png"), 2, 2, PngWriter.RandomRgba(new SeededRandom(1), 4));
        string bad = folder.Write("a/junk.png", "this is not a PNG at all");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));

        Assert.StartsWith($"'{bad}' is not an image SkiaSharp can decode", error.Message);
    }

    [Fact]
    public void A_truncated_png_is_named()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "a", "cut.png");
        PngWriter.Rgba(path, 16, 16, PngWriter.RandomRgba(new SeededRandom(1), 256));
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length / 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));

        Assert.StartsWith($"'{path}' did not decode: ", error.Message);
    }

    [Fact]
    public void Folders_without_classes_or_images_are_refused()
    {
        using var folder = new TempFolder();
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(Path.Combine(folder.Path, "missing")));

        var noClasses = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));
        Assert.Equal($"The image folder '{folder.Path}' has no subfolder: put each class's images in a subfolder named after the class.", noClasses.Message);

        folder.Write("cats/readme.txt", "no images yet");
        var empty = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path));
        Assert.StartsWith($"The class folder '{Path.Combine(folder.Path, "cats")}' holds no image (.png, ", empty.Message);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(".", new ImageFolderOptions { Height = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(".", new ImageFolderOptions { Height = 0, Width = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(".", new ImageFolderOptions { Color = (ImageColor)2 }));
    }

    [Fact]
    public void A_loaded_folder_feeds_BatchSampler_and_Trainer_and_learns()
    {
        // Three classes of 4 x 4 images: mostly red, mostly green, mostly blue, with noise.
        using var folder = new TempFolder();
        var random = new SeededRandom(9);
        string[] classes = ["blue", "green", "red"];
        for (int c = 0; c < 3; c++)
        {
            for (int n = 0; n < 30; n++)
            {
                byte[] rgba = PngWriter.RandomRgba(random, 16);
                for (int p = 0; p < 16; p++)
                {
                    int channel = 2 - c; // blue is channel 2, green 1, red 0
                    rgba[4 * p + channel] = (byte)Math.Min(255, rgba[4 * p + channel] / 2 + 128);
                }
                PngWriter.Rgba(Path.Combine(folder.Path, classes[c], $"{n}.png"), 4, 4, rgba);
            }
        }
        LabeledData data = ImageFolder.Load(folder.Path);
        (LabeledData train, LabeledData validation) = data.Split(0.2, seed: 1);

        var model = new TinyImageNet(seed: 1, maxBatchSize: 16);
        var sampler = new BatchSampler(train.Features, train.Labels, train.FeatureSize, new SeededRandom(2));
        TrainingHistory history = new Trainer(model, new Adam(1e-2f), new TrainerOptions { Epochs = 15, BatchSize = 16, Sampling = BatchSampling.ShuffledEpochs })
            .Fit(sampler, validation.Features, validation.Labels);

        Assert.Equal(72, train.Count);
        Assert.True(history[^1].TestAccuracy > 0.9, $"Validation accuracy {history[^1].TestAccuracy} after 15 epochs.");
        Assert.Equal(history[^1].TestAccuracy, model.Evaluate(validation.Features, validation.Labels), 6);
    }
}
