using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SourceNet;

/// <summary>
/// Adam (Kingma and Ba), in the form Keras uses, so a SourceNet run matches the tutorial's:
/// <c>m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; w -= α_t·m / (√v + ε)</c> with
/// <c>α_t = η·√(1-β2^t) / (1-β1^t)</c>. Defaults are Keras': η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-7.
/// </summary>
public sealed class Adam : Optimizer
{
    private float _stepSize;

    /// <summary>Creates the optimizer.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
    {
        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        if (!(beta1 >= 0f && beta1 < 1f))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0f && beta2 < 1f))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon > 0f))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>η.</summary>
    public float LearningRate { get; }

    /// <summary>β1, the decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>β2, the decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to √v.</summary>
    public float Epsilon { get; }

    private static readonly string[] s_slotNames = ["m", "v"];

    /// <inheritdoc/>
    /// <remarks>Adam keeps the first moment <c>m</c> and the second moment <c>v</c> of each parameter.</remarks>
    public override IReadOnlyList<string> SlotNames => s_slotNames;

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, float>> HyperParameters =>
    [
        new("learning_rate", LearningRate),
        new("beta1", Beta1),
        new("beta2", Beta2),
        new("epsilon", Epsilon),
    ];

    /// <inheritdoc/>
    protected override void OnBeginStep(long step)
    {
        // Bias corrections in double: β^t underflows float precision long before it matters.
        double correction1 = 1.0 - Math.Pow(Beta1, step);
        double correction2 = 1.0 - Math.Pow(Beta2, step);
        _stepSize = (float)(LearningRate * Math.Sqrt(correction2) / correction1);
    }

    private AdamJob? _job;

    /// <inheritdoc/>
    /// <remarks>
    /// Runs on the calling thread. Splitting was measured and does not pay: on the 2-core Zen 4 reference machine
    /// the 784x300 update takes 66 µs on one thread, 79 µs split by the kernels' column slices and 66 µs split in
    /// contiguous halves. Each update streams 6.6 MB (w, g, m, v read; w, m, v written) through the cache and
    /// memory the two cores share, so the second core only adds contention.
    /// <see cref="UpdateSplit(Parameter, int)"/> keeps the split for machines where it does pay.
    /// </remarks>
    public override void Update(Parameter parameter) => UpdateSplit(parameter, 1);

    /// <summary>
    /// Updates <paramref name="parameter"/> in <paramref name="parts"/> contiguous ranges of its elements, one per
    /// thread. Not the matrix kernels' column slices: a row of a matrix whose width is not a multiple of 16 floats
    /// ends mid cache line, so two cores updating neighbouring column slices of every row would share a line per row
    /// and array (784 rows x 4 arrays for the tutorial's first weight), which made the split update slower than one
    /// thread. Contiguous ranges share at most one line per array. Every element's update is independent and uses
    /// correctly rounded operations, so the result does not depend on <paramref name="parts"/>.
    /// </summary>
    internal override void UpdateSplit(Parameter parameter, int parts)
    {
        float[][] slots = SlotsFor(parameter);
        float[] m = slots[0], v = slots[1];
        if (parts <= 1)
        {
            Update(parameter.Value, parameter.Gradient, m, v, 0, parameter.Length);
            return;
        }
        AdamJob job = _job ??= new AdamJob(this);
        job.Set(parameter, m, v);
        try
        {
            Kernels.KernelWorkers.RunShared(job, parts);
        }
        finally
        {
            job.Set(null, null, null);
        }
    }

    /// <inheritdoc/>
    public override bool SupportsColumnUpdates => true;

    /// <inheritdoc/>
    public override void PrepareColumnUpdates(Parameter parameter)
    {
        base.PrepareColumnUpdates(parameter);
        // The split update's job, made now rather than on the first split, which the split controller may try only
        // after many single-threaded steps: the steady state allocates nothing.
        _job ??= new AdamJob(this);
    }

    /// <inheritdoc/>
    public override void UpdateColumns(Parameter parameter, int firstColumn, int columnCount)
    {
        CheckColumns(parameter, firstColumn, columnCount);
        float[][] slots = PreparedSlots(parameter);
        // Every column of a row-major matrix is one contiguous run: one pass, not a row at a time. (A narrow weight,
        // 300x10 behind a 10-class output, would otherwise run rows of 10 values, shorter than a vector, in scalar code.)
        if (columnCount == parameter.Columns)
            Update(parameter.Value, parameter.Gradient, slots[0], slots[1], 0, parameter.Length);
        else
            Update(parameter.Value, parameter.Gradient, slots[0], slots[1], firstColumn, columnCount, parameter.Rows, parameter.Columns);
    }

    internal override bool SupportsRangeUpdates => true;

    internal override void UpdateRange(Parameter parameter, int start, int count)
    {
        float[][] slots = PreparedSlots(parameter);
        Update(parameter.Value, parameter.Gradient, slots[0], slots[1], start, count);
    }

    /// <summary>One contiguous range of a parameter's elements per part, cut into chunks another thread may take over
    /// when a part's owner is late.</summary>
    private sealed class AdamJob(Adam owner) : Kernels.KernelJob
    {
        private const int ChunkElements = 16 * 1024;

        private Parameter? _parameter;
        private float[]? _m;
        private float[]? _v;

        public void Set(Parameter? parameter, float[]? m, float[]? v)
        {
            _parameter = parameter;
            _m = m;
            _v = v;
        }

        private (int Start, int End) Part(int part, int parts) =>
            (Kernels.KernelThreads.SliceStart(_parameter!.Length, part, parts), Kernels.KernelThreads.SliceStart(_parameter!.Length, part + 1, parts));

        public override int ChunkCount(int part, int parts)
        {
            (int start, int end) = Part(part, parts);
            return Math.Clamp((end - start + ChunkElements - 1) / ChunkElements, 1, 1024);
        }

        public override void RunChunk(int part, int parts, int chunk)
        {
            (int start, int end) = Part(part, parts);
            int chunks = ChunkCount(part, parts);
            // Chunk boundaries on multiples of 16 elements, like the part boundaries.
            int size = (end - start + chunks - 1) / chunks + 15 & ~15;
            int first = Math.Min(end, start + chunk * size), last = chunk == chunks - 1 ? end : Math.Min(end, first + size);
            Parameter p = _parameter!;
            if (first < last)
                owner.Update(p.Value, p.Gradient, _m!, _v!, first, last - first);
        }
    }

    /// <summary>Updates elements [<paramref name="start"/>, start + <paramref name="count"/>) in one fused pass.</summary>
    internal void Update(float[] weights, float[] gradients, float[] m, float[] v, int start, int count) =>
        Update(weights, gradients, m, v, start, count, 1, count);

    /// <summary>Updates <paramref name="count"/> elements from <paramref name="start"/> in each of <paramref name="rows"/>
    /// rows <paramref name="rowStride"/> apart: one column slice of a row-major matrix, in one fused pass per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Update(float[] weights, float[] gradients, float[] m, float[] v, int start, int count, int rows, int rowStride)
    {
        float b1 = Beta1, b2 = Beta2, oneMinusB1 = 1f - Beta1, oneMinusB2 = 1f - Beta2, eps = Epsilon, alpha = _stepSize;
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float g = ref MemoryMarshal.GetArrayDataReference(gradients);
        ref float mm = ref MemoryMarshal.GetArrayDataReference(m);
        ref float vv = ref MemoryMarshal.GetArrayDataReference(v);
        for (int row = 0, rowStart = start; row < rows; row++, rowStart += rowStride)
        {
            int i = rowStart, end = rowStart + count;
            if (Vector512.IsHardwareAccelerated)
            {
                i = UpdateVectors<Kernels.Simd512, Vector512<float>>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha);
                if (i < end && count >= Vector512<float>.Count)
                {
                    // Tail: one vector ending at the last element, whose leading lanes (already updated) are
                    // written back unchanged. Column slices of a matrix leave such a tail on every row, and a
                    // scalar sqrt and divide per element there would cost more than the whole vector pass.
                    int last = end - Vector512<float>.Count;
                    var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - last)).AsSingle();
                    var gi = Vector512.LoadUnsafe(ref g, (nuint)last);
                    var mOld = Vector512.LoadUnsafe(ref mm, (nuint)last);
                    var vOld = Vector512.LoadUnsafe(ref vv, (nuint)last);
                    var wOld = Vector512.LoadUnsafe(ref w, (nuint)last);
                    var mi = Kernels.MultiplyAdd.Vector(Vector512.Create(b1), mOld, Vector512.Create(oneMinusB1) * gi);
                    var vi = Kernels.MultiplyAdd.Vector(Vector512.Create(b2), vOld, Vector512.Create(oneMinusB2) * gi * gi);
                    var wi = wOld - Vector512.Create(alpha) * mi / (Vector512.Sqrt(vi) + Vector512.Create(eps));
                    Vector512.ConditionalSelect(fresh, mi, mOld).StoreUnsafe(ref mm, (nuint)last);
                    Vector512.ConditionalSelect(fresh, vi, vOld).StoreUnsafe(ref vv, (nuint)last);
                    Vector512.ConditionalSelect(fresh, wi, wOld).StoreUnsafe(ref w, (nuint)last);
                    i = end;
                }
            }
            else if (Vector256.IsHardwareAccelerated)
                i = UpdateVectors<Kernels.Simd256, Vector256<float>>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha);
            else if (Vector128.IsHardwareAccelerated)
                i = UpdateVectors<Kernels.Simd128, Vector128<float>>(ref w, ref g, ref mm, ref vv, i, end, b1, b2, eps, alpha);
            for (; i < end; i++)
            {
                float gi = Unsafe.Add(ref g, i);
                float mi = Kernels.MultiplyAdd.Scalar(b1, Unsafe.Add(ref mm, i), oneMinusB1 * gi);
                float vi = Kernels.MultiplyAdd.Scalar(b2, Unsafe.Add(ref vv, i), oneMinusB2 * gi * gi);
                Unsafe.Add(ref mm, i) = mi;
                Unsafe.Add(ref vv, i) = vi;
                Unsafe.Add(ref w, i) -= alpha * mi / (MathF.Sqrt(vi) + eps);
            }
        }
    }

    /// <summary>The update on whole vectors from <paramref name="i"/> while one fits before <paramref name="end"/>,
    /// written once for every width; returns the first element it left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UpdateVectors<TOps, TVector>(ref float w, ref float g, ref float m, ref float v, int i, int end,
        float b1, float b2, float eps, float alpha)
        where TOps : struct, Kernels.IVectorOps<TVector>
        where TVector : struct
    {
        TVector vb1 = TOps.Broadcast(b1), vb2 = TOps.Broadcast(b2);
        TVector v1mb1 = TOps.Broadcast(1f - b1), v1mb2 = TOps.Broadcast(1f - b2);
        TVector veps = TOps.Broadcast(eps), valpha = TOps.Broadcast(alpha);
        int width = TOps.Width;
        for (; i <= end - width; i += width)
        {
            // m = b1·m + (1-b1)·g; v = b2·v + ((1-b2)·g)·g; w -= (α·m) / (√v + ε): the scalar tail's order.
            TVector gi = TOps.Load(ref g, (nuint)i);
            TVector mi = TOps.MultiplyAdd(vb1, TOps.Load(ref m, (nuint)i), TOps.Multiply(v1mb1, gi));
            TVector vi = TOps.MultiplyAdd(vb2, TOps.Load(ref v, (nuint)i), TOps.Multiply(TOps.Multiply(v1mb2, gi), gi));
            TOps.Store(mi, ref m, (nuint)i);
            TOps.Store(vi, ref v, (nuint)i);
            TVector wi = TOps.Subtract(TOps.Load(ref w, (nuint)i),
                TOps.Divide(TOps.Multiply(valpha, mi), TOps.Add(TOps.Sqrt(vi), veps)));
            TOps.Store(wi, ref w, (nuint)i);
        }
        return i;
    }
}
