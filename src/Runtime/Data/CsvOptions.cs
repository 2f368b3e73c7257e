using System;
using System.Collections.Generic;

namespace SourceNet.Data;

/// <summary>How <see cref="CsvLoader"/> reads a file: its header, separator and which columns are what.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first row holds the column names (default true). Without a header, columns are picked by index.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator (default ','; ';' and '\t' are common). Not '"', '\r' or '\n'.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The class-label column for <see cref="CsvLoader.LoadClassification"/>; null: the last column.</summary>
    public CsvColumn? Label { get; init; }

    /// <summary>The target columns for <see cref="CsvLoader.LoadRegression"/>, in the order the network outputs them; null: the last column.</summary>
    public IReadOnlyList<CsvColumn>? Targets { get; init; }

    /// <summary>The feature columns, in the order the network takes them; null: every column that is not the label or a target, in file order.</summary>
    public IReadOnlyList<CsvColumn>? Features { get; init; }

    /// <summary>The number of classes, when known: a label of this or more is then a bad row. Null: any label of 0 or more.</summary>
    public int? ClassCount { get; init; }

    /// <summary>Throws if a setting cannot work.</summary>
    public void Validate()
    {
        if (Separator is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"The separator cannot be {(Separator == '"' ? "a quote" : "a line break")}.", nameof(Separator));
        }
        if (ClassCount is int classes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes, nameof(ClassCount));
        }
        if (Targets is { Count: 0 })
        {
            throw new ArgumentException("Give at least one target column, or null for the last column.", nameof(Targets));
        }
        if (Features is { Count: 0 })
        {
            throw new ArgumentException("Give at least one feature column, or null for every other column.", nameof(Features));
        }
    }
}
