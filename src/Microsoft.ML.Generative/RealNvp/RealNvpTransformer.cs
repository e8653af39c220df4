using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// A trained Real NVP flow. <see cref="GenerativeTransformer.Transform"/> keeps every input column and adds:
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
    public sealed class RealNvpTransformer : GenerativeTransformer, ILoadableTransformer<RealNvpTransformer>
    {
        /// <summary>Name of the anomaly score column, -log p(x).</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Name of the log-likelihood column, log p(x).</summary>
        public const string LogLikelihoodColumnName = "LogLikelihood";
        /// <summary>Name of the latent vector column, z = f(x).</summary>
        public const string LatentColumnName = "Latent";
        /// <summary>Name of the boolean anomaly flag column, Score &gt; Threshold.</summary>
        public const string PredictedLabelColumnName = "PredictedLabel";

        /// <summary>The output columns, in order.</summary>
        internal static readonly OutputColumn[] Outputs =
        {
            new OutputColumn(ScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(LogLikelihoodColumnName, NumberDataViewType.Single),
            new OutputColumn(LatentColumnName, NumberDataViewType.Single, IsVector: true),
            new OutputColumn(PredictedLabelColumnName, BooleanDataViewType.Instance),
        };

        internal RealNvpTransformer(IHostEnvironment env, RealNvpModel model) : base(env, nameof(RealNvpTransformer), model)
            => Model = model;

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
            using var generator = new Generator((ulong)(seed ?? Host.Rand.Next()), CPU);
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

        static IModelSerializer ILoadableTransformer<RealNvpTransformer>.Serializer => RealNvpModelSerializer.Instance;

        static RealNvpTransformer ILoadableTransformer<RealNvpTransformer>.Load(IHostEnvironment env, byte[] payload)
            => new RealNvpTransformer(env, RealNvpModelSerializer.Instance.Deserialize(payload));
    }
}
