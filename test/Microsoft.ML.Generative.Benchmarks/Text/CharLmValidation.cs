using System.Diagnostics;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The validation protocol of the character language models: the validation text is cut into non-overlapping windows
/// of <see cref="WindowLength"/> characters from its start (a shorter tail is dropped); every window is fed to the
/// model from a fresh (zero) state; its first <see cref="ContextLength"/> characters are context only, and the
/// negative log-likelihood of the remaining characters, each given everything before it in its window, is averaged
/// over all scored characters. Result in nats per character.
/// </summary>
/// <remarks>
/// With the defaults (256 / 64) every window has 192 scored characters; tiny-shakespeare's 111,540 validation
/// characters give 435 windows (111,360 characters, the last 180 dropped) and 83,520 scored characters. The context
/// prefix keeps a recurrent model from being judged on its cold start, which training with carried state rarely
/// sees; a fixed window keeps models with different memory lengths comparable.
/// </remarks>
internal sealed class CharLmValidation
{
    public const int DefaultWindowLength = 256;
    public const int DefaultContextLength = 64;

    public CharLmValidation(string validationText, int windowLength = DefaultWindowLength, int contextLength = DefaultContextLength)
    {
        ArgumentNullException.ThrowIfNull(validationText);
        if (contextLength < 1 || contextLength >= windowLength)
            throw new ArgumentException("The context must be at least one character and shorter than the window.");
        WindowLength = windowLength;
        ContextLength = contextLength;
        var windows = new List<string>();
        for (int start = 0; start + windowLength <= validationText.Length; start += windowLength)
            windows.Add(validationText.Substring(start, windowLength));
        if (windows.Count == 0) throw new ArgumentException($"The validation text is shorter than one window ({windowLength} characters).");
        Windows = windows;
        DroppedCharacters = validationText.Length - windows.Count * windowLength;
    }

    public int WindowLength { get; }
    public int ContextLength { get; }
    public IReadOnlyList<string> Windows { get; }

    /// <summary>Characters at the end of the validation text that do not fill a window.</summary>
    public int DroppedCharacters { get; }

    public int ScoredCharactersPerWindow => WindowLength - ContextLength;
    public long ScoredCharacters => (long)Windows.Count * ScoredCharactersPerWindow;

    /// <summary>One line describing the protocol, for reports.</summary>
    public string Describe()
        => $"{Windows.Count} non-overlapping windows of {WindowLength} characters ({DroppedCharacters} trailing characters dropped), each fed from a fresh (zero) state; the first {ContextLength} characters of a window are context only, the other {ScoredCharactersPerWindow} are scored ({ScoredCharacters:N0} in all); mean negative log-likelihood in nats/char";

    /// <summary>Scores the model on every window and checks what it returned.</summary>
    public CharLmScore Evaluate(ICharWindowScorer model)
    {
        var clock = Stopwatch.StartNew();
        double[] nll = model.NegativeLogLikelihoods(Windows, ContextLength);
        clock.Stop();
        if (nll is null || nll.Length != Windows.Count)
            throw new InvalidOperationException($"{model.Name} returned {nll?.Length ?? 0} window scores for {Windows.Count} windows.");
        for (int w = 0; w < nll.Length; w++)
            if (!double.IsFinite(nll[w]) || nll[w] < 0)
                throw new InvalidOperationException($"{model.Name} returned the negative log-likelihood {nll[w]} for window {w}; it must be finite and non-negative.");
        return new CharLmScore(nll.Sum() / ScoredCharacters, Windows.Count, ScoredCharacters, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>The result of <see cref="CharLmValidation.Evaluate"/>.</summary>
/// <param name="NatsPerChar">Mean negative log-likelihood per scored character, in nats.</param>
/// <param name="Seconds">Time the model took to score all windows.</param>
internal sealed record CharLmScore(double NatsPerChar, int Windows, long ScoredCharacters, double Seconds)
{
    public double BitsPerChar => NatsPerChar / Math.Log(2);
}
