namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Tiny synthetic images for the image Real NVP pipeline tests: 4x4 pixels, 4 grey levels (0..3).</summary>
public static class ImageRows
{
    public const int Side = 4, Levels = 4, Size = Side * Side;

    public sealed class ImageRow
    {
        [VectorType(Size)] public float[] Pixels { get; set; }
    }

    public sealed class ImagePrediction
    {
        public float Score { get; set; }
        public float LogLikelihood { get; set; }
        public float BitsPerDimension { get; set; }
        public float[] Latent { get; set; }
        public float ComplexityScore { get; set; }
        public float TypicalityScore { get; set; }
    }

    /// <summary>
    /// A bright (level 3) horizontal or vertical bar on a dark background; every other pixel is lifted by one level
    /// with probability 0.1. About 9 bits of entropy per image (0.6 bits/dim), against 2 bits/dim for uniform noise.
    /// </summary>
    public static List<ImageRow> Bars(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<ImageRow>(count);
        for (int n = 0; n < count; n++)
        {
            var pixels = new float[Size];
            bool horizontal = random.Next(2) == 0;
            int line = random.Next(Side);
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                {
                    bool onBar = horizontal ? y == line : x == line;
                    pixels[y * Side + x] = onBar ? 3 : random.NextDouble() < 0.1 ? 1 : 0;
                }
            rows.Add(new ImageRow { Pixels = pixels });
        }
        return rows;
    }

    /// <summary>Every pixel uniform over the 4 levels.</summary>
    public static List<ImageRow> Noise(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new ImageRow { Pixels = Enumerable.Range(0, Size).Select(_ => (float)random.Next(Levels)).ToArray() })
            .ToList();
    }

    public static IDataView Load(MLContext ml, IEnumerable<ImageRow> rows) => ml.Data.LoadFromEnumerable(rows);
}
