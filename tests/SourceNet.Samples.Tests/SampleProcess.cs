using System.Diagnostics;
using System.Threading.Tasks;

namespace SourceNet.Samples.Tests;

/// <summary>A sample run as a real process (<c>dotnet SAMPLE.dll ARGS</c>), output redirected, as a user or a script runs it.</summary>
internal sealed record SampleProcess(int ExitCode, string Output, string Error)
{
    public static async Task<SampleProcess> RunAsync(string sample, params string[] args)
    {
        using Process process = Start(sample, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new SampleProcess(process.ExitCode, (await output).Replace("\r\n", "\n"), (await error).Replace("\r\n", "\n"));
    }

    public static Process Start(string sample, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(sample);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    /// <summary>The error output's first line.</summary>
    public string FirstErrorLine => Error.Split('\n')[0];

    public override string ToString() => $"exit code {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}
