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
        /// <summary>Cosine decay of the learning rate to this fraction of it over MaxEpochs; 1 keeps it constant.</summary>
        public double FinalLearningRateFraction { get; init; } = 1.0;
    }
}
