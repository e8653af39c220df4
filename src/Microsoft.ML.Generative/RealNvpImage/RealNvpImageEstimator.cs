using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Trains the multi-scale Real NVP for images (Dinh, Sohl-Dickstein and Bengio, 2016) on a pixel-vector column by
    /// maximum likelihood of the dequantized pixels. The fitted <see cref="RealNvpImageTransformer"/> adds an exact
    /// log-likelihood, bits per dimension and the latent vector per image, and draws and interpolates images. Create it
    /// with <c>mlContext.Generative().RealNvpImage(...)</c>.
    /// </summary>
    public sealed class RealNvpImageEstimator : IEstimator<RealNvpImageTransformer>
    {
        private readonly IHost _host;
        private readonly RealNvpImageOptions _options;

        internal RealNvpImageEstimator(IHostEnvironment env, RealNvpImageOptions options)
        {
            _host = (env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(RealNvpImageEstimator));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _options.Validate();
        }

        /// <summary>Checks the input schema shape and returns the output shape: the input plus Score, LogLikelihood, BitsPerDimension, Latent, ComplexityScore and TypicalityScore.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing, is not a vector of Single, or has a known size other than Channels x Height x Width.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            string name = _options.FeatureColumnName;
            int d = _options.Channels * _options.Height * _options.Width;
            var column = inputSchema.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' was not found. Expected a vector of Single with {d} pixel values (Channels x Height x Width).");
            if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' has type {(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ")}{column.ItemType}; expected a vector of Single with {d} pixel values.");
            return SchemaShapes.With(inputSchema,
                SchemaShapes.Scalar(RealNvpImageTransformer.ScoreColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpImageTransformer.LogLikelihoodColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpImageTransformer.BitsPerDimensionColumnName, NumberDataViewType.Single),
                SchemaShapes.Vector(RealNvpImageTransformer.LatentColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpImageTransformer.ComplexityScoreColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(RealNvpImageTransformer.TypicalityScoreColumnName, NumberDataViewType.Single));
        }

        /// <summary>
        /// The typical bits/dim of the trained model on images it did not train on (the validation images), or, without
        /// validation images, on the training images, whose bits/dim are usually somewhat lower than new images'.
        /// </summary>
        private TypicalityReference MeasureTypicality(RealNvpImageNetwork network, float[] train, int trainRows, float[] validation,
            int validationRows, Device device, IChannel ch)
        {
            bool useValidation = validationRows >= 2;
            var reference = useValidation
                ? TypicalityReference.Measure(network, validation, validationRows, _options.ScoringBatchSize, device)
                : TypicalityReference.Measure(network, train, trainRows, _options.ScoringBatchSize, device);
            if (reference is null)
                ch.WarningInvariant($"Fewer than 2 reference images have a finite likelihood; the model has no TypicalityScore column.");
            else
                ch.InfoInvariant($"Typical bits/dim (bin centres, {reference.Count} {(useValidation ? "validation" : "training")} images): {reference.MeanBitsPerDimension:F4} ± {reference.StandardDeviation:F4}.");
            return reference;
        }

        /// <summary>
        /// Trains the flow. Progress and validation bits/dim per epoch go to the context's log (<c>MLContext.Log</c>);
        /// <c>MLContext.CancelExecution()</c> stops training with an <see cref="OperationCanceledException"/> and no model.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing or has the wrong type or size.</exception>
        /// <exception cref="InvalidOperationException">Fewer than 2 images, a vector of the wrong length, or a value that is not an integer level in [0, PixelLevels) (the message names the row and slot).</exception>
        public RealNvpImageTransformer Fit(IDataView input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            var o = _options;
            int d = o.Channels * o.Height * o.Width;
            var (_, declaredSize) = VectorColumn.Check(input.Schema, o.FeatureColumnName);
            if (declaredSize != 0 && declaredSize != d)
                throw new ArgumentOutOfRangeException(nameof(input), $"Input column '{o.FeatureColumnName}' has {declaredSize} values per row; expected {d} = {o.Channels} x {o.Height} x {o.Width} (Channels x Height x Width).");
            using var threads = new TorchThreadsScope(o.NumberOfThreads);
            using var ch = _host.Start("Training image Real NVP");
            void ThrowIfCanceled() => HostCancellation.ThrowIfCanceled(_host);

            var device = TorchDevice.Resolve(o.Device);
            var data = FeatureMatrix.Read(input, o.FeatureColumnName, ThrowIfCanceled);
            if (data.Features != d)
                throw new InvalidOperationException($"Column '{o.FeatureColumnName}', row 0: the vector has {data.Features} values; expected {d} = {o.Channels} x {o.Height} x {o.Width} (Channels x Height x Width).");
            if (data.Rows < 2)
                throw new InvalidOperationException($"The training data has {data.Rows} image in column '{o.FeatureColumnName}'; expected at least 2.");
            var pixels = new PixelLevels(o.PixelLevels, o.ModelLevels);
            for (int r = 0; r < data.Rows; r++)
                pixels.CheckAndConvert(data.Values.AsSpan(r * d, d), o.FeatureColumnName, r);

            int seed = o.Seed ?? _host.Rand.Next();
            var (train, trainRows, validation, validationRows) = data.SplitForValidation(o.ValidationFraction, seed);
            ch.InfoInvariant($"Image Real NVP: {data.Rows} images of {o.Channels}x{o.Height}x{o.Width}, {o.ModelLevels} levels; {trainRows} for training, {validationRows} held out for validation.");

            RealNvpImageNetwork network;
            using (new SeededGlobalGeneratorScope(seed))
                network = new RealNvpImageNetwork(o.Architecture(), o.ModelLevels, o.LogitAlpha);
            if (device.type != DeviceType.CPU) network.to(device);

            try
            {
                TrainingSummary summary;
                using (var objective = new RealNvpImageTrainingObjective(network, train, trainRows, validation, validationRows,
                    o.BatchSize, o.ScaleL2, seed, device))
                {
                    summary = TrainingLoop.Run(objective, new TrainingSettings
                    {
                        MaxEpochs = o.MaxEpochs,
                        MaxTrainingTime = o.MaxTrainingTime,
                        LearningRate = o.LearningRate,
                        FinalLearningRateFraction = o.LearningRateSchedule == LearningRateSchedule.Cosine ? 0.01 : 1.0,
                        WeightDecay = o.WeightDecay,
                        GradientClipNorm = o.GradientClipNorm,
                        EarlyStoppingPatience = o.EarlyStoppingPatience,
                    }, ch, ThrowIfCanceled);
                }
                network.eval();
                ch.InfoInvariant($"Training finished ({summary.StopReason}); best epoch {summary.BestEpoch}, {summary.BestLoss:F4} bits/dim.");
                var typicality = MeasureTypicality(network, train, trainRows, validation, validationRows, device, ch);
                NativeKernels.KernelFallbackWarnings.LogNew(network, ch); // also for the scoring batch size used just above
                return new RealNvpImageTransformer(_host, new RealNvpImageModel(network, o.FeatureColumnName, o.PixelLevels,
                    o.ScoringBatchSize, summary, device, typicality));
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }
}
