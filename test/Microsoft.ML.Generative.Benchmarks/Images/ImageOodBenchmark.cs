using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Anomaly;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// Out-of-distribution detection with a saved Fashion-MNIST image flow (from <c>image-fashion --model-out</c>): MNIST
/// test images are the positives, Fashion-MNIST test images the negatives, and each candidate score is measured as
/// ROC-AUC. Flows tend to give MNIST the higher likelihood (Nalisnick et al. 2019), so the raw <c>Score</c> is
/// compared with simple, published corrections of it.
/// </summary>
/// <remarks>
/// All scores use the model's deterministic <c>BitsPerDimension</c> column (bin centres), so a run is reproducible.
/// <list type="bullet">
/// <item>likelihood: <c>Score</c>, -log p(x).</item>
/// <item>typicality (Nalisnick et al. 2019, "Detecting out-of-distribution inputs to deep generative models using
/// typicality", one input at a time): |bits/dim - m|, m the mean bits/dim of in-distribution reference images the
/// model was not trained on (Fashion test images after the evaluated ones), so inputs that are much more likely than
/// typical are flagged too.</item>
/// <item>the model's own <c>TypicalityScore</c> column, whose reference statistics come from Fit's validation
/// images.</item>
/// <item>input complexity (Serrà et al. 2020): bits/dim - L(x), L the size of the image's 8-bit pixels compressed by
/// DEFLATE (smallest size), in bits per pixel; it discounts images that are simply easy to compress. Computed here and,
/// where the model has it, read from its <c>ComplexityScore</c> column.</item>
/// <item>likelihood ratio to a background model (in the spirit of Ren et al. 2019): bits/dim - bits/dim of a
/// per-pixel independent categorical model fitted to the same training images (add-one).</item>
/// </list>
/// </remarks>
internal static class ImageOodBenchmark
{
    private const int Side = 28, PixelCount = Side * Side, Levels = 256;

    private sealed class PixelRow
    {
        [VectorType(PixelCount)] public float[] Pixels { get; set; }
    }

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        string modelPath = commandLine.String("model") ?? throw new ArgumentException("--model <zip saved by image-fashion --model-out> is required.");
        int testCount = commandLine.Int("test-images", 2000), referenceCount = commandLine.Int("reference-images", 2000);
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();

        string fashion = Path.Combine(dataDirectory, "images", "fashion-mnist");
        var (train, _, _) = IdxImages.Read(Path.Combine(fashion, "train-images-idx3-ubyte.gz"), 0);
        var (fashionTest, _, _) = IdxImages.Read(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"), testCount + referenceCount);
        var (mnist, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "mnist-t10k", "t10k-images-idx3-ubyte.gz"), testCount);
        var test = fashionTest.Take(testCount).ToList();
        var reference = fashionTest.Skip(testCount).ToList();
        string header = RunEnvironment.Header("Image Real NVP: out-of-distribution detection, MNIST vs Fashion-MNIST", commandLine);

        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(modelPath, out _);
        IDataView Load(IEnumerable<float[]> images) => ml.Data.LoadFromEnumerable(images.Select(x => new PixelRow { Pixels = x }));
        float[] Column(List<float[]> images, string name) => model.Transform(Load(images)).GetColumn<float>(name).ToArray();

        var bits = (fashion: Column(test, "BitsPerDimension"), mnist: Column(mnist, "BitsPerDimension"));
        var scores = (fashion: Column(test, "Score"), mnist: Column(mnist, "Score"));
        bool hasTypicalityColumn = model.GetOutputSchema(Load(test).Schema).GetColumnOrNull("TypicalityScore") is not null;
        var typicalityColumn = hasTypicalityColumn ? (fashion: Column(test, "TypicalityScore"), mnist: Column(mnist, "TypicalityScore")) : default;
        bool hasComplexityColumn = model.GetOutputSchema(Load(test).Schema).GetColumnOrNull("ComplexityScore") is not null;
        var complexityColumn = hasComplexityColumn ? (fashion: Column(test, "ComplexityScore"), mnist: Column(mnist, "ComplexityScore")) : default;
        double referenceMean = Column(reference, "BitsPerDimension").Average(b => (double)b);
        var background = PerPixelCategorical.Fit(train, Levels);

        var table = new MarkdownTable("OOD score (higher = flagged)", "Fashion test (mean)", "MNIST (mean)", "**ROC-AUC**, MNIST positive");
        void Add(string name, Func<int, bool, float> score)
        {
            var fashionScores = Enumerable.Range(0, test.Count).Select(i => score(i, false)).ToList();
            var mnistScores = Enumerable.Range(0, mnist.Count).Select(i => score(i, true)).ToList();
            double auc = RocAuc.Compute(fashionScores.Concat(mnistScores).ToList(),
                Enumerable.Repeat(false, test.Count).Concat(Enumerable.Repeat(true, mnist.Count)).ToList());
            Console.Error.WriteLine($"{name}: AUC {auc:F4}");
            table.Add(name, fashionScores.Average().ToString("F3", CultureInfo.InvariantCulture),
                mnistScores.Average().ToString("F3", CultureInfo.InvariantCulture), $"**{auc:F3}**");
        }
        List<float[]> Images(bool isMnist) => isMnist ? mnist : test;

        Add("likelihood: `Score` (nats)", (i, m) => m ? scores.mnist[i] : scores.fashion[i]);
        Add($"typicality: \\|bits/dim - {referenceMean:F3}\\| (mean of {reference.Count} held-out Fashion test images)",
            (i, m) => (float)Math.Abs((m ? bits.mnist[i] : bits.fashion[i]) - referenceMean));
        if (hasTypicalityColumn)
            Add("typicality: the model's `TypicalityScore` column (reference = Fit's validation images)",
                (i, m) => m ? typicalityColumn.mnist[i] : typicalityColumn.fashion[i]);
        Add("input complexity: bits/dim - DEFLATE bits/pixel", (i, m) => (m ? bits.mnist[i] : bits.fashion[i]) - DeflateBitsPerPixel(Images(m)[i]));
        if (hasComplexityColumn)
            Add("input complexity: the model's `ComplexityScore` column", (i, m) => m ? complexityColumn.mnist[i] : complexityColumn.fashion[i]);
        Add("likelihood ratio: bits/dim - per-pixel categorical bits/dim", (i, m) => (m ? bits.mnist[i] : bits.fashion[i]) - (float)background.BitsPerPixel(Images(m)[i]));
        Add("reference: DEFLATE bits/pixel alone", (i, m) => DeflateBitsPerPixel(Images(m)[i]));
        Add("reference: per-pixel categorical bits/dim alone", (i, m) => (float)background.BitsPerPixel(Images(m)[i]));

        Console.WriteLine(header + $"Model: `{Path.GetFileName(modelPath)}`. Data: the first {test.Count} Fashion-MNIST test images (negatives) and " +
            $"the first {mnist.Count} MNIST test images (positives); Fashion test images {test.Count}..{test.Count + reference.Count - 1} " +
            $"as the typicality reference; the {train.Count} Fashion training images for the categorical background model. " +
            "All flow scores are the deterministic bin-centre `BitsPerDimension`/`Score` columns.\n\n" + table);
    }

    /// <summary>Compressed size of the image's bytes (DEFLATE, smallest size) in bits per pixel: Serrà et al.'s complexity L(x).</summary>
    private static float DeflateBitsPerPixel(float[] image)
    {
        var bytes = Array.ConvertAll(image, v => (byte)v);
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(bytes);
        return 8f * output.Length / image.Length;
    }
}
