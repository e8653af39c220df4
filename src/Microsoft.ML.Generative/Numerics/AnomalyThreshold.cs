using System;
using System.Linq;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.Numerics
{
    /// <summary>
    /// The score above which a row is flagged as an anomaly: the (1 - FPR) quantile of the scores of rows held out from
    /// training. Training rows are not used when any are held out: the model was fitted to them, so their scores are
    /// optimistic and a threshold from them flags far too many new rows. An empirical quantile needs about 1/FPR rows (100
    /// for 1%); with fewer, the threshold is the larger of the empirical quantile and a normal-tail extrapolation
    /// (mean + z * std of the held-out scores).
    /// </summary>
    internal static class AnomalyThreshold
    {
        /// <param name="heldOutScores">Scores of the held-out rows (may be empty).</param>
        /// <param name="trainingScores">Scores of the training rows; computed only when no rows were held out.</param>
        /// <param name="falsePositiveRate">Target share of normal rows flagged, in (0, 1).</param>
        /// <param name="channel">Receives a warning or note when the threshold is less reliable than usual.</param>
        public static float Choose(float[] heldOutScores, Func<float[]> trainingScores, float falsePositiveRate, IChannel channel)
        {
            if (heldOutScores.Length == 0)
            {
                channel.WarningInvariant($"No rows are held out (ValidationFraction = 0): the anomaly threshold comes from training rows, whose scores are optimistic, so it will flag more than {falsePositiveRate:P1} of new normal rows.");
                return Quantile.Of(trainingScores(), 1 - falsePositiveRate);
            }
            float empirical = Quantile.Of(heldOutScores, 1 - falsePositiveRate);
            int needed = (int)Math.Ceiling(1 / falsePositiveRate);
            if (heldOutScores.Length >= needed || heldOutScores.Length < 2)
                return empirical;
            var finite = heldOutScores.Where(float.IsFinite).Select(v => (double)v).ToArray();
            double mean = finite.Average();
            double std = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, finite.Length - 1));
            float normalTail = (float)(mean + Quantile.StandardNormal(1 - falsePositiveRate) * std);
            channel.InfoInvariant($"Only {heldOutScores.Length} rows are held out, fewer than the {needed} an empirical {falsePositiveRate:P1} quantile needs: the anomaly threshold is the larger of that quantile ({empirical:F4}) and a normal-tail estimate ({normalTail:F4}).");
            return Math.Max(empirical, normalTail);
        }
    }
}
