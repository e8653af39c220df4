using Microsoft.ML.Data;
using System.Collections.Generic;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>Input columns followed by a model's output columns; an output hides an input column of the same name.</summary>
    internal static class ScoredSchema
    {
        public static DataViewSchema Build(DataViewSchema input, IReadOnlyList<ScoredColumn> outputs)
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(input);
            foreach (var c in outputs)
                builder.AddColumn(c.Name, c.Type);
            return builder.ToSchema();
        }
    }
}
