using SourceNet.Samples.Mnist;
using SourceNet.Samples.MnistCnn;

namespace SourceNet.Samples.Tests;

/// <summary>One in-process run of the MNIST sample's entry point, with redirected (non-interactive) output.</summary>
internal sealed record SampleRun(int ExitCode, string Output, string Error)
{
    public static SampleRun Start(params string[] args) => Start(MnistApp.Run, args);

    /// <summary>The CNN sample, in-process.</summary>
    public static SampleRun StartCnn(params string[] args) => Start(MnistCnnApp.Run, args);

    private static SampleRun Start(Func<string[], TextWriter, TextWriter, bool, int> run, string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int exitCode = run(args, output, error, false);
        return new SampleRun(exitCode, output.ToString(), error.ToString());
    }

    public string[] OutputLines => Output.Split('\n');

    public override string ToString() => $"exit code {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}
