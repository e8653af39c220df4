using System;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.Numerics
{
    /// <summary>Per-feature mean and standard deviation of training rows, for a flow's fixed standardisation layer.</summary>
    internal static class FeatureStandardization
    {
        /// <summary>
        /// Means and sample standard deviations of the <paramref name="d"/> features of <paramref name="n"/> row-major
        /// rows (Welford's method: stable for large offsets). A constant feature gets a small positive deviation and a
        /// warning, since its density is a spike.
        /// </summary>
        public static (float[] means, float[] stdDevs) Compute(float[] rows, int n, int d, IChannel channel)
        {
            var mean = new double[d];
            var m2 = new double[d];
            for (int r = 0; r < n; r++)
                for (int j = 0; j < d; j++)
                {
                    double x = rows[r * d + j], delta = x - mean[j];
                    mean[j] += delta / (r + 1);
                    m2[j] += delta * (x - mean[j]);
                }
            var means = new float[d];
            var stdDevs = new float[d];
            for (int j = 0; j < d; j++)
            {
                means[j] = (float)mean[j];
                double std = Math.Sqrt(m2[j] / Math.Max(1, n - 1));
                if (!(std > 1e-12 * Math.Max(1, Math.Abs(mean[j]))))
                {
                    channel.WarningInvariant($"Feature {j} is constant ({mean[j]}) in the training rows; its density is a narrow spike around that value and rows that differ in it score as strongly anomalous.");
                    std = Math.Max(1e-3, 1e-3 * Math.Abs(mean[j]));
                }
                stdDevs[j] = (float)std;
            }
            return (means, stdDevs);
        }
    }
}
