using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// Images (and class ids) as an IDataView with a fixed-size <c>Pixels</c> vector column and an Int32 <c>Label</c>
/// column, for images of any size.
/// </summary>
internal static class ImageRows
{
    public const string PixelsColumn = "Pixels";

    private sealed class Row
    {
        public float[] Pixels { get; set; }
        public int Label { get; set; }
    }

    /// <param name="labels">Class ids, or null (the Label column is then 0 everywhere and unused).</param>
    public static IDataView Load(MLContext ml, IReadOnlyList<float[]> images, IReadOnlyList<int> labels = null)
    {
        if (images.Count == 0) throw new ArgumentException("No images.", nameof(images));
        if (labels is not null && labels.Count != images.Count) throw new ArgumentException("One label per image.", nameof(labels));
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, images[0].Length);
        return ml.Data.LoadFromEnumerable(images.Select((x, i) => new Row { Pixels = x, Label = labels?[i] ?? 0 }), schema);
    }
}
