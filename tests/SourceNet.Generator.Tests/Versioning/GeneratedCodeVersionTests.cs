using System.Text.RegularExpressions;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Versioning;

/// <summary>
/// <c>[GeneratedCode]</c> names the package version, read here from the file the build takes it from
/// (src/Directory.Build.props' VersionPrefix), not from the generator: a generator that hard-codes a number fails.
/// </summary>
public class GeneratedCodeVersionTests
{
    [Fact]
    public void Network_files_carry_the_package_version()
    {
        string source = GeneratorHarness.RunClean(Models.Mnist).Source("Samples.MnistMlp.g.cs");
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"SourceNet.Generator\", \"{PackageVersion()}\")]", source);
    }

    [Fact]
    public void Differentiable_files_carry_the_package_version()
    {
        GeneratorRun run = GeneratorHarness.RunClean(Models.CustomActivation);
        string expected = $"GeneratedCode(\"SourceNet.Generator\", \"{PackageVersion()}\")";
        string[] texts = run.GeneratedSources.Select(s => s.SourceText.ToString()).ToArray();
        Assert.Contains(texts, t => t.Contains(expected, StringComparison.Ordinal) && t.Contains("WithGradient", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("GeneratedCode(\"SourceNet.Generator\", \"1.0.0", StringComparison.Ordinal));
    }

    private static string PackageVersion()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string props = Path.Combine(dir.FullName, "src", "Directory.Build.props");
            if (File.Exists(Path.Combine(dir.FullName, "SourceNet.sln")) && File.Exists(props))
            {
                Match match = Regex.Match(File.ReadAllText(props), "<VersionPrefix>([^<]+)</VersionPrefix>");
                Assert.True(match.Success, "src/Directory.Build.props has no VersionPrefix");
                return match.Groups[1].Value;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (SourceNet.sln) above " + AppContext.BaseDirectory);
    }
}
