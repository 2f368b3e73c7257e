using System.Buffers.Binary;
using System.IO.Compression;
using CsCheck;
using SourceNet.Checkpoints;
using SourceNet.Data;
using SourceNet.Interop.Tests.Networks;

namespace SourceNet.Interop.Tests.Properties;

/// <summary>
/// Random bytes, and random mutations of valid files, thrown at every loader (issue 19): SafeTensors.Load,
/// Checkpoint.Load and the IDX reader. Nothing but the documented exception escapes, and a failed load leaves
/// the network (and the optimizer) exactly as it was. Checkpoint mutations are half the time re-sealed
/// (length and CRC fixed up) so that they reach the parser behind the checksum.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultIterations"/> cases per property (a few seconds in all). A soak run sets
/// <c>SOURCENET_PROPERTY_ITERATIONS</c>, e.g. <c>SOURCENET_PROPERTY_ITERATIONS=200000 dotnet test
/// tests/SourceNet.Interop.Tests -c Release --filter FullyQualifiedName~HostileInputProperties</c>.
/// A failure prints CsCheck's seed; <c>CsCheck_Seed=...</c> replays it.
/// </remarks>
public sealed class HostileInputProperties : IDisposable
{
    private const int DefaultIterations = 1000;
    private readonly CaseFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Where the cases are written, thousands of times: memory (/dev/shm) where there is one, so the disk does not set the pace.</summary>
    private sealed class CaseFolder : IDisposable
    {
        private readonly string _path = System.IO.Path.Combine(
            Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath(), "sourcenet-properties-" + Guid.NewGuid().ToString("N"));

        public CaseFolder() => Directory.CreateDirectory(_path);

        public string File(string name) => System.IO.Path.Combine(_path, name);

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }

    private static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCENET_PROPERTY_ITERATIONS"), out long n) && n > 0 ? n : DefaultIterations;

    /// <summary>One edit of a file: a kind, where (a fraction of the length), and bytes to use.</summary>
    private readonly record struct Mutation(int Kind, double At, byte[] Bytes);

    private static readonly Gen<Mutation> s_mutation =
        Gen.Select(Gen.Int[0, 5], Gen.Double[0, 1], Gen.Byte.Array[1, 12], (kind, at, bytes) => new Mutation(kind, at, bytes));

    private static readonly Gen<Mutation[]> s_mutations = s_mutation.Array[1, 4];

    private static readonly int[] s_interesting = [0, -1, 1, int.MaxValue, int.MinValue, 1 << 30, 255, 65536];

