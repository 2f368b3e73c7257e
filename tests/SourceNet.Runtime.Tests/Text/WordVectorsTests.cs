using SourceNet.Text;

namespace SourceNet.Runtime.Tests.Text;

/// <summary>Cosine similarity and nearest neighbours on vectors built by hand.</summary>
public class WordVectorsTests
{
    // Angles 0°, 10°, 50°, 100°, 180° on the unit circle, at different lengths, and a zero vector.
    private static readonly (string Word, float X, float Y)[] s_points =
    [
        ("east", 1f, 0f),
        ("east-ish", 3f * MathF.Cos(10 * MathF.PI / 180), 3f * MathF.Sin(10 * MathF.PI / 180)),
        ("north-east", 0.5f * MathF.Cos(50 * MathF.PI / 180), 0.5f * MathF.Sin(50 * MathF.PI / 180)),
        ("north-ish", 2f * MathF.Cos(100 * MathF.PI / 180), 2f * MathF.Sin(100 * MathF.PI / 180)),
        ("west", -4f, 0f),
        ("nowhere", 0f, 0f),
    ];

    private static WordVectors Compass() =>
        new(s_points.Select(p => p.Word).ToArray(), s_points.SelectMany(p => new[] { p.X, p.Y }).ToArray(), 2);

    [Fact]
    public void Nearest_words_are_ordered_by_the_cosine_of_their_angle()
    {
        WordVectors vectors = Compass();
        IReadOnlyList<WordSimilarity> nearest = vectors.Nearest("east", 5);

        Assert.Equal(["east-ish", "north-east", "nowhere", "north-ish", "west"], nearest.Select(n => n.Word));
        double[] expected = [Math.Cos(10 * Math.PI / 180), Math.Cos(50 * Math.PI / 180), 0, Math.Cos(100 * Math.PI / 180), -1];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], nearest[i].Similarity, 5);
        Assert.Equal(["east-ish", "north-east"], vectors.Nearest("east", 2).Select(n => n.Word));
        Assert.Empty(vectors.Nearest("east", 0));
        Assert.Equal(Math.Cos(90 * Math.PI / 180), vectors.Similarity("north-ish", "east-ish"), 5);
    }

    [Fact]
    public void Nearest_to_a_vector_includes_every_word_and_an_unknown_word_is_named()
    {
        WordVectors vectors = Compass();
        Assert.Equal("west", vectors.Nearest([-1f, 0.01f], 1)[0].Word);
        Assert.Equal(6, vectors.Nearest([0f, 1f], 10).Count);

        var e = Assert.Throws<KeyNotFoundException>(() => vectors.Nearest("south", 3));
        Assert.Contains("'south'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => vectors.Nearest([1f, 2f, 3f], 1));
    }

    [Fact]
    public void Words_the_text_format_cannot_carry_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new WordVectors(["a b"], [1f], 1));
        Assert.Throws<ArgumentException>(() => new WordVectors([""], [1f], 1));
        Assert.Throws<ArgumentException>(() => new WordVectors(["a", "a"], [1f, 2f], 1));
        Assert.Throws<ArgumentException>(() => new WordVectors(["a"], [float.NaN], 1));
        Assert.Throws<ArgumentException>(() => new WordVectors(["a"], [1f, 2f], 1));
    }
}
