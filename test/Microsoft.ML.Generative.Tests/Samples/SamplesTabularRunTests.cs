using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Samples;

/// <summary>
/// Real runs of the Samples app's main job, "tabular", with a few epochs: on the built-in breast-cancer data (the
/// README's first command) and on a user's CSV file. They check the exit code, the files written and what is in them.
/// </summary>
public sealed class SamplesTabularRunTests : IDisposable
{
    /// <summary>roc.png's size in pixels: Plotting/RocPlot.Width and Height in src/Samples.</summary>
    private const int RocWidth = 640, RocHeight = 600;

    private readonly string _dir = Directory.CreateTempSubdirectory("samples-tabular-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheDefaultJobWritesAModelARocPlotWithTextAndRowsSampledFromThatModel()
    {
        var result = SamplesApp.Run(_dir, "--epochs", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("RandomizedPca (rank 20)", result.Output);
        Assert.Contains("check passed: the loaded model's scores equal the original's", result.Output);
        Assert.DoesNotContain("CHECK FAILED", result.Output);

        // The default output folder, relative to the working directory.
        string output = Path.Combine(_dir, "samples-output");
        AssertRocPlot(Path.Combine(output, "roc.png"));

        // synthetic.csv holds the 10 rows the flow drew with seed 7: the saved model draws the same ones.
        var lines = File.ReadAllLines(Path.Combine(output, "synthetic.csv"));
        var header = lines[0].Split(',');
        Assert.Equal(30, header.Length);
        Assert.Equal("mean radius", header[0]);
        Assert.Equal("worst fractal dimension", header[^1]);
        var written = lines.Skip(1).Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(10, written.Length);

        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(Path.Combine(output, "model.zip"), out _);
        var flow = Assert.IsType<RealNvpTransformer>(Assert.IsAssignableFrom<IEnumerable<ITransformer>>(model).Last());
        var drawn = flow.Sample(count: 10, temperature: 1f, seed: 7).GetColumn<float[]>(flow.FeatureColumnName).ToArray();
        for (int i = 0; i < drawn.Length; i++)
            for (int j = 0; j < 30; j++)
                // The file holds each float as round-trip text, so the values should be equal; relative tolerance 1e-6.
                Assert.True(Math.Abs(drawn[i][j] - written[i][j]) <= 1e-6 * Math.Abs(drawn[i][j]),
                    $"row {i + 1}, {header[j]}: the saved model draws {drawn[i][j]:R}, synthetic.csv has {written[i][j]:R}");
        (model as IDisposable)?.Dispose();
    }

    [Fact]
    public void AUsersCsvWithALabelAndATextColumnIsScoredAndItsColumnNamesKept()
    {
        // 240 normal rows and 30 anomalies that lie 5 standard deviations out in x; an id column that is not a number,
        // and a column name with a comma (quoted, as CSV files do).
        var random = new Random(3);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var rows = Enumerable.Range(0, 270).Select(i =>
        {
            bool anomaly = i % 9 == 0;
            double x = Normal() + (anomaly ? 5 : 0), y = Normal(), depth = 2 * Normal() + 10;
            return string.Create(CultureInfo.InvariantCulture, $"r{i},{x:R},{y:R},{depth:R},{(anomaly ? 1 : 0)}");
        });
        string csv = Path.Combine(_dir, "wells.csv");
        File.WriteAllLines(csv, new[] { "id,x,y,\"depth, m\",is_anomaly" }.Concat(rows));
        string output = Path.Combine(_dir, "out");

        var result = SamplesApp.Run(_dir, "--csv", csv, "--label", "is_anomaly", "--epochs", "3", "--coupling-layers", "2", "--hidden-size", "16", "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Ignoring non-numeric column(s): id.", result.Output);
        Assert.Contains("270 rows: 240 normal, 30 anomalies.", result.Output);
        // Anomalies 5 standard deviations out: even a flow trained for 3 epochs ranks nearly all of them above the normal rows.
        var auc = Regex.Match(result.Output, @"Real NVP \(this library\)\s+([0-9.]+)");
        Assert.True(auc.Success, result.ToString());
        Assert.True(double.Parse(auc.Groups[1].Value, CultureInfo.InvariantCulture) > 0.9, result.ToString());

        Assert.Equal("x,y,\"depth, m\"", File.ReadLines(Path.Combine(output, "synthetic.csv")).First());
        Assert.True(new FileInfo(Path.Combine(output, "model.zip")).Length > 0);
        AssertRocPlot(Path.Combine(output, "roc.png"));
    }

    /// <summary>
    /// The PNG decodes, has the plot's size, and has text: dark pixels above the data area's black frame (the title) and
    /// left of it, beyond the tick marks (tick numbers and the axis label). Without a usable font ScottPlot draws no text,
    /// the frame moves up to the image's edge, and both regions stay empty.
    /// </summary>
    private static void AssertRocPlot(string path)
    {
        using var image = SKBitmap.Decode(path);
        Assert.NotNull(image);
        Assert.Equal(RocWidth, image.Width);
        Assert.Equal(RocHeight, image.Height);

        // The frame: the first row and column that are dark for more than half their length.
        int frameTop = Enumerable.Range(0, image.Height).First(y => Enumerable.Range(0, image.Width).Count(x => IsDark(image, x, y)) > image.Width / 2);
        int frameLeft = Enumerable.Range(0, image.Width).First(x => Enumerable.Range(0, image.Height).Count(y => IsDark(image, x, y)) > image.Height / 2);
        int title = Enumerable.Range(0, frameTop).Sum(y => Enumerable.Range(0, image.Width).Count(x => IsDark(image, x, y)));
        // Tick marks reach a few pixels out of the frame; text starts further left.
        int leftText = Enumerable.Range(0, Math.Max(0, frameLeft - 10)).Sum(x => Enumerable.Range(0, image.Height).Count(y => IsDark(image, x, y)));
        Assert.True(title > 100, $"roc.png has no title: {title} dark pixels above the frame at row {frameTop}");
        Assert.True(leftText > 100, $"roc.png has no tick numbers or axis label: {leftText} dark pixels left of the frame at column {frameLeft}");
    }

    private static bool IsDark(SKBitmap image, int x, int y)
    {
        var c = image.GetPixel(x, y);
        return c.Red + c.Green + c.Blue < 3 * 128;
    }
}
