namespace Microsoft.ML.Generative
{
    /// <summary>One line of the training history.</summary>
    /// <param name="Epoch">1-based epoch number.</param>
    /// <param name="TrainingLoss">Mean training loss of the epoch (per item, in nats).</param>
    /// <param name="ValidationLoss">Mean validation loss after the epoch, or null without validation data.</param>
    /// <param name="Seconds">Wall-clock seconds the epoch took (training steps only).</param>
    /// <param name="ItemsPerSecond">Training throughput of the epoch.</param>
    public sealed record EpochRecord(int Epoch, double TrainingLoss, double? ValidationLoss, double Seconds, double ItemsPerSecond);
}
