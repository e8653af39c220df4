using System;
using System.IO;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Persistence
{
    /// <summary>
    /// The saved form of an image Real NVP (format 2), inside a <see cref="ModelContainer"/>: architecture, pixel levels,
    /// logit margin, column name, scoring settings, training summary, the network's state dict (batch-norm running
    /// statistics included, so scores are identical after loading), then the typicality reference (added in format 2;
    /// format-1 models load without it and have no TypicalityScore column).
    /// </summary>
    internal static class RealNvpImageModelSerializer
    {
        public const string Kind = "RealNvpImage";
        public const int FormatVersion = 2;

        public static byte[] Serialize(RealNvpImageModel model)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream))
            {
                var a = model.Architecture;
                w.Write(a.Channels);
                w.Write(a.Height);
                w.Write(a.Width);
                w.Write(a.Scales);
                w.Write(a.FeatureMaps);
                w.Write(a.ResidualBlocks);
                w.Write((int)a.Activation);
                w.Write(a.ConditionerBatchNorm);
                w.Write(a.BatchNormAfterCouplings);
                w.Write(a.BoundLogScale);
                w.Write(model.Pixels.InputLevels);
                w.Write(model.Network.Levels);
                w.Write(model.Network.Alpha);
                w.Write(model.FeatureColumnName);
                w.Write(model.ScoringBatchSize);
                TrainingSummarySerializer.Write(w, model.TrainingSummary);
                byte[] state = TorchModuleState.ToBytes(model.Network);
                w.Write(state.Length);
                w.Write(state);
                w.Write(model.Typicality is not null);
                if (model.Typicality is { } t)
                {
                    w.Write(t.MeanBitsPerDimension);
                    w.Write(t.StandardDeviation);
                    w.Write(t.Count);
                }
            }
            return ModelContainer.Wrap(Kind, FormatVersion, stream.ToArray());
        }

        /// <summary>Rebuilds the model on the CPU.</summary>
        public static RealNvpImageModel Deserialize(byte[] container)
        {
            var (body, version) = ModelContainer.Unwrap(container, Kind, FormatVersion);
            using var r = new BinaryReader(new MemoryStream(body));
            var architecture = new ImageRealNvpArchitecture
            {
                Channels = r.ReadInt32(),
                Height = r.ReadInt32(),
                Width = r.ReadInt32(),
                Scales = r.ReadInt32(),
                FeatureMaps = r.ReadInt32(),
                ResidualBlocks = r.ReadInt32(),
                Activation = (ConditionerActivation)r.ReadInt32(),
                ConditionerBatchNorm = r.ReadBoolean(),
                BatchNormAfterCouplings = r.ReadBoolean(),
                BoundLogScale = r.ReadBoolean(),
            };
            architecture.Validate();
            int inputLevels = r.ReadInt32();
            int modelLevels = r.ReadInt32();
            double alpha = r.ReadDouble();
            if (inputLevels < 2 || modelLevels < 2 || modelLevels > inputLevels || !(alpha > 0 && alpha < 0.5))
                throw new InvalidDataException("The image Real NVP model has invalid pixel settings.");
            string column = r.ReadString();
            int scoringBatchSize = r.ReadInt32();
            var summary = TrainingSummarySerializer.Read(r);
            byte[] state = r.ReadBytes(r.ReadInt32());
            TypicalityReference typicality = null;
            if (version >= 2 && r.ReadBoolean())
            {
                double mean = r.ReadDouble(), spread = r.ReadDouble();
                int count = r.ReadInt32();
                if (!double.IsFinite(mean) || !(spread > 0) || !double.IsFinite(spread) || count < 2)
                    throw new InvalidDataException("The image Real NVP model has an invalid typicality reference.");
                typicality = new TypicalityReference(mean, spread, count);
            }
            var network = new RealNvpImageNetwork(architecture, modelLevels, alpha);
            try
            {
                TorchModuleState.Load(network, state);
            }
            catch
            {
                network.Dispose();
                throw;
            }
            return new RealNvpImageModel(network, column, inputLevels, Math.Max(1, scoringBatchSize), summary, CPU, typicality);
        }
    }
}
