using System.Globalization;
using System.Reflection;

namespace SourceNet.Package.Tests;

/// <summary>
/// Packs the SourceNet and SourceNet.Onnx packages once for all tests into a local folder feed, with a version unique to this
/// run (so a copy cached in the global packages folder by an earlier run cannot stand in for this build),
/// and makes a console project that has added it, the way the README tells a user to. Removes both, and
/// the package's copy in the global packages folder, afterwards.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "sourcenet-package-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

        // The package's parts were built with this test project: pack them as they are rather than
        // rebuilding (and racing) the repository's outputs.
        string configuration = typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        DotnetCli.Succeed(RepositoryRoot, "pack", "src/Runtime/SourceNet.Runtime.csproj", "-c", configuration, "--no-build",
            "-o", Feed, "-p:Version=" + Version, "-nologo");
        DotnetCli.Succeed(RepositoryRoot, "pack", "src/Onnx/SourceNet.Onnx.csproj", "-c", configuration, "--no-build",
            "-o", Feed, "-p:Version=" + Version, "-nologo");
        DotnetCli.Succeed(RepositoryRoot, "pack", "src/Images/SourceNet.Images.csproj", "-c", configuration, "--no-build",
            "-o", Feed, "-p:Version=" + Version, "-nologo");
        Package = Path.Combine(Feed, $"SourceNet.{Version}.nupkg");
        Symbols = Path.Combine(Feed, $"SourceNet.{Version}.snupkg");
        OnnxPackage = Path.Combine(Feed, $"SourceNet.Onnx.{Version}.nupkg");

        // Beside the projects, so all restore from the local feed and the usual one (for System.Numerics.Tensors):
        // the project-local nuget.config the README shows, with the feed's path filled in.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);

        ConsoleProject = Path.Combine(Root, "FirstNetwork");
        DotnetCli.Succeed(Root, "new", "console", "-o", ConsoleProject, "-n", "FirstNetwork");
        DotnetCli.Succeed(ConsoleProject, "add", "package", "SourceNet", "--version", Version);
    }

    /// <summary>The temporary folder holding the feed and the projects.</summary>
    public string Root { get; }

    /// <summary>The local folder feed.</summary>
    public string Feed { get; }

    /// <summary>This run's package version.</summary>
    public string Version { get; }

    /// <summary>The .nupkg.</summary>
    public string Package { get; }

    /// <summary>The .snupkg.</summary>
    public string Symbols { get; }

    /// <summary>The SourceNet.Onnx .nupkg.</summary>
    public string OnnxPackage { get; }

    /// <summary>
    /// A new project beside <see cref="ConsoleProject"/> (so it restores from the same feed) whose project file
    /// is that one's, which has added the package.
    /// </summary>
    public string NewProject(string name)
    {
        string project = Path.Combine(Root, name);
        Directory.CreateDirectory(project);
        File.Copy(Path.Combine(ConsoleProject, "FirstNetwork.csproj"), Path.Combine(project, name + ".csproj"));
        return project;
    }

    /// <summary>A fresh console project (<c>dotnet new console</c>) that has added the package.</summary>
    public string ConsoleProject { get; }

    public static string RepositoryRoot
    {
        get
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

    public void Dispose()
    {
        TryDelete(Root);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(cache, "sourcenet", Version));
        TryDelete(Path.Combine(cache, "sourcenet.onnx", Version));
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A build server may still hold a file; a temp folder left behind is harmless.
        }
    }
}
