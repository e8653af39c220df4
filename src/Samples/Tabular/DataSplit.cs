using System;
using System.Collections.Generic;
using System.Linq;

namespace Samples.Tabular
{
    /// <summary>A seeded train/test split that keeps each label's share the same in both parts (stratified).</summary>
    internal static class DataSplit
    {
        /// <returns>Row indices of the training and the test part, each in ascending order.</returns>
        public static (int[] train, int[] test) Stratified(NumericTable table, double trainFraction, int seed)
        {
            var random = new Random(seed);
            var train = new List<int>();
            var test = new List<int>();
            // Without labels the whole table is one stratum.
            var strata = Enumerable.Range(0, table.Count).GroupBy(i => table.HasLabels ? table.Labels[i] : 0f).OrderBy(g => g.Key);
            foreach (var stratum in strata)
            {
                var rows = stratum.ToArray();
                random.Shuffle(rows);
                int trainCount = (int)Math.Round(rows.Length * trainFraction);
                train.AddRange(rows.Take(trainCount));
                test.AddRange(rows.Skip(trainCount));
            }
            train.Sort();
            test.Sort();
            return (train.ToArray(), test.ToArray());
        }
    }
}
