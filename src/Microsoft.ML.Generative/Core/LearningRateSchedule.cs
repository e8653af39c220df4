namespace Microsoft.ML.Generative
{
    /// <summary>How the learning rate changes over the epochs of training.</summary>
    public enum LearningRateSchedule
    {
        /// <summary>The learning rate stays constant.</summary>
        Constant,
        /// <summary>
        /// Cosine decay from the learning rate to 1% of it over MaxEpochs (epoch by epoch). Converges more tightly when
        /// training runs most of MaxEpochs; with early stopping it may end while the rate is still high.
        /// </summary>
        Cosine,
    }
}
