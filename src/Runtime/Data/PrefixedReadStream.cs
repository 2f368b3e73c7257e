using System;
using System.IO;

namespace SourceNet.Data;

/// <summary>
/// A read-only stream that yields a few bytes already taken from another stream, then the rest of
/// that stream. Sniffing a file's first bytes (gzip or raw?) must not require a seekable stream.
/// </summary>
internal sealed class PrefixedReadStream : Stream
{
    private readonly byte[] _prefix;
    private readonly Stream _inner;
    private int _prefixPosition;

    public PrefixedReadStream(ReadOnlySpan<byte> prefix, Stream inner)
    {
        _prefix = prefix.ToArray();
        _inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        int remaining = _prefix.Length - _prefixPosition;
        if (remaining == 0)
        {
            return _inner.Read(buffer);
        }
        // Hand out only the prefix in this call: a short read is allowed, and it keeps the logic obvious.
        int taken = Math.Min(remaining, buffer.Length);
        _prefix.AsSpan(_prefixPosition, taken).CopyTo(buffer);
        _prefixPosition += taken;
        return taken;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
