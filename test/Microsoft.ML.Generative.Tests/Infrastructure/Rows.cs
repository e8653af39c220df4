using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Row types and IDataView builders used across tests.</summary>
public static class Rows
{
    public sealed class VectorRow
    {
        public float[] Features { get; set; }
        public float Label { get; set; }
    }

    /// <summary>An IDataView with a fixed-size "Features" vector column (and a float "Label").</summary>
    public static IDataView Load(MLContext ml, IEnumerable<float[]> features, IEnumerable<float> labels = null)
    {
        var list = features.ToList();
        var labelList = labels?.ToList() ?? Enumerable.Repeat(0f, list.Count).ToList();
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, list.Count == 0 ? 2 : list[0].Length);
        return ml.Data.LoadFromEnumerable(list.Select((f, i) => new VectorRow { Features = f, Label = labelList[i] }), schema);
    }
}
