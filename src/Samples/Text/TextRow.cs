namespace Samples.Text
{
    /// <summary>One line of a text file as ML.NET sees it: a single Text column, the char-RNN's default input.</summary>
    public sealed class TextRow
    {
        public const string TextColumn = nameof(Text);

        public string Text { get; set; }
    }
}
