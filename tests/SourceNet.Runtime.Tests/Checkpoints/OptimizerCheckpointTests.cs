using System.Buffers.Binary;
using System.Text;
using SourceNet.Checkpoints;
using SourceNet.Runtime.Tests.Data;

namespace SourceNet.Runtime.Tests.Checkpoints;

/// <summary>Version 2: optimizer state and metadata, atomic writes, and loads that never half-happen.</summary>
public sealed class OptimizerCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public OptimizerCheckpointTests() => _path = _temp.File("run.sncp");

    public void Dispose() => _temp.Dispose();

    /// <summary>A small network and an Adam that has taken <paramref name="steps"/> steps on it.</summary>
    private static (TestNetwork Network, Adam Adam) Trained(long seed, int steps = 3, float learningRate = 1e-2f)
    {
        TestNetwork network = TestNetwork.Small().Randomize(seed);
        var adam = new Adam(learningRate);
        var random = new SeededRandom(seed + 100);
        for (int t = 0; t < steps; t++)
        {
            foreach (Parameter parameter in network.Parameters)
            {
                random.FillNormal(parameter.Gradient, 0f, 1f);
            }
            adam.Step(network.Parameters);
        }
        return (network, adam);
    }

    private static float[][] State(Optimizer optimizer, INetwork network) =>
        [.. network.Parameters.SelectMany(p => Enumerable.Range(0, optimizer.SlotNames.Count)
            .Select(s => optimizer.TryGetSlot(p, s, out ReadOnlySpan<float> values) ? values.ToArray() : []))];

    [Fact]
    public void Adam_state_round_trips_bit_exactly()
    {
        var (network, adam) = Trained(1);
        Checkpoint.Save(_path, network, adam);
        var (fresh, freshAdam) = Trained(2, steps: 1);

        Checkpoint.Load(_path, fresh, freshAdam);

        Assert.Equal(network.Bits(), fresh.Bits());
        Assert.Equal(3, freshAdam.StepCount);
        Assert.Equal(State(adam, network), State(freshAdam, fresh));
    }

    [Fact]
    public void State_not_yet_made_round_trips_as_absent()
    {
        TestNetwork network = TestNetwork.Small().Randomize(1);
        var sgd = new Sgd(0.1f, 0.5f);
        sgd.BeginStep();
        sgd.Update(network.Parameters[0]); // only the first parameter has a velocity
        Checkpoint.Save(_path, network, sgd);
        var fresh = TestNetwork.Small();
        var freshSgd = new Sgd(0.1f, 0.5f);
        freshSgd.Step(fresh.Parameters);

        Checkpoint.Load(_path, fresh, freshSgd);

        Assert.True(freshSgd.TryGetSlot(fresh.Parameters[0], 0, out _));
        Assert.False(freshSgd.TryGetSlot(fresh.Parameters[1], 0, out _));
        Assert.Equal(1, freshSgd.StepCount);
    }

    [Fact]
    public void Metadata_round_trips()
    {
        var metadata = new CheckpointMetadata();
        metadata.Set("epoch", 7L);
        metadata.Set("note", "ünïcode ✓");
        metadata.Set("rng", new SeededRandom(5).GetState());
        metadata.Set("empty", ReadOnlySpan<byte>.Empty);
        Checkpoint.Save(_path, TestNetwork.Small(), metadata: metadata);

        CheckpointMetadata loaded = Checkpoint.Load(_path, TestNetwork.Small());

        Assert.Equal(["empty", "epoch", "note", "rng"], loaded.Keys);
        Assert.Equal(7L, loaded.GetInt64("epoch"));
        Assert.Equal("ünïcode ✓", loaded.GetString("note"));
        Assert.Equal(new SeededRandom(5).GetState(), loaded.GetBytes("rng").ToArray());
        Assert.Equal(0, loaded.GetBytes("empty").Length);
        var missing = Assert.Throws<KeyNotFoundException>(() => loaded.GetBytes("sampler"));
        Assert.Contains("no key 'sampler'", missing.Message);
    }

    /// <summary>A stream that accepts <paramref name="limit"/> bytes, then throws: a disk filling up, a process killed.</summary>
    private sealed class FailingStream(Stream inner, long limit) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > limit)
            {
                inner.Write(buffer[..(int)(limit - _written)]);
                _written = limit;
                throw new IOException("No space left on device (injected)");
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_previous_checkpoint_loadable()
    {
        var (previous, previousAdam) = Trained(1);
        Checkpoint.Save(_path, previous, previousAdam);
        byte[] before = File.ReadAllBytes(_path);
        // Big enough that the 64 KiB write buffer reaches the file before the failure.
        var big = new TestNetwork(("Hidden.Weight", 300, 100), ("Hidden.Bias", 1, 100)).Randomize(5);
        var bigAdam = new Adam();
        bigAdam.Step(big.Parameters);

        var error = Assert.Throws<IOException>(() =>
            Checkpoint.SaveCore(_path, big, bigAdam, null, file => new FailingStream(file, 100_000)));

        Assert.Contains("injected", error.Message);
        Assert.Equal(before, File.ReadAllBytes(_path));
        Assert.Equal([_path], Directory.GetFiles(_temp.Path));
        var (loaded, loadedAdam) = Trained(9, steps: 0);
        Checkpoint.Load(_path, loaded, loadedAdam);
        Assert.Equal(previous.Bits(), loaded.Bits());
    }

    /// <summary>Loads into a trained network and optimizer, expects failure, and checks that neither changed.</summary>
    private CheckpointFormatException LoadFails(TestNetwork network, Optimizer? optimizer)
    {
        int[][] before = network.Bits();
        float[][] stateBefore = optimizer is null ? [] : State(optimizer, network);
        long stepBefore = optimizer?.StepCount ?? 0;

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_path, network, optimizer));

        Assert.Equal(before, network.Bits());
        if (optimizer is not null)
        {
            Assert.Equal(stateBefore, State(optimizer, network));
            Assert.Equal(stepBefore, optimizer.StepCount);
        }
        return error;
    }

    [Fact]
    public void Another_networks_checkpoint_names_the_first_mismatch_and_touches_nothing()
    {
        var (network, adam) = Trained(1);
        Checkpoint.Save(_path, network, adam);
        var other = new TestNetwork(("Hidden.Weight", 4, 3), ("Hidden.Bias", 1, 3), ("Logits.Weight", 3, 2), ("Logits.Bias", 1, 2)).Randomize(4);
        var otherAdam = new Adam(1e-2f);
        otherAdam.Step(other.Parameters);

        var error = LoadFails(other, otherAdam);

        Assert.Equal("parameter 2 named 'Logits.Weight'", error.Expected);
        Assert.Equal("'Output.Weight'", error.Found);
    }

    [Fact]
    public void Another_optimizer_kind_is_rejected_and_the_network_is_untouched()
    {
        var (network, adam) = Trained(1);
        Checkpoint.Save(_path, network, adam);
        var (target, _) = Trained(2);
        var sgd = new Sgd(0.1f, 0.9f);
        sgd.Step(target.Parameters);

        var error = LoadFails(target, sgd);

        Assert.Equal("the state of a Sgd optimizer", error.Expected);
        Assert.Equal("the state of a Adam optimizer", error.Found);
    }

    [Fact]
    public void Other_hyper_parameters_are_rejected()
    {
        var (network, adam) = Trained(1, learningRate: 1e-2f);
        Checkpoint.Save(_path, network, adam);
        var (target, targetAdam) = Trained(2, learningRate: 1e-3f);

        var error = LoadFails(target, targetAdam);

        Assert.Equal("learning_rate = 0.001, as in the optimizer", error.Expected);
        Assert.Equal("0.01", error.Found);
    }

    [Fact]
    public void A_checkpoint_without_optimizer_state_is_rejected_when_one_is_asked_for()
    {
        Checkpoint.Save(_path, TestNetwork.Small().Randomize(1));
        var (target, adam) = Trained(2);

        var error = LoadFails(target, adam);

        Assert.Equal("the state of the Adam optimizer", error.Expected);
        Assert.StartsWith("none", error.Found);
    }

    [Fact]
    public void A_non_finite_moment_is_rejected_with_its_name()
    {
        var (network, adam) = Trained(1);
        Checkpoint.Save(_path, network, adam);
        byte[] bytes = File.ReadAllBytes(_path);
        // The last parameter's v ends right before the metadata, generator and buffer counts (4 bytes each) and the checksum (4 bytes).
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 20), float.NaN);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        File.WriteAllBytes(_path, bytes);
        var (target, targetAdam) = Trained(2);

        var error = LoadFails(target, targetAdam);

        Assert.Equal("finite values in the optimizer's slot 1 for 'Output.Bias'", error.Expected);
        Assert.Equal("NaN at index 1", error.Found);
    }

    /// <summary>A version 1 file, written by hand as the old <c>Checkpoint.Save</c> did.</summary>
    private static byte[] Version1(INetwork network)
    {
        var body = new MemoryStream();
        var writer = new BinaryWriter(body);
        writer.Write("SNCK"u8);
        writer.Write(1u);
        writer.Write(0L); // length, patched below
        writer.Write(network.Parameters.Count);
        foreach (Parameter parameter in network.Parameters)
        {
            byte[] name = Encoding.UTF8.GetBytes(parameter.Name);
            writer.Write(name.Length);
            writer.Write(name);
            writer.Write(parameter.Rows);
            writer.Write(parameter.Columns);
            foreach (float value in parameter.Value)
            {
                writer.Write(value);
            }
        }
        writer.Write(0u);
        byte[] bytes = body.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    [Fact]
    public void Version_1_files_still_load()
    {
        TestNetwork saved = TestNetwork.Small().Randomize(3);
        File.WriteAllBytes(_path, Version1(saved));
        TestNetwork loaded = TestNetwork.Small();

        CheckpointMetadata metadata = Checkpoint.Load(_path, loaded);

        Assert.Equal(saved.Bits(), loaded.Bits());
        Assert.Equal(0, metadata.Count);
    }

    [Fact]
    public void Version_1_files_with_an_optimizer_give_a_clear_error()
    {
        File.WriteAllBytes(_path, Version1(TestNetwork.Small().Randomize(3)));
        var (target, adam) = Trained(2);

        var error = LoadFails(target, adam);

        Assert.Equal(4, error.Offset);
        Assert.Contains("load it without an optimizer", error.Found);
    }
}
