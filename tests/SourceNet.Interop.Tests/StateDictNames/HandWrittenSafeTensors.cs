using System.Buffers.Binary;
using System.Text;

namespace SourceNet.Interop.Tests.StateDictNames;

/// <summary>
/// Writes a safetensors file from named float32 tensors by the format's definition (u64 header length, JSON header,
/// data), independently of <see cref="SafeTensors"/>: what a PyTorch state_dict saved with safetensors looks like.
/// </summary>
internal static class HandWrittenSafeTensors
{
    public static void Write(string path, params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            long end = offset + 4L * tensors[i].Values.Length;
            header.Append(i == 0 ? "" : ",")
                .Append($"\"{tensors[i].Name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", tensors[i].Shape)}],\"data_offsets\":[{offset},{end}]}}");
            offset = end;
        }
        header.Append('}');
        while ((8 + header.Length) % 8 != 0)
            header.Append(' ');
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, json.Length);
        file.Write(length);
        file.Write(json);
        Span<byte> value = stackalloc byte[4];
        foreach ((_, _, float[] values) in tensors)
        {
            foreach (float v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                file.Write(value);
            }
        }
    }
}
