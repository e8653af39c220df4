using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The saved form of a Real NVP model (format 1): architecture, column name, threshold, scoring settings, training
    /// summary, then the network's state dict (standardisation statistics, ActNorm parameters and batch-norm running
    /// averages included).
    /// </summary>
    internal sealed class RealNvpModelSerializer : ModelSerializer<RealNvpModel>
    {
        /// <summary>Names the loader in model zips; never changes.</summary>
        public const string LoaderSignatureName = "GenerativeRealNvp";

        public static readonly RealNvpModelSerializer Instance = new RealNvpModelSerializer();

        private RealNvpModelSerializer() : base(kind: "RealNvp", currentVersion: 1, modelSignature: "GENRNVP ", loaderSignature: LoaderSignatureName) { }

        protected override void Write(BinaryWriter w, RealNvpModel model)
        {
            var a = model.Network.Architecture;
            w.Write(a.Features);
            w.Write(a.Couplings);
            w.Write(a.HiddenSize);
            w.Write(a.HiddenLayers);
            w.Write((int)a.Activation);
            w.Write((int)a.Normalization);
            w.Write(a.BoundLogScale);
            w.Write(model.FeatureColumnName);
            w.Write(model.Threshold);
            w.Write(model.AnomalyFalsePositiveRate);
            w.Write(model.ScoringBatchSize);
            TrainingSummarySerializer.Write(w, model.TrainingSummary);
            WriteNetwork(w, model.Network);
        }

        protected override RealNvpModel Read(BinaryReader r, int version)
        {
            var architecture = new RealNvpArchitecture
            {
                Features = r.ReadInt32(),
                Couplings = r.ReadInt32(),
                HiddenSize = r.ReadInt32(),
                HiddenLayers = r.ReadInt32(),
                Activation = (ConditionerActivation)r.ReadInt32(),
                Normalization = (FlowNormalization)r.ReadInt32(),
                BoundLogScale = r.ReadBoolean(),
            };
            architecture.Validate();
            string column = r.ReadString();
            float threshold = r.ReadSingle();
            float fpr = r.ReadSingle();
            int scoringBatchSize = r.ReadInt32();
            var summary = TrainingSummarySerializer.Read(r);
            int d = architecture.Features;
            // Placeholder statistics: the saved buffers overwrite them.
            var network = ReadNetwork(r, () => new RealNvpNetwork(architecture, new float[d], Enumerable.Repeat(1f, d).ToArray()));
            return new RealNvpModel(network, column, threshold, fpr, Math.Max(1, scoringBatchSize), summary, CPU);
        }
    }
}
