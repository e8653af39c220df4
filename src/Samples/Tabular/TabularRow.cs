namespace Samples.Tabular
{
    /// <summary>
    /// One input row as ML.NET sees it. The features travel as one vector column, so a PredictionEngine over
    /// this class serves a CSV with any number of columns (a class with one property per column could not).
    /// </summary>
    public sealed class TabularRow
    {
        public const string ValuesColumn = nameof(Values);
        public const string LabelColumn = nameof(Label);

        /// <summary>The feature values, in the order of NumericTable.FeatureNames.</summary>
        public float[] Values { get; set; }

        /// <summary>1 = anomaly, 0 = normal (0 for unlabelled data). Single, as ML.NET's anomaly evaluator expects.</summary>
        public float Label { get; set; }
    }
}