    private static byte[] Apply(byte[] file, Mutation[] mutations)
    {
        var bytes = new List<byte>(file);
        foreach (Mutation m in mutations)
        {
            int at = Math.Min(bytes.Count, (int)(m.At * bytes.Count));
            switch (m.Kind)
            {
                case 0 when at < bytes.Count: // flip one bit
                    bytes[at] ^= (byte)(1 << (m.Bytes[0] & 7));
                    break;
                case 1: // overwrite
                    for (int k = 0; k < m.Bytes.Length && at + k < bytes.Count; k++) bytes[at + k] = m.Bytes[k];
                    break;
                case 2: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3: // insert
                    bytes.InsertRange(at, m.Bytes);
                    break;
                case 4: // delete a few bytes
                    bytes.RemoveRange(at, Math.Min(m.Bytes.Length, bytes.Count - at));
                    break;
                default: // an int32 that tends to break length and count checks
                    int value = s_interesting[m.Bytes[0] % s_interesting.Length];
                    if (at + 4 <= bytes.Count)
                    {
                        byte[] little = BitConverter.GetBytes(value);
                        if ((m.Bytes[0] & 0x80) != 0) Array.Reverse(little); // IDX is big-endian
                        for (int k = 0; k < 4; k++) bytes[at + k] = little[k];
                    }
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Fixes a mutated checkpoint's length field and CRC, so the body's own checks are what refuse it.</summary>
    private static byte[] Reseal(byte[] bytes)
    {
        if (bytes.Length < 24)
            return bytes;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    // ---- Checkpoint.Load -------------------------------------------------------------------------------

    /// <summary>A valid checkpoint of <see cref="SmallCnn"/> after a training step: parameters, Adam's moments, metadata, a dropout generator.</summary>
    private byte[] ValidCheckpoint(out string path)
    {
        path = _temp.File("valid.sncp");
        var model = new SmallCnn(seed: 3, maxBatchSize: 2);
        var adam = new Adam(1e-3f);
        model.TrainStep(new float[2 * SmallCnn.InputCount].Select((_, i) => (i % 7) * 0.1f).ToArray(), [0, 2], adam);
        Checkpoint.Save(path, model, adam, new CheckpointMetadata { { "epoch", 3 }, { "note", "hostile" } });
        return File.ReadAllBytes(path);
    }

    /// <summary>Everything a load can change: parameters, the dropout generator, Adam's step and moments.</summary>
    private static string State(SmallCnn model, Adam adam)
    {
        var text = new System.Text.StringBuilder();
        foreach (Parameter p in model.Parameters)
        {
            text.Append(Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.AsSpan())));
            for (int s = 0; s < adam.SlotNames.Count; s++)
                if (adam.TryGetSlot(p, s, out ReadOnlySpan<float> slot))
                    text.Append(Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(slot)));
        }
        text.Append(adam.StepCount);
        text.Append(Convert.ToHexString(model.Drop.Random!.GetState()));
        return text.ToString();
    }

    /// <summary>One network and optimizer per property, holding the valid checkpoint's state (every part present, so a partial restore would show).</summary>
    private sealed class Target(string validPath)
    {
        public SmallCnn Model { get; } = new(seed: 9, maxBatchSize: 2);

        public Adam Adam { get; } = new(1e-3f);

        public string Reset()
        {
            Checkpoint.Load(validPath, Model, Adam);
            return State(Model, Adam);
        }
    }

    private void CheckpointLoadRefusesOrLoads(byte[] bytes, Target target, ref string state)
    {
        string path = _temp.File("case.sncp");
        File.WriteAllBytes(path, bytes);
        try
        {
            Checkpoint.Load(path, target.Model, target.Adam);
            state = target.Reset(); // a mutation that still loads (a changed value, re-sealed): back to the valid state
        }
        catch (CheckpointFormatException)
        {
            Assert.Equal(state, State(target.Model, target.Adam));
        }
    }

    [Fact]
    public void Checkpoint_Load_refuses_random_bytes_with_its_exception_only()
    {
        ValidCheckpoint(out string valid);
        var target = new Target(valid);
        string state = target.Reset();
        Gen.Byte.Array[0, 600].Sample(bytes => CheckpointLoadRefusesOrLoads(bytes, target, ref state), iter: Iterations, threads: 1);
    }

    [Fact]
    public void Checkpoint_Load_refuses_mutated_checkpoints_and_changes_nothing()
    {
        byte[] file = ValidCheckpoint(out string valid);
        var target = new Target(valid);
        string state = target.Reset();
        Gen.Select(s_mutations, Gen.Bool).Sample((mutations, reseal) =>
        {
            byte[] bytes = Apply(file, mutations);
            CheckpointLoadRefusesOrLoads(reseal ? Reseal(bytes) : bytes, target, ref state);
        }, iter: Iterations, threads: 1);
    }

    // ---- SafeTensors.Load ------------------------------------------------------------------------------

    private void SafeTensorsLoadRefusesOrLoads(byte[] bytes, SmallCnn model, string validPath)
    {
        string path = _temp.File("case.safetensors");
        File.WriteAllBytes(path, bytes);
        float[][] before = [.. model.Parameters.Select(p => p.Value.ToArray())];
        try
        {
            SafeTensors.Load(path, model);
            SafeTensors.Load(validPath, model); // a mutation that still loads: back to the valid values
        }
        catch (SafeTensorsFormatException)
        {
            Assert.Equal(before, model.Parameters.Select(p => p.Value));
        }
    }

    [Fact]
    public void SafeTensors_Load_refuses_random_bytes_and_mutated_files_and_changes_nothing()
    {
        string valid = _temp.File("valid.safetensors");
        SafeTensors.Save(valid, new SmallCnn(seed: 4, maxBatchSize: 2));
        byte[] file = File.ReadAllBytes(valid);
        var model = new SmallCnn(seed: 9, maxBatchSize: 2);
        SafeTensors.Load(valid, model);
        Gen.Byte.Array[0, 600].Sample(bytes => SafeTensorsLoadRefusesOrLoads(bytes, model, valid), iter: Iterations / 2, threads: 1);
        s_mutations.Sample(mutations => SafeTensorsLoadRefusesOrLoads(Apply(file, mutations), model, valid), iter: Iterations / 2, threads: 1);
    }

    // ---- IdxReader -------------------------------------------------------------------------------------

    private static byte[] Idx(int[] dimensions, byte[] data)
    {
        byte[] bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(raw);
        return compressed.ToArray();
    }

    private static void IdxReadRefusesOrReads(byte[] bytes, bool seekable)
    {
        using var memory = new MemoryStream(bytes);
        Stream stream = seekable ? memory : new ForwardOnlyStream(memory);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            IdxFile file = IdxReader.Read(stream, "case.idx");
            Assert.True(file.Data.Length <= 64 * bytes.Length + 1024, "More data than a gzip stream of this size can hold.");
        }
        catch (IdxFormatException)
        {
        }
        // Never what a header claims: at most the first gzip buffer (1 MiB) and the decompressor's own.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 4 << 20, "A hostile IDX header was trusted with memory.");
    }

    [Fact]
    public void IdxReader_refuses_random_bytes_and_mutated_files_raw_or_gzip()
    {
        byte[] raw = Idx([3, 4, 5], [.. Enumerable.Range(0, 60).Select(i => (byte)i)]);
        byte[] gzip = Gzip(raw);
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool).Sample(IdxReadRefusesOrReads, iter: Iterations / 2, threads: 1);
        Gen.Select(s_mutations, Gen.Bool, Gen.Bool).Sample((mutations, compressed, seekable) =>
            IdxReadRefusesOrReads(Apply(compressed ? gzip : raw, mutations), seekable), iter: Iterations, threads: 1);
    }

    /// <summary>A stream that cannot seek: the reader must not rely on a length it cannot know.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
