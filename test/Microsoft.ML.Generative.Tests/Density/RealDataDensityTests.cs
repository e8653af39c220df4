using System.Globalization;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Generative.Tests.Density;

/// <summary>On real data (../shared/data), the flow is a better density model than a full-covariance Gaussian.</summary>
public class RealDataDensityTests
{
    private readonly ITestOutputHelper _out;
    public RealDataDensityTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void FlowBeatsAFullCovarianceGaussianOnHeldOutMammographyRows()
    {
        // ODDS mammography: 11,183 rows x 6 features, label last (1 = anomaly). Normal rows only, split 70/30.
        var rows = File.ReadLines(SharedData.File("tabular", "anomaly", "mammography.csv")).Skip(1)
            .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Where(v => v[^1] == 0).Select(v => v[..^1]).ToArray();
        Assert.True(rows.Length > 10000, $"expected the full data set, read {rows.Length} normal rows");
        var rng = new Random(7);
        var shuffled = rows.OrderBy(_ => rng.Next()).ToArray(); // a fixed shuffle
        int split = shuffled.Length * 7 / 10;
        var train = shuffled[..split];
        var test = shuffled[split..];

        var ml = new MLContext(1);
        var flow = ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 15, NumberOfCouplingLayers = 6, Seed = 1 }).Fit(Rows.Load(ml, train));
        double flowLogLikelihood = flow.Transform(Rows.Load(ml, test)).GetColumn<float>("LogLikelihood").Average();
        double gaussianLogLikelihood = GaussianHeldOutLogLikelihood(train, test);
        _out.WriteLine($"held-out mean log-likelihood: flow {flowLogLikelihood:F3}, Gaussian {gaussianLogLikelihood:F3}");
        Assert.True(flowLogLikelihood > gaussianLogLikelihood + 1.0, $"flow {flowLogLikelihood:F3} vs Gaussian {gaussianLogLikelihood:F3}");
    }

    /// <summary>Mean log N(x; mean, cov) over <paramref name="test"/>, fitted on <paramref name="train"/> (Cholesky, double).</summary>
    private static double GaussianHeldOutLogLikelihood(float[][] train, float[][] test)
    {
        int d = train[0].Length, n = train.Length;
        var mean = new double[d];
        foreach (var r in train) for (int j = 0; j < d; j++) mean[j] += r[j] / (double)n;
        var cov = new double[d, d];
        foreach (var r in train)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) cov[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (n - 1);
        var l = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = cov[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(s) : s / l[j, j];
            }
        double logDet = Enumerable.Range(0, d).Sum(i => Math.Log(l[i, i]));
        return test.Average(x =>
        {
            var e = new double[d];
            for (int i = 0; i < d; i++)
            {
                double s = x[i] - mean[i];
                for (int k = 0; k < i; k++) s -= l[i, k] * e[k];
                e[i] = s / l[i, i];
            }
            return -0.5 * e.Sum(v => v * v) - 0.5 * d * Math.Log(2 * Math.PI) - logDet;
        });
    }
}
