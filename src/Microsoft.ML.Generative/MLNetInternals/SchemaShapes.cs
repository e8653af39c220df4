using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Builds SchemaShape columns for estimators' GetOutputSchema (SchemaShape.Column's constructor is internal).</summary>
    internal static class SchemaShapes
    {
        public static SchemaShape.Column Scalar(string name, DataViewType itemType)
            => new SchemaShape.Column(name, SchemaShape.Column.VectorKind.Scalar, itemType, isKey: false);

        public static SchemaShape.Column Vector(string name, DataViewType itemType)
            => new SchemaShape.Column(name, SchemaShape.Column.VectorKind.Vector, itemType, isKey: false);

        /// <summary>The shape of a column a model adds.</summary>
        public static SchemaShape.Column Of(OutputColumn column) => column.IsVector ? Vector(column.Name, column.ItemType) : Scalar(column.Name, column.ItemType);

        /// <summary>The input shape with <paramref name="added"/> columns added (replacing same-named ones).</summary>
        public static SchemaShape With(SchemaShape input, params SchemaShape.Column[] added)
        {
            var columns = input.ToDictionary(c => c.Name);
            foreach (var c in added) columns[c.Name] = c;
            return new SchemaShape(columns.Values);
        }
    }
}
