using System;

namespace SourceNet.Bench.LstmLatency;

/// <summary>The largest |logit difference| between two runners, and on how many images their digits differ.</summary>
internal sealed record Agreement(float MaxDifference, int Image, int DigitMismatches, int Images)
{
    /// <summary>Single-image calls of both runners on images [0, <paramref name="images"/>).</summary>
    public static Agreement OneByOne(ISequenceRunner mine, ISequenceRunner theirs, int images)
    {
        var a = new float[10];
        var result = new Agreement(0f, 0, 0, images);
        for (int n = 0; n < images; n++)
        {
            mine.Activate();
            mine.InferOne(n);
            mine.LastLogits.CopyTo(a);
            theirs.Activate();
            theirs.InferOne(n);
            result = result.Add(n, a, theirs.LastLogits);
        }
        return result;
    }

    /// <summary>Both runners' batch calls on every test image (10 logits each).</summary>
    public static Agreement Batch(ISequenceRunner mine, ISequenceRunner theirs, int images)
    {
        var a = new float[images * 10];
        var b = new float[images * 10];
        mine.Activate();
        mine.InferAll(a);
        theirs.Activate();
        theirs.InferAll(b);
        var result = new Agreement(0f, 0, 0, images);
        for (int n = 0; n < images; n++)
        {
            result = result.Add(n, a.AsSpan(n * 10, 10), b.AsSpan(n * 10, 10));
        }
        return result;
    }

    private Agreement Add(int image, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var next = this with { DigitMismatches = DigitMismatches + (ArgMax.Of(a) == ArgMax.Of(b) ? 0 : 1) };
        for (int j = 0; j < a.Length; j++)
        {
            float difference = Math.Abs(a[j] - b[j]);
            // NaN is never <= anything: it becomes the maximum and fails the check.
            if (!(difference <= next.MaxDifference))
            {
                next = next with { MaxDifference = difference, Image = image };
            }
        }
        return next;
    }

    public bool Within(float tolerance) => MaxDifference <= tolerance && DigitMismatches == 0;

    public override string ToString() =>
        $"max |logit difference| {MaxDifference:G3} (image {Image}), digits differ on {DigitMismatches} of {Images} images";
}
