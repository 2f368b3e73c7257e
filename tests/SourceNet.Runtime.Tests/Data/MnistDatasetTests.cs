using System.IO;
using System.Security.Cryptography;
using SourceNet.Data;

namespace SourceNet.Runtime.Tests.Data;

public sealed class MnistDatasetTests : IClassFixture<MnistFixture>, IDisposable
{
    private readonly MnistDataset _mnist;
    private readonly TempDirectory _temp = new();

    public MnistDatasetTests(MnistFixture fixture) => _mnist = fixture.Dataset;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Genuine_counts_and_sizes()
    {
        Assert.Equal(784, MnistDataset.ImageSize);
        Assert.Equal(10, MnistDataset.ClassCount);
        Assert.Equal(60000, _mnist.TrainCount);
        Assert.Equal(10000, _mnist.TestCount);
        Assert.Equal(60000 * 784, _mnist.TrainImages.Length);
        Assert.Equal(10000 * 784, _mnist.TestImages.Length);
        Assert.Equal(60000, _mnist.TrainLabels.Length);
        Assert.Equal(10000, _mnist.TestLabels.Length);
    }

    [Fact]
    public void Genuine_first_labels()
    {
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], _mnist.TrainLabels[..10]);
        Assert.Equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], _mnist.TestLabels[..10]);
    }

    [Fact]
    public void Genuine_label_histograms_match_the_readme()
    {
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], Histogram(_mnist.TrainLabels));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], Histogram(_mnist.TestLabels));
    }

    [Fact]
    public void Genuine_pixels_are_scaled_into_the_unit_interval()
    {
        foreach (float[] images in new[] { _mnist.TrainImages, _mnist.TestImages })
        {
            float min = float.MaxValue, max = float.MinValue;
            foreach (float pixel in images)
            {
                min = Math.Min(min, pixel);
                max = Math.Max(max, pixel);
            }
            Assert.Equal(0f, min);
            Assert.Equal(1f, max);
        }
        // The corners of a digit image are background.
        Assert.Equal(0f, _mnist.TrainImages[0]);
        Assert.Equal(0f, _mnist.TrainImages[783]);
    }

    [Fact]
    public void Gzipped_and_raw_files_load_identically()
    {
        string[] names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        string[] rawSha256 =
        [
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ];
        for (int i = 0; i < names.Length; i++)
        {
            byte[] raw = TestFiles.Gunzip(File.ReadAllBytes(Path.Combine(TestFiles.MnistFolder, names[i] + ".gz")));
            Assert.Equal(rawSha256[i], Convert.ToHexStringLower(SHA256.HashData(raw)));
            File.WriteAllBytes(_temp.File(names[i]), raw);
        }

        MnistDataset fromRaw = MnistDataset.Load(_temp.Path);

        Assert.Equal(_mnist.TrainLabels, fromRaw.TrainLabels);
        Assert.Equal(_mnist.TestLabels, fromRaw.TestLabels);
        Assert.True(_mnist.TrainImages.AsSpan().SequenceEqual(fromRaw.TrainImages));
        Assert.True(_mnist.TestImages.AsSpan().SequenceEqual(fromRaw.TestImages));
    }

    [Fact]
    public void A_prefix_load_keeps_the_first_samples()
    {
        MnistDataset prefix = MnistDataset.Load(TestFiles.MnistFolder, maxTrain: 100, maxTest: 30);

        Assert.Equal(100, prefix.TrainCount);
        Assert.Equal(30, prefix.TestCount);
        Assert.Equal(_mnist.TrainLabels[..100], prefix.TrainLabels);
        Assert.Equal(_mnist.TestLabels[..30], prefix.TestLabels);
        Assert.True(_mnist.TrainImages.AsSpan(0, 100 * 784).SequenceEqual(prefix.TrainImages));
        Assert.True(_mnist.TestImages.AsSpan(0, 30 * 784).SequenceEqual(prefix.TestImages));
    }

    [Fact]
    public void A_prefix_longer_than_the_set_keeps_everything()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 5, testCount: 3, gzip: false);

        MnistDataset dataset = MnistDataset.Load(_temp.Path, maxTrain: 1000, maxTest: 0);

        Assert.Equal(5, dataset.TrainCount);
        Assert.Equal(0, dataset.TestCount);
        Assert.Empty(dataset.TestImages);
    }

    [Fact]
    public void Pixels_are_divided_by_255_exactly()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 3, testCount: 2, gzip: true);
        byte[] pattern = TestFiles.Pattern(3 * 784);

        MnistDataset dataset = MnistDataset.Load(_temp.Path);

        Assert.Equal([0, 1, 2], dataset.TrainLabels);
        for (int i = 0; i < pattern.Length; i++)
        {
            Assert.Equal(pattern[i] / 255f, dataset.TrainImages[i]);
        }
        Assert.Contains(1f, dataset.TrainImages);
    }

    [Fact]
    public void A_label_out_of_range_names_the_file_and_offset()
    {
        byte[] labels = TestFiles.CyclicLabels(6);
        labels[4] = 10;
        labels[5] = 200;
        TestFiles.WriteMnist(_temp.Path, trainCount: 6, testCount: 2, gzip: true, trainLabels: TestFiles.Labels(labels));

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(_temp.File("train-labels-idx1-ubyte.gz"), error.FilePath);
        Assert.Equal(8 + 4, error.Offset);
        Assert.Equal("a label in 0..9 (label 4)", error.Expected);
        Assert.Equal("10", error.Found);
    }

    [Fact]
    public void A_label_out_of_range_beyond_the_prefix_is_still_an_error()
    {
        byte[] labels = TestFiles.CyclicLabels(6);
        labels[5] = 11;
        TestFiles.WriteMnist(_temp.Path, trainCount: 2, testCount: 6, gzip: false, testLabels: TestFiles.Labels(labels));

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path, 1, 1));

        Assert.Equal(_temp.File("t10k-labels-idx1-ubyte"), error.FilePath);
        Assert.Equal(8 + 5, error.Offset);
    }

    [Fact]
    public void Mismatched_image_and_label_counts_are_an_error()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 5, testCount: 2, gzip: true, trainLabels: TestFiles.Labels(TestFiles.CyclicLabels(4)));

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(_temp.File("train-labels-idx1-ubyte.gz"), error.FilePath);
        Assert.Equal(4, error.Offset);
        Assert.Equal("5 labels, one per image in train-images-idx3-ubyte.gz", error.Expected);
        Assert.Equal("4 labels", error.Found);
    }

    [Fact]
    public void Images_must_have_three_dimensions()
    {
        byte[] flat = TestFiles.Idx([2, 784], TestFiles.Pattern(2 * 784));
        TestFiles.WriteMnist(_temp.Path, trainCount: 2, testCount: 2, gzip: true, testImages: flat);

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(_temp.File("t10k-images-idx3-ubyte.gz"), error.FilePath);
        Assert.Equal(3, error.Offset);
        Assert.Equal("dimension count 3", error.Expected);
        Assert.Equal("2", error.Found);
        Assert.Contains("t10k-images-idx3-ubyte.gz: at byte 3, expected dimension count 3, found 2", error.Message);
    }

    [Fact]
    public void Images_must_be_28_by_28()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 2, testCount: 2, gzip: false, trainImages: TestFiles.Images(2, 28, 29));

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(12, error.Offset);
        Assert.Equal("29", error.Found);
    }

    [Fact]
    public void Labels_must_have_one_dimension()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 4, testCount: 2, gzip: false, trainLabels: TestFiles.Idx([2, 2], [1, 2, 3, 4]));

        var error = Assert.Throws<IdxFormatException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(_temp.File("train-labels-idx1-ubyte"), error.FilePath);
        Assert.Equal(3, error.Offset);
    }

    [Fact]
    public void A_missing_file_names_the_folder_and_the_names_tried()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 2, testCount: 2, gzip: true);
        File.Delete(_temp.File("t10k-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(_temp.Path));

        Assert.Contains(_temp.Path, error.Message);
        Assert.Contains("'t10k-labels-idx1-ubyte'", error.Message);
        Assert.Contains("'t10k-labels-idx1-ubyte.gz'", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_reported_as_such()
    {
        string missing = _temp.File("nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() => MnistDataset.Load(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Raw_files_are_preferred_to_gzipped_ones()
    {
        TestFiles.WriteMnist(_temp.Path, trainCount: 2, testCount: 2, gzip: true, trainLabels: TestFiles.Labels(7, 7));
        File.WriteAllBytes(_temp.File("train-labels-idx1-ubyte"), TestFiles.Labels(3, 4));

        Assert.Equal([3, 4], MnistDataset.Load(_temp.Path).TrainLabels);
    }

    private static int[] Histogram(int[] labels)
    {
        int[] counts = new int[MnistDataset.ClassCount];
        foreach (int label in labels)
        {
            counts[label]++;
        }
        return counts;
    }
}
