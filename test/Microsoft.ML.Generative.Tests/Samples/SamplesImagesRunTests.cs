using System.Globalization;
using SkiaSharp;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Samples;

/// <summary>
/// Real runs of the Samples app's "images" command on a small CSV of 6x6 images, with each model: tiny networks and a
/// few epochs. They check the exit code, the save/reload checks the app reports, and the files it writes.
/// </summary>
public sealed class SamplesImagesRunTests : IDisposable
{
    private const int Side = 6, Images = 80;
    /// <summary>Grid geometry of the library's PNG grids: each pixel drawn 64 / 6 = 10 times, 1-pixel gaps.</summary>
    private const int Cell = Side * 10 + 1;

    private readonly string _dir = Directory.CreateTempSubdirectory("samples-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Vertical bars of level 3 on 0 at a random column, plus a little noise: 4 levels, values 0..3.</summary>
    private string WriteImages()
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, Images).Select(_ =>
        {
            int bar = random.Next(Side);
            return string.Join(',', Enumerable.Range(0, Side * Side).Select(p =>
                (p % Side == bar ? 3 : random.NextDouble() < 0.1 ? 1 : 0).ToString(CultureInfo.InvariantCulture)));
        });
        string csv = Path.Combine(_dir, "bars.csv");
        File.WriteAllLines(csv, lines);
        return csv;
    }

    [Theory]
    [InlineData("gated")]
    [InlineData("rowlstm")]
    public void APixelRnnRunReportsExactBitsChecksReloadAndWritesSamplesAndCompletions(string architecture)
    {
        string csv = WriteImages(), output = Path.Combine(_dir, "out");

        var result = SamplesApp.Run(_dir, "images", "--model", "pixelrnn", "--architecture", architecture, "--train", csv, "--layers", "2",
            "--feature-maps", "16", "--epochs", "3", "--minutes", "0", "--threads", "1", "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(architecture == "gated" ? "Pixel RNN (gated PixelCNN), exact" : "Pixel RNN (Row LSTM), exact", result.Output);
        Assert.Contains("independent pixels", result.Output);
        Assert.Contains("check passed: the loaded model's scores equal the original's bit for bit", result.Output);
        Assert.Contains("check passed: with the same seed both models draw the same images", result.Output);
        Assert.DoesNotContain("CHECK FAILED", result.Output);

        // 8 test images (the last 10%), each a grid row: hidden, 4 completions, original.
        AssertPng(Path.Combine(output, "completions.png"), 6 * Cell + 1, 8 * Cell + 1);
        AssertPng(Path.Combine(output, "samples-t1.0.png"), 8 * Cell + 1, 8 * Cell + 1);
        AssertPng(Path.Combine(output, "samples-t0.7.png"), 8 * Cell + 1, 8 * Cell + 1);
        Assert.False(File.Exists(Path.Combine(output, "interpolation.png")), "A Pixel RNN has no latent space to interpolate in.");

        var ml = new MLContext(seed: 1);
        using var model = Assert.IsType<PixelRnnTransformer>(ml.Model.Load(Path.Combine(output, "model.zip"), out _));
        Assert.Equal(architecture == "gated" ? PixelRnnArchitecture.GatedPixelCnn : PixelRnnArchitecture.RowLstm, model.Architecture);
        Assert.Equal(4, model.PixelLevels);
    }

    [Fact]
    public void ARealNvpRunStillWritesItsInterpolations()
    {
        string csv = WriteImages(), output = Path.Combine(_dir, "out");

        var result = SamplesApp.Run(_dir, "images", "--train", csv, "--feature-maps", "16", "--blocks", "1", "--epochs", "2", "--minutes", "0",
            "--threads", "1", "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Real NVP, dequantized", result.Output);
        Assert.DoesNotContain("CHECK FAILED", result.Output);
        AssertPng(Path.Combine(output, "interpolation.png"), 8 * Cell + 1, 4 * Cell + 1);
        Assert.False(File.Exists(Path.Combine(output, "completions.png")));
        var ml = new MLContext(seed: 1);
        using var model = Assert.IsType<RealNvpImageTransformer>(ml.Model.Load(Path.Combine(output, "model.zip"), out _));
    }

    private static void AssertPng(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }
}
