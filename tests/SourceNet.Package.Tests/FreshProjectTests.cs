using System.Globalization;
using System.Text.RegularExpressions;

namespace SourceNet.Package.Tests;

/// <summary>
/// A new user's first hour, on the packed package: a <c>dotnet new console</c> project that added it
/// builds and trains the README's network; a wrong network fails <c>dotnet build</c> with its SN id at
/// the offending argument.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class FreshProjectTests(PackageFeed feed)
{
    [Fact]
    public void The_readme_network_builds_and_learns_from_the_package()
    {
        File.WriteAllText(Path.Combine(feed.ConsoleProject, "MnistMlp.cs"), UserCode.Network());
        File.WriteAllText(Path.Combine(feed.ConsoleProject, "Program.cs"), UserCode.Program);

        DotnetCli.Succeed(feed.ConsoleProject, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        string output = DotnetCli.Succeed(feed.ConsoleProject, "run", "-c", "Release", "--no-build");

        Assert.Contains("Total params: 238,510", output); // the generated Summary()
        double[] losses = Regex.Matches(output, @"^step \d+ loss (\S+)$", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Length == 40, $"Expected 40 loss lines:\n{output}");
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < 0.8 * first, $"The loss did not fall: first steps {first:F3}, last steps {last:F3}.\n{output}");
    }

    [Fact]
    public void A_zero_unit_layer_fails_the_build_with_SN0003_at_the_zero()
    {
        // A second fresh project: the first one's project file (which added the package), a broken network.
        string project = feed.NewProject("BrokenNetwork");
        string source = UserCode.Network(hiddenUnits: "0");
        string model = Path.Combine(project, "MnistMlp.cs");
        File.WriteAllText(model, source);
        // Uses no generated member: a broken network gets none, and their absence would add CS errors.
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(typeof(MnistMlp));\n");

        string errorLog = Path.Combine(project, "build.sarif");
        DotnetCli.Result build = DotnetCli.Run(project, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            "-p:ErrorLog=" + errorLog);

        Assert.True(build.ExitCode != 0, $"The build of a network with a 0-unit layer succeeded: {build}");
        string[] lines = source.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("Dense(0", StringComparison.Ordinal));
        int column = lines[line].IndexOf("Dense(0", StringComparison.Ordinal) + "Dense(".Length;
        var errors = Regex.Matches(build.Output, @"^(?<file>[^\r\n]*?)\((?<line>\d+),(?<column>\d+)\): error (?<id>[A-Z]+\d+): ", RegexOptions.Multiline)
            .Select(m => $"{Path.GetFullPath(m.Groups["file"].Value.Trim())}({m.Groups["line"].Value},{m.Groups["column"].Value}): {m.Groups["id"].Value}")
            .ToHashSet();
        Assert.True(errors.SetEquals([$"{model}({line + 1},{column + 1}): SN0003"]),
            $"Expected only {model}({line + 1},{column + 1}): SN0003; got:\n{string.Join("\n", errors)}\n\n{build.Output}");

        // The help link (what the IDE opens from the error list) is the page the package carries.
        string log = File.ReadAllText(errorLog);
        Match help = Regex.Match(log, @"""helpUri""\s*:\s*""(?<uri>[^""]*SN0003\.md)""");
        Assert.True(help.Success, $"No help link for SN0003 in the error log:\n{log}");
        var uri = new Uri(help.Groups["uri"].Value);
        Assert.True(uri.IsFile, $"The help link {uri} is not a file the package carries.");
        Assert.StartsWith(Path.GetFullPath(NuGetCache()), Path.GetFullPath(uri.LocalPath), StringComparison.Ordinal);
        Assert.StartsWith("# SN0003: ", File.ReadAllText(uri.LocalPath), StringComparison.Ordinal);
    }

    private static string NuGetCache() => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
