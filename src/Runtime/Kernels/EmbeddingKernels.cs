using System;
using System.Numerics.Tensors;

namespace SourceNet.Kernels;

/// <summary>
/// The embedding's two passes: a gather of table rows by token id, and the scatter-add of the output gradient into
/// the rows of the table's gradient. Both run on the calling thread in sample and step order, so a row's gradient
/// is summed in the same order on any number of threads: bit for bit the same result. The generated network checks
/// every id against the vocabulary on entry; these kernels check again only what costs nothing.
/// </summary>
public static class EmbeddingKernels
{
    /// <summary>Copies row <c>tokens[i]</c> of <paramref name="table"/> to row i of <paramref name="output"/>.</summary>
    /// <param name="tokens">Token ids, one per output row; each in [0, table rows).</param>
    /// <param name="table">The weight [vocabulary, dimension], row-major.</param>
    /// <param name="dimension">Floats per row.</param>
    /// <param name="output">At least <c>tokens.Length * dimension</c> floats.</param>
    public static void Gather(ReadOnlySpan<int> tokens, ReadOnlySpan<float> table, int dimension, Span<float> output)
    {
        if ((long)tokens.Length * dimension > output.Length)
            throw new ArgumentException($"{tokens.Length} tokens of {dimension} floats need {(long)tokens.Length * dimension} outputs; the buffer holds {output.Length}.", nameof(output));
        int rows = table.Length / dimension;
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = tokens[i];
            if ((uint)token >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token {i} is {token}; the table has {rows} rows.");
            table.Slice(token * dimension, dimension).CopyTo(output.Slice(i * dimension, dimension));
        }
    }

    /// <summary>
    /// Assigns the table's gradient: zero, then row i of <paramref name="outputGradient"/> added into row
    /// <c>tokens[i]</c>, for i in order (a token seen twice gets the sum of both steps' gradients).
    /// </summary>
    /// <param name="tokens">Token ids, one per gradient row.</param>
    /// <param name="outputGradient">dLoss/dOutput, <c>tokens.Length * dimension</c> floats.</param>
    /// <param name="dimension">Floats per row.</param>
    /// <param name="tableGradient">dLoss/dTable [vocabulary, dimension], overwritten.</param>
    public static void ScatterAddGradient(ReadOnlySpan<int> tokens, ReadOnlySpan<float> outputGradient, int dimension, Span<float> tableGradient)
    {
        if ((long)tokens.Length * dimension != outputGradient.Length)
            throw new ArgumentException($"{tokens.Length} tokens of {dimension} floats have {(long)tokens.Length * dimension} gradient values; got {outputGradient.Length}.", nameof(outputGradient));
        tableGradient.Clear();
        int rows = tableGradient.Length / dimension;
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = tokens[i];
            if ((uint)token >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token {i} is {token}; the table has {rows} rows.");
            Span<float> row = tableGradient.Slice(token * dimension, dimension);
            TensorPrimitives.Add(row, outputGradient.Slice(i * dimension, dimension), row);
        }
    }
}
