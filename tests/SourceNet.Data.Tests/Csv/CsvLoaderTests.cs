using SourceNet.Training;

namespace SourceNet.Data.Tests.Csv;

/// <summary>CsvLoader on well-formed files: header or not, separators, quoting, column choice, both tasks.</summary>
public class CsvLoaderTests
{
    [Fact]
    public void Defaults_read_a_header_commas_and_the_last_column_as_the_label()
    {
        using var folder = new TempFolder();
        string path = folder.Write("points.csv", "x,y,label\n1.5,-2,0\n3e-1,4,1\n0.25,+7.5,1\n");

        LabeledData data = CsvLoader.LoadClassification(path);

        Assert.Equal([1.5f, -2f, 0.3f, 4f, 0.25f, 7.5f], data.Features);
        Assert.Equal([0, 1, 1], data.Labels);
        Assert.Equal(2, data.FeatureSize);
        Assert.Equal([2], data.SampleShape);
        Assert.Equal(3, data.Count);
        Assert.Empty(data.ClassNames);
    }

    [Fact]
    public void Columns_are_chosen_by_name_in_the_order_given_and_the_rest_is_ignored()
    {
        using var folder = new TempFolder();
        // A byte order mark, semicolons, CRLF, a blank line, and a text column that quotes the separator, a quote
        // and a line break: none of it may disturb the numbers.
        string path = folder.Write("semicolons.csv",
            "\uFEFFid;species;comment;petal_length;petal_width\r\n" +
            "1;2;\"plain\";1.4;0.2\r\n" +
            "\r\n" +
            "2;0;\"has ; and \"\"quotes\"\"\r\nand a line break\";4.7;1.4\r\n" +
            "3;1;\"\";\"5.1\";2.0");
        var options = new CsvOptions
        {
            Separator = ';',
            Label = "species",
            Features = ["petal_width", "petal_length"],
        };

        LabeledData data = CsvLoader.LoadClassification(path, options);

        Assert.Equal([0.2f, 1.4f, 1.4f, 4.7f, 2.0f, 5.1f], data.Features);
        Assert.Equal([2, 0, 1], data.Labels);
    }

    [Fact]
    public void Without_a_header_columns_are_chosen_by_index_and_whole_floats_are_labels()
    {
        using var folder = new TempFolder();
        string path = folder.Write("noheader.tsv", "3\t0.5\t9\n0.0\t1\t8\n");

        LabeledData data = CsvLoader.LoadClassification(path, new CsvOptions { HasHeader = false, Separator = '\t', Label = 0, Features = [2, 1] });

        Assert.Equal([9f, 0.5f, 8f, 1f], data.Features);
        Assert.Equal([3, 0], data.Labels); // "0.0" is class 0, as pandas writes an integer column with a gap
    }

    [Fact]
    public void Choosing_a_column_by_name_without_a_header_is_an_argument_error()
    {
        using var folder = new TempFolder();
        string path = folder.Write("noheader.csv", "1,2,0\n");
        var error = Assert.Throws<ArgumentException>(() => CsvLoader.LoadClassification(path, new CsvOptions { HasHeader = false, Label = "label" }));
        Assert.Contains("'label' is chosen by name, but the file has no header", error.Message);
    }

    [Fact]
    public void A_column_cannot_be_both_feature_and_label()
    {
        using var folder = new TempFolder();
        string path = folder.Write("points.csv", "x,y,label\n1,2,0\n");
        var error = Assert.Throws<ArgumentException>(() => CsvLoader.LoadClassification(path, new CsvOptions { Features = ["x", "label"] }));
        Assert.Contains("Column 3 'label' is chosen both as a feature and as the label", error.Message);
    }

    [Fact]
    public void Regression_reads_several_float_targets_per_row()
    {
        using var folder = new TempFolder();
        string path = folder.Write("houses.csv", "rooms,t1,area,t2\n3,100.5,70,-1\n4,200,95.5,2.5\n");

        RegressionData data = CsvLoader.LoadRegression(path, new CsvOptions { Targets = ["t1", "t2"] });

        Assert.Equal([3f, 70f, 4f, 95.5f], data.Features);
        Assert.Equal([100.5f, -1f, 200f, 2.5f], data.Targets);
        Assert.Equal((2, 2, 2), (data.FeatureSize, data.TargetSize, data.Count));
    }

    [Fact]
    public void A_missing_file_names_the_full_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CsvLoader.LoadClassification("no-such-file.csv"));
        Assert.Contains(Path.GetFullPath("no-such-file.csv"), error.Message);
    }

    [Fact]
    public void A_loaded_csv_feeds_BatchSampler_and_Trainer_and_learns()
    {
        // Two classes split by the line x + y = 0, written out with 4 decimals as a spreadsheet would.
        var random = new SeededRandom(11);
        var text = new System.Text.StringBuilder("x,y,class\n");
        for (int i = 0; i < 400; i++)
        {
            float x = random.NextNormal(), y = random.NextNormal();
            text.Append(System.FormattableString.Invariant($"{x:F4},{y:F4},{(x + y > 0 ? 1 : 0)}\n"));
        }
        using var folder = new TempFolder();
        LabeledData data = CsvLoader.LoadClassification(folder.Write("line.csv", text.ToString()));

        var model = new PointNet(seed: 1, maxBatchSize: 32);
        var trainer = new Trainer(model, new Adam(1e-2f), new TrainerOptions { Epochs = 10, BatchSize = 32, Sampling = BatchSampling.ShuffledEpochs, ValidationSplit = 0.25 });
        TrainingHistory history = trainer.Fit(data, new SeededRandom(2));

        Assert.Equal(10, history.Count);
        Assert.True(history[^1].TestAccuracy > 0.95, $"Validation accuracy {history[^1].TestAccuracy} after 10 epochs.");
        Assert.All(history, r => Assert.Equal(10, r.Steps)); // 400 - 100 held out = 300 samples: ceil(300 / 32) batches
    }
}
