using System.Runtime.CompilerServices;

namespace SourceNet.Kernels;

/// <summary>What the direct convolution kernel reads and writes for one chunk of samples.</summary>
/// <remarks>Holds raw pointers: valid only while the caller keeps the spans pinned.</remarks>
internal unsafe struct DirectConvArgs
{
    public Conv2DGeometry G;
    public ConvPlan Plan;
    /// <summary>The chunk's padded inputs.</summary>
    public float* Padded;
    /// <summary>[PatchLength, Filters].</summary>
    public float* Weight;
    /// <summary>Null for no bias.</summary>
    public float* Bias;
    /// <summary>The chunk's first output row.</summary>
    public float* Output;
}

// The direct convolution: an implicit GEMM that reads each output position's window in place from the padded
// input instead of copying it into a patch. Output rows are (sample, oy, ox) positions, columns are filters, and
// step p = (ky, kx, c) runs in the same order as the im2col product's k, so both methods compute each output as
// the same chain of fused multiply-adds from its bias (tested bit for bit). Within one kernel row the KW·Cin
// values of a window are contiguous in the padded input and the matching weight rows are contiguous too, so the
// inner loop is the GEMM tile's loop; only the jump to the next kernel row differs.
public static partial class Conv2D
{
    /// <summary>Output rows [<paramref name="row0"/>, <paramref name="row1"/>) of the chunk, every filter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DirectRows<TActivation>(KernelIsa isa, in DirectConvArgs a, int row0, int row1)
        where TActivation : struct, IActivation
    {
        int filters = a.G.Filters;
        // The widest path whose vector fits the filter count (the tile needs at least one whole vector).
        if (isa >= KernelIsa.Vector512 && filters >= 16)
            DirectVectors<Simd512, System.Runtime.Intrinsics.Vector512<float>, TActivation>(a, row0, row1);
        else if (isa >= KernelIsa.Vector256 && filters >= 8)
            DirectVectors<Simd256, System.Runtime.Intrinsics.Vector256<float>, TActivation>(a, row0, row1);
        else if (isa >= KernelIsa.Vector128 && filters >= 4)
            DirectVectors<Simd128, System.Runtime.Intrinsics.Vector128<float>, TActivation>(a, row0, row1);
        else
            DirectScalar<TActivation>(a, row0, row1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectScalar<TActivation>(in DirectConvArgs a, int row0, int row1)
        where TActivation : struct, IActivation
    {
        int filters = a.G.Filters, run = a.G.KernelWidth * a.G.InputChannels;
        nint rowStride = (nint)a.Plan.PaddedWidth * a.G.InputChannels;
        for (int r = row0; r < row1; r++)
        {
            float* window = a.Padded + WindowOffset(a.G, a.Plan, r);
            float* output = a.Output + (nint)r * filters;
            for (int f = 0; f < filters; f++)
            {
                float sum = a.Bias != null ? a.Bias[f] : 0f;
                float* w = a.Weight + f;
                for (int ky = 0; ky < a.G.KernelHeight; ky++)
                {
                    float* x = window + ky * rowStride;
                    for (int q = 0; q < run; q++)
                    {
                        sum = MultiplyAdd.Scalar(x[q], *w, sum);
                        w += filters;
                    }
                }
                output[f] = Apply<TActivation>.Forward(sum);
            }
        }
    }

    /// <summary>Column panels of <see cref="IGemmVectorOps{TVector}.TileVectors"/> vectors; the last vector of the
    /// last panel is shifted left to end at the last filter (its overlap is recomputed identically).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectVectors<TOps, TVector, TActivation>(in DirectConvArgs a, int row0, int row1)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
    {
        int width = TOps.Width, n = a.G.Filters, j = 0;
        if (TOps.TileVectors == 4)
        {
            for (; j + 4 * width <= n; j += 4 * width)
                DirectPanel<TOps, TVector, TActivation, Count4>(a, row0, row1, j, 3 * width);
        }
        else
        {
            for (; j + 2 * width <= n; j += 2 * width)
                DirectPanel<TOps, TVector, TActivation, Count2>(a, row0, row1, j, width);
        }
        int remaining = n - j;
        if (remaining == 0)
            return;
        nint last = n - width - j;
        int vectors = (remaining + width - 1) / width;
        if (vectors == 1)
            DirectPanel<TOps, TVector, TActivation, Count1>(a, row0, row1, j + (int)last, 0);
        else if (vectors == 2 || TOps.TileVectors == 2)
            DirectPanel<TOps, TVector, TActivation, Count2>(a, row0, row1, j, last);
        else if (vectors == 3)
            DirectPanel<TOps, TVector, TActivation, Count3>(a, row0, row1, j, last);
        else
            DirectPanel<TOps, TVector, TActivation, Count4>(a, row0, row1, j, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectPanel<TOps, TVector, TActivation, TVectors>(in DirectConvArgs a, int row0, int row1, int j, nint last)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        // Window offsets come from a cursor stepped position by position: computing them from the row number takes
        // two integer divisions per row, which cost a third of a small layer's tile (25 steps of 12 FMAs).
        nint* offsets = stackalloc nint[6];
        var cursor = new WindowCursor(a.G, a.Plan, row0);
        int r = row0;
        for (; r + 6 <= row1; r += 6)
        {
            cursor.Fill(offsets, 6);
            DirectTile<TOps, TVector, TActivation, Count6, TVectors>(a, r, j, last, offsets);
        }
        cursor.Fill(offsets, row1 - r);
        switch (row1 - r)
        {
            case 1: DirectTile<TOps, TVector, TActivation, Count1, TVectors>(a, r, j, last, offsets); break;
            case 2: DirectTile<TOps, TVector, TActivation, Count2, TVectors>(a, r, j, last, offsets); break;
            case 3: DirectTile<TOps, TVector, TActivation, Count3, TVectors>(a, r, j, last, offsets); break;
            case 4: DirectTile<TOps, TVector, TActivation, Count4, TVectors>(a, r, j, last, offsets); break;
            case 5: DirectTile<TOps, TVector, TActivation, Count5, TVectors>(a, r, j, last, offsets); break;
        }
    }

    /// <summary>The window offset (see <see cref="WindowOffset"/>) of consecutive output rows, without divisions.</summary>
    internal unsafe struct WindowCursor
    {
        private readonly nint _sampleStride, _rowStride, _step;
        private readonly int _outputWidth, _outputHeight;
        private int _ox, _oy;
        private nint _sampleBase, _offset;

        public WindowCursor(in Conv2DGeometry g, in ConvPlan plan, int row)
        {
            _sampleStride = plan.PaddedElements;
            _rowStride = (nint)g.StrideY * plan.PaddedWidth * g.InputChannels;
            _step = (nint)g.StrideX * g.InputChannels;
            _outputWidth = g.OutputWidth;
            _outputHeight = g.OutputHeight;
            int sample = row / plan.Positions, position = row - sample * plan.Positions;
            _oy = position / g.OutputWidth;
            _ox = position - _oy * g.OutputWidth;
            _sampleBase = sample * _sampleStride;
            _offset = WindowOffset(g, plan, row);
        }

        /// <summary>Writes the next <paramref name="count"/> rows' offsets and moves past them.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Fill(nint* offsets, int count)
        {
            for (int i = 0; i < count; i++)
                offsets[i] = Next();
        }

        /// <summary>The current row's offset; moves to the next row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public nint Next()
        {
            nint current = _offset;
            _offset += _step;
            if (++_ox < _outputWidth)
                return current;
            _ox = 0;
            if (++_oy == _outputHeight)
            {
                _oy = 0;
                _sampleBase += _sampleStride;
            }
            _offset = _sampleBase + _oy * _rowStride;
            return current;
        }
    }

    /// <summary>Rows [r, r+TRows) x TVectors vectors from filter j (the last of two or more at j + last): the
    /// GEMM tile of <c>Gemm.TileVectors</c>, with each row's A read from its own window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectTile<TOps, TVector, TActivation, TRows, TVectors>(in DirectConvArgs a, int r, int j, nint last, nint* offsets)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TRows : struct, ITileCount
        where TVectors : struct, ITileCount
    {
        int rows = TRows.Value, vectors = TVectors.Value, width = TOps.Width;
        nint o1 = vectors > 2 ? width : last;
        nint o2 = vectors > 3 ? 2 * width : last;

        TVector z0 = default, z1 = default, z2 = default, z3 = default;
        if (a.Bias != null)
        {
            z0 = TOps.Load(a.Bias + j);
            if (vectors > 1) z1 = TOps.Load(a.Bias + j + o1);
            if (vectors > 2) z2 = TOps.Load(a.Bias + j + o2);
            if (vectors > 3) z3 = TOps.Load(a.Bias + j + last);
        }
        TVector c00 = z0, c01 = z1, c02 = z2, c03 = z3;
        TVector c10 = z0, c11 = z1, c12 = z2, c13 = z3;
        TVector c20 = z0, c21 = z1, c22 = z2, c23 = z3;
        TVector c30 = z0, c31 = z1, c32 = z2, c33 = z3;
        TVector c40 = z0, c41 = z1, c42 = z2, c43 = z3;
        TVector c50 = z0, c51 = z1, c52 = z2, c53 = z3;

        // Rows past the tile's height alias row 0: never read, but the pointers stay valid.
        float* a0 = a.Padded + offsets[0];
        float* a1 = rows > 1 ? a.Padded + offsets[1] : a0;
        float* a2 = rows > 2 ? a.Padded + offsets[2] : a0;
        float* a3 = rows > 3 ? a.Padded + offsets[3] : a0;
        float* a4 = rows > 4 ? a.Padded + offsets[4] : a0;
        float* a5 = rows > 5 ? a.Padded + offsets[5] : a0;
        nint ldb = a.G.Filters;
        nint rowStride = (nint)a.Plan.PaddedWidth * a.G.InputChannels;
        int run = a.G.KernelWidth * a.G.InputChannels;
        float* b = a.Weight + j;
        for (int ky = a.G.KernelHeight; ky > 0; ky--)
        {
            for (nint q = 0; q < run; q++)
            {
                TVector b0 = TOps.Load(b);
                TVector b1 = vectors > 1 ? TOps.Load(b + o1) : default;
                TVector b2 = vectors > 2 ? TOps.Load(b + o2) : default;
                TVector b3 = vectors > 3 ? TOps.Load(b + last) : default;
                TVector x = TOps.Broadcast(a0[q]);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                if (vectors > 1) c01 = TOps.MultiplyAdd(x, b1, c01);
                if (vectors > 2) c02 = TOps.MultiplyAdd(x, b2, c02);
                if (vectors > 3) c03 = TOps.MultiplyAdd(x, b3, c03);
                if (rows > 1)
                {
                    x = TOps.Broadcast(a1[q]);
                    c10 = TOps.MultiplyAdd(x, b0, c10);
                    if (vectors > 1) c11 = TOps.MultiplyAdd(x, b1, c11);
                    if (vectors > 2) c12 = TOps.MultiplyAdd(x, b2, c12);
                    if (vectors > 3) c13 = TOps.MultiplyAdd(x, b3, c13);
                }
                if (rows > 2)
                {
                    x = TOps.Broadcast(a2[q]);
                    c20 = TOps.MultiplyAdd(x, b0, c20);
                    if (vectors > 1) c21 = TOps.MultiplyAdd(x, b1, c21);
                    if (vectors > 2) c22 = TOps.MultiplyAdd(x, b2, c22);
                    if (vectors > 3) c23 = TOps.MultiplyAdd(x, b3, c23);
                }
                if (rows > 3)
                {
                    x = TOps.Broadcast(a3[q]);
                    c30 = TOps.MultiplyAdd(x, b0, c30);
                    if (vectors > 1) c31 = TOps.MultiplyAdd(x, b1, c31);
                    if (vectors > 2) c32 = TOps.MultiplyAdd(x, b2, c32);
                    if (vectors > 3) c33 = TOps.MultiplyAdd(x, b3, c33);
                }
                if (rows > 4)
                {
                    x = TOps.Broadcast(a4[q]);
                    c40 = TOps.MultiplyAdd(x, b0, c40);
                    if (vectors > 1) c41 = TOps.MultiplyAdd(x, b1, c41);
                    if (vectors > 2) c42 = TOps.MultiplyAdd(x, b2, c42);
                    if (vectors > 3) c43 = TOps.MultiplyAdd(x, b3, c43);
                }
                if (rows > 5)
                {
                    x = TOps.Broadcast(a5[q]);
                    c50 = TOps.MultiplyAdd(x, b0, c50);
                    if (vectors > 1) c51 = TOps.MultiplyAdd(x, b1, c51);
                    if (vectors > 2) c52 = TOps.MultiplyAdd(x, b2, c52);
                    if (vectors > 3) c53 = TOps.MultiplyAdd(x, b3, c53);
                }
                b += ldb;
            }
            // Next kernel row: the windows jump one padded image row; the weights simply continue.
            a0 += rowStride; a1 += rowStride; a2 += rowStride; a3 += rowStride; a4 += rowStride; a5 += rowStride;
        }

        nint ldc = a.G.Filters;
        float* c = a.Output + (nint)r * ldc + j;
        StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c00, c01, c02, c03);
        if (rows > 1) { c += ldc; StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c10, c11, c12, c13); }
        if (rows > 2) { c += ldc; StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c20, c21, c22, c23); }
        if (rows > 3) { c += ldc; StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c30, c31, c32, c33); }
        if (rows > 4) { c += ldc; StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c40, c41, c42, c43); }
        if (rows > 5) { c += ldc; StoreDirect<TOps, TVector, TActivation, TVectors>(c, o1, o2, last, c50, c51, c52, c53); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreDirect<TOps, TVector, TActivation, TVectors>(float* c, nint o1, nint o2, nint o3,
        TVector v0, TVector v1, TVector v2, TVector v3)
        where TOps : struct, IGemmVectorOps<TVector>
        where TVector : struct
        where TActivation : struct, IActivation
        where TVectors : struct, ITileCount
    {
        TOps.Store(TOps.Forward<TActivation>(v0), c);
        if (TVectors.Value > 1) TOps.Store(TOps.Forward<TActivation>(v1), c + o1);
        if (TVectors.Value > 2) TOps.Store(TOps.Forward<TActivation>(v2), c + o2);
        if (TVectors.Value > 3) TOps.Store(TOps.Forward<TActivation>(v3), c + o3);
    }
}
