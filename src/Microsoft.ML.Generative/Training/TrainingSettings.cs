namespace Microsoft.ML.Generative.Training
{
    /// <summary>Optimisation settings shared by every model family (validated by the options classes).</summary>
    internal sealed record TrainingSettings
    {
        public int MaxEpochs { get; init; }
        public double LearningRate { get; init; }
        public double WeightDecay { get; init; }
        /// <summary>Maximum global gradient norm; 0 or less disables clipping.</summary>
        public double GradientClipNorm { get; init; }
        /// <summary>Epochs without improvement of the monitored loss before stopping; 0 disables early stopping.</summary>
        public int EarlyStoppingPatience { get; init; }
        /// <summary>Cosine decay of the learning rate, step by step, to this fraction of it over the run; 1 keeps it constant.</summary>
        public double FinalLearningRateFraction { get; init; } = 1.0;
        /// <summary>
        /// Wall-clock budget for training (steps and validation passes); null for none. When set, the cosine schedule follows whichever of
        /// steps or time is further along, and training ends (after a validation pass) once the budget is used.
        /// </summary>
        public System.TimeSpan? MaxTrainingTime { get; init; }
        /// <summary>
        /// Decay per optimizer step of an exponential moving average of the parameters (<see cref="ParameterAverage"/>);
        /// null for none. When set, validation, the best-epoch snapshot and so the final model use the averaged weights.
        /// </summary>
        public double? ParameterAveragingDecay { get; init; }
    }
}
