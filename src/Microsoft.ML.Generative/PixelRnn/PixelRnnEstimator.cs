using System;
using System.Linq;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.PixelModels;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Trains a pixel-autoregressive image model (the Pixel-RNN family: gated PixelCNN or Row LSTM) on a pixel-vector
    /// column by maximum likelihood of the discrete pixels. The fitted <see cref="PixelRnnTransformer"/> adds an exact
    /// log-likelihood and bits per dimension per image, draws images and completes occluded ones. Create it with
    /// <c>mlContext.Generative().PixelRnn(...)</c>.
    /// </summary>
    public sealed class PixelRnnEstimator : GenerativeEstimator<PixelRnnTransformer>
    {
        private readonly PixelRnnOptions _options;

        internal PixelRnnEstimator(IHostEnvironment env, PixelRnnOptions options) : base(env, options, "Training Pixel RNN", PixelRnnTransformer.Outputs)
            => _options = options;

        private int Dimensions => _options.Channels * _options.Height * _options.Width;

        private protected override void CheckInputShape(SchemaShape inputSchema)
        {
            InputShape.FloatVector(inputSchema, _options.FeatureColumnName, $"with {Dimensions} pixel values (Channels x Height x Width)");
            if (_options.LabelColumnName is string label) ClassLabelColumn.CheckShape(inputSchema, label);
        }

        /// <summary>
        /// Reads the pixel column (checked: size, integer levels in range) and the optional label column, holds out
        /// ValidationFraction of the images, trains, and measures the typical bits/dim of the held-out images for
        /// TypicalityScore.
        /// </summary>
        private protected override PixelRnnTransformer FitCore(IDataView input, FitContext context)
        {
            var o = _options;
            var labelColumn = o.LabelColumnName is string name ? ClassLabelColumn.Check(input.Schema, name) : null;
            var ch = context.Channel;
            var data = ImageColumn.ReadTraining(input, o.FeatureColumnName, o.Channels, o.Height, o.Width, new PixelLevels(o.PixelLevels, o.ModelLevels),
                context.ThrowIfCanceled);

            long[] labels = null;
            int classes = 0;
            if (labelColumn is not null)
            {
                labels = ClassLabelColumn.ReadAll(input, labelColumn, context.ThrowIfCanceled);
                if (labels.Length != data.Rows)
                    throw new InvalidOperationException($"Column '{o.LabelColumnName}' has {labels.Length} rows and column '{o.FeatureColumnName}' {data.Rows}; expected the same rows.");
                classes = labelColumn.KeyCount is ulong keys ? (int)keys : o.NumberOfClasses ?? (int)(labels.Max() + 1);
                if (labelColumn.KeyCount is not null && o.NumberOfClasses is int declared && declared != classes)
                    throw new ArgumentOutOfRangeException(nameof(input), $"PixelRnnOptions.NumberOfClasses is {declared} but the key column '{o.LabelColumnName}' has {classes} values.");
                for (int r = 0; r < labels.Length; r++) labelColumn.Checked(labels[r], classes, r);
            }

            var (order, validationRows) = data.ValidationOrder(o.ValidationFraction, context.Seed);
            var (train, trainRows, validation, _) = data.Split(order, validationRows);
            long[] trainLabels = labels is null ? null : order.Skip(validationRows).Select(i => labels[i]).ToArray();
            long[] validationLabels = labels is null ? null : order.Take(validationRows).Select(i => labels[i]).ToArray();
            ch.InfoInvariant($"Pixel RNN ({o.Architecture}): {data.Rows} images of {o.Channels}x{o.Height}x{o.Width}, {o.ModelLevels} levels{(classes > 0 ? FormattableString.Invariant($", {classes} classes") : "")}; {trainRows} for training, {validationRows} held out for validation.");

            var architecture = o.ToArchitecture(classes);
            var network = context.Build(context.Seed, () => Create(architecture));
            try
            {
                TrainingSummary summary;
                using (var objective = new PixelRnnTrainingObjective(network, train, trainRows, trainLabels, validation, validationRows,
                    validationLabels, o.BatchSize, context.Seed, context.Device))
                    summary = context.Train(objective);
                ch.InfoInvariant($"Training finished ({summary.StopReason}); best epoch {summary.BestEpoch}, {summary.BestLoss:F4} bits/dim.");
                bool useValidation = validationRows >= 2;
                var reference = TypicalityReference.Measure((x, y) => PixelLikelihood.PerImage(network.Logits(x, y), x),
                    useValidation ? validation : train, useValidation ? validationLabels : trainLabels, useValidation ? validationRows : trainRows,
                    o.Channels, o.Height, o.Width, o.ScoringBatchSize, context.Device);
                if (reference is null)
                    ch.WarningInvariant($"Fewer than 2 reference images have a finite likelihood; the model has no TypicalityScore column.");
                else
                    ch.InfoInvariant($"Typical bits/dim ({reference.Count} {(useValidation ? "validation" : "training")} images): {reference.MeanBitsPerDimension:F4} ± {reference.StandardDeviation:F4}.");
                NativeKernels.KernelFallbackWarnings.LogNew(network, ch);
                return new PixelRnnTransformer(Host, new PixelRnnModel(network, o.FeatureColumnName, o.LabelColumnName,
                    labelColumn?.KeyCount is not null, o.PixelLevels, o.ScoringBatchSize, summary, context.Device, reference));
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        /// <summary>The network of <paramref name="architecture"/>'s kind.</summary>
        internal static PixelNetwork Create(PixelArchitecture architecture)
            => architecture.Kind == PixelArchitectureKind.RowLstm ? new RowLstm(architecture) : new GatedPixelCnn(architecture);
    }
}
