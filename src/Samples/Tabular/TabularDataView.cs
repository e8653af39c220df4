using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Samples.Tabular
{
    /// <summary>Turns a <see cref="NumericTable"/> into an ML.NET IDataView of <see cref="TabularRow"/>.</summary>
    internal static class TabularDataView
    {
        /// <summary>
        /// The schema of <see cref="TabularRow"/> with the vector size fixed (ML.NET needs it for a float[] member)
        /// and the feature names attached as slot names, so they survive into the Features column.
        /// </summary>
        public static SchemaDefinition Schema(NumericTable table)
        {
            var schema = SchemaDefinition.Create(typeof(TabularRow));
            var values = schema[TabularRow.ValuesColumn];
            int d = table.FeatureNames.Count;
            values.ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            var names = new VBuffer<ReadOnlyMemory<char>>(d, table.FeatureNames.Select(n => n.AsMemory()).ToArray());
            values.AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, d));
            return schema;
        }

        public static IDataView Create(MLContext ml, NumericTable table)
        {
            var rows = Enumerable.Range(0, table.Count)
                .Select(i => new TabularRow { Values = table.Rows[i], Label = table.HasLabels ? table.Labels[i] : 0f })
                .ToList();
            return ml.Data.LoadFromEnumerable(rows, Schema(table));
        }
    }
}
