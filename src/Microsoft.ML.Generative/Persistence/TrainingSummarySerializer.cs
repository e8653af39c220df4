using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Generative.Persistence
{
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
