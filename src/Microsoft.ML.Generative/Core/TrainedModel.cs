using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Everything a trained transformer holds (its networks and what ML.NET needs around them), as one family defines it:
    /// the input it reads, the columns it adds, how it scores a batch and how it is saved. The shared transformer
    /// (<see cref="GenerativeTransformer"/>), the batching data view and the row mapper work through this and nothing else.
    /// </summary>
    internal abstract class TrainedModel : IBatchScoringModel, IDisposable
    {
        protected TrainedModel(TrainingSummary trainingSummary, int scoringBatchSize, Device device)
        {
            TrainingSummary = trainingSummary;
            ScoringBatchSize = scoringBatchSize;
            Device = device;
        }

        /// <summary>How Fit went (for the first model, where a family trains two).</summary>
        public TrainingSummary TrainingSummary { get; }

        /// <summary>Rows per model call inside a cursor.</summary>
        public int ScoringBatchSize { get; }

        /// <summary>Where the networks live (a loaded model is on the CPU).</summary>
        public Device Device { get; }

        /// <summary>The family's saved form.</summary>
        public abstract IModelSerializer Serializer { get; }

        /// <inheritdoc />
        public abstract IReadOnlyList<ScoredColumn> OutputColumns { get; }

        /// <inheritdoc />
        public abstract IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema);

        /// <inheritdoc />
        public abstract RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity);

        /// <summary>Releases the networks' native memory.</summary>
        public abstract void Dispose();
    }
}
