using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Diagnostics;

/// <summary>
/// A network with errors gets only stub layer properties. They exist so the build reports the SN error
/// alone; if code runs against them anyway (e.g. from a test project built with errors ignored), they
/// say why there is no network.
/// </summary>
public class StubTests
{
    [Fact]
    public void A_network_with_errors_gets_layer_properties_that_throw_and_nothing_else()
    {
        GeneratorRun run = DiagnosticVerifier.Verify(
            """
            using SourceNet;
            namespace User;
            [Network(Input = 4)]
            public partial class Net
            {
                [Dense({|SN0003:0|})] public partial DenseLayer Hidden { get; }
                [Dense(3)] internal partial DenseLayer Out { get; }
            }
            """,
            "SN0003: Layer 'Hidden' has 0 units; a layer needs at least 1");

        string stub = run.Source("User.Net.g.cs");
        Assert.DoesNotContain("TrainStep", stub);
        Assert.DoesNotContain("INetwork", stub);

        // Build the assembly without the SN error (it is the generator's, not the compiler's) and run it.
        using var image = new MemoryStream();
        Assert.True(run.Output.Emit(image).Success);
        var context = new AssemblyLoadContext("stub-test", isCollectible: true);
        try
        {
            Type type = context.LoadFromStream(new MemoryStream(image.ToArray())).GetType("User.Net", throwOnError: true)!;
            object network = Activator.CreateInstance(type)!;
            var error = Assert.Throws<TargetInvocationException>(() => type.GetProperty("Hidden")!.GetValue(network));
            InvalidOperationException cause = Assert.IsType<InvalidOperationException>(error.InnerException);
            Assert.Contains("was not generated", cause.Message, StringComparison.Ordinal);
            Assert.Contains("SN", cause.Message, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }
}
