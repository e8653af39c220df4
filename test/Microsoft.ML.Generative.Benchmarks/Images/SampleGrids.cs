namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>The sample grids every image benchmark writes: 64 samples (seed 1) at temperatures 0.7 and 1.0, each pixel drawn 2 x 2.</summary>
internal static class SampleGrids
{
    /// <summary>Writes <c>{name}-t0.7.png</c> and <c>{name}-t1.0.png</c> into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(RealNvpImageTransformer model, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        foreach (float t in new[] { 0.7f, 1.0f })
            model.SaveImageGrid(model.Sample(64, t, seed: 1), Path.Combine(directory, $"{name}-t{t:0.0}.png"), columns: 8, pixelSize: 2);
    }
}
