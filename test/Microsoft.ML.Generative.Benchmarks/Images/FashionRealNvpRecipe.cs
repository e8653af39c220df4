namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// The image Real NVP's documented Fashion-MNIST recipe (docs/BENCHMARKS.md, section 10): the RealNvpImage defaults
/// with LearningRate 0.002, trained for a wall-clock budget (cosine over it) with no epoch limit or early stopping.
/// Every Fashion-MNIST comparison that runs the flow uses it, so they all measure the same flow.
/// </summary>
internal static class FashionRealNvpRecipe
{
    public const float LearningRate = 0.002f;

    public static RealNvpImageOptions Options(double minutes, int seed, float validationFraction) => new()
    {
        Channels = 1, Height = FashionMnist.Side, Width = FashionMnist.Side, LearningRate = LearningRate,
        Seed = seed, MaxEpochs = 1000, EarlyStoppingPatience = 0, MaxTrainingTime = TimeSpan.FromMinutes(minutes),
        ValidationFraction = validationFraction,
    };
}
