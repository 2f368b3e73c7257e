using System;

namespace SourceNet.Text;

/// <summary>
/// Draws word ids with probability proportional to <c>count^0.75</c>: flatter than the raw frequencies, so rare
/// words are drawn as negatives more often than they occur, and "the" less. A uniform number is looked up in the
/// cumulative weights by bisection: O(log V) per draw, no table of millions of entries.
/// </summary>
internal sealed class NegativeSampler
{
    /// <summary>The exponent applied to the counts.</summary>
    public const double Power = 0.75;

    private readonly double[] _cumulative;

    public NegativeSampler(WordVocabulary vocabulary)
    {
        _cumulative = new double[vocabulary.Count];
        double sum = 0;
        for (int i = 0; i < vocabulary.Count; i++)
        {
            sum += Math.Pow(vocabulary.CountOf(i), Power);
            _cumulative[i] = sum;
        }
    }

    /// <summary>The probability of drawing <paramref name="id"/>.</summary>
    public double Probability(int id) => (_cumulative[id] - (id == 0 ? 0 : _cumulative[id - 1])) / _cumulative[^1];

    /// <summary>One id.</summary>
    public int Next(SeededRandom random)
    {
        double target = random.NextDouble() * _cumulative[^1];
        // The first id whose cumulative weight exceeds the target.
        int low = 0, high = _cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_cumulative[middle] > target)
                high = middle;
            else
                low = middle + 1;
        }
        return low;
    }
}
