using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Trains a Real NVP normalizing flow (Dinh, Sohl-Dickstein and Bengio, 2016) on a float-vector column by maximum
    /// likelihood. The fitted <see cref="RealNvpTransformer"/> adds an exact log-likelihood and an anomaly score per
    /// row, the latent vector, and an anomaly flag; it can also draw new rows. Create it with
    /// <c>mlContext.Generative().RealNvp(...)</c>.
    /// </summary>
    public sealed class RealNvpEstimator : IEstimator<RealNvpTransformer>
    {
        private readonly IHost _host;
        private readonly RealNvpOptions _options;

        internal RealNvpEstimator(IHostEnvironment env, RealNvpOptions options)
        {
            _host = (env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(RealNvpEstimator));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _options.Validate();
        }

        /// <summary>Checks the input schema shape and returns the output shape: the input plus Score, LogLikelihood, Latent and PredictedLabel.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a vector of Single.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            string name = _options.FeatureColumnName;
            var column = inputSchema.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' was not found. Expected a vector of Single (float) features; build one with ml.Transforms.Concatenate(\"{name}\", ...).");
            if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' has type {(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ")}{column.ItemType}; expected a vector of Single (float).");
            return SchemaShapes.With(inputSchema,
                SchemaShapes.Scalar(RealNvpTransformer.ScoreColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpTransformer.LogLikelihoodColumnName, NumberDataViewType.Single),
                SchemaShapes.Vector(RealNvpTransformer.LatentColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpTransformer.PredictedLabelColumnName, BooleanDataViewType.Instance));
        }

        /// <summary>
        /// Trains the flow. Progress and validation loss per epoch go to the context's log (<c>MLContext.Log</c>);
        /// <c>MLContext.CancelExecution()</c> stops training with an <see cref="OperationCanceledException"/> and no model.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or has the wrong type.</exception>
        /// <exception cref="InvalidOperationException">The data has fewer than 2 rows, vectors of differing lengths, or NaN/infinite values (the message names the row).</exception>
        public RealNvpTransformer Fit(IDataView input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            using var threads = new TorchThreadsScope(_options.NumberOfThreads);
            using var ch = _host.Start("Training Real NVP");
            void ThrowIfCanceled() => HostCancellation.ThrowIfCanceled(_host);

            var device = TorchDevice.Resolve(_options.Device);
            var data = FeatureMatrix.Read(input, _options.FeatureColumnName, ThrowIfCanceled);
            if (data.Rows < 2)
                throw new InvalidOperationException($"The training data has {data.Rows} row in column '{_options.FeatureColumnName}'; expected at least 2.");
            int d = data.Features;
            int seed = _options.Seed ?? _host.Rand.Next();

            var (train, trainRows, validation, validationRows) = data.SplitForValidation(_options.ValidationFraction, seed);
            ch.InfoInvariant($"Real NVP: {data.Rows} rows x {d} features; {trainRows} for training, {validationRows} held out for validation.");

            var (means, stdDevs) = Standardization(train, trainRows, d, ch);
            var architecture = new RealNvpArchitecture
            {
                Features = d,
                Couplings = _options.NumberOfCouplingLayers,
                HiddenSize = _options.ResolveHiddenLayerSize(d),
                HiddenLayers = _options.NumberOfHiddenLayers,
                Activation = _options.Activation,
                Normalization = _options.Normalization,
                BoundLogScale = _options.BoundLogScale,
            };
            RealNvpNetwork network;
            using (new SeededGlobalGeneratorScope(seed))
                network = _options.StandardizeFeatures
                    ? new RealNvpNetwork(architecture, means, stdDevs)
                    : new RealNvpNetwork(architecture, new float[d], Enumerable.Repeat(1f, d).ToArray());
            if (device.type != DeviceType.CPU) network.to(device);

            try
            {
                TrainingSummary summary;
                float[] noise = _options.TrainingNoise > 0 ? stdDevs.Select(s => s * _options.TrainingNoise).ToArray() : null;
                using (var objective = new RealNvpTrainingObjective(network, train, trainRows, validation, validationRows, d,
                    _options.BatchSize, noise, _options.TrimFraction, seed, device))
                {
                    objective.Initialize();
                    summary = TrainingLoop.Run(objective, new TrainingSettings
                    {
                        MaxEpochs = _options.MaxEpochs,
                        LearningRate = _options.LearningRate,
                        FinalLearningRateFraction = _options.LearningRateSchedule == LearningRateSchedule.Cosine ? 0.01 : 1.0,
                        WeightDecay = _options.WeightDecay,
                        GradientClipNorm = _options.GradientClipNorm,
                        EarlyStoppingPatience = _options.EarlyStoppingPatience,
                    }, ch, ThrowIfCanceled);
                }
                network.eval();

                float threshold = Threshold(network, device, train, trainRows, validation, validationRows, _options.AnomalyFalsePositiveRate, ch);
                ch.InfoInvariant($"Training finished ({summary.StopReason}); best epoch {summary.BestEpoch}, loss {summary.BestLoss:F4}; anomaly threshold {threshold:F4} (Score quantile {1 - _options.AnomalyFalsePositiveRate:0.###}).");
                return new RealNvpTransformer(_host, new RealNvpModel(network, _options.FeatureColumnName, threshold,
                    _options.AnomalyFalsePositiveRate, _options.ScoringBatchSize, summary, device));
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        private static (float[] means, float[] stdDevs) Standardization(float[] rows, int n, int d, IChannel ch)
        {
            var mean = new double[d];
            var m2 = new double[d];
            for (int r = 0; r < n; r++)
                for (int j = 0; j < d; j++)
                {
                    // Welford: stable for large offsets.
                    double x = rows[r * d + j], delta = x - mean[j];
                    mean[j] += delta / (r + 1);
                    m2[j] += delta * (x - mean[j]);
                }
            var means = new float[d];
            var stdDevs = new float[d];
            for (int j = 0; j < d; j++)
            {
                means[j] = (float)mean[j];
                double std = Math.Sqrt(m2[j] / Math.Max(1, n - 1));
                if (!(std > 1e-12 * Math.Max(1, Math.Abs(mean[j]))))
                {
                    ch.WarningInvariant($"Feature {j} is constant ({mean[j]}) in the training rows; its density is a narrow spike around that value and rows that differ in it score as strongly anomalous.");
                    std = Math.Max(1e-3, 1e-3 * Math.Abs(mean[j]));
                }
                stdDevs[j] = (float)std;
            }
            return (means, stdDevs);
        }

        /// <summary>
        /// The (1 - FPR) quantile of held-out scores. Training rows are not used when any are held out: the model was
        /// fitted to them, so their scores are optimistic and a threshold from them flags far too many new rows. An
        /// empirical quantile needs about 1/FPR rows (100 for 1%); with fewer, the threshold is the larger of the
        /// empirical quantile and a normal-tail extrapolation (mean + z * std of the held-out scores).
        /// </summary>
        private static float Threshold(RealNvpNetwork network, Device device, float[] train, int trainRows, float[] validation, int validationRows,
            float falsePositiveRate, IChannel ch)
        {
            if (validationRows == 0)
            {
                ch.WarningInvariant($"No rows are held out (ValidationFraction = 0): the anomaly threshold comes from training rows, whose scores are optimistic, so it will flag more than {falsePositiveRate:P1} of new normal rows.");
                return Quantile(ScoreRows(network, device, train, trainRows), 1 - falsePositiveRate);
            }
            var scores = ScoreRows(network, device, validation, validationRows);
            float empirical = Quantile(scores, 1 - falsePositiveRate);
            int needed = (int)Math.Ceiling(1 / falsePositiveRate);
            if (validationRows >= needed || validationRows < 2)
                return empirical;
            var finite = scores.Where(float.IsFinite).Select(v => (double)v).ToArray();
            double mean = finite.Average();
            double std = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, finite.Length - 1));
            float normalTail = (float)(mean + StandardNormalQuantile(1 - falsePositiveRate) * std);
            ch.InfoInvariant($"Only {validationRows} rows are held out, fewer than the {needed} an empirical {falsePositiveRate:P1} quantile needs: the anomaly threshold is the larger of that quantile ({empirical:F4}) and a normal-tail estimate ({normalTail:F4}).");
            return Math.Max(empirical, normalTail);
        }

        /// <summary>Inverse CDF of the standard normal (Acklam's rational approximation, relative error below 1.2e-9).</summary>
        internal static double StandardNormalQuantile(double p)
        {
            if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p));
            double[] a = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
            double[] b = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
            double[] c = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
            double[] d = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
            const double low = 0.02425;
            if (p < low)
            {
                double q = Math.Sqrt(-2 * Math.Log(p));
                return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            }
            if (p > 1 - low)
                return -StandardNormalQuantile(1 - p);
            double r = p - 0.5, t = r * r;
            return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * r / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
        }

        private static float[] ScoreRows(RealNvpNetwork network, Device device, float[] rows, int n)
        {
            int d = network.Architecture.Features;
            var scores = new float[n];
            const int chunk = 8192;
            using var noGrad = no_grad();
            for (int start = 0; start < n; start += chunk)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(chunk, n - start);
                var x = tensor(rows.AsSpan(start * d, count * d).ToArray(), new long[] { count, d }).to(device);
                var ll = network.LogLikelihood(x).cpu().data<float>().ToArray();
                for (int i = 0; i < count; i++) scores[start + i] = float.IsNaN(ll[i]) ? float.PositiveInfinity : -ll[i];
            }
            return scores;
        }

        /// <summary>Linear-interpolation quantile (type 7) of <paramref name="values"/>.</summary>
        internal static float Quantile(float[] values, double q)
        {
            var sorted = (float[])values.Clone();
            Array.Sort(sorted);
            double h = (sorted.Length - 1) * q;
            int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, sorted.Length - 1);
            double value = sorted[lo] + (h - lo) * ((double)sorted[hi] - sorted[lo]);
            return double.IsNaN(value) ? sorted[hi] : (float)value;
        }
    }
}
