using System;

namespace SourceNet.Data;

/// <summary>
/// A CSV file does not hold what <see cref="CsvLoader"/> was asked to read. The message names the file, the line
/// and column (both from 1, as an editor counts them) with the column's header name, what was expected there and
/// what was found: <c>iris.csv: line 7, column 3 'petal_length': expected a number, found 'n/a'</c>.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The file being read.</param>
    /// <param name="line">Line of the problem, from 1.</param>
    /// <param name="column">Column (field) of the problem, from 1; null when the problem is the whole line or file.</param>
    /// <param name="columnName">The column's name in the header; null without a header or column.</param>
    /// <param name="expected">What the loader needed there.</param>
    /// <param name="found">What the file holds there instead.</param>
    public CsvFormatException(string filePath, long line, int? column, string? columnName, string expected, string found)
        : base(Compose(filePath, line, column, columnName, expected, found))
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        ColumnName = columnName;
        Expected = expected;
        Found = found;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>Line of the problem, from 1 (a quoted field may span lines: the line it starts on).</summary>
    public long Line { get; }

    /// <summary>Column of the problem, from 1; null when the problem is the whole line or file.</summary>
    public int? Column { get; }

    /// <summary>The column's name in the header; null without a header or column.</summary>
    public string? ColumnName { get; }

    /// <summary>What the loader needed at that place.</summary>
    public string Expected { get; }

    /// <summary>What the file holds there instead.</summary>
    public string Found { get; }

    private static string Compose(string filePath, long line, int? column, string? columnName, string expected, string found)
    {
        string where = column is int c ? $"line {line}, column {c}{(columnName is null ? "" : $" '{columnName}'")}" : $"line {line}";
        return $"{filePath}: {where}: expected {expected}, found {found}";
    }
}
