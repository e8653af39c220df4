using System;
using System.IO;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.PixelModels;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The saved form of a Pixel RNN: architecture, pixel levels, column names, scoring settings, training summary, the
    /// network's state dict, then the typicality reference. Format 1.
    /// </summary>
    internal sealed class PixelRnnModelSerializer : ModelSerializer<PixelRnnModel>
    {
        /// <summary>Names the loader in model zips; never changes.</summary>
        public const string LoaderSignatureName = "GenerativePixelRnn";

        public static readonly PixelRnnModelSerializer Instance = new PixelRnnModelSerializer();

        private PixelRnnModelSerializer() : base(kind: "PixelRnn", currentVersion: 1, modelSignature: "GENPXRNN", loaderSignature: LoaderSignatureName) { }

        protected override void Write(BinaryWriter w, PixelRnnModel model)
        {
            var a = model.Architecture;
            w.Write((int)a.Kind);
            w.Write(a.Channels);
            w.Write(a.Height);
            w.Write(a.Width);
            w.Write(a.Levels);
            w.Write(a.FeatureMaps);
            w.Write(a.OutputFeatureMaps);
            w.Write(a.Layers);
            w.Write(a.KernelSize);
            w.Write(a.Classes);
            w.Write(model.Pixels.InputLevels);
            w.Write(model.FeatureColumnName);
            w.Write(model.LabelColumnName is not null);
            if (model.LabelColumnName is not null)
            {
                w.Write(model.LabelColumnName);
                w.Write(model.LabelIsKey);
            }
            w.Write(model.ScoringBatchSize);
            TrainingSummarySerializer.Write(w, model.TrainingSummary);
            WriteNetwork(w, model.Network);
            TypicalityReference.WriteOptional(w, model.Typicality);
        }

        protected override PixelRnnModel Read(BinaryReader r, int version)
        {
            var architecture = new PixelArchitecture
            {
                Kind = (PixelArchitectureKind)r.ReadInt32(),
                Channels = r.ReadInt32(),
                Height = r.ReadInt32(),
                Width = r.ReadInt32(),
                Levels = r.ReadInt32(),
                FeatureMaps = r.ReadInt32(),
                OutputFeatureMaps = r.ReadInt32(),
                Layers = r.ReadInt32(),
                KernelSize = r.ReadInt32(),
                Classes = r.ReadInt32(),
            };
            architecture.Validate();
            int inputLevels = r.ReadInt32();
            if (inputLevels < architecture.Levels)
                throw new InvalidDataException("The Pixel RNN model has invalid pixel levels.");
            string column = r.ReadString();
            string labelColumn = null;
            bool labelIsKey = false;
            if (r.ReadBoolean())
            {
                labelColumn = r.ReadString();
                labelIsKey = r.ReadBoolean();
            }
            if ((labelColumn is null) != (architecture.Classes == 0))
                throw new InvalidDataException("The Pixel RNN model's label column does not match its classes.");
            int scoringBatchSize = r.ReadInt32();
            var summary = TrainingSummarySerializer.Read(r);
            var network = ReadNetwork(r, () => PixelRnnEstimator.Create(architecture));
            try
            {
                var typicality = TypicalityReference.ReadOptional(r, "Pixel RNN");
                return new PixelRnnModel(network, column, labelColumn, labelIsKey, inputLevels, Math.Max(1, scoringBatchSize), summary, CPU, typicality);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }
}
