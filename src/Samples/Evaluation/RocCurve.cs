using System;
using System.Collections.Generic;
using System.Linq;

namespace Samples.Evaluation
{
    /// <summary>
    /// The exact ROC curve of a score (higher = more anomalous) against 0/1 labels: one point per distinct score,
    /// from (0,0) to (1,1). Tied scores form one diagonal step, so the area is the usual tie-aware AUC
    /// (the probability that an anomaly outscores a normal row, ties counting half).
    /// </summary>
    internal sealed class RocCurve
    {
        private RocCurve(IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> points, double area)
        {
            Points = points;
            Area = area;
        }

        public IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> Points { get; }
        public double Area { get; }

        /// <param name="scores">One score per row; NaN is not allowed (+/-Infinity is).</param>
        /// <param name="labels">1 = anomaly (positive), 0 = normal.</param>
        public static RocCurve Compute(IReadOnlyList<float> scores, IReadOnlyList<float> labels)
        {
            if (scores.Count != labels.Count) throw new ArgumentException("scores and labels differ in length.");
            if (scores.Any(float.IsNaN)) throw new ArgumentException("scores contain NaN.");
            int positives = labels.Count(l => l == 1f), negatives = labels.Count - positives;
            if (positives == 0 || negatives == 0) throw new ArgumentException("the ROC curve needs both anomalies and normal rows.");

            // Walk the rows from the highest score down, lowering the threshold one distinct score at a time.
            var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
            var points = new List<(double, double)> { (0, 0) };
            int truePositives = 0, falsePositives = 0;
            double area = 0, previousFpr = 0, previousTpr = 0;
            for (int k = 0; k < order.Length; k++)
            {
                if (labels[order[k]] == 1f) truePositives++; else falsePositives++;
                bool lastOfTie = k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]];
                if (!lastOfTie) continue;
                double fpr = falsePositives / (double)negatives, tpr = truePositives / (double)positives;
                area += (fpr - previousFpr) * (tpr + previousTpr) / 2; // trapezoid: exact for steps and tie diagonals
                points.Add((fpr, tpr));
                (previousFpr, previousTpr) = (fpr, tpr);
            }
            return new RocCurve(points, area);
        }
    }
}
