namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>One text row for the library's char-RNN (its default TextColumnName is "Text").</summary>
internal sealed class TextLine
{
    public string Text { get; set; }
}
