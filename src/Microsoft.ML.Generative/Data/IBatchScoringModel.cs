using Microsoft.ML.Data;
using System.Collections.Generic;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>What the batching data view and row mapper need from a trained model.</summary>
    internal interface IBatchScoringModel
    {
        /// <summary>The columns the model adds, in order.</summary>
        IReadOnlyList<ScoredColumn> OutputColumns { get; }

        /// <summary>Rows per model call inside a cursor.</summary>
        int ScoringBatchSize { get; }

        /// <summary>The input columns the model reads; throws a clear exception when one is missing or of the wrong type.</summary>
        IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema);

        /// <summary>
        /// A scorer reading the input columns (as returned by <see cref="CheckInputSchema"/>) from <paramref name="inputRow"/>;
        /// <paramref name="activeOutputs"/> says which outputs will be read, so costly unused ones can be skipped.
        /// </summary>
        RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity);
    }
}
