using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// ML.NET's Wikipedia Detox sample (mlnet/wikipedia-detox-250-line-{data,test}.tsv): tab-separated with a header,
/// column 0 the label (header "Sentiment" in these files; 1 = toxic, the positive class; 0 = not toxic), column 1 the
/// comment ("SentimentText"); the training file has a third column (LoggedIn) that is ignored. Fields may be quoted
/// with doubled inner quotes, so ML.NET's own text loader reads them (AllowQuoting).
/// </summary>
internal sealed record DetoxData(string Path, string[] Texts, bool[] IsToxic)
{
    public const string TrainRelativePath = "mlnet/wikipedia-detox-250-line-data.tsv";
    public const string TestRelativePath = "mlnet/wikipedia-detox-250-line-test.tsv";

    public int Rows => Texts.Length;
    public int Toxic => IsToxic.Count(t => t);

    public static DetoxData Load(MLContext ml, string dataDirectory, string relativePath)
    {
        string path = System.IO.Path.Combine(dataDirectory, relativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The Wikipedia Detox file is not at {path} (expected in the shared data folder, see its README.md; --data <dir> to point elsewhere).", path);
        var header = (File.ReadLines(path).FirstOrDefault() ?? "").Split('\t');
        if (header.Length < 2 || header[0] is not ("Sentiment" or "Label") || header[1] != "SentimentText")
            throw new InvalidDataException($"{path}: expected a header starting with Sentiment (or Label) and SentimentText, found '{string.Join("\\t", header)}'.");
        int expectedRows = File.ReadLines(path).Skip(1).Count(l => l.Length > 0);

        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = new[] { new TextLoader.Column("Label", DataKind.Boolean, 0), new TextLoader.Column("SentimentText", DataKind.String, 1) },
            HasHeader = true,
            Separators = new[] { '\t' },
            AllowQuoting = true,
        });
        var view = loader.Load(path);
        var labels = view.GetColumn<bool>("Label").ToArray();
        var texts = view.GetColumn<string>("SentimentText").ToArray();
        // A quoting mistake would merge or drop rows silently; one row per non-empty line is the check.
        if (texts.Length != expectedRows)
            throw new InvalidDataException($"{path}: ML.NET read {texts.Length} rows from {expectedRows} data lines.");
        return new DetoxData(path, texts, labels);
    }
}
