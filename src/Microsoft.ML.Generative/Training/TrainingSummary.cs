using System.Collections.Generic;

namespace Microsoft.ML.Generative
{
    /// <summary>How a Fit went: the per-epoch history, which epoch's weights the model holds, and why it stopped.</summary>
    public sealed class TrainingSummary
    {
        internal TrainingSummary(IReadOnlyList<EpochRecord> history, int bestEpoch, double? bestLoss, TrainingStopReason stopReason, int skippedSteps)
        {
            History = history;
            BestEpoch = bestEpoch;
            BestLoss = bestLoss;
            StopReason = stopReason;
            SkippedSteps = skippedSteps;
        }

        /// <summary>One record per completed epoch.</summary>
        public IReadOnlyList<EpochRecord> History { get; }

        /// <summary>The epoch whose weights the model holds (0 = the initial weights, when no epoch improved on them).</summary>
        public int BestEpoch { get; }

        /// <summary>The monitored loss (validation if any, else training) of <see cref="BestEpoch"/>; null if no epoch completed.</summary>
        public double? BestLoss { get; }

        /// <summary>Why training ended.</summary>
        public TrainingStopReason StopReason { get; }

        /// <summary>Optimizer steps skipped because the gradient was not finite.</summary>
        public int SkippedSteps { get; }
    }
}
