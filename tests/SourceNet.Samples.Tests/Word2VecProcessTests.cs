using System.Globalization;
using System.Threading.Tasks;

namespace SourceNet.Samples.Tests;

/// <summary>
/// samples/Word2Vec as a real process: every bad value, path, corpus and word is one line and its exit code; a short
/// run on the shipped corpus and one on a tiny corpus print their epochs and neighbours and save a file in the
/// word2vec text format.
/// </summary>
public class Word2VecProcessTests
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "SourceNet.Samples.Word2Vec.dll");

    private sealed record Case(string[] Args, int ExitCode, params string[] FirstLineContains);

    /// <summary>Forty verses over six words, with references, as data/kjv holds them.</summary>
    private static string WriteTinyCorpus(string folder)
    {
        string[] words = ["light", "dark", "day", "night", "water", "land"];
        var random = new SeededRandom(7);
        string path = Path.Combine(folder, "tiny.txt");
        File.WriteAllLines(path, Enumerable.Range(1, 40).Select(v =>
            $"Ge1:{v} " + string.Join(' ', Enumerable.Range(0, 7).Select(_ => words[random.NextInt(words.Length)])) + "."));
        return path;
    }

    private static IEnumerable<Case> Cases(string folder, string tiny)
    {
        string missing = Path.Combine(folder, "missing", "x");
        string noReferences = Path.Combine(folder, "plain.txt");
        File.WriteAllText(noReferences, "Ge1:1 In the beginning\nnoreference\n");
        string[] corpus = ["--corpus", tiny, "--output", "none"];
        yield return new(["--dimensions", "abc"], 2, "--dimensions", "'abc'");
        yield return new(["--window", "0"], 2, "--window", "'0'");
        yield return new(["--negatives", "-1"], 2, "--negatives", "'-1'");
        yield return new(["--min-count", "1.5"], 2, "--min-count", "'1.5'");
        yield return new(["--epochs", "99999999999"], 2, "--epochs", "'99999999999'");
        yield return new(["--learning-rate", "inf"], 2, "--learning-rate", "'inf'");
        yield return new(["--subsample", "-1"], 2, "--subsample", "'-1'");
        yield return new(["--subsample", "x"], 2, "--subsample", "'x'");
        yield return new(["--neighbours", "0"], 2, "--neighbours", "'0'");
        yield return new(["--seed", "abc"], 2, "--seed", "abc");
        yield return new(["--bogus"], 2, "--bogus");
        yield return new(["--output", missing], 2, "--output", "does not exist");
        yield return new(["--output", folder], 2, "--output", "is a folder");
        yield return new(["--corpus", missing, "--output", "none"], 1, "Cannot read the corpus", missing);
        yield return new(["--corpus", noReferences, "--output", "none"], 1, "Cannot read the corpus", "line 2");
        yield return new(["xyzzy", "light", "Plugh", .. corpus], 2, "Not in the vocabulary: 'xyzzy', 'plugh'", "6 words seen at least 5 times");
        yield return new(["--min-count", "1000", .. corpus], 2, "No word of tiny.txt is seen 1,000 times", "--min-count");
        yield return new(["--dimensions", "2147483647", "light", .. corpus], 2, "--dimensions 2147483647", "at most");
    }

    [Fact]
    public async Task Every_bad_flag_path_corpus_or_word_is_one_line_and_its_exit_code()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-w2v-cli");
        try
        {
            Case[] cases = [.. Cases(folder, WriteTinyCorpus(folder))];
            SampleProcess[] runs = await Task.WhenAll(cases.Select(c => SampleProcess.RunAsync(Sample, c.Args)));
            var failures = new List<string>();
            for (int i = 0; i < cases.Length; i++)
            {
                Case c = cases[i];
                SampleProcess run = runs[i];
                bool ok = run.ExitCode == c.ExitCode
                    && c.FirstLineContains.All(text => run.FirstErrorLine.Contains(text, StringComparison.Ordinal))
                    && !run.Error.Contains("   at ", StringComparison.Ordinal)
                    && !run.Error.Contains("Exception", StringComparison.Ordinal)
                    && (c.ExitCode != 2 || (run.Output.Length == 0 && run.Error.Contains("Usage:", StringComparison.Ordinal)))
                    && (c.ExitCode != 1 || run.Error.TrimEnd('\n').Split('\n').Length == 1);
                if (!ok)
                {
                    failures.Add($"{string.Join(' ', c.Args)}: expected exit {c.ExitCode} and a first line with [{string.Join(", ", c.FirstLineContains)}]; got {run}");
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Help_and_version_train_nothing()
    {
        SampleProcess help = await SampleProcess.RunAsync(Sample, "--help");
        SampleProcess version = await SampleProcess.RunAsync(Sample, "--version");

        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (string option in new[] { "--corpus", "--output", "--dimensions", "--window", "--negatives", "--min-count", "--epochs", "--learning-rate", "--subsample", "--neighbours", "--seed", "<words>" })
            Assert.Contains(option, help.Output, StringComparison.Ordinal);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^SourceNet\.Samples\.Word2Vec \d+\.\d+\.\d+\S* \(SourceNet runtime \d+\.\d+\.\d+\S*\)\n$", version.Output);
        Assert.Equal("", help.Error + version.Error);
    }

    /// <summary>The shipped corpus, found by the sample itself, with tiny settings; the saved file read back strictly.</summary>
    [Fact]
    public async Task A_short_run_on_the_shipped_corpus_prints_epochs_and_neighbours_and_saves_word2vec_text()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-w2v-run");
        try
        {
            string output = Path.Combine(folder, "vectors.txt");
            SampleProcess run = await SampleProcess.RunAsync(Sample, "--epochs", "2", "--dimensions", "12", "--window", "2",
                "--negatives", "2", "--min-count", "50", "--neighbours", "3", "--output", output, "GOD", "king");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("", run.Error);
            Assert.Contains("kjv.txt.gz: 31,102 verses", run.Output, StringComparison.Ordinal);
            Assert.Matches(@"\nEpoch: 1, loss=\d+\.\d{4}, words=[\d,]+, pairs=[\d,]+, ", run.Output);
            Assert.Matches(@"\nEpoch: 2, loss=", run.Output);
            Assert.DoesNotMatch(@"\nEpoch: 3", run.Output);
            Assert.Matches(@"\n  god   [a-z']+ -?[01]\.\d{3}(, [a-z']+ -?[01]\.\d{3}){2}\n", run.Output);
            Assert.Matches(@"\n  king  [a-z']+ -?[01]\.\d{3}(, [a-z']+ -?[01]\.\d{3}){2}\n", run.Output);

            string[] lines = File.ReadAllLines(output);
            string[] header = lines[0].Split(' ');
            int count = int.Parse(header[0], CultureInfo.InvariantCulture);
            Assert.Equal(2, header.Length);
            Assert.Equal("12", header[1]);
            Assert.Equal(count + 1, lines.Length);
            Assert.Contains($"Saved {count:N0} vectors of 12 dimensions to {output}", run.Output, StringComparison.Ordinal);
            var words = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in lines.Skip(1))
            {
                string[] fields = line.Split(' ');
                Assert.Equal(13, fields.Length);
                Assert.Matches("^[a-z']+$", fields[0]);
                Assert.True(words.Add(fields[0]), $"'{fields[0]}' twice");
                Assert.All(fields.Skip(1), f => Assert.True(float.IsFinite(float.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture)), f));
            }
            Assert.Contains("god", words);
            Assert.Equal("the", lines[1].Split(' ')[0]); // the most frequent word first
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_same_seed_saves_the_same_file()
    {
        string folder = RepoPaths.NewTempFolder("sourcenet-w2v-seed");
        try
        {
            string tiny = WriteTinyCorpus(folder);
            string[] Args(string file, string seed) =>
                ["--corpus", tiny, "--min-count", "1", "--dimensions", "6", "--epochs", "3", "--seed", seed, "--output", Path.Combine(folder, file), "light"];
            SampleProcess[] runs = await Task.WhenAll(
                SampleProcess.RunAsync(Sample, Args("a.txt", "3")), SampleProcess.RunAsync(Sample, Args("b.txt", "3")), SampleProcess.RunAsync(Sample, Args("c.txt", "4")));

            Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
            Assert.StartsWith("6 6\n", File.ReadAllText(Path.Combine(folder, "a.txt")), StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "a.txt")), File.ReadAllText(Path.Combine(folder, "b.txt")));
            Assert.NotEqual(File.ReadAllText(Path.Combine(folder, "a.txt")), File.ReadAllText(Path.Combine(folder, "c.txt")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
