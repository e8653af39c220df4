namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// Fashion-MNIST as the image benchmarks use it, defined once for the plain loop and Fit alike:
/// <list type="bullet">
/// <item><see cref="Pool"/>: the training images (all 60,000, or the first <c>--train-images</c>). Fit gets the pool
/// with <c>ValidationFraction</c> = <see cref="ValidationFraction"/> and <c>Seed</c> = <see cref="Seed"/>;</item>
/// <item><see cref="Validation"/> and <see cref="Train"/>: the pool split the way Fit splits it (floor(n x fraction) images
/// held out, the first ones of a Fisher-Yates order from <c>new Random(seed)</c>), so the plain loop selects its best
/// epoch on the same held-out training images as Fit. The benchmark checks this after every Fit (see
/// <c>FashionMnistBenchmark</c>), so a change of the library's rule shows up instead of silently splitting differently;</item>
/// <item><see cref="Test"/>: the first <c>--test-images</c> of the 10,000 test images, the reported figure;</item>
/// <item><see cref="Mnist"/>: as many MNIST test images, for the out-of-distribution check;</item>
/// <item><see cref="PoolLabels"/> and <see cref="TestLabels"/>: the class ids (0..9) of the pool and test images, for
/// class-conditional models.</item>
/// </list>
/// </summary>
internal sealed record FashionMnist(IReadOnlyList<float[]> Pool, IReadOnlyList<float[]> Train, IReadOnlyList<float[]> Validation,
    IReadOnlyList<float[]> Test, IReadOnlyList<float[]> Mnist, float ValidationFraction, int Seed, IReadOnlyList<int> PoolLabels, IReadOnlyList<int> TestLabels)
{
    public const int Side = 28;

    /// <param name="trainImages">0 for all 60,000.</param>
    public static FashionMnist Load(string dataDirectory, int trainImages, int testImages, float validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1)) throw new ArgumentException("--validation-fraction must lie in (0, 1): both sides select on held-out images.");
        string fashion = Path.Combine(dataDirectory, "images", "fashion-mnist");
        var (pool, _, _) = IdxImages.Read(Path.Combine(fashion, "train-images-idx3-ubyte.gz"), trainImages);
        var (test, _, _) = IdxImages.Read(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"), testImages);
        var (mnist, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "mnist-t10k", "t10k-images-idx3-ubyte.gz"), testImages);
        var poolLabels = IdxLabels.Read(Path.Combine(fashion, "train-labels-idx1-ubyte.gz"), trainImages);
        var testLabels = IdxLabels.Read(Path.Combine(fashion, "t10k-labels-idx1-ubyte.gz"), testImages);

        // The same arithmetic as Fit: the float fraction widened to double (0.02f x 60,000 floors to 1,199), at least 2 kept.
        int n = pool.Count;
        int held = (int)Math.Floor(n * (double)validationFraction);
        if (n - held < 2) held = Math.Max(0, n - 2);
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var validation = order.Take(held).Select(i => pool[i]).ToList();
        var train = order.Skip(held).Select(i => pool[i]).ToList();
        return new FashionMnist(pool, train, validation, test, mnist, validationFraction, seed, poolLabels, testLabels);
    }

    /// <summary>One sentence for reports.</summary>
    public string Describe()
        => $"`images/fashion-mnist`: {Pool.Count:N0} training images, of which {Validation.Count:N0} (ValidationFraction {ValidationFraction.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}, split seed {Seed}) are held out " +
           $"for model selection by both sides and {Train.Count:N0} are trained on; the first {Test.Count:N0} test images are reported (uniform dequantization); " +
           $"`images/mnist-t10k`, the first {Mnist.Count:N0} MNIST test images, for Fit's out-of-distribution check";
}
