namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// Settings of the plain hand-written Fashion-MNIST loop (<see cref="PlainImageTraining"/>); the network itself is the
/// issue's fixed one (<see cref="PlainImageRealNvp"/>). Defaults: the Adam 1e-3 and batch 64, with a cosine
/// schedule over the budget as every side of a comparison has. Change with <c>--plain "Name=Value;..."</c>;
/// <c>CosineSchedule=false</c> gives the constant rate.
/// </summary>
internal sealed class PlainImageOptions
{
    /// <summary>Peak Adam learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>lr0 x (1 + cos(pi x t / budget)) / 2 before every step, t the time since the run started; false: constant.</summary>
    public bool CosineSchedule { get; set; } = true;

    public int BatchSize { get; set; } = 64;

    /// <summary>Images per forward pass when scoring (does not change the result).</summary>
    public int EvaluationBatchSize { get; set; } = 500;
}
