using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace SourceNet.Data;

/// <summary>
/// Reads unsigned-byte IDX files (the format of MNIST), raw or gzip-compressed, and validates them
/// strictly: any deviation is reported as an <see cref="IdxFormatException"/> naming the file, the
/// byte offset, what was expected and what was found.
/// </summary>
/// <remarks>
/// <para>IDX layout: a big-endian 4-byte magic <c>00 00 TT DD</c> (<c>TT</c> the element type, <c>DD</c>
/// the number of dimensions), one big-endian int32 per dimension, then the elements, row-major.</para>
/// <para>Compression is detected from the gzip magic <c>1F 8B</c>, not from the file name. The data is
/// decompressed as it is read. The header's size is never trusted with memory before the file backs it: a raw
/// file's length is checked first, and a compressed stream's buffer grows (doubling, from 1 MiB) only as data
/// arrives, so a tiny file claiming gigabytes fails fast instead of allocating them.
/// Offsets in errors refer to the IDX content, i.e. to the decompressed bytes of a gzip file; for a corrupt
/// gzip stream the offset is how far the reader had got, since the decompressor works ahead of it.</para>
/// </remarks>
public static class IdxReader
{
    /// <summary>In an expected shape, matches any positive dimension size.</summary>
    public const int AnySize = -1;

    /// <summary>The first buffer for data whose length is not known before reading (gzip); it doubles as data arrives.</summary>
    private const int InitialCapacity = 1 << 20;

    /// <summary>Reads and validates the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="IdxFormatException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxFile Read(string path) => Read(path, ReadOnlySpan<int>.Empty);

    /// <summary>
    /// Reads the IDX file at <paramref name="path"/> and checks its shape against <paramref name="expectedShape"/>
    /// before reading the data: the dimension count must equal its length, and each entry other than
    /// <see cref="AnySize"/> must equal the dimension's size. An empty shape accepts any.
    /// </summary>
    /// <exception cref="IdxFormatException">The file is malformed or has another shape.</exception>
    public static IdxFile Read(string path, ReadOnlySpan<int> expectedShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(file, path, expectedShape);
    }

    /// <summary>Reads and validates an IDX file from <paramref name="stream"/>, which need not be seekable; <paramref name="name"/> is used in errors.</summary>
    /// <exception cref="IdxFormatException">The content is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxFile Read(Stream stream, string name) => Read(stream, name, ReadOnlySpan<int>.Empty);

    /// <summary>
    /// Reads an IDX file from <paramref name="stream"/>, which need not be seekable, checking its shape as
    /// <see cref="Read(string, ReadOnlySpan{int})"/> does; <paramref name="name"/> is used in errors.
    /// The stream is read to its end (trailing bytes are an error) and is not closed.
    /// </summary>
    /// <exception cref="IdxFormatException">The content is malformed or has another shape.</exception>
    public static IdxFile Read(Stream stream, string name, ReadOnlySpan<int> expectedShape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);

