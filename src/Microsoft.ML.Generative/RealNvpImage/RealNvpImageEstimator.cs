using System;
using System.Collections.Generic;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Trains the multi-scale Real NVP for images (Dinh, Sohl-Dickstein and Bengio, 2016) on a pixel-vector column by
    /// maximum likelihood of the dequantized pixels. The fitted <see cref="RealNvpImageTransformer"/> adds an exact
    /// log-likelihood, bits per dimension and the latent vector per image, and draws and interpolates images. Create it
    /// with <c>mlContext.Generative().RealNvpImage(...)</c>.
    /// </summary>
    public sealed class RealNvpImageEstimator : GenerativeEstimator<RealNvpImageTransformer>
    {
        private readonly RealNvpImageOptions _options;

        internal RealNvpImageEstimator(IHostEnvironment env, RealNvpImageOptions options) : base(env, options, "Training image Real NVP", RealNvpImageTransformer.Outputs)
            => _options = options;

        private int Dimensions => _options.Channels * _options.Height * _options.Width;

        private protected override void CheckInputShape(SchemaShape inputSchema)
            => InputShape.FloatVector(inputSchema, _options.FeatureColumnName, $"with {Dimensions} pixel values (Channels x Height x Width)");

        /// <summary>
        /// Reads the pixel column (checked: size, integer levels in range), holds out ValidationFraction of the images,
        /// trains on dequantized pixels, and measures the typical bits/dim of the held-out images for TypicalityScore.
        /// </summary>
        private protected override RealNvpImageTransformer FitCore(IDataView input, FitContext context)
        {
            var o = _options;
            var ch = context.Channel;
            var data = ImageColumn.ReadTraining(input, o.FeatureColumnName, o.Channels, o.Height, o.Width, new PixelLevels(o.PixelLevels, o.ModelLevels),
                context.ThrowIfCanceled);

            var (train, trainRows, validation, validationRows) = data.SplitForValidation(o.ValidationFraction, context.Seed);
            ch.InfoInvariant($"Image Real NVP: {data.Rows} images of {o.Channels}x{o.Height}x{o.Width}, {o.ModelLevels} levels; {trainRows} for training, {validationRows} held out for validation.");

            var network = context.Build(context.Seed, () => new RealNvpImageNetwork(o.Architecture(), o.ModelLevels, o.LogitAlpha));
            try
            {
                TrainingSummary summary;
                using (var objective = new RealNvpImageTrainingObjective(network, train, trainRows, validation, validationRows,
                    o.BatchSize, o.ScaleL2, context.Seed, context.Device))
                    summary = context.Train(objective);
                ch.InfoInvariant($"Training finished ({summary.StopReason}); best epoch {summary.BestEpoch}, {summary.BestLoss:F4} bits/dim.");
                var typicality = MeasureTypicality(network, train, trainRows, validation, validationRows, context.Device, ch);
                NativeKernels.KernelFallbackWarnings.LogNew(network, ch); // also for the scoring batch size used just above
                return new RealNvpImageTransformer(Host, new RealNvpImageModel(network, o.FeatureColumnName, o.PixelLevels,
                    o.ScoringBatchSize, summary, context.Device, typicality));
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The typical bits/dim of the trained model on images it did not train on (the validation images), or, without
        /// validation images, on the training images, whose bits/dim are usually somewhat lower than new images'.
        /// </summary>
        private TypicalityReference MeasureTypicality(RealNvpImageNetwork network, float[] train, int trainRows, float[] validation,
            int validationRows, Device device, IChannel ch)
        {
            bool useValidation = validationRows >= 2;
            var a = network.Architecture;
            // Scored as the transformer scores: one forward pass at the bin centres.
            Tensor LogLikelihood(Tensor x, Tensor _) => network.Encode(x + 0.5f).logLikelihood;
            var reference = TypicalityReference.Measure(LogLikelihood, useValidation ? validation : train, null, useValidation ? validationRows : trainRows,
                a.Channels, a.Height, a.Width, _options.ScoringBatchSize, device);
            if (reference is null)
                ch.WarningInvariant($"Fewer than 2 reference images have a finite likelihood; the model has no TypicalityScore column.");
            else
                ch.InfoInvariant($"Typical bits/dim (bin centres, {reference.Count} {(useValidation ? "validation" : "training")} images): {reference.MeanBitsPerDimension:F4} ± {reference.StandardDeviation:F4}.");
            return reference;
        }
    }
}
