using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Numerics;
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
    public sealed class RealNvpEstimator : GenerativeEstimator<RealNvpTransformer>
    {
        private readonly RealNvpOptions _options;

        internal RealNvpEstimator(IHostEnvironment env, RealNvpOptions options) : base(env, options, "Training Real NVP", RealNvpTransformer.Outputs)
            => _options = options;

        private protected override void CheckInputShape(SchemaShape inputSchema) => InputShape.FloatVector(inputSchema, _options.FeatureColumnName);

        /// <summary>
        /// Reads the feature column (checked: length, finiteness), holds out ValidationFraction of the rows, standardises
        /// with the training rows' statistics, trains, and sets the anomaly threshold from the held-out rows' scores.
        /// </summary>
        private protected override RealNvpTransformer FitCore(IDataView input, FitContext context)
        {
            var ch = context.Channel;
            var data = FeatureMatrix.Read(input, _options.FeatureColumnName, context.ThrowIfCanceled);
            if (data.Rows < 2)
                throw new InvalidOperationException($"The training data has {data.Rows} row in column '{_options.FeatureColumnName}'; expected at least 2.");
            int d = data.Features;
            var (train, trainRows, validation, validationRows) = data.SplitForValidation(_options.ValidationFraction, context.Seed);
            ch.InfoInvariant($"Real NVP: {data.Rows} rows x {d} features; {trainRows} for training, {validationRows} held out for validation.");

            var (means, stdDevs) = FeatureStandardization.Compute(train, trainRows, d, ch);
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
            var network = context.Build(context.Seed, () => _options.StandardizeFeatures
                ? new RealNvpNetwork(architecture, means, stdDevs)
                : new RealNvpNetwork(architecture, new float[d], Enumerable.Repeat(1f, d).ToArray()));
            try
            {
                TrainingSummary summary;
                float[] noise = _options.TrainingNoise > 0 ? stdDevs.Select(s => s * _options.TrainingNoise).ToArray() : null;
                using (var objective = new RealNvpTrainingObjective(network, train, trainRows, validation, validationRows, d,
                    _options.BatchSize, noise, _options.TrimFraction, context.Seed, context.Device))
                    summary = context.Train(objective);

                var device = context.Device;
                float threshold = AnomalyThreshold.Choose(ScoreRows(network, device, validation, validationRows),
                    () => ScoreRows(network, device, train, trainRows), _options.AnomalyFalsePositiveRate, ch);
                ch.InfoInvariant($"Training finished ({summary.StopReason}); best epoch {summary.BestEpoch}, loss {summary.BestLoss:F4}; anomaly threshold {threshold:F4} (Score quantile {1 - _options.AnomalyFalsePositiveRate:0.###}).");
                return new RealNvpTransformer(Host, new RealNvpModel(network, _options.FeatureColumnName, threshold,
                    _options.AnomalyFalsePositiveRate, _options.ScoringBatchSize, summary, device));
            }
            catch
            {
                network.Dispose();
                throw;
            }
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
    }
}
