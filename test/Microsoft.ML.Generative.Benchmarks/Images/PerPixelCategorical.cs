namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// The independent-pixels baseline: one categorical distribution per pixel over its levels, fitted by counting with
/// add-one smoothing. Its bits per pixel are a discrete NLL, comparable with a flow's dequantized bits/dim.
/// </summary>
internal sealed class PerPixelCategorical
{
    private readonly double[,] _bits; // -log2 P(pixel p = level v)

    private PerPixelCategorical(double[,] bits) => _bits = bits;

    /// <summary>Fits the model to <paramref name="images"/> (integer levels 0..levels-1, as float).</summary>
    public static PerPixelCategorical Fit(IReadOnlyList<float[]> images, int levels)
    {
        int pixels = images[0].Length;
        var counts = new int[pixels, levels];
        foreach (var x in images)
            for (int p = 0; p < pixels; p++) counts[p, (int)x[p]]++;
        var bits = new double[pixels, levels];
        for (int p = 0; p < pixels; p++)
            for (int v = 0; v < levels; v++)
                bits[p, v] = -Math.Log2((counts[p, v] + 1.0) / (images.Count + levels));
        return new PerPixelCategorical(bits);
    }

    /// <summary>-log2 P(image) / pixels.</summary>
    public double BitsPerPixel(float[] image)
    {
        double total = 0;
        for (int p = 0; p < image.Length; p++) total += _bits[p, (int)image[p]];
        return total / image.Length;
    }

    /// <summary>
    /// -ln P(pixels from <paramref name="firstPixel"/> on) in nats: with independent pixels this is also their
    /// probability given the pixels before (the image-completion comparison).
    /// </summary>
    public double NatsFrom(float[] image, int firstPixel)
    {
        double total = 0;
        for (int p = firstPixel; p < image.Length; p++) total += _bits[p, (int)image[p]];
        return total * Math.Log(2);
    }

    /// <summary>Mean bits per pixel over <paramref name="images"/>.</summary>
    public double MeanBitsPerPixel(IEnumerable<float[]> images) => images.Average(BitsPerPixel);
}
