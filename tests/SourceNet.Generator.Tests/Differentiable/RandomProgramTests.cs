using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using SourceNet.Generator.Tests.Harness;

namespace SourceNet.Generator.Tests.Differentiable;

/// <summary>
/// Random straight-line programs (locals, reassignment, every operation, shared sub-expressions), compiled
/// with their generated companions and run: values must match the method exactly and gradients must match
/// central finite differences. Seeds are fixed, so a failure reproduces.
/// </summary>
public class RandomProgramTests
{
    private const int Programs = 60;

    private sealed class ProgramWriter(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly List<string> _names = ["a", "b", "c"];

        public string Method(string name)
        {
            var body = new StringBuilder();
            int locals = _random.Next(1, 4);
            for (int i = 0; i < locals; i++)
            {
                string expression = Expression(3);
                body.AppendLine($"        double t{i} = {expression};");
                _names.Add("t" + i);
            }
            if (_random.Next(2) == 0)
            {
                // A loop over constant bounds: unrolled, with k a constant in each copy.
                _names.Add("(double)k");
                body.AppendLine($"        for (int k = 0; k < {_random.Next(1, 4)}; k++)");
                body.AppendLine("        {");
                body.AppendLine($"            t0 = t0 * 0.5 + {Expression(2)};");
                body.AppendLine("        }");
                _names.Remove("(double)k");
            }
            // Reassign a parameter and a local, compound and simple.
            body.AppendLine($"        a += {Expression(2)};");
            body.AppendLine($"        t0 = t0 * {Expression(1)};");
            body.AppendLine($"        return {Expression(3)};");
            return $"    [Differentiable]\n    public static double {name}(double a, double b, double c)\n    {{\n{body}    }}\n";
        }

        private string Expression(int depth)
        {
            if (depth == 0 || _random.Next(5) == 0)
            {
                return _random.Next(4) == 0
                    ? "(" + (_random.NextDouble() * 3 - 1.5).ToString("0.###", CultureInfo.InvariantCulture) + ")"
                    : _names[_random.Next(_names.Count)];
            }
            string x = Expression(depth - 1);
            string y = Expression(depth - 1);
            return _random.Next(22) switch
            {
                0 => $"({x} + {y})",
                1 => $"({x} - {y})",
                2 => $"({x} * {y})",
                3 => $"({x} / (1.5 + {y} * {y}))",
                4 => $"(-{x})",
                5 => $"Math.Exp(Math.Tanh({x}))",
                6 => $"Math.Log(1 + {x} * {x})",
                7 => $"Math.Sqrt(1 + {x} * {x})",
                8 => $"Math.Tanh({x})",
                9 => $"Math.Sin({x})",
                10 => $"Math.Cos({x})",
                11 => $"Math.Max({x}, {y})",
                12 => $"Math.Min({x}, {y})",
                13 => $"Math.Pow(1 + {x} * {x}, Math.Sin({y}))",
                14 => $"ActivationFunctions.Sigmoid({x})",
                15 => $"ActivationFunctions.ReLU({x})",
                16 => $"Math.Abs({x})",
                17 => $"({x} * {x} + {x})", // the same text twice: one node
                18 => $"Helper({x}, {y})",
                19 => $"ActivationFunctions.GELU({x})",
                20 => $"ActivationFunctions.SiLU({x})",
                _ => $"({x} + {y} * {x})",
            };
        }
    }

    [Fact]
    public void Random_programs_match_finite_differences()
    {
        var source = new StringBuilder("""
            using System;
            using SourceNet;

            public static partial class Random
            {
                [Differentiable]
                public static double Helper(double x, double y) => x * Math.Tanh(y) + Math.Sin(x * y);

            """);
        for (int i = 0; i < Programs; i++)
        {
            string method = new ProgramWriter(1000 + i).Method("P" + i);
            source.Append(method);
            source.Append(ToFloat(method.Replace($" P{i}(", $" F{i}(")));
        }
        source.AppendLine("""
                [Differentiable]
                public static float Helper(float x, float y) => x * MathF.Tanh(y) + MathF.Sin(x * y);
            }
            """);

        Assert.Contains("(double)k", source.ToString());
        GeneratorRun run = GeneratorHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        // The random user code may leave a local unused; the generated code must be warning-free.
        Assert.DoesNotContain(run.CompilationProblems, d => d.Severity == DiagnosticSeverity.Error || d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var context = new AssemblyLoadContext("RandomPrograms", isCollectible: true);
        try
        {
            image.Position = 0;
            Type type = context.LoadFromStream(image).GetType("Random")!;
            var points = new[] { new[] { 0.3, -0.7, 1.1 }, new[] { -1.2, 0.45, -0.35 } };
            for (int i = 0; i < Programs; i++)
            {
                MethodInfo f = type.GetMethod("P" + i)!;
                MethodInfo g = type.GetMethods().Single(m => m.Name == $"P{i}WithGradient" && m.GetParameters().Length == 6);
                foreach (double[] point in points)
                {
                    Check(f, g, point, "P" + i);
                    CheckFloat(type, i, g, point);
                }
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The same program in float: MathF, f literals.</summary>
    private static string ToFloat(string method) =>
        System.Text.RegularExpressions.Regex.Replace(method.Replace("double", "float").Replace("Math.", "MathF."), @"(\d+\.\d+)", "$1f");

    /// <summary>The float companion returns the float method's value exactly, and gradients close to the double ones.</summary>
    private static void CheckFloat(Type type, int i, MethodInfo exact, double[] x)
    {
        MethodInfo f = type.GetMethod("F" + i)!;
        MethodInfo g = type.GetMethods().Single(m => m.Name == $"F{i}WithGradient" && m.GetParameters().Length == 6);
        object?[] args = [(float)x[0], (float)x[1], (float)x[2], null, null, null];
        float value = (float)g.Invoke(null, args)!;
        Assert.Equal((float)f.Invoke(null, [(float)x[0], (float)x[1], (float)x[2]])!, value);
        object?[] exactArgs = [(double)(float)x[0], (double)(float)x[1], (double)(float)x[2], null, null, null];
        exact.Invoke(null, exactArgs);
        for (int k = 0; k < 3; k++)
        {
            double expected = (double)exactArgs[3 + k]!;
            float actual = (float)args[3 + k]!;
            Assert.True(Math.Abs(expected - actual) <= 1e-3 * Math.Max(1, Math.Abs(expected)), $"F{i}: ∂/∂x{k} = {actual} in float, {expected} in double");
        }
    }

    private static void Check(MethodInfo f, MethodInfo g, double[] x, string name)
    {
        double F(double[] v) => (double)f.Invoke(null, [v[0], v[1], v[2]])!;
        object?[] args = [x[0], x[1], x[2], null, null, null];
        double value = (double)g.Invoke(null, args)!;
        Assert.Equal(F(x), value);
        for (int k = 0; k < 3; k++)
        {
            const double h = 1e-6;
            double[] plus = (double[])x.Clone();
            double[] minus = (double[])x.Clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (F(plus) - F(minus)) / (2 * h);
            double exact = (double)args[3 + k]!;
            Assert.True(Math.Abs(numeric - exact) <= 1e-5 * Math.Max(1, Math.Abs(numeric)),
                $"{name} at ({string.Join(", ", x)}): ∂/∂x{k} = {exact}, finite differences {numeric}");
        }
    }
}
