using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// A trained Real NVP flow. <see cref="Transform"/> keeps every input column and adds:
    /// <list type="bullet">
    /// <item><description><c>Score</c> (float): -log p(x) in nats; higher means more anomalous.</description></item>
    /// <item><description><c>LogLikelihood</c> (float): log p(x), an exact log-density in the units of the input features.</description></item>
    /// <item><description><c>Latent</c> (vector of float, same size as the input): z = f(x); <see cref="Inverse"/> maps it back.</description></item>
    /// <item><description><c>PredictedLabel</c> (bool): Score &gt; <see cref="Threshold"/>.</description></item>
    /// </list>
    /// Rows are scored in batches inside the cursor. A row with a NaN or infinite feature raises an
    /// <see cref="InvalidOperationException"/> naming the column, row and slot. A finite row so far outside the
    /// training data that float32 arithmetic overflows inside the flow gets LogLikelihood = -Infinity and
    /// Score = +Infinity (never NaN). Transform is safe to use from several threads at once.
    /// </summary>
    public sealed class RealNvpTransformer : ITransformer, IDisposable
    {
        /// <summary>Name of the anomaly score column, -log p(x).</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Name of the log-likelihood column, log p(x).</summary>
        public const string LogLikelihoodColumnName = "LogLikelihood";
        /// <summary>Name of the latent vector column, z = f(x).</summary>
        public const string LatentColumnName = "Latent";
        /// <summary>Name of the boolean anomaly flag column, Score &gt; Threshold.</summary>
        public const string PredictedLabelColumnName = "PredictedLabel";

        internal const string LoaderSignature = "GenerativeRealNvp";
        internal const string ModelSignature = "GENRNVP ";

        private readonly IHost _host;
        private readonly ScoringModel _scoring;

        internal RealNvpTransformer(IHostEnvironment env, RealNvpModel model)
        {
            _host = env.Register(nameof(RealNvpTransformer));
            Model = model;
            _scoring = new ScoringModel(model);
        }

        internal RealNvpModel Model { get; }

        /// <summary>Name of the input feature column.</summary>
        public string FeatureColumnName => Model.FeatureColumnName;

        /// <summary>Number of features per row (the size of the input and of <c>Latent</c>).</summary>
        public int FeatureCount => Model.Features;

        /// <summary>
        /// Score above which <c>PredictedLabel</c> is true: the (1 - AnomalyFalsePositiveRate) quantile of the scores of
        /// the rows held out from training (of the training rows when none were held out).
        /// </summary>
        public float Threshold => Model.Threshold;

        /// <summary>The training history, the epoch whose weights the model holds, and why training stopped.</summary>
        public TrainingSummary TrainingSummary => Model.TrainingSummary;

        /// <summary>Always true: the transformer maps rows one to one.</summary>
        public bool IsRowToRowMapper => true;

        /// <summary>The input schema plus the four output columns.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing, not a float vector, or of a different size.</exception>
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            _scoring.CheckInputSchema(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)));
            return ScoredSchema.Build(inputSchema, _scoring.OutputColumns);
        }

        /// <summary>Adds the output columns, lazily: nothing is computed until the result is cursored.</summary>
        public IDataView Transform(IDataView input) => new BatchScoringDataView(input ?? throw new ArgumentNullException(nameof(input)), _scoring);

        /// <summary>A row-to-row mapper for single predictions (used by PredictionEngine).</summary>
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
            => new BatchScoringRowMapper(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), _scoring);

        /// <summary>
        /// Draws <paramref name="count"/> new rows from the learned density: z ~ N(0, temperature^2 I), x = f^-1(z).
        /// The result has one column, named like the input feature column, in the original (unstandardised) units.
        /// </summary>
        /// <param name="count">Number of rows (0 or more).</param>
        /// <param name="temperature">Scale of the latent draws; below 1 favours typical rows. Default 1.</param>
        /// <param name="seed">Seed of the draws; the same seed gives the same rows. Default null: drawn from the context's random source.</param>
        public IDataView Sample(int count, float temperature = 1f, int? seed = null)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
            if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a finite number >= 0.");
            int d = FeatureCount;
            var values = new float[(long)count * d];
            using var generator = new Generator((ulong)(seed ?? _host.Rand.Next()), CPU);
            const int chunk = 4096;
            using (no_grad())
                for (int start = 0; start < count; start += chunk)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(chunk, count - start);
                    Model.Network.Sample(n, temperature, generator).cpu().data<float>().CopyTo(values.AsSpan(start * d, n * d));
                }
            return new InMemoryVectorDataView(FeatureColumnName, values, count, d);
        }

        /// <summary>The exact inverse of <c>Latent</c>: x = f^-1(z), in the original units.</summary>
        /// <exception cref="ArgumentException"><paramref name="latent"/> does not have <see cref="FeatureCount"/> finite values.</exception>
        public float[] Inverse(float[] latent)
        {
            if (latent is null) throw new ArgumentNullException(nameof(latent));
            if (latent.Length != FeatureCount)
                throw new ArgumentException($"The latent vector has {latent.Length} values; expected {FeatureCount}.", nameof(latent));
            for (int i = 0; i < latent.Length; i++)
                if (!float.IsFinite(latent[i]))
                    throw new ArgumentException($"Latent value {i} is {latent[i]}; expected a finite number.", nameof(latent));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var z = tensor(latent, new long[] { 1, latent.Length }).to(Model.Device);
            return Model.Network.Decode(z).cpu().data<float>().ToArray();
        }

        void ICanSaveModel.Save(ModelSaveContext ctx)
            => ModelZipEntry.Save(ctx, ModelZipEntry.Version(ModelSignature, LoaderSignature), RealNvpModelSerializer.Serialize(Model));

        /// <summary>Releases the network's native memory.</summary>
        public void Dispose() => Model.Dispose();

        /// <summary>Adapts the model to the batching data view and row mapper.</summary>
        private sealed class ScoringModel : IBatchScoringModel
        {
            private readonly RealNvpModel _model;

            public ScoringModel(RealNvpModel model)
            {
                _model = model;
                OutputColumns = new[]
                {
                    new ScoredColumn(ScoreColumnName, NumberDataViewType.Single),
                    new ScoredColumn(LogLikelihoodColumnName, NumberDataViewType.Single),
                    new ScoredColumn(LatentColumnName, new VectorDataViewType(NumberDataViewType.Single, model.Features)),
                    new ScoredColumn(PredictedLabelColumnName, BooleanDataViewType.Instance),
                };
            }

            public IReadOnlyList<ScoredColumn> OutputColumns { get; }
            public int ScoringBatchSize => _model.ScoringBatchSize;

            public IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema)
                => new[] { VectorColumn.Check(schema, _model.FeatureColumnName, _model.Features).column };

            public RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity)
                => new RealNvpBatchScorer(_model, inputRow, inputColumns[0], capacity);
        }
    }
}