        Span<byte> sniff = stackalloc byte[2];
        int sniffed = stream.ReadAtLeast(sniff, sniff.Length, throwOnEndOfStream: false);
        var content = new PrefixedReadStream(sniff[..sniffed], stream);
        if (sniffed == 2 && sniff[0] == 0x1F && sniff[1] == 0x8B)
        {
            using var gzip = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true);
            return ReadContent(gzip, name, expectedShape, compressed: true, length: null);
        }
        long? length = stream.CanSeek ? stream.Length - stream.Position + sniffed : null;
        return ReadContent(content, name, expectedShape, compressed: false, length);
    }

    /// <summary>Reads the IDX content; <paramref name="length"/> is its size in bytes when known (a raw file), null otherwise.</summary>
    private static IdxFile ReadContent(Stream content, string name, ReadOnlySpan<int> expectedShape, bool compressed, long? length)
    {
        // Everything read so far; the offset of whatever goes wrong next.
        long position = 0;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            int read = content.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            position += read;
            if (read < magic.Length)
            {
                throw new IdxFormatException(name, read, "a 4-byte IDX magic number", EndOfData(read));
            }
            if (magic[0] != 0 || magic[1] != 0)
            {
                throw new IdxFormatException(name, 0, "an IDX magic number starting 00 00", $"{magic[0]:X2} {magic[1]:X2} (not an IDX file)");
            }
            if (magic[2] != IdxFile.UnsignedByteTypeCode)
            {
                throw new IdxFormatException(name, 2, "type code 0x08 (unsigned byte)", $"0x{magic[2]:X2} ({DescribeTypeCode(magic[2])})");
            }
            int rank = magic[3];
            if (rank == 0)
            {
                throw new IdxFormatException(name, 3, "a dimension count of at least 1", "0");
            }
            if (!expectedShape.IsEmpty && rank != expectedShape.Length)
            {
                throw new IdxFormatException(name, 3, $"dimension count {expectedShape.Length}", rank.ToString());
            }

            Span<byte> sizes = stackalloc byte[4 * 255];
            sizes = sizes[..(4 * rank)];
            read = content.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false);
            position += read;
            if (read < sizes.Length)
            {
                throw new IdxFormatException(name, position, $"{rank} dimension sizes ({sizes.Length} bytes) after the magic number", EndOfData(read));
            }

            int[] dimensions = new int[rank];
            long count = 1;
            for (int i = 0; i < rank; i++)
            {
                int size = BinaryPrimitives.ReadInt32BigEndian(sizes.Slice(4 * i, 4));
                long offset = 4 + 4 * i;
                if (size <= 0)
                {
                    throw new IdxFormatException(name, offset, $"dimension {i} to be positive", size.ToString());
                }
                if (!expectedShape.IsEmpty && expectedShape[i] != AnySize && expectedShape[i] != size)
                {
                    throw new IdxFormatException(name, offset, $"dimension {i} to be {expectedShape[i]}", size.ToString());
                }
                if (count > Array.MaxLength / size)
                {
                    throw new IdxFormatException(name, offset, $"at most {Array.MaxLength} elements in all", $"dimension {i} of {size} overflowing that");
                }
                dimensions[i] = size;
                count *= size;
            }

            long headerLength = position;
            // The header's claim is checked against what the file holds before it is trusted with memory: a
            // 32-byte file must not allocate gigabytes. A raw file's length is known; a compressed stream's is
            // found by reading it, so the buffer grows with what actually arrives.
            if (length is long total && total - headerLength < count)
            {
                throw Truncated(name, dimensions, headerLength, count, total - headerLength);
            }
            byte[] data = GC.AllocateUninitializedArray<byte>((int)(length is null ? Math.Min(count, InitialCapacity) : count));
            read = 0;
            while (true)
            {
                int got = content.ReadAtLeast(data.AsSpan(read), data.Length - read, throwOnEndOfStream: false);
                read += got;
                position += got;
                if (read < data.Length || read == count)
                {
                    break;
                }
                Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            }
            if (read < count)
            {
                throw Truncated(name, dimensions, headerLength, count, read);
            }

            long extra = CountRemainingBytes(content);
            if (extra > 0)
            {
                throw new IdxFormatException(name, position, $"end of data after {count} data bytes", $"{extra} trailing bytes");
            }
            return new IdxFile(name, dimensions, data);
        }
        catch (InvalidDataException e) when (compressed)
        {
            throw new IdxFormatException(name, position, "a valid gzip stream", $"corrupt compressed data ({e.Message})", e);
        }
    }

    private static IdxFormatException Truncated(string name, int[] dimensions, long headerLength, long count, long read) =>
        new(name,
            headerLength + read,
            $"{count} data bytes for shape {string.Join(" x ", dimensions)} (file length {headerLength + count})",
            $"only {read} data bytes (file truncated)");

    private static long CountRemainingBytes(Stream content)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = content.Read(scratch)) > 0)
        {
            total += read;
        }
        return total;
    }

    private static string EndOfData(int read) => read == 0 ? "end of data" : $"end of data after {read} bytes";

    private static string DescribeTypeCode(byte code) => code switch
    {
        0x09 => "signed byte, not supported",
        0x0B => "int16, not supported",
        0x0C => "int32, not supported",
        0x0D => "float32, not supported",
        0x0E => "float64, not supported",
        _ => "not an IDX type code",
    };
}
