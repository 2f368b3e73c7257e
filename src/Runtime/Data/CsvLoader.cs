using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SourceNet.Data;

/// <summary>
/// Loads a CSV file of numeric columns: the features and either one class-label column (classification, whole
/// numbers 0 or more) or target columns (regression, floats). Numbers are read in the invariant culture
/// (<c>1.5</c>, <c>-2e-3</c>); every value must be finite. A bad row stops the load with a
/// <see cref="CsvFormatException"/> that names the file, line, column, what was expected and what was found.
/// </summary>
/// <remarks>
/// The reader is the runtime's own, about a hundred lines: it keeps the SourceNet package free of dependencies and
/// NativeAOT-clean, and it knows the line and column of every field, which the error messages need. It reads
/// quoted fields (separators, line breaks and doubled quotes inside), CRLF or LF line ends, and a UTF-8 byte
/// order mark; it skips empty lines.
/// </remarks>
public static class CsvLoader
{
    /// <summary>Loads features and an <c>int</c> class label per row.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Header, separator, columns; null: a header, commas, the last column as the label, every other column a feature.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">A row is bad, a named column is missing, or the file has no data rows.</exception>
    public static LabeledData LoadClassification(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        options.Validate();
        (float[] features, _, int[] labels, int featureCount) = Load(path, options, options.Label is CsvColumn label ? [label] : null, classification: true);
        return new LabeledData(features, labels, [featureCount]);
    }

    /// <summary>Loads features and float targets per row.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Header, separator, columns; null: a header, commas, the last column as the target, every other column a feature.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">A row is bad, a named column is missing, or the file has no data rows.</exception>
    public static RegressionData LoadRegression(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        options.Validate();
        (float[] features, float[] targets, _, int featureCount) = Load(path, options, options.Targets, classification: false);
        return new RegressionData(features, targets, featureCount, targets.Length / (features.Length / featureCount));
    }

