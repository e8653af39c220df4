using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// What every trained model of this library does as an ML.NET transformer: <see cref="Transform"/> keeps every input
    /// column and adds the model's output columns, lazily, scoring rows in batches inside the cursor (memory stays flat
    /// over any number of rows); <see cref="GetRowToRowMapper"/> serves <c>PredictionEngine</c>; the model saves into and
    /// loads from an ML.NET model zip (<c>mlContext.Model.Save/Load</c>) and then scores bit-identically. Transform is
    /// safe to use from several threads at once. Each family's transformer lists its columns and adds its own methods.
    /// </summary>
    public abstract class GenerativeTransformer : ITransformer, IDisposable
    {
        private readonly TrainedModel _model;

        /// <summary>Only this library's model families derive from the shared transformer.</summary>
        private protected GenerativeTransformer(IHostEnvironment env, string name, TrainedModel model)
        {
            Host = (env ?? throw new ArgumentNullException(nameof(env))).Register(name);
            _model = model ?? throw new ArgumentNullException(nameof(model));
        }

        /// <summary>The host this transformer was registered with (its random source seeds draws without an explicit seed).</summary>
        private protected IHost Host { get; }

        /// <summary>
        /// The training history, the epoch whose weights the model holds, and why training stopped (of the first model where
        /// a family trains two, as the bidirectional char-RNN does).
        /// </summary>
        public TrainingSummary TrainingSummary => _model.TrainingSummary;

        /// <summary>Always true: the transformer maps rows one to one.</summary>
        public bool IsRowToRowMapper => true;

        /// <summary>The input schema plus the output columns.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An input column is missing, has the wrong type or a different size than in training.</exception>
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            _model.CheckInputSchema(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)));
            return ScoredSchema.Build(inputSchema, _model.OutputColumns);
        }

        /// <summary>Adds the output columns, lazily: nothing is computed until the result is cursored.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An input column is missing, has the wrong type or a different size than in training.</exception>
        public IDataView Transform(IDataView input) => new BatchScoringDataView(input ?? throw new ArgumentNullException(nameof(input)), _model);

        /// <summary>A row-to-row mapper for single predictions (used by PredictionEngine).</summary>
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
            => new BatchScoringRowMapper(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), _model);

        void ICanSaveModel.Save(ModelSaveContext ctx) => ModelZipEntry.Save(ctx, _model.Serializer, _model.Serializer.Serialize(_model));

        /// <summary>Releases the model's native memory.</summary>
        public void Dispose() => _model.Dispose();
    }
}
