using System.Globalization;
using SourceNet.Generator.Diagnostics;

namespace SourceNet.Generator.Parsing;

/// <summary>Reads the <c>Padding</c> argument shared by convolution and pooling attributes.</summary>
internal static class PaddingReader
{
    /// <summary>True for <c>Padding.Same</c>, false for <c>Valid</c>; null after reporting an undefined value (SN0020).</summary>
    public static bool? Read(LayerReader reader)
    {
        (int value, _) = reader.Arguments.Enum("Padding");
        switch (value)
        {
            case 0:
                return false;
            case 1:
                return true;
            default:
                reader.Report(DiagnosticDescriptors.UndefinedEnumValue, "Padding",
                    $"The padding of layer '{reader.Name}'", $"(Padding){value.ToString(CultureInfo.InvariantCulture)}", "Padding");
                return null;
        }
    }
}