    private static (float[] Features, float[] Targets, int[] Labels, int FeatureCount) Load(string path, CsvOptions options, IReadOnlyList<CsvColumn>? outputs, bool classification)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The CSV file '{Path.GetFullPath(path)}' does not exist.", path);
        }
        using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var reader = new CsvRecordReader(text, path, options.Separator);
        var fields = new List<string>();
        var lines = new List<long>();

        if (!reader.ReadRecord(fields, lines))
        {
            throw new CsvFormatException(path, 1, null, null, options.HasHeader ? "a header row" : "a data row", "an empty file");
        }
        string[]? header = null;
        int columnCount = fields.Count;
        if (options.HasHeader)
        {
            header = new string[fields.Count];
            for (int i = 0; i < header.Length; i++)
            {
                header[i] = fields[i].Trim();
            }
            reader.Header = header;
        }
        var layout = new ColumnLayout(path, reader.RecordLine, header, columnCount, options.Features, outputs, classification);

        var features = new GrowingArray<float>(layout.Features.Length * 1024);
        var targets = new GrowingArray<float>(classification ? 0 : layout.Outputs.Length * 1024);
        var labels = new GrowingArray<int>(classification ? 1024 : 0);
        bool pending = !options.HasHeader; // without a header, the first record is data
        long rows = 0;
        while (pending || reader.ReadRecord(fields, lines))
        {
            pending = false;
            if (fields.Count != columnCount)
            {
                int column = Math.Min(fields.Count, columnCount) + 1;
                throw new CsvFormatException(path, reader.RecordLine, column, NameOf(header, column),
                    $"{columnCount} fields, as in the {(header is null ? "first row" : "header")}", $"{fields.Count}");
            }
            foreach (int column in layout.Features)
            {
                features.Add(ParseNumber(path, header, fields, lines, column, ""));
            }
            foreach (int column in layout.Outputs)
            {
                if (classification)
                {
                    labels.Add(ParseLabel(path, header, fields, lines, column, options.ClassCount));
                }
                else
                {
                    targets.Add(ParseNumber(path, header, fields, lines, column, " (a target)"));
                }
            }
            rows++;
        }
        if (rows == 0)
        {
            throw new CsvFormatException(path, reader.RecordLine + 1, null, null, "at least one data row after the header", "none");
        }
        return (features.ToArray(), targets.ToArray(), labels.ToArray(), layout.Features.Length);
    }

    private static float ParseNumber(string path, string[]? header, List<string> fields, List<long> lines, int column, string role)
    {
        string field = fields[column];
        if (float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value))
        {
            return value;
        }
        throw new CsvFormatException(path, lines[column], column + 1, NameOf(header, column + 1),
            float.IsFinite(value) ? $"a number{role}" : $"a finite number{role}", Describe(field));
    }

    private static int ParseLabel(string path, string[]? header, List<string> fields, List<long> lines, int column, int? classCount)
    {
        string field = fields[column];
        string expected = classCount is int n ? $"a class label, a whole number in 0..{n - 1}" : "a class label, a whole number 0 or more";
        // "3" and "3.0" (as pandas writes integer columns that had a gap) are both class 3.
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && value >= 0 && value == Math.Floor(value) && value < (classCount ?? int.MaxValue))
        {
            return (int)value;
        }
        throw new CsvFormatException(path, lines[column], column + 1, NameOf(header, column + 1), expected, Describe(field));
    }

    private static string Describe(string field)
    {
        if (field.Length == 0)
        {
            return "an empty field";
        }
        return field.Length <= 40 ? $"'{field}'" : $"'{field[..40]}...' ({field.Length} characters)";
    }

    private static string? NameOf(string[]? header, int column) => header is not null && column <= header.Length ? header[column - 1] : null;

    /// <summary>Which file columns are features and which are outputs (label or targets), resolved against the header.</summary>
    private sealed class ColumnLayout
    {
        public ColumnLayout(string path, long headerLine, string[]? header, int columnCount, IReadOnlyList<CsvColumn>? features, IReadOnlyList<CsvColumn>? outputs, bool classification)
        {
            string role = classification ? "label" : "target";
            Outputs = outputs is null ? [columnCount - 1] : Resolve(path, headerLine, header, columnCount, outputs, role);
            if (features is not null)
            {
                Features = Resolve(path, headerLine, header, columnCount, features, "feature");
                foreach (int column in Features)
                {
                    if (Array.IndexOf(Outputs, column) >= 0)
                    {
                        throw new ArgumentException(
                            $"Column {column + 1}{(header is null ? "" : $" '{header[column]}'")} is chosen both as a feature and as the {role}.", nameof(features));
                    }
                }
            }
            else
            {
                var rest = new List<int>();
                for (int column = 0; column < columnCount; column++)
                {
                    if (Array.IndexOf(Outputs, column) < 0)
                    {
                        rest.Add(column);
                    }
                }
                if (rest.Count == 0)
                {
                    throw new CsvFormatException(path, headerLine, null, null, $"at least one feature column beside the {role}", $"{columnCount} column{(columnCount == 1 ? "" : "s")}");
                }
                Features = [.. rest];
            }
        }

        public int[] Features { get; }

        public int[] Outputs { get; }

        private static int[] Resolve(string path, long headerLine, string[]? header, int columnCount, IReadOnlyList<CsvColumn> columns, string role)
        {
            var resolved = new int[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                CsvColumn column = columns[i];
                if (column.Name is string name)
                {
                    if (header is null)
                    {
                        throw new ArgumentException($"The {role} column '{name}' is chosen by name, but the file has no header (HasHeader is false): choose it by index.", nameof(columns));
                    }
                    int found = Array.IndexOf(header, name);
                    if (found < 0)
                    {
                        throw new CsvFormatException(path, headerLine, null, null, $"a {role} column named '{name}' in the header", $"{string.Join(", ", Array.ConvertAll(header, h => $"'{h}'"))}");
                    }
                    if (Array.IndexOf(header, name, found + 1) >= 0)
                    {
                        throw new CsvFormatException(path, headerLine, Array.IndexOf(header, name, found + 1) + 1, name, $"one column named '{name}'", "two: choose the column by index");
                    }
                    resolved[i] = found;
                }
                else if (column.Index >= columnCount)
                {
                    throw new CsvFormatException(path, headerLine, null, null, $"a {role} column at index {column.Index} (from 0)", $"{columnCount} columns");
                }
                else
                {
                    resolved[i] = column.Index;
                }
            }
            return resolved;
        }
    }

    /// <summary>A list that grows by doubling and hands back an exact-length array.</summary>
    private sealed class GrowingArray<T>(int capacity)
    {
        private T[] _items = new T[Math.Max(capacity, 16)];
        private int _count;

        public void Add(T value)
        {
            if (_count == _items.Length)
            {
                if (_items.Length == Array.MaxLength)
                {
                    throw new InvalidOperationException($"The CSV holds more than {Array.MaxLength} values of one kind: too many for one array.");
                }
                Array.Resize(ref _items, (int)Math.Min(2L * _items.Length, Array.MaxLength));
            }
            _items[_count++] = value;
        }

        public T[] ToArray() => _items.AsSpan(0, _count).ToArray();
    }
}
