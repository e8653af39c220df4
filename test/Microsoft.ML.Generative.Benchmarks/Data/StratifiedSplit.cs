namespace Microsoft.ML.Generative.Benchmarks.Data;

/// <summary>The rows of one train/test split of a data set: dense row-major matrices and the test labels.</summary>
internal sealed record SplitData(string DataSet, int Seed, int FeatureCount, float[] Train, int TrainRows, float[] Test, int TestRows, bool[] TestIsAnomaly, int TrainAnomalies)
{
    public ReadOnlySpan<float> TrainRow(int i) => Train.AsSpan(i * FeatureCount, FeatureCount);
    public ReadOnlySpan<float> TestRow(int i) => Test.AsSpan(i * FeatureCount, FeatureCount);
}

/// <summary>
/// A stratified random split: within each class (normal, anomaly) a seeded shuffle puts round(fraction x count)
/// rows in the training part and the rest in the test part, so both parts keep the data set's anomaly rate.
/// The training part keeps its anomalies (the unsupervised protocol) but not their labels.
/// </summary>
internal static class StratifiedSplit
{
    public static SplitData Create(OddsDataSet data, double trainFraction, int seed)
    {
        var rng = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (bool cls in new[] { false, true })
        {
            var rows = Enumerable.Range(0, data.Rows).Where(i => data.IsAnomaly[i] == cls).ToArray();
            Shuffle(rows, rng);
            int trainCount = (int)Math.Round(trainFraction * rows.Length, MidpointRounding.AwayFromZero);
            train.AddRange(rows.Take(trainCount));
            test.AddRange(rows.Skip(trainCount));
        }
        // Mix the classes so that no row order effect (normals first) reaches any method.
        var trainRows = train.ToArray();
        var testRows = test.ToArray();
        Shuffle(trainRows, rng);
        Shuffle(testRows, rng);
        return new SplitData(data.Name, seed, data.FeatureCount,
            Gather(data, trainRows), trainRows.Length,
            Gather(data, testRows), testRows.Length,
            testRows.Select(i => data.IsAnomaly[i]).ToArray(),
            trainRows.Count(i => data.IsAnomaly[i]));
    }

    private static void Shuffle(int[] a, Random rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }

    private static float[] Gather(OddsDataSet data, int[] rows)
    {
        int d = data.FeatureCount;
        var result = new float[rows.Length * d];
        for (int r = 0; r < rows.Length; r++)
            data.Row(rows[r]).CopyTo(result.AsSpan(r * d, d));
        return result;
    }
}
