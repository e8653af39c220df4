using System;
using System.IO;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The saved form of an image Real NVP: architecture, pixel levels, logit margin, column name, scoring settings,
    /// training summary, the network's state dict (normalisation statistics included, so scores are identical after
    /// loading), then the typicality reference.
    /// </summary>
    /// <remarks>
    /// Format versions: 1 had no typicality reference (such models load without a TypicalityScore column); 2 added it;
    /// 3 stores the normalisation after the couplings as a <see cref="FlowNormalization"/> (ActNorm became possible)
    /// where 1 and 2 stored a "batch norm after couplings" flag.
    /// </remarks>
    internal sealed class RealNvpImageModelSerializer : ModelSerializer<RealNvpImageModel>
    {
        /// <summary>Names the loader in model zips; never changes.</summary>
        public const string LoaderSignatureName = "GenerativeRealNvpImage";

        public static readonly RealNvpImageModelSerializer Instance = new RealNvpImageModelSerializer();

        private RealNvpImageModelSerializer() : base(kind: "RealNvpImage", currentVersion: 3, modelSignature: "GENRNVPI", loaderSignature: LoaderSignatureName) { }

        protected override void Write(BinaryWriter w, RealNvpImageModel model)
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
            w.Write((int)a.Normalization);
            w.Write(a.BoundLogScale);
            w.Write(model.Pixels.InputLevels);
            w.Write(model.Network.Levels);
            w.Write(model.Network.Alpha);
            w.Write(model.FeatureColumnName);
            w.Write(model.ScoringBatchSize);
            TrainingSummarySerializer.Write(w, model.TrainingSummary);
            WriteNetwork(w, model.Network);
            TypicalityReference.WriteOptional(w, model.Typicality);
        }

        protected override RealNvpImageModel Read(BinaryReader r, int version)
        {
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
                Normalization = version >= 3 ? (FlowNormalization)r.ReadInt32()
                    : r.ReadBoolean() ? FlowNormalization.BatchNorm : FlowNormalization.None,
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
            var network = ReadNetwork(r, () => new RealNvpImageNetwork(architecture, modelLevels, alpha));
            try
            {
                var typicality = version >= 2 ? TypicalityReference.ReadOptional(r, "image Real NVP") : null;
                return new RealNvpImageModel(network, column, inputLevels, Math.Max(1, scoringBatchSize), summary, CPU, typicality);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }
}
