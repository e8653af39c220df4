using System;

namespace Microsoft.ML.Generative.Numerics
{
    /// <summary>Quantiles of samples and of the standard normal distribution.</summary>
    internal static class Quantile
    {
        /// <summary>Linear-interpolation quantile (type 7, as R's default and numpy's) of <paramref name="values"/>.</summary>
        public static float Of(float[] values, double q)
        {
            if (values is null || values.Length == 0) throw new ArgumentException("values must not be empty.", nameof(values));
            if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "must be in [0, 1].");
            var sorted = (float[])values.Clone();
            Array.Sort(sorted);
            double h = (sorted.Length - 1) * q;
            int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, sorted.Length - 1);
            double value = sorted[lo] + (h - lo) * ((double)sorted[hi] - sorted[lo]);
            return double.IsNaN(value) ? sorted[hi] : (float)value; // inf - inf between two infinite scores
        }

        /// <summary>Inverse CDF of the standard normal (Acklam's rational approximation, relative error below 1.2e-9).</summary>
        public static double StandardNormal(double p)
        {
            if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p));
            const double low = 0.02425;
            if (p < low)
            {
                double q = Math.Sqrt(-2 * Math.Log(p));
                return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
            }
            if (p > 1 - low)
                return -StandardNormal(1 - p);
            double r = p - 0.5, t = r * r;
            return (((((A[0] * t + A[1]) * t + A[2]) * t + A[3]) * t + A[4]) * t + A[5]) * r / (((((B[0] * t + B[1]) * t + B[2]) * t + B[3]) * t + B[4]) * t + 1);
        }

        private static readonly double[] A = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
        private static readonly double[] B = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
        private static readonly double[] C = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
        private static readonly double[] D = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
    }
}
