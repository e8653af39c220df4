namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The labelled BGL sample of loghub (logs/loghub/BGL/BGL_2k.log, 2,000 lines): the first whitespace-separated field
/// is the label, "-" for a normal line and an alert category (KERNDTLB, APPSEV, ...) otherwise. The message is the rest
/// of the line after that field and the single space following it, so the label never reaches a model.
/// </summary>
internal sealed class BglLog
{
    public const string RelativePath = "logs/loghub/BGL/BGL_2k.log";

    private BglLog(string path, string[] messages, bool[] isAlert)
    {
        Path = path;
        Messages = messages;
        IsAlert = isAlert;
    }

    public string Path { get; }

    /// <summary>The lines without their label field.</summary>
    public string[] Messages { get; }

    /// <summary>True for alert lines (label other than "-").</summary>
    public bool[] IsAlert { get; }

    public int Lines => Messages.Length;
    public int Alerts => IsAlert.Count(a => a);

    public static BglLog Load(string dataDirectory)
    {
        string path = System.IO.Path.Combine(dataDirectory, RelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The BGL log is not at {path} (expected in the shared data folder, see its README.md; --data <dir> to point elsewhere).", path);
        var messages = new List<string>();
        var alerts = new List<bool>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path)) // ReadLines drops the file's CRLF terminators
        {
            lineNumber++;
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ');
            if (space <= 0) throw new InvalidDataException($"{path}, line {lineNumber}: no label field.");
            messages.Add(line[(space + 1)..]);
            alerts.Add(line[..space] != "-");
        }
        if (alerts.Count(a => a) == 0 || alerts.All(a => a)) throw new InvalidDataException($"{path}: needs both normal and alert lines.");
        return new BglLog(path, messages.ToArray(), alerts.ToArray());
    }
}
