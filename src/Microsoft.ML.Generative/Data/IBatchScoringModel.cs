using Microsoft.ML.Data;
using System.Collections.Generic;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>What the batching data view and row mapper need from a trained model.</summary>
    internal interface IBatchScoringModel
    {
        /// <summary>The one input column the model reads.</summary>
        string InputColumnName { get; }

        /// <summary>The columns the model adds, in order.</summary>
        IReadOnlyList<ScoredColumn> OutputColumns { get; }

        /// <summary>Rows per model call inside a cursor.</summary>
        int ScoringBatchSize { get; }

        /// <summary>Throws a clear exception when the schema's input column is missing or of the wrong type.</summary>
        DataViewSchema.Column CheckInputSchema(DataViewSchema schema);

        /// <summary>A scorer reading the input column from <paramref name="inputRow"/>.</summary>
        RowBatchScorer CreateScorer(DataViewRow inputRow, DataViewSchema.Column inputColumn, int capacity);
    }
}
