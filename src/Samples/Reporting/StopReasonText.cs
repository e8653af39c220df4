using System;
using Microsoft.ML.Generative;

namespace Samples.Reporting
{
    /// <summary>Why training stopped, in words, for the commands' summaries.</summary>
    internal static class StopReasonText
    {
        public static string Describe(TrainingSummary summary, int epochs, TimeSpan? budget) => summary.StopReason switch
        {
            TrainingStopReason.MaxEpochsReached => $"all {epochs} epochs ran",
            TrainingStopReason.EarlyStopping => "early stopping, the held-out loss no longer improved",
            TrainingStopReason.TimeLimitReached => $"the time budget of {budget?.TotalMinutes:0.##} min was used up",
            TrainingStopReason.Diverged => "the loss diverged (NaN or infinite); the model keeps the best weights before that",
            var other => other.ToString(),
        };
    }
}
