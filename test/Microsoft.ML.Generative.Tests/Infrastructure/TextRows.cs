namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Text rows for the char-RNN tests: synthetic log lines with a few templates, and clearly unusual lines.</summary>
public static class TextRows
{
    public sealed class TextRow
    {
        public string Text { get; set; }
    }

    public sealed class TextPrediction
    {
        public string Text { get; set; }
        public float LogLikelihood { get; set; }
        public float Score { get; set; }
        public float BitsPerCharacter { get; set; }
        public float[] Embedding { get; set; }
    }

    private static readonly string[] Users = { "alice", "bob", "carol", "dave", "erin" };

    /// <summary><paramref name="count"/> log-like lines from three templates (deterministic for a seed).</summary>
    public static List<string> LogLines(int count, int seed)
    {
        var rng = new Random(seed);
        var lines = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            lines.Add((i % 3) switch
            {
                0 => $"INFO user {Users[rng.Next(Users.Length)]} logged in from 10.0.{rng.Next(10)}.{rng.Next(100)}",
                1 => $"WARN disk sd{(char)('a' + rng.Next(4))} usage {rng.Next(70, 100)}%",
                _ => $"INFO job {rng.Next(1000, 9999)} finished in {rng.Next(1, 500)} ms",
            });
        }
        return lines;
    }

    /// <summary>Lines no template produces.</summary>
    public static readonly string[] Unusual =
    {
        "ERROR kernel panic: CPU#1 stuck for 22s! [swapper:0]",
        "zzzz qqqq xxxx jjjj",
        "INFO user alice logged in from 10.0.3.47 then }}}{{{ crashed",
        "%%%% 9999 %%%% 0000",
    };

    public static IDataView Load(MLContext ml, IEnumerable<string> lines)
        => ml.Data.LoadFromEnumerable(lines.Select(l => new TextRow { Text = l }).ToList());
}
