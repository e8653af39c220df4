namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// Area under the ROC curve of an anomaly score (higher = more anomalous), computed exactly as the Mann-Whitney
/// statistic: AUC = (sum of the anomalies' ranks - nA(nA+1)/2) / (nA nN), with tied scores given their average rank
/// (a tie between an anomaly and a normal row counts one half). A NaN score is treated as +infinity.
/// </summary>
internal static class RocAuc
{
    public static double Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> isAnomaly)
    {
        if (scores.Count != isAnomaly.Count) throw new ArgumentException("one label per score is needed.");
        int n = scores.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.Select(s => float.IsNaN(s) ? float.PositiveInfinity : s).ToArray();
        Array.Sort(keys, order);
        long anomalies = isAnomaly.Count(a => a), normals = n - anomalies;
        if (anomalies == 0 || normals == 0) throw new ArgumentException("both classes must be present.");

        double anomalyRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            double averageRank = 0.5 * (start + end) + 1; // 1-based ranks start+1 .. end+1
            for (int i = start; i <= end; i++)
                if (isAnomaly[order[i]]) anomalyRankSum += averageRank;
            start = end + 1;
        }
        return (anomalyRankSum - anomalies * (anomalies + 1) / 2.0) / ((double)anomalies * normals);
    }
}
