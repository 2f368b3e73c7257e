using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SourceNet.Kernels;

// One sample per block for each pooling pass (see BlockRunner).
public static partial class Pool2D
{
    private unsafe struct MaxForwardWork : IBlockWork
    {
        public Pool2DGeometry G;
        public float* Input;
        public float* Output;
        public int* Argmax;
        public int Batch;
        public KernelIsa Isa;

        public readonly int Blocks => Batch;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            float* input = Input + (nint)block * G.InputElements;
            nint o = (nint)block * G.OutputElements;
            int channels = G.Channels;
            for (int oy = 0; oy < G.OutputHeight; oy++)
                for (int ox = 0; ox < G.OutputWidth; ox++)
                {
                    (int y0, int y1, int x0, int x1) = Window(G, oy, ox);
                    MaxWindow(Isa, input, G.InputWidth, channels, y0, y1, x0, x1, Output + o, Argmax + o);
                    o += channels;
                }
        }
    }

    /// <summary>
    /// The max and argmax over positions [y0, y1) x [x0, x1) of every channel: starts from the first position and
    /// replaces a channel's best only where a later value is strictly greater, so the first maximum in scan order
    /// wins. Vector512, then Vector256 blocks of channels, then a scalar tail, all with the same comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MaxWindow(KernelIsa isa, float* input, int width, int channels, int y0, int y1, int x0, int x1, float* output, int* argmax)
    {
        int c = 0;
        if (isa >= KernelIsa.Vector512)
        {
            for (; c + 16 <= channels; c += 16)
            {
                int first = (y0 * width + x0) * channels + c;
                Vector512<int> lanes = Vector512<int>.Indices;
                Vector512<float> best = Vector512.Load(input + first);
                Vector512<int> index = Vector512.Create(first) + lanes;
                for (int y = y0; y < y1; y++)
                    for (int x = y == y0 ? x0 + 1 : x0; x < x1; x++)
                    {
                        int at = (y * width + x) * channels + c;
                        Vector512<float> value = Vector512.Load(input + at);
                        Vector512<float> greater = Vector512.GreaterThan(value, best);
                        best = Vector512.ConditionalSelect(greater, value, best);
                        index = Vector512.ConditionalSelect(greater.AsInt32(), Vector512.Create(at) + lanes, index);
                    }
                best.Store(output + c);
                index.Store(argmax + c);
            }
        }
        if (isa >= KernelIsa.Vector256)
        {
            for (; c + 8 <= channels; c += 8)
            {
                int first = (y0 * width + x0) * channels + c;
                Vector256<int> lanes = Vector256<int>.Indices;
                Vector256<float> best = Vector256.Load(input + first);
                Vector256<int> index = Vector256.Create(first) + lanes;
                for (int y = y0; y < y1; y++)
                    for (int x = y == y0 ? x0 + 1 : x0; x < x1; x++)
                    {
                        int at = (y * width + x) * channels + c;
                        Vector256<float> value = Vector256.Load(input + at);
                        Vector256<float> greater = Vector256.GreaterThan(value, best);
                        best = Vector256.ConditionalSelect(greater, value, best);
                        index = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(at) + lanes, index);
                    }
                best.Store(output + c);
                index.Store(argmax + c);
            }
        }
        for (; c < channels; c++)
        {
            int first = (y0 * width + x0) * channels + c;
            float best = input[first];
            int index = first;
            for (int y = y0; y < y1; y++)
                for (int x = y == y0 ? x0 + 1 : x0; x < x1; x++)
                {
                    int at = (y * width + x) * channels + c;
                    if (input[at] > best)
                    {
                        best = input[at];
                        index = at;
                    }
                }
            output[c] = best;
            argmax[c] = index;
        }
    }

    private unsafe struct MaxBackwardWork : IBlockWork
    {
        public Pool2DGeometry G;
        public float* OutputGradient;
        public int* Argmax;
        public float* InputGradient;
        public int Batch;

        public readonly int Blocks => Batch;

        public readonly void RunBlock(int block)
        {
            int inputs = G.InputElements, outputs = G.OutputElements;
            var gradient = new Span<float>(InputGradient + (nint)block * inputs, inputs);
            gradient.Clear();
            float* dOut = OutputGradient + (nint)block * outputs;
            int* argmax = Argmax + (nint)block * outputs;
            for (int o = 0; o < outputs; o++)
            {
                int at = argmax[o];
                if ((uint)at >= (uint)inputs)
                    throw new ArgumentException($"argmax[{(long)block * outputs + o}] is {at}; an index within the sample's {inputs} inputs expected.", "argmax");
                gradient[at] += dOut[o];
            }
        }
    }

    /// <summary>Average pooling, forward (Input → Output) or backward (Output holds the output gradient, Input
    /// receives the input gradient).</summary>
    private unsafe struct AverageWork : IBlockWork
    {
        public Pool2DGeometry G;
        public float* Input;
        public float* Output;
        public int Batch;
        public bool Backward;

        public readonly int Blocks => Batch;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void RunBlock(int block)
        {
            int channels = G.Channels;
            float* input = Input + (nint)block * G.InputElements;
            float* output = Output + (nint)block * G.OutputElements;
            if (Backward)
                new Span<float>(input, G.InputElements).Clear();
            for (int oy = 0; oy < G.OutputHeight; oy++)
                for (int ox = 0; ox < G.OutputWidth; ox++)
                {
                    (int y0, int y1, int x0, int x1) = Window(G, oy, ox);
                    var o = new Span<float>(output, channels);
                    float count = (y1 - y0) * (x1 - x0);
                    if (Backward)
                    {
                        float scale = 1f / count;
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                            {
                                var d = new Span<float>(input + (nint)(y * G.InputWidth + x) * channels, channels);
                                TensorPrimitives.MultiplyAdd(o, scale, d, d);
                            }
                    }
                    else
                    {
                        o.Clear();
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++)
                                TensorPrimitives.Add(o, new ReadOnlySpan<float>(input + (nint)(y * G.InputWidth + x) * channels, channels), o);
                        TensorPrimitives.Divide(o, count, o);
                    }
                    output += channels;
                }
        }
    }
}
