using System.Text;
using SourceNet.Data.Text;

namespace SourceNet.Samples.CharLm;

/// <summary>
/// Samples text from the language model one character at a time. The LSTM is causal (step t sees steps 0 to t only),
/// so the text so far goes in as one 64-step window: the last 64 characters once there are that many, else the
/// prefix followed by padding, which no real position reads; the next character's logits are those at the last real
/// position. Each draw is from softmax(logits / temperature) with the sample's own seeded generator, so the same
/// model, prompt and seed give the same text.
/// </summary>
public static class TextSampler
{
    /// <summary>The prompt followed by <paramref name="length"/> sampled characters.</summary>
    public static string Generate(CharLmNetwork network, CharacterVocabulary vocabulary, string prompt, int length, float temperature, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentException.ThrowIfNullOrEmpty(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(temperature > 0f) || !float.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        const int steps = CharLmNetwork.Steps;
        var random = new SeededRandom(seed);
        var ids = new List<int>(vocabulary.Encode(prompt));
        var window = new int[steps];
        var logits = new float[CharLmNetwork.OutputCount];
        var probabilities = new double[vocabulary.Count];
        var text = new StringBuilder(prompt, prompt.Length + length);
        for (int n = 0; n < length; n++)
        {
            int real = Math.Min(ids.Count, steps);
            Array.Clear(window);
            ids.CopyTo(ids.Count - real, window, 0, real);
            network.Forward(window, logits);
            int next = Draw(logits.AsSpan((real - 1) * CharLmNetwork.Vocabulary, vocabulary.Count), temperature, probabilities, random);
            ids.Add(next);
            text.Append(vocabulary.CharacterOf(next));
        }
        return text.ToString();
    }

    /// <summary>An index drawn from softmax(<paramref name="logits"/> / temperature), in double precision.</summary>
    internal static int Draw(ReadOnlySpan<float> logits, float temperature, double[] probabilities, SeededRandom random)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits)
            max = Math.Max(max, z / (double)temperature);
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            probabilities[j] = Math.Exp(logits[j] / (double)temperature - max);
            sum += probabilities[j];
        }
        double u = random.NextDouble() * sum;
        for (int j = 0; j < logits.Length; j++)
        {
            u -= probabilities[j];
            if (u < 0)
                return j;
        }
        return logits.Length - 1;
    }
}
