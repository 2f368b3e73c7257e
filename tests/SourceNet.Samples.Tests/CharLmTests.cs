using System.IO.Compression;
using System.Text;
using System.Threading.Tasks;
using SourceNet.Data.Text;
using SourceNet.Samples.CharLm;

namespace SourceNet.Samples.Tests;

/// <summary>
/// samples/CharLm: as a process (every bad flag, path and file is one line and its exit code; the per-epoch line; the
/// same seed gives the same sampled text, another seed another), and its sampler in process (the padding of a short
/// window changes no real position's logits, which is what lets generation read the last real step).
/// </summary>
public class CharLmTests
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "SourceNet.Samples.CharLm.dll");

    /// <summary>The first 60 verses of the shipped corpus, gzipped: a corpus that loads in no time.</summary>
    private static string TinyCorpus(string folder)
    {
        string path = Path.Combine(folder, "genesis.txt.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(RepoPaths.Root, "data", "kjv", "kjv.txt.gz")), CompressionMode.Decompress));
        var text = new StringBuilder();
        for (int i = 0; i < 60; i++)
            text.Append(reader.ReadLine()).Append('\n');
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.ASCII.GetBytes(text.ToString()));
        return path;
    }

    [Fact]
    public async Task Every_bad_flag_path_or_file_is_one_line_and_its_exit_code()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-charlm");
        try
        {
            string missing = Path.Combine(folder, "missing", "x");
            string notVerses = Path.Combine(folder, "not-verses.txt");
            File.WriteAllText(notVerses, "NoReferenceHere\n");
            string notCheckpoint = Path.Combine(folder, "not-a-checkpoint");
            File.WriteAllText(notCheckpoint, "not a checkpoint");
            string corpus = TinyCorpus(folder);
            (string[] Args, int Exit, string[] FirstLine)[] cases =
            [
                (["--epochs", "abc"], 2, ["--epochs", "'abc'"]),
                (["--temperature", "0"], 2, ["--temperature", "'0'"]),
                (["--length", "x"], 2, ["--length", "'x'"]),
                (["--threads", "0"], 2, ["--threads", "'0'"]),
                (["--threads", "65"], 2, ["--threads", "1 to 64", "'65'"]),
                (["--save", missing], 2, ["--save", "does not exist"]),
                (["--data", missing], 1, ["Cannot read the corpus", missing]),
                (["--data", notVerses], 1, ["Cannot read the corpus", "expected line 1 to be a verse reference"]),
                (["--data", corpus, "--load", notCheckpoint, "--generate", "In"], 1, ["Cannot load", notCheckpoint]),
                (["--data", corpus, "--generate", "In the beginning~"], 2, ["The prompt's character 16, '~', never occurs"]),
            ];
            SampleProcess[] runs = await Task.WhenAll(cases.Select(c => SampleProcess.RunAsync(Sample, c.Args)));
            var failures = new List<string>();
            for (int i = 0; i < cases.Length; i++)
            {
                SampleProcess run = runs[i];
                bool ok = run.ExitCode == cases[i].Exit
                    && cases[i].FirstLine.All(text => run.FirstErrorLine.Contains(text, StringComparison.Ordinal))
                    && !run.Error.Contains("   at ", StringComparison.Ordinal)
                    && !run.Output.Contains("Epoch", StringComparison.Ordinal);
                if (!ok)
                    failures.Add($"{string.Join(' ', cases[i].Args)}: expected exit {cases[i].Exit} and a first line with [{string.Join(", ", cases[i].FirstLine)}]; got {run}");
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Version_prints_the_version_and_trains_nothing()
    {
        SampleProcess run = await SampleProcess.RunAsync(Sample, "--version");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^SourceNet\.Samples\.CharLm \d+\.\d+\.\d+\S* \(SourceNet runtime \d+\.\d+\.\d+\S*\)\n$", run.Output);
    }

    [Fact]
    public async Task The_same_seed_samples_the_same_text_and_another_seed_other_text()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-charlm");
        try
        {
            string corpus = TinyCorpus(folder);
            string[] Args(int seed) => ["--data", corpus, "--epochs", "1", "--steps-per-epoch", "2", "--threads", "1",
                "--generate", "In the beginning", "--length", "40", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            SampleProcess[] runs = await Task.WhenAll(SampleProcess.RunAsync(Sample, Args(5)), SampleProcess.RunAsync(Sample, Args(5)), SampleProcess.RunAsync(Sample, Args(6)));
            foreach (SampleProcess run in runs)
                Assert.True(run.ExitCode == 0, run.ToString());
            string[] lines = runs[0].Output.TrimEnd('\n').Split('\n');
            Assert.Matches(@"^Epoch: 1, loss=\d+\.\d{3} bpc, validation=\d+\.\d{3} bpc$", lines[1]);
            string text = string.Join('\n', lines.Skip(2));
            Assert.StartsWith("In the beginning", text);
            Assert.Equal("In the beginning".Length + 40, text.Length);
            Assert.Equal(runs[0].Output, runs[1].Output);
            Assert.NotEqual(text, string.Join('\n', runs[2].Output.TrimEnd('\n').Split('\n').Skip(2)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Padding_after_the_text_changes_no_logit_of_a_real_position()
    {
        var network = new CharLmNetwork(seed: 2, maxBatchSize: 1);
        var random = new SeededRandom(9);
        var zeros = new int[CharLmNetwork.Steps];
        var sevens = new int[CharLmNetwork.Steps];
        Array.Fill(sevens, 7);
        for (int t = 0; t < 10; t++)
            zeros[t] = sevens[t] = random.NextInt(CharLmNetwork.Vocabulary);
        var a = new float[CharLmNetwork.OutputCount];
        var b = new float[CharLmNetwork.OutputCount];
        network.Forward(zeros, a);
        network.Forward(sevens, b);
        Assert.Equal(a.AsSpan(0, 10 * CharLmNetwork.Vocabulary).ToArray(), b.AsSpan(0, 10 * CharLmNetwork.Vocabulary).ToArray());
        Assert.NotEqual(a.AsSpan(10 * CharLmNetwork.Vocabulary).ToArray(), b.AsSpan(10 * CharLmNetwork.Vocabulary).ToArray());

        var vocabulary = new CharacterVocabulary(new string(Enumerable.Range(0, CharLmNetwork.Vocabulary).Select(i => (char)(' ' + i)).ToArray()));
        string first = TextSampler.Generate(network, vocabulary, "ABC", 70, 0.8f, seed: 3);
        Assert.Equal(first, TextSampler.Generate(network, vocabulary, "ABC", 70, 0.8f, seed: 3));
        Assert.NotEqual(first, TextSampler.Generate(network, vocabulary, "ABC", 70, 0.8f, seed: 4));
        Assert.Equal(73, first.Length); // past 64 characters: the window slides
    }
}
