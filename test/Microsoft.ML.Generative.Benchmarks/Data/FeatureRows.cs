using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Benchmarks.Data;

/// <summary>An unlabeled row: what every method is trained on.</summary>
public sealed class FeatureRow
{
    public float[] Features { get; set; }
}

/// <summary>A test row with its label as Single 1/0, as ML.NET's anomaly evaluator wants it.</summary>
public sealed class LabeledFeatureRow
{
    public float[] Features { get; set; }
    public float Label { get; set; }
}

/// <summary>What a Real NVP transformer adds to a row (read by PredictionEngine).</summary>
public sealed class FlowPrediction
{
    public float Score { get; set; }
    public float LogLikelihood { get; set; }
    public float[] Latent { get; set; }
    public bool PredictedLabel { get; set; }
}

/// <summary>IDataViews over in-memory rows with a fixed-size Features vector (the size is known only at run time).</summary>
internal static class FeatureViews
{
    public static SchemaDefinition Schema<T>(int features)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    public static IDataView Unlabeled(MLContext ml, float[] values, int rows, int features)
    {
        var list = new FeatureRow[rows];
        for (int r = 0; r < rows; r++)
            list[r] = new FeatureRow { Features = values.AsSpan(r * features, features).ToArray() };
        return ml.Data.LoadFromEnumerable(list, Schema<FeatureRow>(features));
    }

    public static IDataView Labeled(MLContext ml, float[] values, bool[] isAnomaly, int features)
    {
        var list = new LabeledFeatureRow[isAnomaly.Length];
        for (int r = 0; r < list.Length; r++)
            list[r] = new LabeledFeatureRow { Features = values.AsSpan(r * features, features).ToArray(), Label = isAnomaly[r] ? 1f : 0f };
        return ml.Data.LoadFromEnumerable(list, Schema<LabeledFeatureRow>(features));
    }
}
