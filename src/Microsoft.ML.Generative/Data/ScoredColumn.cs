using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>An output column produced by a <see cref="RowBatchScorer"/>.</summary>
    internal sealed record ScoredColumn(string Name, DataViewType Type);
}
