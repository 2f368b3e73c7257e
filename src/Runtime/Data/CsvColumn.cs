using System;

namespace SourceNet.Data;

/// <summary>
/// Picks a CSV column by its header name or by its index from 0 (the first column is 0, as in C# and pandas'
/// <c>iloc</c>; error messages count columns from 1, as editors do). Converts implicitly from a string and an
/// int: <c>Label = "species"</c> or <c>Label = 4</c>.
/// </summary>
public readonly record struct CsvColumn
{
    private CsvColumn(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The header name, or null when the column is picked by index.</summary>
    public string? Name { get; }

    /// <summary>The index from 0, or -1 when the column is picked by name.</summary>
    public int Index { get; }

    /// <summary>The column whose header cell is <paramref name="name"/> (compared ordinally, after trimming spaces).</summary>
    public static CsvColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new CsvColumn(name.Trim(), -1);
    }

    /// <summary>The column at <paramref name="index"/>, from 0.</summary>
    public static CsvColumn At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new CsvColumn(null, index);
    }

    /// <summary>Same as <see cref="Named"/>.</summary>
    public static implicit operator CsvColumn(string name) => Named(name);

    /// <summary>Same as <see cref="At"/>.</summary>
    public static implicit operator CsvColumn(int index) => At(index);

    /// <summary>The column as written in an error message: <c>'species'</c> or <c>index 4</c>.</summary>
    public override string ToString() => Name is null ? $"index {Index}" : $"'{Name}'";
}
