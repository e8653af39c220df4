namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A seeded stratified split of labelled lines, the same procedure as the ODDS protocol's
/// <see cref="Data.StratifiedSplit"/>: within each class (normal first, then alert) the line indices are shuffled by a
/// Fisher-Yates shuffle driven by <c>new System.Random(seed)</c> (a fixed, documented algorithm for an explicit seed)
/// and the first round(fraction x count) (midpoint away from zero) go to the training part, the rest to the test
/// part. Both parts are returned in file order, so the result depends only on the seed and the labels.
/// For BGL's 1,857 normal and 143 alert lines a 50/50 split trains on 929 normal lines and tests 928 normal and
/// 71 alert lines.
/// </summary>
internal static class StratifiedLineSplit
{
    public static (int[] train, int[] test) Create(IReadOnlyList<bool> isPositive, double trainFraction, int seed)
    {
        if (!(trainFraction > 0 && trainFraction < 1)) throw new ArgumentException("The training fraction must be in (0, 1).");
        var rng = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (bool cls in new[] { false, true })
        {
            var rows = Enumerable.Range(0, isPositive.Count).Where(i => isPositive[i] == cls).ToArray();
            for (int i = rows.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }
            int trainCount = (int)Math.Round(trainFraction * rows.Length, MidpointRounding.AwayFromZero);
            train.AddRange(rows.Take(trainCount));
            test.AddRange(rows.Skip(trainCount));
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }
}
