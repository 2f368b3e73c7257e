using System.Diagnostics;
using System.Threading.Tasks;
using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The kernels with instruction sets turned off, in a child process (<see cref="KernelCheckProgram"/>): the
/// multiply-then-add fallback without FMA (DOTNET_EnableAVX2=0 also turns FMA off), the AVX2 tiles without AVX-512, the 4-wide tiles without AVX2 and the
/// scalar code without SIMD. Each must match the double reference and give the same bits on every path it has.
/// </summary>
public class IsaFallbackTests
{
    public static TheoryData<string, string, bool> Configurations() => new()
    {
        // variable=0, widest level the child may report, whether it may still fuse.
        // .NET 10 switches instruction sets in groups: DOTNET_EnableFMA=0 and DOTNET_EnableAVX512F=0 are ignored
        // (measured: the child still reports Vector512 with FMA), DOTNET_EnableAVX512=0 turns AVX-512 off, and
        // DOTNET_EnableAVX2=0 turns off the whole x86-64-v3 group, FMA included: that is the multiply-then-add path.
        { "DOTNET_EnableAVX512", nameof(KernelIsa.Vector256), true },
        { "DOTNET_EnableAVX2", nameof(KernelIsa.Vector128), false },
        { "DOTNET_EnableHWIntrinsic", nameof(KernelIsa.Scalar), false },
    };

    [SkippableTheory]
    [MemberData(nameof(Configurations))]
    public void KernelsMatchTheReferenceWithAnInstructionSetOff(string variable, string widest, bool mayFuse)
    {
        // Only meaningful where the machine has what the variable turns off.
        Skip.If(variable == "DOTNET_EnableAVX512" && KernelIsaInfo.Best < KernelIsa.Vector512, "no AVX-512 here");
        Skip.If(variable == "DOTNET_EnableAVX2" && KernelIsaInfo.Best < KernelIsa.Vector256, "no AVX2 here");
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS(), "no child processes here");

        (int exitCode, string output) = RunChild(variable);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0, $"{variable}=0: exit code {exitCode}\n{output}");
        Assert.NotEmpty(lines);
        // "best=Vector256 fused=False"
        string[] fields = lines[0].Split(' ');
        var best = Enum.Parse<KernelIsa>(fields[0]["best=".Length..]);
        bool fused = bool.Parse(fields[1]["fused=".Length..]);
        Assert.True(best <= Enum.Parse<KernelIsa>(widest), $"{variable}=0 left {best} on: the variable did not take effect ({lines[0]}).");
        Assert.True(mayFuse || !fused, $"{variable}=0 still fuses: the fallback was not exercised ({lines[0]}).");
        Assert.StartsWith("OK ", lines[^1]);
    }

    private static (int ExitCode, string Output) RunChild(string variable)
    {
        string assembly = typeof(KernelCheckProgram).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), ["exec", assembly, KernelCheckProgram.Argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[variable] = "0";
        // Tiered compilation off: the kernels run optimised from the first call, as they would after warm-up.
        start.Environment["DOTNET_TieredCompilation"] = "0";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            Assert.Fail($"{variable}=0: the kernel check did not finish in 3 minutes.");
        }
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The dotnet host running these tests (the test host is started by it), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
            return path;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
