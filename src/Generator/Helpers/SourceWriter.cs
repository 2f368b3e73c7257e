using System;
using System.Globalization;
using System.Text;

namespace SourceNet.Generator.Helpers;

/// <summary>
/// A small indented text writer for emitting C#. <see cref="Block"/> opens a brace scope that closes
/// when disposed, so emitter code mirrors the shape of the code it writes.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Line() => _builder.Append('\n');

    public void Line(string text)
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }
        _builder.Append(text).Append('\n');
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }
    }

    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this, "}");
    }

    public Scope Block(string header, string closing)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this, closing);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();

    /// <summary>Formats a float as a C# literal with the <c>f</c> suffix, culture-invariant and round-trippable.</summary>
    public static string Float(float value)
    {
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        if (float.IsNaN(value)) return "float.NaN";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text + "f";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Scope(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
