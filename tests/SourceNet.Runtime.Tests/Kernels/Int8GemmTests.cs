using SourceNet.Kernels;

namespace SourceNet.Runtime.Tests.Kernels;

/// <summary>
/// Every int8 path against the scalar path and against a naive sum over the unpacked weights: integer sums, so
/// equal means bit for bit. Paths whose instructions this machine lacks (AVX-VNNI, AVX-512) report Skipped.
/// </summary>
public class Int8GemmTests
{
    public static TheoryData<int> Paths() => new() { (int)Int8Path.Scalar, (int)Int8Path.Avx2, (int)Int8Path.AvxVnni, (int)Int8Path.Avx512, (int)Int8Path.Vnni512 };

    public static TheoryData<int, int, int, int> PathsAndShapes()
    {
        var data = new TheoryData<int, int, int, int>();
        (int M, int K, int N)[] shapes =
        [
            (1, 1, 1), (1, 784, 300), (3, 5, 7), (4, 4, 16), (5, 17, 17), (9, 800, 64), (7, 25, 32), (2, 3, 33), (13, 301, 10),
        ];
        foreach (int path in new[] { Int8Path.Scalar, Int8Path.Avx2, Int8Path.AvxVnni, Int8Path.Avx512, Int8Path.Vnni512 }.Select(p => (int)p))
        {
            foreach ((int m, int k, int n) in shapes)
                data.Add(path, m, k, n);
        }
        return data;
    }

    private static (byte[] A, sbyte[] W) Random(int m, int lda, int k, int n, int seed, bool extremes = false)
    {
        var random = new Random(seed);
        var a = new byte[(m - 1) * lda + ((k + 3) & ~3)];
        // Bytes past k in each row are garbage on purpose: they meet zero weights and must change nothing.
        for (int i = 0; i < a.Length; i++)
            a[i] = extremes ? (byte)255 : (byte)random.Next(256);
        var w = new sbyte[k * n];
        for (int i = 0; i < w.Length; i++)
            w[i] = extremes ? (sbyte)(i % 2 == 0 ? Int8Gemm.WeightLimit : -Int8Gemm.WeightLimit) : (sbyte)random.Next(-Int8Gemm.WeightLimit, Int8Gemm.WeightLimit + 1);
        return (a, w);
    }

