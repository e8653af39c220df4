namespace Microsoft.ML.Generative
{
    /// <summary>Why training ended.</summary>
    public enum TrainingStopReason
    {
        /// <summary>All MaxEpochs epochs ran.</summary>
        MaxEpochsReached,
        /// <summary>The monitored loss stopped improving for EarlyStoppingPatience epochs.</summary>
        EarlyStopping,
        /// <summary>The training loss became NaN or infinite; the model holds the best weights seen before that.</summary>
        Diverged,
        /// <summary>The MaxTrainingTime budget was used up; the model holds the best weights seen by then.</summary>
        TimeLimitReached,
    }
}
