using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Persistence
{
    /// <summary>
    /// The saved form of a Real NVP model (format 1), inside a <see cref="ModelContainer"/>: architecture, column name,
    /// threshold, scoring settings, training summary, then the network's state dict.
    /// </summary>
    internal static class RealNvpModelSerializer
    {
        public const string Kind = "RealNvp";
        public const int FormatVersion = 1;

        public static byte[] Serialize(RealNvpModel model)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream))
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
                byte[] state = TorchModuleState.ToBytes(model.Network);
                w.Write(state.Length);
                w.Write(state);
            }
            return ModelContainer.Wrap(Kind, FormatVersion, stream.ToArray());
        }

        /// <summary>Rebuilds the model on the CPU.</summary>
        public static RealNvpModel Deserialize(byte[] container)
        {
            var (body, _) = ModelContainer.Unwrap(container, Kind, FormatVersion);
            using var r = new BinaryReader(new MemoryStream(body));
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
            byte[] state = r.ReadBytes(r.ReadInt32());
            int d = architecture.Features;
            // Placeholder statistics: the saved buffers overwrite them.
            var network = new RealNvpNetwork(architecture, new float[d], Enumerable.Repeat(1f, d).ToArray());
            try
            {
                TorchModuleState.Load(network, state);
            }
            catch
            {
                network.Dispose();
                throw;
            }
            return new RealNvpModel(network, column, threshold, fpr, Math.Max(1, scoringBatchSize), summary, CPU);
        }
    }

    /// <summary>Binary form of a <see cref="TrainingSummary"/>.</summary>
    internal static class TrainingSummarySerializer
    {
        public static void Write(BinaryWriter w, TrainingSummary s)
        {
            w.Write(s.History.Count);
            foreach (var e in s.History)
            {
                w.Write(e.Epoch);
                w.Write(e.TrainingLoss);
                w.Write(e.ValidationLoss.HasValue);
                w.Write(e.ValidationLoss ?? 0);
                w.Write(e.Seconds);
                w.Write(e.ItemsPerSecond);
            }
            w.Write(s.BestEpoch);
            w.Write(s.BestLoss.HasValue);
            w.Write(s.BestLoss ?? 0);
            w.Write((int)s.StopReason);
            w.Write(s.SkippedSteps);
        }

        public static TrainingSummary Read(BinaryReader r)
        {
            int count = r.ReadInt32();
            if (count < 0) throw new InvalidDataException("Invalid training history length.");
            var history = new List<EpochRecord>(count);
            for (int i = 0; i < count; i++)
            {
                int epoch = r.ReadInt32();
                double train = r.ReadDouble();
                bool hasValidation = r.ReadBoolean();
                double validation = r.ReadDouble();
                history.Add(new EpochRecord(epoch, train, hasValidation ? validation : null, r.ReadDouble(), r.ReadDouble()));
            }
            int bestEpoch = r.ReadInt32();
            bool hasBest = r.ReadBoolean();
            double best = r.ReadDouble();
            return new TrainingSummary(history, bestEpoch, hasBest ? best : null, (TrainingStopReason)r.ReadInt32(), r.ReadInt32());
        }
    }
}
