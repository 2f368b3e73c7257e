using System.Diagnostics;
using System.Threading.Tasks;

namespace SourceNet.Package.Tests;

/// <summary>Runs the <c>dotnet</c> CLI the way a user would, outside the test host's MSBuild settings.</summary>
internal static class DotnetCli
{
    /// <summary>The exit code and the combined standard output and error of one command.</summary>
    public readonly record struct Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}:\n{Output}";
    }

    public static Result Run(string folder, params string[] arguments)
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
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // A user's build, not the test host's: its MSBuild settings would point the child at the wrong SDK parts.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 4 minutes:\n{output}");
        }
        return new Result(process.ExitCode, output + error.Result);
    }

    /// <summary>Runs a command that must succeed.</summary>
    public static string Succeed(string folder, params string[] arguments)
    {
        Result result = Run(folder, arguments);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed with {result}");
        return result.Output;
    }
}
