using System.Diagnostics;
using System.Reflection;
using System.Threading.Tasks;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;
using SourceNet.Generator.Tests.Diagnostics;

namespace SourceNet.Generator.Tests.Build;

/// <summary>
/// The path a user sees: a real project that references the repository's attributes, runtime and
/// generator (as an analyzer, the way a package delivers it) is built with <c>dotnet build</c>, and the
/// SN diagnostics must appear in the build output with their id, file, line and column, and nothing else
/// (no CS9248 cascade, no generator crash). One build checks several diagnostics.
/// </summary>
public class DotnetBuildTests
{
    private const string Model = """
        using SourceNet;

        namespace User;

        [Network(Input = 784)]
        public partial class Classifier
        {
            [Dense({|SN0003:0|}, Activation.ReLU)] public partial DenseLayer Hidden { get; }
            [Dense(10, {|SN0005:Activation.Sigmoid|})] public partial DenseLayer Output { get; }
        }

        [Network(InputShape = new[] { 28, 28 })]
        public partial class Images
        {
            [{|SN0017:Dense|}(64)] public partial DenseLayer Features { get; }
            [Dense(10)] public partial DenseLayer Logits { get; }
        }

        [Network(InputShape = new[] { 5, 7 })]
        public partial class Convolutions
        {
            [Conv2D(8, {|SN0023:6|}, 3, Activation.ReLU)] public partial Conv2DLayer Conv { get; }
            [MaxPool2D(2, {|SN0024:Stride = -1|})] public partial Pool2DLayer Pool { get; }
            [Dropout({|SN0025:1f|})] public partial DropoutLayer Drop { get; }
            [Dense(10, Flatten = true)] public partial DenseLayer Logits { get; }
        }

        [Network(Input = 4, Loss = Loss.MeanSquaredError)]
        public partial class Good
        {
            [Dense(2, {|SN0018:Flatten = true|})] public partial DenseLayer Out { get; }

            public static int Outputs => OutputCount;
        }
        """;

    [Fact]
    public void Dotnet_build_reports_each_diagnostic_with_its_file_and_line()
    {
        (string source, List<(string Id, TextSpan Span)> markers) = DiagnosticVerifier.ParseMarkup(Model);
        string repo = RepositoryRoot();
        string configuration = typeof(DotnetBuildTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string folder = Path.Combine(Path.GetTempPath(), "sourcenet-build-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = Path.Combine(folder, "Model.cs");
            File.WriteAllText(modelPath, source);
            File.WriteAllText(Path.Combine(folder, "User.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{repo}/src/Attributes/SourceNet.Attributes.csproj" />
                    <ProjectReference Include="{repo}/src/Runtime/SourceNet.Runtime.csproj" />
                    <ProjectReference Include="{repo}/src/Generator/SourceNet.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);

            // The references were built with this test project: use them as they are rather than
            // rebuilding (and racing) the repository's own outputs. A fresh compiler process, so that a
            // compiler server cannot serve a stale copy of the generator.
            string output = Run(folder, "build", "User.csproj", "-c", configuration, "-nologo", "-nodeReuse:false",
                "-p:BuildProjectReferences=false", "-p:RestoreRecursive=false", "-p:UseSharedCompilation=false");

            var reported = new HashSet<string>();
            foreach (Match match in Regex.Matches(output, @"^(?<file>[^\r\n]*?)\((?<line>\d+),(?<column>\d+)\): (?<severity>error|warning) (?<id>[A-Z]+\d+): ", RegexOptions.Multiline))
            {
                reported.Add($"{Path.GetFullPath(match.Groups["file"].Value.Trim())}({match.Groups["line"].Value},{match.Groups["column"].Value}): {match.Groups["severity"].Value} {match.Groups["id"].Value}");
            }
            SourceText text = SourceText.From(source);
            var expected = markers.Select(m =>
            {
                LinePosition start = text.Lines.GetLinePosition(m.Span.Start);
                string severity = m.Id == "SN0018" ? "warning" : "error";
                return $"{Path.GetFullPath(modelPath)}({start.Line + 1},{start.Character + 1}): {severity} {m.Id}";
            }).ToHashSet();

            Assert.True(expected.SetEquals(reported),
                $"Expected:\n{string.Join("\n", expected.Order())}\nReported:\n{string.Join("\n", reported.Order())}\n\nBuild output:\n{output}");
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is left behind, harmlessly.
            }
        }
    }

    private static string Run(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Not the test host's MSBuild settings: this is a user's build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(4)), "dotnet build did not finish in 4 minutes.");
        return output + error.Result;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SourceNet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (SourceNet.sln) above " + AppContext.BaseDirectory);
    }
}
