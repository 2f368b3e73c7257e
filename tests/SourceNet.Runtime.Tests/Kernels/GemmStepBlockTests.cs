using System;
using SourceNet.Kernels;
using static SourceNet.Runtime.Tests.Kernels.GemmReference;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// The step blocks of a few rows against a tall, wide B (Gemm.StepBlocks.cs: a sample chunk's dense layer) against an
/// independent reference: each output the fused chain bias, then a·b + sum for every step in increasing order, one
/// rounding per step, as every tile computes it. Equal bits, so the blocks' partial sums stored in C and loaded back
/// change nothing, at any split.
/// </summary>
public class GemmStepBlockTests
{
    [SkippableTheory]
    [InlineData(25, 1024, 3136, true)]  // the deep MNIST CNN's hidden layer on a 25-sample chunk
    [InlineData(25, 1030, 300, true)]   // columns past the last whole panel, steps not a multiple of the block
    [InlineData(48, 1024, 129, false)]  // the most rows, one step past two blocks
    [InlineData(7, 2048, 200, true)]    // a partial row tile
    [InlineData(2, 1024, 128, false)]   // the fewest rows and steps that take the blocks
    public void Step_blocks_give_the_fused_chain_bit_for_bit(int m, int n, int k, bool withBias)
    {
        Skip.IfNot(MultiplyAdd.IsFused, "the reference is the fused chain; this machine has no FMA");
        Assert.True(m <= Gemm.StepBlockMaxRows && k >= 2 * Gemm.StepBlock && n >= Gemm.StepBlockMinRowFloats, "the shape must take the step blocks");
        float[] a = Random(m * k, seed: m + k), b = Random(k * n, seed: n), bias = Random(n, seed: 3);
        float[] identity = Chain(m, n, k, a, b, withBias ? bias : null);
        bool tested = false;
        foreach (KernelIsa isa in new[] { KernelIsa.Vector256, KernelIsa.Vector512 })
        {
            if (!KernelIsaInfo.IsSupported(isa))
                continue;
            tested = true;
            foreach (int parts in new[] { 1, 2 })
            {
                var c = new float[m * n];
                Gemm.MatMulBiasAt<IdentityActivation>(isa, parts, m, n, k, a, b, withBias ? bias : null, c);
                AssertSameBits(identity, c, $"{isa}, {parts} part(s), identity");
                Array.Fill(c, float.NaN);
                Gemm.MatMulBiasAt<ReluActivation>(isa, parts, m, n, k, a, b, withBias ? bias : null, c);
                AssertSameBits(Array.ConvertAll(identity, z => z > 0f ? z : 0f), c, $"{isa}, {parts} part(s), ReLU");
            }
        }
        Skip.IfNot(tested, "no 8- or 16-wide vectors on this machine");
    }

    /// <summary>C = bias + A·B, each element one fused multiply-add per step in increasing step order.</summary>
    private static float[] Chain(int m, int n, int k, float[] a, float[] b, float[]? bias)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = bias?[j] ?? 0f;
                for (int p = 0; p < k; p++)
                    sum = MathF.FusedMultiplyAdd(a[i * k + p], b[p * n + j], sum);
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int e = 0; e < expected.Length; e++)
        {
            // ReLU may keep a zero's sign either way: zeros compare by value.
            if (BitConverter.SingleToInt32Bits(expected[e]) != BitConverter.SingleToInt32Bits(actual[e]) && !(expected[e] == 0f && actual[e] == 0f))
                Assert.Fail($"{what}: element {e} is {actual[e]:R}, the fused chain gives {expected[e]:R}.");
        }
    }
}
