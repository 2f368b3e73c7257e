namespace SourceNet.Data.Tests.Csv;

/// <summary>Every way a CSV row can be bad: the error names the file, line, column, what was expected and found.</summary>
public class CsvBadRowTests
{
    public static TheoryData<string, string, string> BadClassificationFiles => new()
    {
        // case, file content, the message after "<path>: "
        { "too few fields", "a,b,label\n1,2,0\n3,4\n", "line 3, column 3 'label': expected 3 fields, as in the header, found 2" },
        { "too many fields", "a,b,label\n1,2,0,9\n", "line 2, column 4: expected 3 fields, as in the header, found 4" },
        { "text feature", "a,b,label\n1,x,0\n", "line 2, column 2 'b': expected a number, found 'x'" },
        { "empty feature", "a,b,label\n1,,0\n", "line 2, column 2 'b': expected a number, found an empty field" },
        { "NaN feature", "a,b,label\n1,NaN,0\n", "line 2, column 2 'b': expected a finite number, found 'NaN'" },
        { "overflowing feature", "a,b,label\n1e39,2,0\n", "line 2, column 1 'a': expected a finite number, found '1e39'" },
        { "decimal comma", "a,b,label\n\"1,5\",2,0\n", "line 2, column 1 'a': expected a number, found '1,5'" },
        { "fractional label", "a,b,label\n1,2,1.5\n", "line 2, column 3 'label': expected a class label, a whole number 0 or more, found '1.5'" },
        { "negative label", "a,b,label\n1,2,-1\n", "line 2, column 3 'label': expected a class label, a whole number 0 or more, found '-1'" },
        { "text label", "a,b,label\n1,2,cat\n", "line 2, column 3 'label': expected a class label, a whole number 0 or more, found 'cat'" },
        { "unclosed quote", "a,b,label\n1,\"2,0\n", "line 2, column 2 'b': expected a closing quote for the field that starts here, found the end of the file" },
        { "text after a quote", "a,b,label\n1,\"2\"x,0\n", "line 2, column 2 'b': expected a separator or the end of the line after the closing quote, found 'x'" },
        { "line after CRLF and a blank line", "a,b,label\r\n1,2,0\r\n\r\n1,q,0\r\n", "line 4, column 2 'b': expected a number, found 'q'" },
        { "long field", "a,b,label\n1,2," + new string('9', 12) + "x" + new string('9', 40) + "\n",
            "line 2, column 3 'label': expected a class label, a whole number 0 or more, found '999999999999x999999999999999999999999999...' (53 characters)" },
        { "empty file", "", "line 1: expected a header row, found an empty file" },
        { "header only", "a,b,label\n", "line 2: expected at least one data row after the header, found none" },
        { "only a label column", "label\n1\n", "line 1: expected at least one feature column beside the label, found 1 column" },
    };

    [Theory]
    [MemberData(nameof(BadClassificationFiles))]
    public void A_bad_classification_file_is_reported_where_it_is_bad(string name, string content, string message)
    {
        using var folder = new TempFolder();
        string path = folder.Write(name.Replace(' ', '-') + ".csv", content);

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path));

        Assert.Equal($"{path}: {message}", error.Message);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void The_exception_carries_each_part_of_the_message()
    {
        using var folder = new TempFolder();
        string path = folder.Write("parts.csv", "a,b,label\n1,2,0\n1,x,0\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path));

        Assert.Equal((3L, (int?)2, "b", "a number", "'x'"), (error.Line, error.Column, error.ColumnName, error.Expected, error.Found));
    }

    [Fact]
    public void Lines_are_counted_inside_quoted_fields()
    {
        using var folder = new TempFolder();
        string path = folder.Write("notes.csv", "a,b,label,note\n1,2,0,\"x\ny\"\n1,z,0,n\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { Label = "label", Features = ["a", "b"] }));

        Assert.Equal($"{path}: line 4, column 2 'b': expected a number, found 'z'", error.Message);
    }

    [Fact]
    public void A_label_of_ClassCount_or_more_is_a_bad_row()
    {
        using var folder = new TempFolder();
        string path = folder.Write("classes.csv", "a,label\n1,2\n1,3\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { ClassCount = 3 }));

        Assert.Equal($"{path}: line 3, column 2 'label': expected a class label, a whole number in 0..2, found '3'", error.Message);
    }

    [Fact]
    public void Without_a_header_the_field_count_is_the_first_rows()
    {
        using var folder = new TempFolder();
        string path = folder.Write("ragged.csv", "1,2,0\n1,2\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { HasHeader = false }));

        Assert.Equal($"{path}: line 2, column 3: expected 3 fields, as in the first row, found 2", error.Message);
    }

    [Fact]
    public void A_named_column_missing_from_the_header_lists_the_header()
    {
        using var folder = new TempFolder();
        string path = folder.Write("names.csv", "a, b ,label\n1,2,0\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { Label = "species" }));

        Assert.Equal($"{path}: line 1: expected a label column named 'species' in the header, found 'a', 'b', 'label'", error.Message);
    }

    [Fact]
    public void An_index_past_the_last_column_is_reported()
    {
        using var folder = new TempFolder();
        string path = folder.Write("index.csv", "a,b,label\n1,2,0\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { Features = [0, 3] }));

        Assert.Equal($"{path}: line 1: expected a feature column at index 3 (from 0), found 3 columns", error.Message);
    }

    [Fact]
    public void A_name_given_to_two_columns_cannot_be_chosen_by_name()
    {
        using var folder = new TempFolder();
        string path = folder.Write("twice.csv", "x,y,x,label\n1,2,3,0\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadClassification(path, new CsvOptions { Features = ["x", "y"] }));

        Assert.Equal($"{path}: line 1, column 3 'x': expected one column named 'x', found two: choose the column by index", error.Message);
    }

    [Fact]
    public void A_bad_regression_target_says_it_is_a_target()
    {
        using var folder = new TempFolder();
        string path = folder.Write("targets.csv", "x,t\n1,2\n1,abc\n");

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.LoadRegression(path));

        Assert.Equal($"{path}: line 3, column 2 't': expected a number (a target), found 'abc'", error.Message);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('\r')]
    public void A_separator_that_cannot_separate_is_refused(char separator)
    {
        Assert.Throws<ArgumentException>(() => CsvLoader.LoadClassification("unused.csv", new CsvOptions { Separator = separator }));
    }
}
