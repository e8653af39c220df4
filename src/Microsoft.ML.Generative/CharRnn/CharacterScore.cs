namespace Microsoft.ML.Generative
{
    /// <summary>How surprising one character of a row was to a char-RNN model (see <see cref="CharRnnTransformer.ScoreCharacters"/>).</summary>
    /// <param name="Index">Position in the row, in characters (Unicode scalar values); the end-of-row entry has the row's length.</param>
    /// <param name="Text">The character (one or two UTF-16 code units), or "" for the end-of-row entry.</param>
    /// <param name="LogProbability">log p(character | the characters before it), in nats (after it, for a model that reads <see cref="CharRnnReadingOrder.LastToFirst"/>).</param>
    /// <param name="IsUnknown">The character was not in the training vocabulary; it was scored as the unknown symbol.</param>
    /// <param name="IsEndOfRow">This entry is the end-of-row symbol that follows the last character (for a LastToFirst model: the start-of-row symbol, read after the first character).</param>
    public sealed record CharacterScore(int Index, string Text, float LogProbability, bool IsUnknown, bool IsEndOfRow)
    {
        /// <summary>-LogProbability: the information content of the character in nats (higher = more surprising).</summary>
        public float Surprisal => -LogProbability;
    }
}