    /// <summary>Σ_k a·w in 64-bit integers from the unpacked weights: independent of the packing.</summary>
    private static long[] Naive(int m, byte[] a, int lda, sbyte[] w, int k, int n)
    {
        var c = new long[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int t = 0; t < k; t++)
                    sum += a[i * lda + t] * (long)w[t * n + j];
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    [SkippableTheory]
    [MemberData(nameof(PathsAndShapes))]
    public void Every_path_gives_the_naive_sums(int path, int m, int k, int n)
    {
        var isa = (Int8Path)path;
        Skip.IfNot(Int8Gemm.IsSupported(isa), $"{isa} needs instructions this machine does not have");
        int lda = ((k + 3) & ~3) + 8;
        (byte[] a, sbyte[] w) = Random(m, lda, k, n, seed: m * 1000 + k * 10 + n);
        var weights = new Int8Weights(w, k, n);
        int ldc = weights.PaddedColumns + 3;
        var c = new int[(m - 1) * ldc + weights.PaddedColumns];
        var reference = new int[c.Length];
        Int8Gemm.MultiplyAt(isa, m, a, lda, weights, c, ldc);
        Int8Gemm.MultiplyAt(Int8Path.Scalar, m, a, lda, weights, reference, ldc);

        long[] naive = Naive(m, a, lda, w, k, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < weights.PaddedColumns; j++)
            {
                Assert.Equal(reference[i * ldc + j], c[i * ldc + j]);
                Assert.Equal(j < n ? naive[i * n + j] : 0, c[i * ldc + j]);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(PathsAndShapes))]
    public void Skipping_zero_groups_gives_the_same_sums(int path, int m, int k, int n)
    {
        var isa = (Int8Path)path;
        Skip.IfNot(Int8Gemm.IsSupported(isa), $"{isa} needs instructions this machine does not have");
        int lda = (k + 3) & ~3;
        (byte[] a, sbyte[] w) = Random(m, lda, k, n, seed: m + k + n);
        // Mostly zero bytes, in runs, like MNIST's background: whole groups (and whole tiles of groups) are zero.
        var random = new Random(k);
        for (int i = 0; i < a.Length; i++)
        {
            if ((i / 6 + random.Next(3)) % 4 != 0)
                a[i] = 0;
        }
        var weights = new Int8Weights(w, k, n);
        int ldc = weights.PaddedColumns;
        var sparse = new int[(m - 1) * ldc + ldc];
        var dense = new int[sparse.Length];
        Int8Gemm.MultiplyAt(isa, m, a, lda, weights, sparse, ldc, sparse: true);
        Int8Gemm.MultiplyAt(Int8Path.Scalar, m, a, lda, weights, dense, ldc);
        Assert.Equal(dense, sparse);
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void The_largest_bytes_and_weights_do_not_saturate(int path)
    {
        var isa = (Int8Path)path;
        Skip.IfNot(Int8Gemm.IsSupported(isa), $"{isa} needs instructions this machine does not have");
        // 255 · 63 on every product, alternating in sign and all of one sign down a column's pairs: the int16 pair
        // sums of vpmaddubsw would saturate if the weights were allowed 127.
        const int m = 5, k = 64, n = 17, lda = 64;
        var a = Enumerable.Repeat((byte)255, m * lda).ToArray();
        var w = new sbyte[k * n];
        for (int t = 0; t < k; t++)
        {
            for (int j = 0; j < n; j++)
                w[t * n + j] = (sbyte)(j % 2 == 0 ? Int8Gemm.WeightLimit : -Int8Gemm.WeightLimit);
        }
        var weights = new Int8Weights(w, k, n);
        var c = new int[m * weights.PaddedColumns];
        Int8Gemm.MultiplyAt(isa, m, a, lda, weights, c, weights.PaddedColumns);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
                Assert.Equal((j % 2 == 0 ? 1 : -1) * 255 * Int8Gemm.WeightLimit * k, c[i * weights.PaddedColumns + j]);
        }
    }

    [Fact]
    public void Best_is_supported_and_at_least_avx2_where_avx2_runs()
    {
        Assert.True(Int8Gemm.IsSupported(Int8Gemm.Best));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.NotEqual(Int8Path.Scalar, Int8Gemm.Best);
    }

    [Fact]
    public void Short_buffers_are_refused_with_the_sizes()
    {
        var weights = new Int8Weights(new sbyte[8 * 3], 8, 3);
        var error = Assert.Throws<ArgumentException>(() => Int8Gemm.Multiply(2, new byte[10], 8, weights, new int[32], 16));
        Assert.Contains("need 16 bytes; got 10", error.Message);
        error = Assert.Throws<ArgumentException>(() => Int8Gemm.Multiply(2, new byte[16], 4, weights, new int[32], 16));
        Assert.Contains("need 8 readable", error.Message);
    }

    [Fact]
    public void Packing_reads_back_every_weight_and_sums_each_column()
    {
        var random = new Random(5);
        const int k = 13, n = 21;
        var w = new sbyte[k * n];
        for (int i = 0; i < w.Length; i++)
            w[i] = (sbyte)random.Next(-63, 64);
        var weights = new Int8Weights(w, k, n);
        for (int j = 0; j < n; j++)
        {
            int sum = 0;
            for (int t = 0; t < k; t++)
            {
                Assert.Equal(w[t * n + j], weights[t, j]);
                sum += w[t * n + j];
            }
            Assert.Equal(sum, weights.ColumnSums[j]);
        }
        // Padding rows and columns are zero.
        Assert.Equal(0, weights[k, 0]);
        Assert.Equal(0, weights[0, n]);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(4, 7)]
    [InlineData(9, 200)]
    [InlineData(14, 1)]
    public void Skippable_steps_are_the_all_zero_groups_of_each_tile(int m, int groups)
    {
        var random = new Random(m * 100 + groups);
        int lda = groups * 4 + 4;
        var a = new byte[(m - 1) * lda + groups * 4];
        for (int i = 0; i < a.Length; i++)
            a[i] = random.Next(3) == 0 ? (byte)random.Next(1, 256) : (byte)0;
        // A group zero in every row of the first tile (or of the single row).
        for (int r = 0; r < Math.Min(4, m); r++)
            Array.Clear(a, r * lda, 4);
        long skippable = 0, steps = 0;
        int tiles = m / 4;
        for (int i = 0; i < m; i++)
        {
            bool inTile = i < tiles * 4;
            if (inTile && i % 4 != 0)
                continue;
            int rows = inTile ? 4 : 1;
            for (int g = 0; g < groups; g++)
            {
                bool zero = true;
                for (int r = 0; r < rows; r++)
                {
                    for (int t = 0; t < 4; t++)
                        zero &= a[(i + r) * lda + g * 4 + t] == 0;
                }
                skippable += zero ? 1 : 0;
                steps++;
            }
        }
        Assert.Equal((skippable, steps), Int8Gemm.CountSkippable(m, a, lda, groups));
        Assert.True(skippable > 0);
    }
}
