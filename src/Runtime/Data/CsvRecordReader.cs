using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SourceNet.Data;

/// <summary>
/// Splits CSV text into records, as much of RFC 4180 as numeric data needs: a chosen separator; fields in double
/// quotes, which may hold the separator, line breaks and doubled quotes; CRLF, LF or CR line ends; empty lines
/// skipped. Tracks the line each record and field starts on, so every error can name it. Streams the file through
/// one buffer, so a file larger than memory as text is read in its loaded size only.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly string _path;
    private readonly char _separator;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private long _line = 1;

    public CsvRecordReader(TextReader reader, string path, char separator)
    {
        _reader = reader;
        _path = path;
        _separator = separator;
    }

    /// <summary>The header's names once read, so that errors name the column.</summary>
    public IReadOnlyList<string>? Header { get; set; }

    /// <summary>The line the last record read starts on, from 1.</summary>
    public long RecordLine { get; private set; }

    /// <summary>
    /// Reads the next non-empty record into <paramref name="fields"/> (cleared first) and the line each field starts
    /// on into <paramref name="fieldLines"/>; false at the end of the file.
    /// </summary>
    /// <exception cref="CsvFormatException">A quoted field is not closed, or text follows its closing quote.</exception>
    public bool ReadRecord(List<string> fields, List<long> fieldLines)
    {
        fields.Clear();
        fieldLines.Clear();
        // Skip empty lines (a trailing newline, blank lines between blocks).
        int c;
        while ((c = Peek()) is '\r' or '\n')
        {
            ReadLineEnd();
        }
        if (c < 0)
        {
            return false;
        }
        RecordLine = _line;
        while (true)
        {
            fieldLines.Add(_line);
            int column = fields.Count + 1;
            fields.Add(ReadField(column));
            c = Peek();
            if (c == _separator)
            {
                Next();
                continue;
            }
            if (c is '\r' or '\n')
            {
                ReadLineEnd();
            }
            return true;
        }
    }

    private string ReadField(int column)
    {
        _field.Clear();
        if (Peek() != '"')
        {
            int c;
            while ((c = Peek()) >= 0 && c != _separator && c != '\r' && c != '\n')
            {
                _field.Append((char)Next());
            }
            return _field.ToString();
        }

        long startLine = _line;
        Next();
        while (true)
        {
            int c = Next();
            if (c < 0)
            {
                throw new CsvFormatException(_path, startLine, column, NameOf(column), "a closing quote for the field that starts here", "the end of the file");
            }
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Next();
                    _field.Append('"');
                    continue;
                }
                int after = Peek();
                if (after >= 0 && after != _separator && after != '\r' && after != '\n')
                {
                    throw new CsvFormatException(_path, _line, column, NameOf(column),
                        "a separator or the end of the line after the closing quote", $"'{(char)after}'");
                }
                return _field.ToString();
            }
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }
            _field.Append((char)c);
        }
    }

    private string? NameOf(int column) => Header is not null && column <= Header.Count ? Header[column - 1] : null;

    private void ReadLineEnd()
    {
        if (Next() == '\r' && Peek() == '\n')
        {
            Next();
        }
        _line++;
    }

    private int Peek()
    {
        if (_position == _length)
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length <= 0)
            {
                _length = 0;
                return -1;
            }
        }
        return _buffer[_position];
    }

    private int Next()
    {
        int c = Peek();
        if (c >= 0)
        {
            _position++;
        }
        return c;
    }
}
