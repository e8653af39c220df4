using System.Collections;

namespace Microsoft.ML.Generative.Benchmarks.Data;

/// <summary>
/// A lazily generated, repeatable stream of synthetic rows: a mixture of three Gaussians with correlated features
/// (x_j = mu_kj + e_j + 0.5 e_(j-1)). Every enumeration restarts the seeded generator, so two cursors over the same
/// IDataView see the same rows (as the IDataView contract requires); nothing is held in memory. Each enumerator reuses
/// one row object (ML.NET copies the values out in its getters), so the source itself allocates nothing per row.
/// </summary>
internal sealed class SyntheticRows : IEnumerable<FeatureRow>
{
    private readonly long _count;
    private readonly int _features;
    private readonly int _seed;

    public SyntheticRows(long count, int features, int seed)
    {
        _count = count;
        _features = features;
        _seed = seed;
    }

    /// <summary>The first <paramref name="rows"/> rows as a dense row-major matrix.</summary>
    public float[] Materialize(int rows)
    {
        var values = new float[rows * _features];
        int r = 0;
        foreach (var row in this)
        {
            if (r == rows) break;
            row.Features.CopyTo(values, r++ * _features);
        }
        return values;
    }

    public IEnumerator<FeatureRow> GetEnumerator()
    {
        var rng = new Random(_seed);
        var means = new float[3][];
        var meanRng = new Random(12345);
        for (int k = 0; k < 3; k++)
            means[k] = Enumerable.Range(0, _features).Select(_ => (float)(4 * meanRng.NextDouble() - 2)).ToArray();
        var row = new FeatureRow { Features = new float[_features] };
        for (long i = 0; i < _count; i++)
        {
            var mu = means[rng.Next(3)];
            double previous = 0;
            for (int j = 0; j < _features; j++)
            {
                double e = Gaussian(rng);
                row.Features[j] = (float)(mu[j] + e + 0.5 * previous);
                previous = e;
            }
            yield return row;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
