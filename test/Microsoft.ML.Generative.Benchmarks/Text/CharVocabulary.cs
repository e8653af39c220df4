namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>The characters of a training text, sorted by code point, and their indices (the model's token ids).</summary>
internal sealed class CharVocabulary
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _index;

    public CharVocabulary(string trainingText)
    {
        _chars = trainingText.Distinct().OrderBy(c => c).ToArray();
        _index = _chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    public int Size => _chars.Length;

    public char this[int index] => _chars[index];

    /// <summary>The token ids of <paramref name="text"/>; a character the training text lacks is an error, not a silent mapping.</summary>
    public long[] Encode(string text)
    {
        var ids = new long[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _index.TryGetValue(text[i], out int id) ? id
                : throw new ArgumentException($"The character U+{(int)text[i]:X4} at position {i} is not in the training vocabulary.");
        return ids;
    }
}
