using Microsoft.ML.Generative.Benchmarks.Data;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// Full-covariance Gaussian baseline: the training part's mean and covariance (computed on standardised features,
/// with a ridge of <see cref="Ridge"/> added to the diagonal, i.e. 0.1% of each feature's variance), score = -log N(x)
/// in the original units. Everything in double precision; a hand-written Cholesky factorisation.
/// With <c>diagonal</c> the off-diagonal covariances are dropped: the score is then the sum of squared z-scores (plus a
/// constant), which is also what a flow computes before training (standardisation, identity couplings).
/// </summary>
internal sealed class GaussianDetector : IAnomalyDetector
{
    public const double Ridge = 1e-3;
    private readonly bool _diagonal;

    public GaussianDetector(bool diagonal = false) => _diagonal = diagonal;

    public string Key => _diagonal ? "diag" : "gaussian";
    public string Name => _diagonal ? "Gaussian (diagonal)" : "Gaussian (full cov.)";

    public DetectionResult Run(SplitData split)
    {
        int d = split.FeatureCount, n = split.TrainRows;
        var mean = new double[d];
        var std = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += split.Train[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) { double c = split.Train[r * d + j] - mean[j]; std[j] += c * c; }
        for (int j = 0; j < d; j++)
        {
            std[j] = Math.Sqrt(std[j] / (n - 1));
            if (!(std[j] > 1e-12)) std[j] = 1; // a constant feature: its ridge variance below keeps the matrix definite
        }

        var cov = new double[d, d];
        var z = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++) z[j] = (split.Train[r * d + j] - mean[j]) / std[j];
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++) cov[a, b] += z[a] * z[b];
        }
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++) cov[b, a] = cov[a, b] = _diagonal && a != b ? 0 : cov[a, b] / (n - 1);
            cov[a, a] += Ridge;
        }

        var lower = Cholesky(cov, d);
        double logDet = 0;
        for (int j = 0; j < d; j++) logDet += 2 * Math.Log(lower[j, j]) + 2 * Math.Log(std[j]);
        double constant = 0.5 * (logDet + d * Math.Log(2 * Math.PI));

        var scores = new float[split.TestRows];
        var y = new double[d];
        for (int r = 0; r < split.TestRows; r++)
        {
            // Solve L y = z by forward substitution; the Mahalanobis distance is |y|^2.
            double mahalanobis = 0;
            for (int a = 0; a < d; a++)
            {
                double v = (split.Test[r * d + a] - mean[a]) / std[a];
                for (int b = 0; b < a; b++) v -= lower[a, b] * y[b];
                y[a] = v / lower[a, a];
                mahalanobis += y[a] * y[a];
            }
            scores[r] = (float)(0.5 * mahalanobis + constant);
        }
        return new DetectionResult(scores);
    }

    private static double[,] Cholesky(double[,] a, int d)
    {
        var l = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new InvalidOperationException("covariance is not positive definite; increase the ridge.");
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        return l;
    }
}
